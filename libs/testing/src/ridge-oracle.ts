/**
 * Independent references for the learner's tests: exact sums in BigInt and ridge regression by
 * Gaussian elimination with partial pivoting. Deliberately shares no code with @oo/learning.
 */

const GRID = 2 ** 26;

function gridInteger(value: number): bigint {
  const scaled = value * GRID;
  if (!Number.isInteger(scaled)) throw new RangeError(`${value} is not on the 2^-26 grid`);
  return BigInt(scaled);
}

export interface ExactSums {
  n: number;
  /** I + Σ x xᵀ, each entry the exact sum rounded once to a double. */
  A: number[][];
  b: number[];
  rewardSum: number;
}

/** The exact sufficient statistics of grid-valued observations, rounded once at the end. */
export function exactSums(
  observations: ReadonlyArray<{ reward: number; features: number[] }>,
  d: number,
): ExactSums {
  const unit = BigInt(GRID) * BigInt(GRID);
  const a = Array.from({ length: d }, (_, i) =>
    Array.from({ length: d }, (_, j) => (i === j ? unit : 0n)),
  );
  const b = new Array<bigint>(d).fill(0n);
  let rewardSum = 0n;
  for (const { reward, features } of observations) {
    const r = gridInteger(reward);
    const x = features.map(gridInteger);
    rewardSum += r;
    for (let i = 0; i < d; i += 1) {
      b[i]! += r * x[i]!;
      for (let j = 0; j < d; j += 1) a[i]![j]! += x[i]! * x[j]!;
    }
  }
  const toNumber = (value: bigint): number => Number(value) / (GRID * GRID);
  return {
    n: observations.length,
    A: a.map((row) => row.map(toNumber)),
    b: b.map(toNumber),
    rewardSum: Number(rewardSum) / GRID,
  };
}

/** Solves A θ = b by Gaussian elimination with partial pivoting. */
export function solveLinearSystem(matrix: number[][], vector: number[]): number[] {
  const n = vector.length;
  const m = matrix.map((row, i) => [...row, vector[i]!]);
  for (let col = 0; col < n; col += 1) {
    let pivot = col;
    for (let row = col + 1; row < n; row += 1) {
      if (Math.abs(m[row]![col]!) > Math.abs(m[pivot]![col]!)) pivot = row;
    }
    [m[col], m[pivot]] = [m[pivot]!, m[col]!];
    for (let row = col + 1; row < n; row += 1) {
      const factor = m[row]![col]! / m[col]![col]!;
      for (let k = col; k <= n; k += 1) m[row]![k]! -= factor * m[col]![k]!;
    }
  }
  const x = new Array<number>(n).fill(0);
  for (let row = n - 1; row >= 0; row -= 1) {
    let sum = m[row]![n]!;
    for (let k = row + 1; k < n; k += 1) sum -= m[row]![k]! * x[k]!;
    x[row] = sum / m[row]![row]!;
  }
  return x;
}

/** ‖actual − expected‖∞ / ‖expected‖∞: the norm-wise relative error of a vector. */
export function relativeError(actual: readonly number[], expected: readonly number[]): number {
  let difference = 0;
  let size = 0;
  expected.forEach((value, i) => {
    difference = Math.max(difference, Math.abs(actual[i]! - value));
    size = Math.max(size, Math.abs(value));
  });
  return size === 0 ? difference : difference / size;
}

/** Random values on the feature grid within [-1, 1]. */
export function randomGridFeatures(d: number, random: () => number = Math.random): number[] {
  return Array.from({ length: d }, () => Math.round((random() * 2 - 1) * GRID) / GRID);
}
