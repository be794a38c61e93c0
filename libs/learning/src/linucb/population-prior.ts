import { CholeskyDecomposition, EigenvalueDecomposition, Matrix } from 'ml-matrix';
import type { ModelState } from './model-state.js';

/**
 * What the population has learned, as a Gaussian prior on a new user's θ: mean `theta0` and
 * precision `precision` (Λ, in units of observations: Λ = σ² Σ⁻¹). A new user then starts
 * where people like them ended up, and their own reactions move them from there.
 */
export interface PopulationPrior {
  theta0: number[];
  precision: number[][];
  /** Users the prior was estimated from. */
  users: number;
  /** Pooled reward noise variance σ² the precision is scaled by. */
  noiseVariance: number;
  computedAt: string;
}

export interface PriorOptions {
  /** A user counts once they have this many observations. */
  minObservations: number;
  /** No prior from fewer users than this. */
  minUsers: number;
  /**
   * Bounds on the prior's strength in any direction, in observations: at most `maxStrength`
   * (one user's reactions can always outweigh it) and at least `minStrength`.
   */
  minStrength: number;
  maxStrength: number;
}

export const DEFAULT_PRIOR_OPTIONS: PriorOptions = {
  minObservations: 20,
  minUsers: 20,
  minStrength: 0.25,
  maxStrength: 30,
};

/**
 * Empirical Bayes over users' own ridge estimates: θ₀ is their mean, Σ their covariance, σ² the
 * pooled residual variance. Directions where users agree get a strong prior, directions where
 * they differ a weak one, so those are learned from the user's own reactions.
 */
export function estimatePopulationPrior(
  states: readonly ModelState[],
  options: Partial<PriorOptions> = {},
  now: Date = new Date(),
): PopulationPrior | undefined {
  const { minObservations, minUsers, minStrength, maxStrength } = {
    ...DEFAULT_PRIOR_OPTIONS,
    ...options,
  };
  const eligible = states.filter((state) => state.n >= minObservations);
  if (eligible.length < Math.max(2, minUsers)) return undefined;
  const d = eligible[0]!.dimension;
  if (eligible.some((state) => state.dimension !== d)) {
    throw new RangeError('every model of one policy must have the same dimension');
  }

  let residual = 0;
  let degrees = 0;
  const thetas = eligible.map((state) => {
    const factor = new CholeskyDecomposition(new Matrix(state.A()));
    const b = state.b();
    const theta = factor.solve(Matrix.columnVector(b)).to1DArray();
    // Σ (r − θᵀx)² = Σ r² − 2 θᵀb + θᵀ S θ
    const gram = new Matrix(state.gram());
    const fitted = gram.mmul(Matrix.columnVector(theta)).to1DArray();
    residual += Math.max(0, state.rewardSquares - 2 * dot(theta, b) + dot(theta, fitted));
    degrees += Math.max(1, state.n - d);
    return theta;
  });
  const noiseVariance = clamp(residual / degrees, 0.01, 1);

  const thetaMatrix = new Matrix(thetas);
  const theta0 = thetaMatrix.mean('column');
  const covariance = thetaMatrix.clone().subRowVector(theta0);
  const sigma = covariance
    .transpose()
    .mmul(covariance)
    .div(eligible.length - 1)
    .add(Matrix.eye(d).mul(1e-6));

  // Λ = σ² Σ⁻¹ with its eigenvalues kept within [minStrength, maxStrength].
  const eigen = new EigenvalueDecomposition(sigma, { assumeSymmetric: true });
  const vectors = eigen.eigenvectorMatrix;
  const strengths = eigen.realEigenvalues.map((value) =>
    clamp(noiseVariance / Math.max(value, 1e-12), minStrength, maxStrength),
  );
  const precision = vectors.mmul(Matrix.diag(strengths)).mmul(vectors.transpose()).to2DArray();
  for (let i = 0; i < d; i += 1) {
    for (let j = 0; j < i; j += 1) {
      const mean = (precision[i]![j]! + precision[j]![i]!) / 2;
      precision[i]![j] = mean;
      precision[j]![i] = mean;
    }
  }
  return {
    theta0,
    precision,
    users: eligible.length,
    noiseVariance,
    computedAt: now.toISOString(),
  };
}

function dot(a: readonly number[], b: readonly number[]): number {
  let sum = 0;
  for (let i = 0; i < a.length; i += 1) sum += a[i]! * b[i]!;
  return sum;
}

function clamp(value: number, low: number, high: number): number {
  return Math.min(high, Math.max(low, value));
}
