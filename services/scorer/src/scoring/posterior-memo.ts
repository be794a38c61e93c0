import { ModelState, solvePosterior, type PopulationPrior, type Posterior } from '@oo/learning';

/**
 * `solvePosterior` once per model state and prior, not once per score. A cached model is the
 * same `ModelState` object until Redis reports it changed (see TrackedModelReads), and the prior
 * the same object until its 30-second reload, so a user scored again and again reuses the solve
 * (the Cholesky factor, θ and a dozen small matrices). The solve is deterministic: reusing it
 * changes no score.
 */
export class PosteriorMemo {
  private readonly solved = new WeakMap<
    ModelState,
    { prior: PopulationPrior | undefined; posterior: Posterior }
  >();
  /** One shared empty model per dimension: users without a model share its solve too. */
  private readonly empty = new Map<number, ModelState>();

  /** The state scoring uses for a user without a model of this dimension. Never change it. */
  emptyState(dimension: number): ModelState {
    let state = this.empty.get(dimension);
    if (!state) {
      state = ModelState.empty(dimension);
      this.empty.set(dimension, state);
    }
    return state;
  }

  solve(state: ModelState, prior: PopulationPrior | undefined): Posterior {
    const memo = this.solved.get(state);
    if (memo && memo.prior === prior) return memo.posterior;
    const posterior = solvePosterior(state, prior);
    this.solved.set(state, { prior, posterior });
    return posterior;
  }
}
