import { randomInt } from 'node:crypto';
import { Inject, Injectable, Logger, type BeforeApplicationShutdown } from '@nestjs/common';
import { v7 as uuidv7 } from 'uuid';
import {
  RPC,
  type CandidateScore,
  type RecommendRequest,
  type RecommendResponse,
  type SyncedTask,
} from '@oo/contracts';
import { policyRegistry, taskFeatures } from '@oo/learning';
import {
  EventPublisher,
  RpcCallError,
  RpcClient,
  rpcFailure,
  publishOutboxEntry,
} from '@oo/messaging';
import { RECOMMENDER_ENV, type RecommenderEnv } from '../config/env.js';
import { RecommenderMetrics } from '../metrics/recommender.metrics.js';
import { DecisionStateReader } from '../tips/decision-state.reader.js';
import {
  TipRepository,
  type NewTip,
  type StoredTip,
  type TipScoreEntry,
} from '../tips/tip.repository.js';
import { selectCandidates } from './candidates.js';
import { explain } from './explanation.js';
import { OpenTaskChecks } from './open-task-checks.js';
import { PolicyDecider, type FeaturedCandidate, type PolicyDecision } from './policy-decider.js';
import { servedEventData } from './served-event.js';
import { tipView } from './tip-view.js';
import { UserClock } from './user-clock.js';

const SERVICE = 'recommender';
const PROVIDER = 'todoist';
/** integrations answers from its cache; a much slower answer means it is in trouble. */
const TASKS_TIMEOUT_MS = 2_000;
const SEED_RANGE = 2 ** 32;
/** `tip.served` publishes awaiting JetStream's ack at most, per instance. */
const MAX_PUBLISHING = 1_000;
/** How many unpublished `tip.served` one relay pass takes on. */
const RELAY_BATCH = 200;

type Outcome = 'new' | 'open' | 'none';

/**
 * `rpc.recommender.recommend`: the user's open tip while its task is still open, else a new
 * decision — candidates from integrations minus held tasks, features on the user's clock,
 * the live policy (with its shadows scored alongside) or, when the scorer does not answer in
 * time, the random policy. Every new decision is logged and published as `tip.served`.
 */
@Injectable()
export class RecommendService implements BeforeApplicationShutdown {
  private readonly logger = new Logger(RecommendService.name);
  private readonly inFlight = new Map<string, Promise<RecommendResponse>>();
  /** `tip.served` publishes the decisions answered before JetStream acked them. */
  private readonly publishing = new Set<Promise<unknown>>();
  private readonly openTaskChecks: OpenTaskChecks;

  constructor(
    @Inject(RECOMMENDER_ENV) private readonly env: RecommenderEnv,
    private readonly rpc: RpcClient,
    private readonly publisher: EventPublisher,
    private readonly tips: TipRepository,
    private readonly state: DecisionStateReader,
    private readonly clock: UserClock,
    private readonly decider: PolicyDecider,
    private readonly metrics: RecommenderMetrics,
  ) {
    this.openTaskChecks = new OpenTaskChecks(env.RECOMMENDER_OPEN_TASK_RECHECK_SECONDS * 1000);
  }

  /**
   * Concurrent requests for the same user and channel on this instance share one decision
   * (a double click, a retrying client): one scorer call and one insert instead of many that
   * the database would refuse anyway. Across instances the database decides (`createTip`).
   */
  async recommend(request: RecommendRequest): Promise<RecommendResponse> {
    const started = performance.now();
    // A push is a decision of its own with its own exclusions: never shared.
    if (request.channel === 'push') {
      return { ...(await this.decideOrServe(request)), latencyMs: performance.now() - started };
    }
    const key = `${request.userId}\n${request.channel}\n${request.now ?? ''}`;
    let flight = this.inFlight.get(key);
    if (!flight) {
      flight = this.decideOrServe(request).finally(() => this.inFlight.delete(key));
      this.inFlight.set(key, flight);
    }
    return { ...(await flight), latencyMs: performance.now() - started };
  }

  private async decideOrServe(request: RecommendRequest): Promise<RecommendResponse> {
    const started = performance.now();
    const now = request.now ? new Date(request.now) : new Date();
    const { userId, channel } = request;
    const state = await this.state.read(userId, 'web', PROVIDER, now);
    const { held } = state;
    // A push is its own moment: always a fresh decision, never the open tip served again, and
    // never the task the web's open tip shows (two open tips for one task).
    const open = channel === 'push' ? undefined : state.open;
    if (channel === 'push' && state.open) held.add(state.open.taskId);
    const answer = (tip: StoredTip | null, outcome: Outcome): RecommendResponse => {
      const latencyMs = performance.now() - started;
      this.metrics.decisionSeconds.observe({ outcome }, latencyMs / 1000);
      return {
        tip: tip ? tipView(tip) : null,
        policy: tip?.policy ?? policyRegistry.live().name,
        latencyMs,
      };
    };

    if (open) {
      // A task that leaves the open set ends its tip by event (src/task-set); integrations is
      // asked only when this instance has not seen the task open for a while.
      if (this.openTaskChecks.isFresh(open.id)) return answer(open, 'open');
      // Asking for the one task keeps the check cheap: integrations answers ~300 bytes
      // instead of the whole set (12 KB for 50 tasks), and nothing here parses the rest.
      if ((await this.openTasks(userId, [open.taskId])).length > 0) {
        this.openTaskChecks.seenOpen(open.id);
        return answer(open, 'open');
      }
      // Completed or deleted in the task app, and no event said so yet.
      if (await this.tips.endTip(open.id, 'task_gone', now)) {
        this.metrics.tipsEndedTaskGone.inc({ via: 'check' });
      }
    }
    // Only a decision needs the zone: asked alongside the tasks, so a re-serve never costs a
    // profile call. It never rejects (UTC instead).
    const timeZone = this.clock.timeZoneOf(userId);
    const tasks = await this.openTasks(userId);
    for (const taskId of request.excludeTaskIds ?? []) held.add(taskId);
    const candidates = selectCandidates(tasks, held);
    if (candidates.length === 0) return answer(null, 'none');

    const featured = this.features(candidates, { now, timeZone: await timeZone });
    const seed = randomInt(SEED_RANGE);
    const decision = await this.decider.decide(userId, featured, seed);
    const chosen = candidates[decision.index]!;
    const live = policyRegistry.live();
    const why = explain({
      columns: live.featureSet.columns,
      theta: decision.theta,
      candidates: featured.map((candidate) => candidate.live),
      chosen: decision.index,
      task: chosen,
      explored: decision.explored,
      random: decision.fallback !== undefined,
      now,
    });
    const shadowFeatures = featured[decision.index]!.shadows;
    const scores = scoreRows(featured, decision);
    const decided: NewTip = {
      userId,
      channel,
      taskId: chosen.taskId,
      provider: PROVIDER,
      title: chosen.title,
      priority: chosen.priority,
      due: chosen.due,
      url: chosen.url ?? null,
      policy: decision.policy,
      propensity: decision.propensity,
      features: featured[decision.index]!.live,
      shadow: Object.keys(shadowFeatures).length ? shadowFeatures : null,
      seed: BigInt(seed),
      candidateCount: candidates.length,
      latencyMs: performance.now() - started,
      servedAt: now,
      why,
      explored: decision.explored,
      epsilon: decision.epsilon ?? null,
      scores,
    };
    // Served only once a device accepted it (`confirmPush`); until then it is not a tip.
    if (channel === 'push') return answer(await this.tips.savePushDecision(decided), 'new');
    const servedEventId = uuidv7();
    const { created, tip } = await this.tips.createTip({ ...decided, servedEventId });
    // Another request or instance decided first: its tip is the one, and it published it.
    if (!created) return answer(tip, 'open');
    this.metrics.tipsServed.inc({ policy: tip.policy, channel });
    this.openTaskChecks.seenOpen(tip.id);
    // The row is the outbox: the user need not wait for JetStream's ack, and a publish that
    // does not complete is the relay's to retry under the same id.
    this.inBackground(() => this.publishServed(tip, servedEventId, scores));
    return answer(tip, 'new');
  }

  /**
   * A clean stop publishes what this instance answered but has not published yet (the RPC
   * server has stopped taking requests by now; NATS and Postgres are still open), so it leaves
   * no work to another instance's relay.
   */
  async beforeApplicationShutdown(): Promise<void> {
    while (this.publishing.size > 0) await Promise.all([...this.publishing]);
  }

  private inBackground(work: () => Promise<unknown>): void {
    // JetStream slow or away: past this many publishes waiting for their acks, new ones are
    // left to the relay (the rows are the outbox) instead of piling up timers and requests.
    if (this.publishing.size >= MAX_PUBLISHING) {
      this.metrics.servedPublishDeferred.inc();
      return;
    }
    const tracked = work().catch((error: unknown) => {
      this.logger.warn(`tip.served publish failed: ${(error as Error).message}`);
    });
    this.publishing.add(tracked);
    void tracked.finally(() => this.publishing.delete(tracked));
  }

  /**
   * A device accepted the push of decision `tipId` (`signals.push.sent`, status `sent`): it is
   * now the user's tip, served at `sentAt`, and `tip.served` goes out on channel push. A second
   * confirmation (another device, a redelivery) and one of a discarded decision change nothing.
   */
  async confirmPush(userId: string, tipId: string, sentAt: Date): Promise<boolean> {
    const servedEventId = uuidv7();
    const tip = await this.tips.confirmPushDecision(userId, tipId, sentAt, servedEventId);
    if (!tip) return false;
    this.metrics.tipsServed.inc({ policy: tip.policy, channel: tip.channel });
    // The tip row is the outbox, as for the web: a publish that fails is the relay's.
    await this.publishServed(tip, servedEventId, await this.tips.scoresOf(tip.id));
    return true;
  }

  async tipOf(userId: string, tipId: string): Promise<StoredTip> {
    const tip = await this.tips.tipOf(userId, tipId);
    if (!tip) throw rpcFailure('not_found', `No tip ${tipId} of this user`, 'tipId');
    return tip;
  }

  /**
   * The user's open tasks at the task app (none when not connected), or only those of
   * `taskIds` that are still open.
   */
  private async openTasks(userId: string, taskIds?: string[]): Promise<SyncedTask[]> {
    try {
      const request = taskIds ? { userId, taskIds } : { userId };
      const { tasks } = await this.rpc.call(RPC.integrations.tasks, request, TASKS_TIMEOUT_MS);
      return tasks;
    } catch (error) {
      if (!(error instanceof RpcCallError)) throw error;
      // An integrations instance older than `taskIds` refuses the field (its schema allows no
      // other): during a rolling deploy the whole set still answers the question.
      if (taskIds && error.code === 'invalid_request' && error.field === 'taskIds') {
        const tasks = await this.openTasks(userId);
        const wanted = new Set(taskIds);
        return tasks.filter((task) => wanted.has(task.taskId));
      }
      throw rpcFailure('unavailable', `integrations did not give the tasks: ${error.code}`);
    }
  }

  /** Every candidate's vector for the live policy and each shadow, from the same base features. */
  private features(
    candidates: readonly SyncedTask[],
    moment: { now: Date; timeZone: string },
  ): FeaturedCandidate[] {
    const live = policyRegistry.live();
    const shadows = policyRegistry.shadows();
    return candidates.map((task) => {
      const base = taskFeatures(task, moment);
      return {
        taskId: task.taskId,
        live: live.featureSet.vector(base),
        shadows: Object.fromEntries(
          shadows.map((shadow) => [shadow.name, shadow.featureSet.vector(base)]),
        ),
      };
    });
  }

  /**
   * Publishes the `tip.served` of tips whose publish never completed (a crash between the
   * insert and the publish, JetStream away), served before `before`; answers how many it
   * published. Safe on several instances at once: the same event id is one event.
   */
  async publishPendingServed(before: Date): Promise<number> {
    let published = 0;
    for (const { tip, eventId } of await this.tips.servedUnpublished(before, RELAY_BATCH)) {
      if (await this.publishServed(tip, eventId, await this.tips.scoresOf(tip.id))) published += 1;
    }
    return published;
  }

  /**
   * Publishes one logged decision's `tip.served` and marks it; false (logged) when it was not
   * published. One that breaks the event's contract is dead-lettered and marked so that no
   * relay retries it.
   */
  private publishServed(
    tip: StoredTip,
    eventId: string,
    scores: readonly TipScoreEntry[],
  ): Promise<boolean> {
    return publishOutboxEntry(this.publisher, SERVICE, this.logger, {
      type: 'tip.served',
      userId: tip.userId,
      data: servedEventData(tip, scores, tip.epsilon ?? this.env.SCORER_EPSILON),
      id: eventId,
      occurredAt: tip.servedAt,
      label: `tip.served ${eventId} for tip ${tip.id}`,
      markPublished: () => this.tips.markServedPublished(tip.id),
      markUnpublishable: (reason) => this.tips.markServedUnpublishable(tip.id, reason),
    });
  }
}

/** Every candidate's logged scores: the live policy's and each shadow's, with their features. */
function scoreRows(
  featured: readonly FeaturedCandidate[],
  decision: PolicyDecision,
): TipScoreEntry[] {
  const byId = new Map(featured.map((candidate) => [candidate.taskId, candidate]));
  const rows = (policy: string, scores: readonly CandidateScore[], live: boolean) =>
    scores.map(({ id, mean, bonus, ucb }) => {
      const candidate = byId.get(id)!;
      const features = live ? candidate.live : candidate.shadows[policy]!;
      return { policy, taskId: id, features, mean, bonus, ucb };
    });
  return [
    ...(decision.live ? rows(decision.live.policy, decision.live.scores, true) : []),
    ...decision.shadows.flatMap(({ policy, scores }) => rows(policy, scores, false)),
  ];
}
