/**
 * The learner's numerics at scale (ARCHITECTURE.md §9): after 1,000,000 updates the solve is
 * still sound — no NaN, A symmetric positive definite, residual ‖Aθ − b‖ small — and the state
 * is still the exact sum of its observations.
 *
 * Two runs of one model, in process with @oo/learning: uniform random grid features (A close to
 * a multiple of I, the easy case) and realistic D5 vectors (hour terms on the circle, is_overdue
 * and priority mostly 0, age skewed young), which make A worse conditioned. Each run is
 * checked against independent references from @oo/testing: Gaussian elimination for θ and BigInt
 * sums for A and b.
 */
import { performance } from 'node:perf_hooks';
import { D5, ModelState, seededRandom, solvePosterior } from '@oo/learning';
import { exactSums, randomGridFeatures, relativeError, solveLinearSystem } from '@oo/testing';
import { CholeskyDecomposition, EigenvalueDecomposition, Matrix } from 'ml-matrix';
import { positiveInt, progress, type BenchReport, type Table } from './harness.js';

const UPDATES = positiveInt(process.env['BENCH_UPDATES'], 1_000_000);
/** Observations are generated this many at a time, outside the clock, then applied timed. */
const CHUNK = 100_000;
/** Prefix the exactness check falls back to when the full BigInt reference would be too slow. */
const EXACT_PREFIX = Math.min(100_000, UPDATES);
const EXACT_BUDGET_MS = 30_000;
const SOLVES = 20_000;
/** Solves before the clock starts, so the first run does not pay for the JIT alone. */
const SOLVE_WARMUP = 5_000;
const D = 5;
const REWARDS = [1, -1, 0, 0.5, -0.5];

interface Observation {
  reward: number;
  features: number[];
}

type Generator = (random: () => number) => Observation;

interface Exactness {
  /** Observations the BigInt reference covered: all of them, or the first EXACT_PREFIX. */
  covered: number;
  equal: boolean;
  referenceMs: number;
}

interface RunResult {
  label: string;
  n: number;
  applyUs: number;
  solveUs: number;
  anyNaN: boolean;
  symmetric: boolean;
  choleskyPositiveDefinite: boolean;
  minEigenvalue: number;
  maxEigenvalue: number;
  relativeResidual: number;
  thetaAgreement: number;
  exactness: Exactness;
}

/** Uniform random grid features in [-1, 1]⁵ and a uniformly drawn grid reward. */
const uniform: Generator = (random) => ({
  reward: REWARDS[Math.floor(random() * REWARDS.length)]!,
  features: randomGridFeatures(D, random),
});

/** A hidden preference, so realistic rewards depend on the features the way real ones would. */
const TRUE_THETA = [0.1, -0.2, 0.4, -0.3, 0.5];

/**
 * D5 vectors as users produce them: decisions mostly in waking hours, few overdue tasks (and
 * those older), ages skewed young, most tasks priority 1. The hour terms always satisfy
 * sin² + cos² = 1 and the sparse columns are nearly constant: a worse conditioned A.
 */
const realistic: Generator = (random) => {
  const hours = random() < 0.9 ? 7 + 16 * random() : 24 * random();
  const angle = (2 * Math.PI * hours) / 24;
  const overdue = random() < 0.08;
  const ageDays = overdue ? 14 - 20 * Math.log(1 - random()) : -7 * Math.log(1 - random());
  const draw = random();
  const priority = draw < 0.75 ? 1 : draw < 0.87 ? 2 : draw < 0.95 ? 3 : 4;
  const features = D5.vector({
    hour_sin: Math.sin(angle),
    hour_cos: Math.cos(angle),
    is_overdue: overdue ? 1 : 0,
    task_age: Math.min(ageDays, 90) / 90,
    priority: (priority - 1) / 3,
  });
  const signal = features.reduce((sum, x, i) => sum + x * TRUE_THETA[i]!, 0);
  const noisy = signal + (random() + random() + random() - 1.5);
  // Snapped to the reward grid {−1, −0.5, 0, 0.5, 1}; + 0 turns a −0 into 0.
  const reward = Math.max(-1, Math.min(1, Math.round(noisy * 2) / 2)) + 0;
  return { reward, features };
};

/**
 * Applies 1,000,000 updates to one d = 5 model twice (uniform and realistic features), then
 * reports the solve's soundness, its agreement with independent references, and timings.
 */
export async function numericsAtScale(): Promise<BenchReport> {
  progress(`  ${UPDATES.toLocaleString('en-US')} updates per run, d = ${D}`);
  const runs = [await run('uniform random', uniform, 1), await run('realistic D5', realistic, 2)];
  return report(runs);
}

async function run(label: string, generate: Generator, seed: number): Promise<RunResult> {
  const random = seededRandom(seed);
  const state = ModelState.empty(D);
  const kept: Observation[] = [];
  let prefixState: ModelState | undefined;
  let applyMs = 0;
  for (let done = 0; done < UPDATES;) {
    const chunk = Array.from({ length: Math.min(CHUNK, UPDATES - done) }, () => generate(random));
    const started = performance.now();
    for (const { reward, features } of chunk) state.apply(reward, features);
    applyMs += performance.now() - started;
    done += chunk.length;
    for (const observation of chunk) kept.push(observation);
    if (!prefixState && done >= EXACT_PREFIX) prefixState = prefixOf(kept, EXACT_PREFIX);
    // Yield between chunks so the run stays interruptible and progress lines get out.
    await new Promise((resolve) => setImmediate(resolve));
  }
  progress(`  ${label}: applied in ${Math.round(applyMs)} ms; solving and checking`);
  const result: RunResult = {
    label,
    n: state.n,
    applyUs: (applyMs * 1000) / UPDATES,
    solveUs: timeSolves(state),
    ...soundness(state),
    exactness: exactness(state, prefixState!, kept),
  };
  progress(`  ${label}: done`);
  return result;
}

/** The state after only the first `count` observations, rebuilt (apply is deterministic). */
function prefixOf(observations: readonly Observation[], count: number): ModelState {
  const state = ModelState.empty(D);
  for (let i = 0; i < count; i += 1)
    state.apply(observations[i]!.reward, observations[i]!.features);
  return state;
}

function timeSolves(state: ModelState): number {
  for (let i = 0; i < SOLVE_WARMUP; i += 1) solvePosterior(state);
  const started = performance.now();
  for (let i = 0; i < SOLVES; i += 1) solvePosterior(state);
  return ((performance.now() - started) * 1000) / SOLVES;
}

type Soundness = Pick<
  RunResult,
  | 'anyNaN'
  | 'symmetric'
  | 'choleskyPositiveDefinite'
  | 'minEigenvalue'
  | 'maxEigenvalue'
  | 'relativeResidual'
  | 'thetaAgreement'
>;

function soundness(state: ModelState): Soundness {
  const a = state.A();
  const b = state.b();
  const { theta } = solvePosterior(state);
  const eigenvalues = new EigenvalueDecomposition(new Matrix(a), { assumeSymmetric: true })
    .realEigenvalues;
  return {
    anyNaN: [...a.flat(), ...b, ...theta].some((value) => !Number.isFinite(value)),
    symmetric: a.every((row, i) => row.every((value, j) => value === a[j]![i])),
    choleskyPositiveDefinite: new CholeskyDecomposition(new Matrix(a)).isPositiveDefinite(),
    minEigenvalue: Math.min(...eigenvalues),
    maxEigenvalue: Math.max(...eigenvalues),
    relativeResidual: norm(residual(a, theta, b)) / norm(b),
    thetaAgreement: relativeError(theta, solveLinearSystem(a, b)),
  };
}

function residual(a: number[][], theta: number[], b: number[]): number[] {
  return a.map((row, i) => row.reduce((sum, value, j) => sum + value * theta[j]!, 0) - b[i]!);
}

function norm(vector: readonly number[]): number {
  return Math.sqrt(vector.reduce((sum, value) => sum + value * value, 0));
}

/**
 * A, b and Σr against BigInt sums of the same observations, to the bit. The full reference is
 * run only when the prefix's timing says it fits the budget; otherwise the prefix stands alone.
 */
function exactness(
  state: ModelState,
  prefixState: ModelState,
  observations: readonly Observation[],
): Exactness {
  const prefix = observations.slice(0, EXACT_PREFIX);
  let started = performance.now();
  const prefixEqual = equalsExact(prefixState, exactSums(prefix, D));
  const prefixMs = performance.now() - started;
  const projectedMs = (prefixMs * observations.length) / prefix.length;
  progress(
    `  exact sums of the first ${prefix.length.toLocaleString('en-US')}: ${Math.round(prefixMs)} ms ` +
      `(all ${observations.length.toLocaleString('en-US')}: ~${Math.round(projectedMs)} ms projected)`,
  );
  if (observations.length === prefix.length || projectedMs > EXACT_BUDGET_MS) {
    return { covered: prefix.length, equal: prefixEqual, referenceMs: prefixMs };
  }
  started = performance.now();
  const fullEqual = equalsExact(state, exactSums(observations, D));
  return {
    covered: observations.length,
    equal: prefixEqual && fullEqual,
    referenceMs: performance.now() - started,
  };
}

function equalsExact(state: ModelState, exact: ReturnType<typeof exactSums>): boolean {
  const same = (x: readonly number[], y: readonly number[]) =>
    x.length === y.length && x.every((value, i) => value === y[i]);
  return (
    state.n === exact.n &&
    state.rewardSum === exact.rewardSum &&
    same(state.b(), exact.b) &&
    state.A().every((row, i) => same(row, exact.A[i]!))
  );
}

function report(runs: RunResult[]): BenchReport {
  const row = (measure: string, cell: (result: RunResult) => string | number) => [
    measure,
    ...runs.map(cell),
  ];
  const yesNo = (value: boolean) => (value ? 'yes' : 'NO');
  const table: Table = {
    title: `one model after ${UPDATES.toLocaleString('en-US')} updates (d = ${D})`,
    columns: ['measure', ...runs.map((result) => result.label)],
    rows: [
      row('updates n', (r) => r.n),
      row('apply, µs/update', (r) => r.applyUs.toFixed(3)),
      row('solvePosterior, µs/solve', (r) => r.solveUs.toFixed(2)),
      row('any NaN/∞ in A, b, θ', (r) => (r.anyNaN ? 'YES' : 'no')),
      row('A symmetric (exactly)', (r) => yesNo(r.symmetric)),
      row('A SPD (Cholesky)', (r) => yesNo(r.choleskyPositiveDefinite)),
      row('min eigenvalue of A', (r) => r.minEigenvalue.toExponential(3)),
      row('max eigenvalue of A', (r) => r.maxEigenvalue.toExponential(3)),
      row('condition number κ₂(A)', (r) => (r.maxEigenvalue / r.minEigenvalue).toExponential(3)),
      row('‖Aθ − b‖₂ / ‖b‖₂', (r) => r.relativeResidual.toExponential(2)),
      row('θ vs Gaussian elimination (rel. ∞-norm)', (r) => r.thetaAgreement.toExponential(2)),
      row(
        'A, b, Σr = BigInt exact sums',
        (r) => `${yesNo(r.exactness.equal)} (${r.exactness.covered.toLocaleString('en-US')} obs.)`,
      ),
    ],
  };
  return {
    tables: [table],
    notes: [
      `In process, @oo/learning ModelState.apply then solvePosterior (no prior), seeded mulberry32 ` +
        `(seeds 1 and 2); observations generated ${CHUNK.toLocaleString('en-US')} at a time outside ` +
        `the clock. Node ${process.version}.`,
      `Realistic D5: 90 % of decisions between 07:00 and 23:00, 8 % overdue (older), ages ` +
        `exponential (mean 7 days, 34 if overdue) capped at 90, priorities 75/12/8/5 %, rewards a ` +
        `noisy linear function of the features snapped to {−1, −0.5, 0, 0.5, 1}.`,
      `Eigenvalues: ml-matrix EigenvalueDecomposition (symmetric); κ₂ = λmax / λmin. Residual in ` +
        `doubles; θ reference: Gaussian elimination with partial pivoting (@oo/testing).`,
      `solvePosterior timed over ${SOLVES.toLocaleString('en-US')} solves (builds A from the exact ` +
        `pairs, Cholesky, one solve).`,
      ...runs.map(exactnessNote),
    ],
  };
}

function exactnessNote({ label, exactness: e }: RunResult): string {
  const covered = e.covered.toLocaleString('en-US');
  const took = `BigInt reference over ${covered} observations took ${Math.round(e.referenceMs).toLocaleString('en-US')} ms`;
  return e.covered < UPDATES
    ? `Exactness (${label}): the full ${UPDATES.toLocaleString('en-US')} was projected over the ` +
        `${EXACT_BUDGET_MS / 1000} s budget, so the state after the first ${covered} updates was checked; ${took}.`
    : `Exactness (${label}): ${took} (the state after the first ` +
        `${EXACT_PREFIX.toLocaleString('en-US')} was checked separately too).`;
}
