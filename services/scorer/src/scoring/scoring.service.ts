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
  ModelState,
  policyRegistry,
  scoreCandidates,
  seededRandom,
  solvePosterior,
  type Candidate,
  type Policy,
} from '@oo/learning';
import { rpcFailure } from '@oo/messaging';
import { SCORER_ENV, type ScorerEnv } from '../config/env.js';
import { ScorerMetrics } from '../metrics/scorer.metrics.js';
import { checkFeatures, resolvePolicy, type Checked } from '../policies/policy-checks.js';
import { PriorService } from '../prior/prior.service.js';
import { ModelRepository } from '../store/model.repository.js';

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
    if (seen.has(candidate.id)) {
      throw rpcFailure(
        'invalid_request',
        `${field}[${k}].id '${candidate.id}' appears twice`,
        `${field}[${k}].id`,
      );
    }
    seen.add(candidate.id);
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
  const liveIds = new Set(live.map(({ id }) => id));
  const named = new Set([chooser.name]);
  return (requested ?? []).map((shadow, k) => {
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

function withoutTheta<T extends { theta: number[] }>({ theta: _, ...rest }: T): Omit<T, 'theta'> {
  return rest;
}

/** Scoring, explaining and resetting one user's model (ARCHITECTURE.md §6). */
@Injectable()
export class ScoringService {
  constructor(
    @Inject(SCORER_ENV) private readonly env: ScorerEnv,
    private readonly models: ModelRepository,
    private readonly priors: PriorService,
    private readonly metrics: ScorerMetrics,
  ) {}

  async score(request: ScoreRequest): Promise<ScoreResponse> {
    const policy = orFail(resolvePolicy(request.policy));
    const candidates = checkCandidates(policy, request.candidates, 'candidates');
    const shadows = checkShadows(policy, candidates, request.shadows);

    const policies = [policy, ...shadows.map((shadow) => shadow.policy)];
    const states = await this.models.loadMany(
      request.userId,
      policies.map(({ name }) => name),
    );
    const [live, ...shadowScores] = policies.map((scored, k) => {
      const state = states[k] ?? ModelState.empty(scored.featureSet.columns.length);
      const posterior = solvePosterior(state, this.priors.current(scored.name));
      const scoring = k === 0 ? candidates : shadows[k - 1]!.candidates;
      return {
        policy: scored.name,
        scores: scoreCandidates(posterior, scoring, this.env.SCORER_ALPHA),
        n: state.n,
        theta: posterior.theta,
      };
    });
    const { scores, n, theta } = live!;
    const random = request.seed === undefined ? Math.random : seededRandom(request.seed);
    const choice = chooseCandidate(scores, this.env.SCORER_EPSILON, random);
    this.metrics.decisions.inc({
      policy: policy.name,
      choice: choice.explored ? 'explore' : 'exploit',
    });
    return {
      chosen: scores[choice.index]!.id,
      propensity: choice.propensity,
      explored: choice.explored,
      // With the scores, the caller can state any policy's propensity for this decision.
      epsilon: this.env.SCORER_EPSILON,
      policy: policy.name,
      scores,
      n,
      // The chooser's θ lets the caller say which terms pushed its choice up; shadows are
      // never shown, so they need no explaining.
      theta,
      ...(request.shadows ? { shadows: shadowScores.map(withoutTheta) } : {}),
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
      theta: solvePosterior(state, prior).theta,
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
