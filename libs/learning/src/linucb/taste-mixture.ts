/**
 * A Gaussian mixture over users' tastes, fitted to their noisy estimates with the noise taken
 * out: EM for "extreme deconvolution" (Bovy, Hogg & Roweis, 2011). A user with few or noisy
 * reactions has a vague estimate, which then says little about where their group lies or how
 * wide it is; a plain mixture (or k-means) over the estimates reads that noise as spread
 * between users, blurs groups together and makes every prior weak exactly where reactions are
 * scarce.
 *
 * Matrices here are small (d ≤ 64) and dense, row-major in a Float64Array: this runs over
 * thousands of users × groups × iterations, so it allocates per fit, not per step.
 */

import { EigenvalueDecomposition, Matrix } from 'ml-matrix';

/** One user's own estimate of θ and the covariance of its error (σ²(G + δI)⁻¹). */
export interface NoisyTaste {
  estimate: Float64Array;
  noise: Float64Array;
}

/** One group: its share, where its tastes centre, and how true tastes spread within it. */
export interface TasteGroup {
  weight: number;
  mean: number[];
  /** d × d, row-major: the spread of true tastes, the estimates' noise taken out. */
  covariance: Float64Array;
  /** Expected number of users in it (Σ of responsibilities). */
  members: number;
}

export interface TasteMixture {
  groups: TasteGroup[];
  logLikelihood: number;
  /** Bayesian information criterion: lower is better. */
  bic: number;
}

const MAX_ITERATIONS = 60;
/** Change of the log-likelihood per user at which EM has converged. */
const TOLERANCE = 1e-5;
/** Added to a group's covariance so that a group of near-identical users stays invertible. */
const FLOOR = 1e-6;
const LOG_2PI = Math.log(2 * Math.PI);

/**
 * Fits the mixture by EM from `start`, the initial members of each group (e.g. k-means over
 * the estimates). Deterministic for the same input. A generator that pauses after each EM
 * step (milliseconds each), so a service can run it between other work; `drain` runs it at once.
 */
export function* fitTasteMixture(
  users: readonly NoisyTaste[],
  start: number[][],
): Generator<void, TasteMixture> {
  const d = users[0]!.estimate.length;
  let groups = start
    .filter((members) => members.length > 0)
    .map((members) => initialGroup(users, members, d));
  const work = new Workspace(d);
  let previous = Number.NEGATIVE_INFINITY;
  let logLikelihood = previous;
  for (let iteration = 0; iteration < MAX_ITERATIONS; iteration += 1) {
    const step = emStep(users, groups, d, work);
    groups = step.groups;
    logLikelihood = step.logLikelihood;
    if (logLikelihood - previous < TOLERANCE * users.length && iteration > 0) break;
    previous = logLikelihood;
    yield;
  }
  const parameters = groups.length * (d + (d * (d + 1)) / 2) + groups.length - 1;
  return {
    groups,
    logLikelihood,
    bic: -2 * logLikelihood + parameters * Math.log(users.length),
  };
}

/** Runs a pausing computation to its end at once. */
export function drain<T>(steps: Generator<void, T>): T {
  for (;;) {
    const next = steps.next();
    if (next.done) return next.value;
  }
}

/** Runs a pausing computation, letting the event loop serve other work at every pause. */
export async function drainAsync<T>(steps: Generator<void, T>): Promise<T> {
  for (;;) {
    const next = steps.next();
    if (next.done) return next.value;
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
}

/** The user's estimate from their sufficient statistics: θ̂ = (G + δI)⁻¹b, noise σ²(G + δI)⁻¹. */
export function noisyTaste(
  gram: readonly (readonly number[])[],
  b: readonly number[],
  noiseVariance: number,
  ridge: number,
): NoisyTaste {
  const d = b.length;
  const regularised = new Float64Array(d * d);
  for (let i = 0; i < d; i += 1) {
    for (let j = 0; j < d; j += 1) regularised[i * d + j] = gram[i]![j]! + (i === j ? ridge : 0);
  }
  const lower = new Float64Array(d * d);
  if (!cholesky(regularised, lower, d)) throw new RangeError('G + δI is not positive definite');
  const noise = new Float64Array(d * d);
  const column = new Float64Array(d);
  for (let j = 0; j < d; j += 1) {
    column.fill(0);
    column[j] = 1;
    solveInPlace(lower, column, d);
    for (let i = 0; i < d; i += 1) noise[i * d + j] = noiseVariance * column[i]!;
  }
  symmetrise(noise, d);
  const estimate = Float64Array.from(b);
  solveInPlace(lower, estimate, d);
  return { estimate, noise };
}

function initialGroup(users: readonly NoisyTaste[], members: number[], d: number): TasteGroup {
  const mean = new Array<number>(d).fill(0);
  for (const i of members) {
    for (let a = 0; a < d; a += 1) mean[a]! += users[i]!.estimate[a]! / members.length;
  }
  const covariance = new Float64Array(d * d);
  for (const i of members) {
    const x = users[i]!.estimate;
    for (let a = 0; a < d; a += 1) {
      for (let c = 0; c < d; c += 1) {
        covariance[a * d + c]! +=
          ((x[a]! - mean[a]!) * (x[c]! - mean[c]!)) / Math.max(1, members.length - 1);
      }
    }
  }
  // Start from the spread of the estimates minus their average noise (the method-of-moments
  // answer), not the spread with the noise in: from there EM needs hundreds of steps to shrink
  // V where users are noisy, and its likelihood barely moves on the way, so it stopped early
  // with a V several times too wide — a weak prior exactly where reactions are scarce.
  for (const i of members) {
    const noise = users[i]!.noise;
    for (let a = 0; a < d * d; a += 1) covariance[a]! -= noise[a]! / members.length;
  }
  return {
    weight: members.length / users.length,
    mean,
    covariance: clippedBelow(covariance, d, FLOOR),
    members: members.length,
  };
}

/** The symmetric matrix with its eigenvalues raised to at least `floor`. */
function clippedBelow(matrix: Float64Array, d: number, floor: number): Float64Array {
  const rows = Array.from({ length: d }, (_, i) => Array.from(matrix.subarray(i * d, (i + 1) * d)));
  const eigen = new EigenvalueDecomposition(new Matrix(rows), { assumeSymmetric: true });
  const vectors = eigen.eigenvectorMatrix;
  const values = eigen.realEigenvalues.map((value) => Math.max(value, floor));
  const clipped = vectors.mmul(Matrix.diag(values)).mmul(vectors.transpose());
  const out = new Float64Array(d * d);
  for (let i = 0; i < d; i += 1) for (let j = 0; j < d; j += 1) out[i * d + j] = clipped.get(i, j);
  symmetrise(out, d);
  return out;
}

/** Scratch matrices and vectors of one fit, reused across users and steps. */
class Workspace {
  readonly total: Float64Array;
  readonly lower: Float64Array;
  readonly residual: Float64Array;
  readonly solved: Float64Array;
  readonly column: Float64Array;
  constructor(d: number) {
    this.total = new Float64Array(d * d);
    this.lower = new Float64Array(d * d);
    this.residual = new Float64Array(d);
    this.solved = new Float64Array(d);
    this.column = new Float64Array(d);
  }
}

/** One E and M step; the log-likelihood returned is that of `groups`, the groups going in. */
function emStep(
  users: readonly NoisyTaste[],
  groups: readonly TasteGroup[],
  d: number,
  work: Workspace,
): { groups: TasteGroup[]; logLikelihood: number } {
  const k = groups.length;
  const logs = new Float64Array(k);
  const weightSums = new Float64Array(k);
  const meanSums = groups.map(() => new Float64Array(d));
  const secondSums = groups.map(() => new Float64Array(d * d));
  // Per user and group: b = μ + V T⁻¹(x − μ), the user's taste given the group.
  const posteriorMeans = groups.map(() => new Float64Array(d));
  const inverses = groups.map(() => new Float64Array(d * d));
  const inverseSums = groups.map(() => new Float64Array(d * d));
  let logLikelihood = 0;
  for (const user of users) {
    for (let g = 0; g < k; g += 1) {
      const group = groups[g]!;
      const { total, lower, residual, solved } = work;
      for (let a = 0; a < d * d; a += 1) total[a] = group.covariance[a]! + user.noise[a]!;
      if (!cholesky(total, lower, d)) {
        logs[g] = Number.NEGATIVE_INFINITY;
        continue;
      }
      for (let a = 0; a < d; a += 1) residual[a] = user.estimate[a]! - group.mean[a]!;
      solved.set(residual);
      solveInPlace(lower, solved, d);
      let mahalanobis = 0;
      for (let a = 0; a < d; a += 1) mahalanobis += residual[a]! * solved[a]!;
      let logDet = 0;
      for (let a = 0; a < d; a += 1) logDet += 2 * Math.log(lower[a * d + a]!);
      logs[g] = Math.log(group.weight) - 0.5 * (mahalanobis + logDet + d * LOG_2PI);
      // b = μ + V·T⁻¹(x − μ), the user's taste given the group. Its spread B = V − V T⁻¹ V
      // is summed as Σ r·B = (Σ r)·V − V (Σ r T⁻¹) V, so only T⁻¹ is needed per user.
      const b = posteriorMeans[g]!;
      const v = group.covariance;
      for (let a = 0; a < d; a += 1) {
        let sum = group.mean[a]!;
        for (let c = 0; c < d; c += 1) sum += v[a * d + c]! * solved[c]!;
        b[a] = sum;
      }
      const { column } = work;
      const inverse = inverses[g]!;
      for (let c = 0; c < d; c += 1) {
        column.fill(0);
        column[c] = 1;
        solveInPlace(lower, column, d);
        for (let a = 0; a < d; a += 1) inverse[a * d + c] = column[a]!;
      }
    }
    let top = Number.NEGATIVE_INFINITY;
    for (let g = 0; g < k; g += 1) top = Math.max(top, logs[g]!);
    let total = 0;
    for (let g = 0; g < k; g += 1) total += Math.exp(logs[g]! - top);
    logLikelihood += top + Math.log(total);
    for (let g = 0; g < k; g += 1) {
      const responsibility = Math.exp(logs[g]! - top) / total;
      if (!(responsibility > 1e-12)) continue;
      weightSums[g]! += responsibility;
      const b = posteriorMeans[g]!;
      const inverse = inverses[g]!;
      const meanSum = meanSums[g]!;
      const secondSum = secondSums[g]!;
      const inverseSum = inverseSums[g]!;
      for (let a = 0; a < d; a += 1) {
        meanSum[a]! += responsibility * b[a]!;
        for (let c = 0; c < d; c += 1) {
          secondSum[a * d + c]! += responsibility * b[a]! * b[c]!;
          inverseSum[a * d + c]! += responsibility * inverse[a * d + c]!;
        }
      }
    }
  }
  const next: TasteGroup[] = [];
  for (let g = 0; g < k; g += 1) {
    const weight = weightSums[g]!;
    if (weight < 1e-9) continue;
    const mean = Array.from(meanSums[g]!, (value) => value / weight);
    const covariance = new Float64Array(d * d);
    const second = secondSums[g]!;
    const v = groups[g]!.covariance;
    const shrink = sandwich(v, inverseSums[g]!, d);
    for (let a = 0; a < d; a += 1) {
      for (let c = 0; c < d; c += 1) {
        covariance[a * d + c] =
          (second[a * d + c]! + weight * v[a * d + c]! - shrink[a * d + c]!) / weight -
          mean[a]! * mean[c]!;
      }
      covariance[a * d + a]! += FLOOR;
    }
    symmetrise(covariance, d);
    next.push({ weight: weight / users.length, mean, covariance, members: weight });
  }
  const share = next.reduce((sum, group) => sum + group.weight, 0);
  for (const group of next) group.weight /= share;
  return { groups: next, logLikelihood };
}

/** L with L Lᵀ = A (row-major, lower triangle); false if A is not positive definite. */
function cholesky(a: Float64Array, lower: Float64Array, d: number): boolean {
  lower.fill(0);
  for (let i = 0; i < d; i += 1) {
    for (let j = 0; j <= i; j += 1) {
      let sum = a[i * d + j]!;
      for (let e = 0; e < j; e += 1) sum -= lower[i * d + e]! * lower[j * d + e]!;
      if (i === j) {
        if (!(sum > 0)) return false;
        lower[i * d + i] = Math.sqrt(sum);
      } else {
        lower[i * d + j] = sum / lower[j * d + j]!;
      }
    }
  }
  return true;
}

/** x ← (L Lᵀ)⁻¹ x. */
function solveInPlace(lower: Float64Array, x: Float64Array, d: number): void {
  for (let i = 0; i < d; i += 1) {
    let sum = x[i]!;
    for (let e = 0; e < i; e += 1) sum -= lower[i * d + e]! * x[e]!;
    x[i] = sum / lower[i * d + i]!;
  }
  for (let i = d - 1; i >= 0; i -= 1) {
    let sum = x[i]!;
    for (let e = i + 1; e < d; e += 1) sum -= lower[e * d + i]! * x[e]!;
    x[i] = sum / lower[i * d + i]!;
  }
}

/** V M V for symmetric V and M. */
function sandwich(v: Float64Array, m: Float64Array, d: number): Float64Array {
  const vm = new Float64Array(d * d);
  for (let a = 0; a < d; a += 1) {
    for (let c = 0; c < d; c += 1) {
      let sum = 0;
      for (let e = 0; e < d; e += 1) sum += v[a * d + e]! * m[e * d + c]!;
      vm[a * d + c] = sum;
    }
  }
  const out = new Float64Array(d * d);
  for (let a = 0; a < d; a += 1) {
    for (let c = 0; c < d; c += 1) {
      let sum = 0;
      for (let e = 0; e < d; e += 1) sum += vm[a * d + e]! * v[e * d + c]!;
      out[a * d + c] = sum;
    }
  }
  return out;
}

function symmetrise(matrix: Float64Array, d: number): void {
  for (let i = 0; i < d; i += 1) {
    for (let j = 0; j < i; j += 1) {
      const mean = (matrix[i * d + j]! + matrix[j * d + i]!) / 2;
      matrix[i * d + j] = mean;
      matrix[j * d + i] = mean;
    }
  }
}
