import { InvalidArgumentError } from 'commander'

export function parsePort(value: string): number {
  const port = Number(value)
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new InvalidArgumentError('expected a port number from 0 to 65535')
  }
  return port
}

export function parseScore(value: string): number {
  const score = Number(value)
  if (!(score > 0 && score <= 1)) throw new InvalidArgumentError('expected a score above 0 and at most 1')
  return score
}

export function parsePositiveInteger(value: string): number {
  const n = Number(value)
  if (!Number.isInteger(n) || n <= 0) throw new InvalidArgumentError('expected a positive whole number')
  return n
}
