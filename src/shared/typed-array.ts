/** A typed array of numbers. */
export type NumberArray = Int8Array | Uint8Array | Int16Array | Uint16Array | Int32Array | Uint32Array | Float32Array | Float64Array

/**
 * A new array of `array`'s kind and `length` items, starting with `array`'s values (the rest
 * zero): how the engine's columns, tables and scratch arrays grow.
 */
export function grownTo<T extends NumberArray>(array: T, length: number): T {
  const next = new (array.constructor as new (length: number) => T)(length)
  ;(next as NumberArray).set(array)
  return next
}
