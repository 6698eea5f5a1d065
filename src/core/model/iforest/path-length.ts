const EULER_GAMMA = 0.5772156649015329

/**
 * c(n): the average path length of an unsuccessful search in a binary search tree of n
 * points, which is also the expected depth still needed to isolate one of n points that share a
 * leaf. Same expression as sklearn's `_average_path_length`, including c(0) = c(1) = 0 and
 * c(2) = 1.
 */
export function averagePathLength(n: number): number {
  if (n <= 1) return 0
  if (n === 2) return 1
  return 2.0 * (Math.log(n - 1.0) + EULER_GAMMA) - (2.0 * (n - 1.0)) / n
}
