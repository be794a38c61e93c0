import {
  Inject,
  Injectable,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import { RPC, type ScoreRequest, type ScoreResponse } from '@oo/contracts';
import {
  NATS_CONNECTION,
  RpcRoute,
  SerializedReply,
  Topology,
  type NatsConnection,
  type RpcRouteOutcome,
} from '@oo/messaging';
import { ScorerMetrics } from '../metrics/scorer.metrics.js';
import { resolvePolicy } from '../policies/policy-checks.js';
import { writeScoreResponse } from './score-response.writer.js';
import { ScoringService } from './scoring.service.js';

/** The scorer's queue group: the service name, the group `RpcServer` serves its other RPCs in. */
const QUEUE_GROUP = 'scorer';

/**
 * `rpc.scorer.score` on an `RpcRoute` of its own instead of a `@MessagePattern`: the same
 * request/reply bytes as before (Nest's wire format, schemas/rpc), without Nest's per-request
 * pipeline, which cost as much as the scoring. The edge is thin like a controller's: the request
 * is checked against its schema by the route, scored by `ScoringService`, and its 5 KB reply
 * written for its shape. Timed and counted as the other RPCs are (`RpcOutcomeInterceptor`).
 */
@Injectable()
export class ScoreRoute implements OnApplicationBootstrap, OnModuleDestroy {
  private route: RpcRoute<typeof RPC.scorer.score> | undefined;

  constructor(
    @Inject(NATS_CONNECTION) private readonly nc: NatsConnection,
    private readonly topology: Topology,
    private readonly scoring: ScoringService,
    private readonly metrics: ScorerMetrics,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    this.route = await RpcRoute.serve({
      nc: this.nc,
      topology: this.topology,
      service: QUEUE_GROUP,
      subject: RPC.scorer.score,
      handle: (request) => this.answer(request),
      onAnswered: (outcome) => this.count(outcome),
    });
  }

  /** Runs after the RPC and event servers closed (service stop): answers what is in flight. */
  async onModuleDestroy(): Promise<void> {
    await this.route?.close();
  }

  private answer(
    request: ScoreRequest,
  ): SerializedReply<ScoreResponse> | Promise<SerializedReply<ScoreResponse>> {
    const decision = this.scoring.score(request);
    return decision instanceof Promise ? decision.then(serialized) : serialized(decision);
  }

  private count({ data, seconds, errorCode }: RpcRouteOutcome): void {
    if (errorCode !== undefined) {
      this.metrics.rpcErrors.inc({ operation: 'score', code: errorCode });
      return;
    }
    // Answered, so the request named a known model or none (the live one): resolvePolicy's rule.
    const resolved = resolvePolicy((data as ScoreRequest).policy);
    const policy = resolved.ok ? resolved.value.name : 'unknown';
    this.metrics.scoreSeconds.observe({ policy }, seconds);
  }
}

function serialized(response: ScoreResponse): SerializedReply<ScoreResponse> {
  return SerializedReply.fromJson(writeScoreResponse(response));
}
