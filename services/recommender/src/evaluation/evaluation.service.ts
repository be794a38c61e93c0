import { Inject, Injectable } from '@nestjs/common';
import { RANDOM_POLICY } from '@oo/learning';
import { RECOMMENDER_ENV, type RecommenderEnv } from '../config/env.js';
import { DecisionLogRepository, type DecisionFilter } from './decision-log.repository.js';
import { evaluatePolicies, type PolicyEvaluation } from './policy-evaluation.js';

/**
 * Off-policy evaluation of the tip log: what each policy's mean reward would have been had it
 * decided, from the decisions the live policy (and the random fallback) actually made.
 * Model policies explore with the ε each decision logged (the scorer's reply); decisions
 * logged before it was, with `SCORER_EPSILON`.
 */
@Injectable()
export class EvaluationService {
  constructor(
    private readonly log: DecisionLogRepository,
    @Inject(RECOMMENDER_ENV) private readonly env: Pick<RecommenderEnv, 'SCORER_EPSILON'>,
  ) {}

  /** The named policies in one pass over the matching decisions; callers check the names. */
  evaluate(policies: readonly string[], filter: DecisionFilter = {}): Promise<PolicyEvaluation[]> {
    const scored = policies.filter((policy) => policy !== RANDOM_POLICY);
    return evaluatePolicies(this.log.decisions(filter, scored), policies, this.env.SCORER_EPSILON);
  }
}
