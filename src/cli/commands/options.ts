import { InvalidArgumentError } from 'commander'

/** A parser for a whole-number option from `min` to `max`, saying `expected` when the value is not one. */
export function wholeNumber(min: number, max: number, expected: string): (value: string) => number {
  return (value) => {
    const n = Number(value)
    if (!Number.isInteger(n) || n < min || n > max) throw new InvalidArgumentError(expected)
    return n
  }
}

export const parsePort = wholeNumber(0, 65_535, 'expected a port number from 0 to 65535')

export function parseScore(value: string): number {
  const score = Number(value)
  if (!(score > 0 && score <= 1)) throw new InvalidArgumentError('expected a score above 0 and at most 1')
  return score
}

export const parsePositiveInteger = wholeNumber(1, Number.POSITIVE_INFINITY, 'expected a positive whole number')
