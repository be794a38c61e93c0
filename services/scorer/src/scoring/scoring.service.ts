import { Inject, Injectable } from '@nestjs/common';
import type {
  ResetRequest,
  ResetResponse,
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
    const seen = new Set<string>();
    const candidates: Candidate[] = request.candidates.map((candidate, k) => {
      if (seen.has(candidate.id)) {
        throw rpcFailure(
          'invalid_request',
          `candidates[${k}].id '${candidate.id}' appears twice`,
          `candidates[${k}].id`,
        );
      }
      seen.add(candidate.id);
      const features = orFail(
        checkFeatures(policy, candidate.features, `candidates[${k}].features`),
      );
      return { id: candidate.id, features };
    });

    const state =
      (await this.models.load(request.userId, policy.name)) ??
      ModelState.empty(policy.featureSet.columns.length);
    const posterior = solvePosterior(state, this.priors.current(policy.name));
    const scores = scoreCandidates(posterior, candidates, this.env.SCORER_ALPHA);
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
      policy: policy.name,
      scores,
      n: state.n,
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
