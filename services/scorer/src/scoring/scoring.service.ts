import { Inject, Injectable } from '@nestjs/common';
import type {
  ResetRequest,
  ResetResponse,
  ScoreCandidate,
  ScoreRequest,
  ScoreResponse,
  StatsRequest,
  StatsResponse,
} from '@oo/contracts';
import {
  chooseCandidate,
  explorationFor,
  ModelState,
  policyRegistry,
  scoreCandidates,
  seededRandom,
  solvePosterior,
  type Candidate,
  type ExplorationSettings,
  type Policy,
} from '@oo/learning';
import { rpcFailure } from '@oo/messaging';
import { SCORER_ENV, type ScorerEnv } from '../config/env.js';
import { ScorerMetrics } from '../metrics/scorer.metrics.js';
import { checkFeatures, resolvePolicy, type Checked } from '../policies/policy-checks.js';
import { PriorService } from '../prior/prior.service.js';
import { ModelRepository } from '../store/model.repository.js';
import { PosteriorMemo } from './posterior-memo.js';

function orFail<T>(checked: Checked<T>): T {
  if (!checked.ok)
    throw rpcFailure('invalid_request', checked.problem.message, checked.problem.field);
  return checked.value;
}

/** Distinct ids, and features this policy can use, else invalid_request naming the field. */
function checkCandidates(
  policy: Policy,
  requested: readonly ScoreCandidate[],
  field: string,
): Candidate[] {
  const seen = new Set<string>();
  return requested.map((candidate, k) => {
    // One hash operation per id, not two: an id seen before leaves the size as it was.
    seen.add(candidate.id);
    if (seen.size !== k + 1) {
      throw rpcFailure(
        'invalid_request',
        `${field}[${k}].id '${candidate.id}' appears twice`,
        `${field}[${k}].id`,
      );
    }
    const features = orFail(checkFeatures(policy, candidate.features, `${field}[${k}].features`));
    return { id: candidate.id, features };
  });
}

interface ShadowCandidates {
  policy: Policy;
  candidates: Candidate[];
}

/**
 * Each shadow: a model other than the chooser and the other shadows, scoring exactly the
 * chooser's candidate ids (a shadow's scores are compared with the live ones, id by id).
 */
function checkShadows(
  chooser: Policy,
  live: readonly Candidate[],
  requested: ScoreRequest['shadows'],
): ShadowCandidates[] {
  if (!requested?.length) return [];
  const liveIds = new Set(live.map(({ id }) => id));
  const named = new Set([chooser.name]);
  return requested.map((shadow, k) => {
    const field = `shadows[${k}]`;
    const policy = orFail(resolvePolicy(shadow.policy, `${field}.policy`));
    if (named.has(policy.name)) {
      throw rpcFailure(
        'invalid_request',
        `${field}.policy '${policy.name}' is already scored in this call`,
        `${field}.policy`,
      );
    }
    named.add(policy.name);
    const candidates = checkCandidates(policy, shadow.candidates, `${field}.candidates`);
    const extra = candidates.find(({ id }) => !liveIds.has(id));
    const ids = new Set(candidates.map(({ id }) => id));
    const missing = live.find(({ id }) => !ids.has(id));
    if (extra || missing) {
      throw rpcFailure(
        'invalid_request',
        extra
          ? `${field}.candidates has id '${extra.id}', which is not among candidates`
          : `${field}.candidates lacks id '${missing!.id}' of candidates`,
        `${field}.candidates`,
      );
    }
    return { policy, candidates };
  });
}

/** A shadow as the reply gives it: never shown, so no θ to explain and no draw of its own. */
function asShadow<T extends { theta: number[]; epsilon: number }>({
  theta: _theta,
  epsilon: _epsilon,
  ...rest
}: T): Omit<T, 'theta' | 'epsilon'> {
  return rest;
}

/** Scoring, explaining and resetting one user's model (ARCHITECTURE.md §6). */
@Injectable()
export class ScoringService {
  private readonly posteriors = new PosteriorMemo();
  private readonly exploration: ExplorationSettings;

  constructor(
    @Inject(SCORER_ENV) private readonly env: ScorerEnv,
    private readonly models: ModelRepository,
    private readonly priors: PriorService,
    private readonly metrics: ScorerMetrics,
  ) {
    this.exploration = {
      alpha: env.SCORER_ALPHA,
      epsilon: env.SCORER_EPSILON,
      alphaWithPrior: env.SCORER_ALPHA_WITH_PRIOR,
      epsilonWithPrior: env.SCORER_EPSILON_WITH_PRIOR,
    };
  }

  /**
   * Chooses one candidate (ARCHITECTURE.md §6). Synchronous when every model it needs is in
   * memory — a user is scored again and again between reactions — so the RPC route answers in
   * the request's own turn; otherwise after one Redis read. Throws `invalid_request` failures.
   */
  score(request: ScoreRequest): ScoreResponse | Promise<ScoreResponse> {
    const policy = orFail(resolvePolicy(request.policy));
    const candidates = checkCandidates(policy, request.candidates, 'candidates');
    const shadows = checkShadows(policy, candidates, request.shadows);
    const scored: ShadowCandidates[] = [{ policy, candidates }, ...shadows];
    const names = scored.map((model) => model.policy.name);
    const states = this.models.loadMany(request.userId, names);
    return states instanceof Promise
      ? states.then((loaded) => this.decide(request, scored, loaded))
      : this.decide(request, scored, states);
  }

  /** Scores every model's candidates with its state; the first model chooses. */
  private decide(
    request: ScoreRequest,
    scored: readonly ShadowCandidates[],
    states: ReadonlyArray<ModelState | undefined>,
  ): ScoreResponse {
    const [live, ...shadowScores] = scored.map(({ policy, candidates }, k) => {
      const state = states[k] ?? this.posteriors.emptyState(policy.featureSet.columns.length);
      const populationPrior = this.priors.current(policy.name);
      const { alpha, epsilon } = explorationFor(this.exploration, populationPrior);
      const posterior = this.posteriors.solve(
        state,
        policyRegistry.startingPrior(policy, populationPrior),
      );
      return {
        policy: policy.name,
        epsilon,
        scores: scoreCandidates(posterior, candidates, alpha),
        n: state.n,
        theta: posterior.theta,
      };
    });
    const { policy, epsilon, scores, n, theta } = live!;
    const random = request.seed === undefined ? Math.random : seededRandom(request.seed);
    const choice = chooseCandidate(scores, epsilon, random);
    this.metrics.decisions.inc({ policy, choice: choice.explored ? 'explore' : 'exploit' });
    return {
      chosen: scores[choice.index]!.id,
      propensity: choice.propensity,
      explored: choice.explored,
      // With the scores, the caller can state any policy's propensity for this decision.
      epsilon,
      policy,
      scores,
      n,
      // The chooser's θ lets the caller say which terms pushed its choice up; shadows are
      // never shown, so they need no explaining.
      theta,
      ...(request.shadows ? { shadows: shadowScores.map(asShadow) } : {}),
    };
  }

  async stats(request: StatsRequest): Promise<StatsResponse> {
    const policy = orFail(resolvePolicy(request.policy));
    const state =
      (await this.models.load(request.userId, policy.name)) ??
      ModelState.empty(policy.featureSet.columns.length);
    const prior = this.priors.current(policy.name);
    return {
      n: state.n,
      rewardSum: state.rewardSum,
      A: state.A(),
      b: state.b(),
      theta: solvePosterior(state, policyRegistry.startingPrior(policy, prior)).theta,
      ...(prior ? { prior: { users: prior.users, computedAt: prior.computedAt } } : {}),
    };
  }

  async reset(request: ResetRequest): Promise<ResetResponse> {
    const policies =
      request.policy === undefined
        ? policyRegistry.names()
        : [orFail(resolvePolicy(request.policy)).name];
    await this.models.reset(request.userId, policies);
    return { ok: true };
  }
}
