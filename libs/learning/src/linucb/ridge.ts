import { CholeskyDecomposition, Matrix } from 'ml-matrix';
import type { ModelState } from './model-state.js';
import { selectPriorComponent, type PopulationPrior } from './population-prior.js';

/** The model a decision is made with: θ and the Cholesky factor of the (effective) A. */
export interface Posterior {
  theta: number[];
  factor: CholeskyDecomposition;
  /** The prior component the user was matched to, when there is a prior. */
  component?: number;
}

export interface Candidate {
  id: string;
  features: readonly number[];
}

/** How one candidate was judged: `ucb = mean + bonus`. */
export interface CandidateScore {
  id: string;
  mean: number;
  bonus: number;
  ucb: number;
}

/** Thrown when A is not symmetric positive definite: corrupt state, never a normal outcome. */
export class SingularModelError extends Error {
  override readonly name = 'SingularModelError';
}

/**
 * Solves `A θ = b` fresh by Cholesky (never an inverse kept and updated). Without a prior, `A` is
 * the user's `I + Σ x xᵀ` and `b = Σ r x`: ridge regression. With a population prior, the
 * component that best explains the user's reactions replaces the identity by its precision Λ
 * and centres the ridge on its mean: `A = Λ + Σ x xᵀ`, `b = Λ θ₀ + Σ r x`.
 */
export function solvePosterior(state: ModelState, prior?: PopulationPrior): Posterior {
  let a: number[][];
  let b: number[];
  let component: number | undefined;
  if (prior) {
    component = selectPriorComponent(prior, state);
    const { theta0, precision } = prior.components[component]!;
    if (theta0.length !== state.dimension) {
      throw new RangeError(`prior has dimension ${theta0.length}, model ${state.dimension}`);
    }
    a = state.gram().map((row, i) => row.map((value, j) => value + precision[i]![j]!));
    const pull = new Matrix(precision).mmul(Matrix.columnVector(theta0)).to1DArray();
    b = state.b().map((value, i) => value + pull[i]!);
  } else {
    a = state.A();
    b = state.b();
  }
  const factor = new CholeskyDecomposition(new Matrix(a));
  if (!factor.isPositiveDefinite()) {
    throw new SingularModelError('A is not positive definite');
  }
  const theta = factor.solve(Matrix.columnVector(b)).to1DArray();
  return component === undefined ? { theta, factor } : { theta, factor, component };
}

/**
 * `mean = θᵀx`, `bonus = α·sqrt(xᵀ A⁻¹ x)` for every candidate. With A = L Lᵀ,
 * xᵀA⁻¹x = ‖L⁻¹x‖², one forward substitution per candidate on plain arrays (this is the hot
 * path of every decision).
 */
export function scoreCandidates(
  posterior: Posterior,
  candidates: readonly Candidate[],
  alpha: number,
): CandidateScore[] {
  const { theta } = posterior;
  const d = theta.length;
  const lower = posterior.factor.lowerTriangularMatrix.to2DArray();
  const z = new Float64Array(d);
  return candidates.map(({ id, features }) => {
    let mean = 0;
    let variance = 0;
    for (let i = 0; i < d; i += 1) {
      const row = lower[i]!;
      let value = features[i]!;
      mean += theta[i]! * value;
      for (let j = 0; j < i; j += 1) value -= row[j]! * z[j]!;
      value /= row[i]!;
      z[i] = value;
      variance += value * value;
    }
    const bonus = alpha * Math.sqrt(variance);
    return { id, mean, bonus, ucb: mean + bonus };
  });
}
