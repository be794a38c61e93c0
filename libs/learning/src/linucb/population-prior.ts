import { CholeskyDecomposition, EigenvalueDecomposition, Matrix } from 'ml-matrix';
import { seededRandom } from './exploration.js';
import {
  drain,
  drainAsync,
  fitTasteMixture,
  noisyTaste,
  type NoisyTaste,
} from './taste-mixture.js';
import type { ModelState } from './model-state.js';

/** One group of similar users: where they ended up (θ₀) and how sure that is (Λ). */
export interface PriorComponent {
  /** Share of the population in this group: the prior odds of a new user belonging to it. */
  weight: number;
  theta0: number[];
  /** Λ = σ² Σ⁻¹, in units of observations. */
  precision: number[][];
  users: number;
}

/**
 * What the population has learned, as a mixture of Gaussian priors on a new user's θ: one
 * component per group of users with a similar taste. A new user starts in the largest group;
 * after each reaction the group that explains their reactions best (marginal likelihood) takes
 * over, and their own statistics move them from there.
 */
export interface PopulationPrior {
  components: PriorComponent[];
  /** Users the prior was estimated from. */
  users: number;
  /** Pooled reward noise variance σ² the precisions are scaled by. */
  noiseVariance: number;
  computedAt: string;
}

export interface PriorOptions {
  /** A user counts once they have this many observations. */
  minObservations: number;
  /** No prior from fewer users than this. */
  minUsers: number;
  /**
   * Bounds on a component's strength in any direction, in observations: at most `maxStrength`
   * (a user with more reactions than that outweighs it in every direction; 100 because on
   * sparse reactions 30 let ~30 noisy reactions pull a user off a prior that was right) and at
   * least `minStrength`.
   */
  minStrength: number;
  maxStrength: number;
  /** At most this many groups, and only as many as have `minUsersPerComponent` users each. */
  maxComponents: number;
  minUsersPerComponent: number;
  /** The estimate reads at most this many users, spread evenly over them (its cost grows with each). */
  maxUsers: number;
}

export const DEFAULT_PRIOR_OPTIONS: PriorOptions = {
  minObservations: 20,
  minUsers: 20,
  minStrength: 0.25,
  maxStrength: 100,
  maxComponents: 4,
  minUsersPerComponent: 25,
  maxUsers: 1_000,
};

/** Users between pauses for the event loop in the per-user steps (~10 ms for x11). */
const PAUSE_EVERY_USERS = 50;

/** The ridge of a user's own estimate for the mixture: small, so it barely biases θ̂. */
const ESTIMATE_RIDGE = 0.01;

/**
 * Empirical Bayes over users' own estimates θ̂: a Gaussian mixture over tastes, fitted with
 * each user's estimation noise σ²G⁻¹ taken out (`fitTasteMixture`), with as many groups (up to
 * `maxComponents`) as the Bayesian information criterion supports. Each group becomes a prior
 * component: its mean θ₀ and precision Λ = σ²V⁻¹ (V the spread of true tastes within it, σ²
 * the pooled residual variance). Directions where a group agrees get a strong prior, directions
 * where it differs a weak one, so those are learned from the user's own reactions.
 */
export function estimatePopulationPrior(
  states: readonly ModelState[],
  options: Partial<PriorOptions> = {},
  now: Date = new Date(),
): PopulationPrior | undefined {
  return drain(populationPriorSteps(states, options, now));
}

/**
 * The same estimate, pausing for the event loop every few milliseconds: a service estimating
 * from a thousand users (seconds of CPU) keeps answering meanwhile.
 */
export function estimatePopulationPriorAsync(
  states: readonly ModelState[],
  options: Partial<PriorOptions> = {},
  now: Date = new Date(),
): Promise<PopulationPrior | undefined> {
  return drainAsync(populationPriorSteps(states, options, now));
}

function* populationPriorSteps(
  states: readonly ModelState[],
  options: Partial<PriorOptions>,
  now: Date,
): Generator<void, PopulationPrior | undefined> {
  const settings = { ...DEFAULT_PRIOR_OPTIONS, ...options };
  const eligible = evenSample(
    states.filter((state) => state.n >= settings.minObservations),
    settings.maxUsers,
  );
  if (eligible.length < Math.max(2, settings.minUsers)) return undefined;
  const d = eligible[0]!.dimension;
  if (eligible.some((state) => state.dimension !== d)) {
    throw new RangeError('every model of one policy must have the same dimension');
  }

  let residual = 0;
  let degrees = 0;
  const thetas: number[][] = [];
  for (const [i, state] of eligible.entries()) {
    const factor = new CholeskyDecomposition(new Matrix(state.A()));
    const b = state.b();
    const theta = factor.solve(Matrix.columnVector(b)).to1DArray();
    // Σ (r − θᵀx)² = Σ r² − 2 θᵀb + θᵀ S θ
    const fitted = new Matrix(state.gram()).mmul(Matrix.columnVector(theta)).to1DArray();
    residual += Math.max(0, state.rewardSquares - 2 * dot(theta, b) + dot(theta, fitted));
    degrees += Math.max(1, state.n - d);
    thetas.push(theta);
    if (i % PAUSE_EVERY_USERS === PAUSE_EVERY_USERS - 1) yield;
  }
  const noiseVariance = clamp(residual / degrees, 0.01, 1);
  const tastes: NoisyTaste[] = [];
  for (const [i, state] of eligible.entries()) {
    tastes.push(noisyTaste(state.gram(), state.b(), noiseVariance, ESTIMATE_RIDGE));
    if (i % PAUSE_EVERY_USERS === PAUSE_EVERY_USERS - 1) yield;
  }

  const maxGroups = Math.max(
    1,
    Math.min(settings.maxComponents, Math.floor(eligible.length / settings.minUsersPerComponent)),
  );
  let best = yield* fitTasteMixture(tastes, [eligible.map((_, i) => i)]);
  for (let k = 2; k <= maxGroups; k += 1) {
    const start = yield* kMeans(thetas, k);
    const candidate = yield* fitTasteMixture(tastes, start);
    const supported = candidate.groups.every(
      (group) => group.members >= settings.minUsersPerComponent / 2,
    );
    if (supported && candidate.bic < best.bic) best = candidate;
  }
  const components = best.groups.map((group): PriorComponent => ({
    weight: group.weight,
    theta0: group.mean,
    precision: boundedPrecision(
      new Matrix(
        Array.from({ length: d }, (_, i) => [...group.covariance.subarray(i * d, (i + 1) * d)]),
      ),
      noiseVariance,
      settings,
    ),
    users: Math.round(group.members),
  }));
  return {
    components: components.sort((a, b) => b.weight - a.weight),
    users: eligible.length,
    noiseVariance,
    computedAt: now.toISOString(),
  };
}

/** At most `limit` of `items`, spread evenly over them (deterministic: no draw). */
function evenSample<T>(items: readonly T[], limit: number): readonly T[] {
  if (items.length <= limit) return items;
  return Array.from({ length: limit }, (_, i) => items[Math.floor((i * items.length) / limit)]!);
}

/**
 * The component that best explains the user's reactions so far: the largest group for a new
 * user, then the one with the highest posterior odds, log π + log p(r | X, component), computed
 * from the sufficient statistics alone:
 * ½ log|Λ| − ½ log|Λ + S| − (Σr² + θ₀ᵀΛθ₀ − mᵀ(Λθ₀ + b)) / 2σ², with m the posterior mean.
 */
export function selectPriorComponent(prior: PopulationPrior, state: ModelState): number {
  if (prior.components.length === 1 || state.n === 0) return 0;
  const gram = new Matrix(state.gram());
  const b = Matrix.columnVector(state.b());
  let best = 0;
  let bestScore = Number.NEGATIVE_INFINITY;
  prior.components.forEach((component, k) => {
    const precision = new Matrix(component.precision);
    const pull = precision.mmul(Matrix.columnVector(component.theta0));
    const posterior = new CholeskyDecomposition(precision.clone().add(gram));
    const rhs = pull.clone().add(b);
    const mean = posterior.solve(rhs);
    const quadratic =
      state.rewardSquares +
      dot(component.theta0, pull.to1DArray()) -
      dot(mean.to1DArray(), rhs.to1DArray());
    const score =
      Math.log(component.weight) +
      0.5 * logDeterminant(new CholeskyDecomposition(precision)) -
      0.5 * logDeterminant(posterior) -
      quadratic / (2 * prior.noiseVariance);
    if (score > bestScore) {
      bestScore = score;
      best = k;
    }
  });
  return best;
}

function logDeterminant(factor: CholeskyDecomposition): number {
  const lower = factor.lowerTriangularMatrix;
  let sum = 0;
  for (let i = 0; i < lower.rows; i += 1) sum += 2 * Math.log(lower.get(i, i));
  return sum;
}

/** Λ = σ² Σ⁻¹ with its eigenvalues kept within [minStrength, maxStrength], exactly symmetric. */
function boundedPrecision(
  sigma: Matrix,
  noiseVariance: number,
  settings: PriorOptions,
): number[][] {
  const d = sigma.rows;
  const eigen = new EigenvalueDecomposition(sigma.add(Matrix.eye(d).mul(1e-6)), {
    assumeSymmetric: true,
  });
  const vectors = eigen.eigenvectorMatrix;
  const strengths = eigen.realEigenvalues.map((value) =>
    clamp(noiseVariance / Math.max(value, 1e-12), settings.minStrength, settings.maxStrength),
  );
  const precision = vectors.mmul(Matrix.diag(strengths)).mmul(vectors.transpose()).to2DArray();
  for (let i = 0; i < d; i += 1) {
    for (let j = 0; j < i; j += 1) {
      const mean = (precision[i]![j]! + precision[j]![i]!) / 2;
      precision[i]![j] = mean;
      precision[j]![i] = mean;
    }
  }
  return precision;
}

/**
 * Lloyd's k-means with a deterministic k-means++ start; returns the members of each cluster.
 * Pauses after each iteration.
 */
function* kMeans(points: readonly number[][], k: number): Generator<void, number[][]> {
  const random = seededRandom(0x00_5e_ed);
  const centres: number[][] = [points[Math.floor(random() * points.length)]!];
  while (centres.length < k) {
    const distances = points.map((point) => Math.min(...centres.map((c) => distance2(point, c))));
    const total = distances.reduce((sum, value) => sum + value, 0);
    if (total === 0) break;
    let target = random() * total;
    let chosen = 0;
    while (chosen < points.length - 1 && target > distances[chosen]!) {
      target -= distances[chosen]!;
      chosen += 1;
    }
    centres.push(points[chosen]!);
  }
  let assignment = new Array<number>(points.length).fill(-1);
  for (let iteration = 0; iteration < 100; iteration += 1) {
    const next = points.map((point) => nearest(point, centres));
    if (next.every((value, i) => value === assignment[i])) break;
    assignment = next;
    centres.forEach((centre, c) => {
      const members = points.filter((_, i) => assignment[i] === c);
      if (members.length) centres[c] = new Matrix(members).mean('column');
    });
    yield;
  }
  return centres.map((_, c) => assignment.flatMap((value, i) => (value === c ? [i] : [])));
}

function nearest(point: readonly number[], centres: readonly number[][]): number {
  let best = 0;
  for (let c = 1; c < centres.length; c += 1) {
    if (distance2(point, centres[c]!) < distance2(point, centres[best]!)) best = c;
  }
  return best;
}

function distance2(a: readonly number[], b: readonly number[]): number {
  let sum = 0;
  for (let i = 0; i < a.length; i += 1) sum += (a[i]! - b[i]!) ** 2;
  return sum;
}

function dot(a: readonly number[], b: readonly number[]): number {
  let sum = 0;
  for (let i = 0; i < a.length; i += 1) sum += a[i]! * b[i]!;
  return sum;
}

function clamp(value: number, low: number, high: number): number {
  return Math.min(high, Math.max(low, value));
}
