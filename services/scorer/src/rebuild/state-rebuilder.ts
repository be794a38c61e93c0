import { DeliverPolicy, type JetStreamClient, type JetStreamManager } from '@nats-io/jetstream';
import { signalPattern, signalSubject, validateEnvelope, type Envelope } from '@oo/contracts';
import { ModelState } from '@oo/learning';
import { InvalidEventError, type Topology } from '@oo/messaging';
import type { Logger } from 'pino';
import { observationsOf } from '../learning/observations.js';
import type { ModelRepository } from '../store/model.repository.js';
import { ScorerKeys } from '../store/scorer-keys.js';

export interface RebuildOptions {
  /** Only these users; all users when empty. */
  users?: readonly string[];
  /** Swap the rebuilt models in for the live ones after comparing. */
  swap?: boolean;
}

export type ComparisonStatus = 'equal' | 'differs' | 'only-live' | 'only-rebuilt';

export interface ModelComparison {
  userId: string;
  policy: string;
  status: ComparisonStatus;
  /** Largest difference of n, A or b, relative to the live model's largest entry. */
  relativeDifference: number;
}

export interface RebuildReport {
  events: number;
  learned: number;
  duplicates: number;
  invalid: number;
  erasedUsers: number;
  users: number;
  models: number;
  compared: Record<ComparisonStatus, number>;
  maxRelativeDifference: number;
  /** The first differing models, for a look. */
  differences: ModelComparison[];
  swapped: number;
  /** Where the time went: reading and learning, writing the rebuilt models, comparing. */
  phasesMs: { replay: number; write: number; compare: number; swap: number };
  durationMs: number;
  eventsPerSecond: number;
}

/** What a replay learned for one user. */
interface UserReplay {
  models: Map<string, ModelState>;
  /** Event id → when the stream stored it (ms). */
  applied: Map<string, number>;
}

interface ReplayCounters {
  events: number;
  learned: number;
  duplicates: number;
  invalid: number;
}

const FETCH_BATCH = 5_000;
const MAX_CATCH_UPS = 5;
const REDIS_CONCURRENCY = 64;

/**
 * Rebuilds scorer state from SIGNALS (JetStream is the source of truth): replays
 * `signals.tip.feedback.*` with the same learning code as the live consumer into the
 * `oo:scorer-rebuild` key space, compares with live, and can swap it in user by user.
 */
export class StateRebuilder {
  private readonly rebuilt = new ScorerKeys('oo:scorer-rebuild');
  private readonly live = new ScorerKeys('oo:scorer');

  constructor(
    private readonly js: JetStreamClient,
    private readonly jsm: JetStreamManager,
    private readonly topology: Topology,
    private readonly models: ModelRepository,
    private readonly logger: Logger,
  ) {}

  async run(options: RebuildOptions = {}): Promise<RebuildReport> {
    const started = performance.now();
    const counters: ReplayCounters = { events: 0, learned: 0, duplicates: 0, invalid: 0 };
    const replays = new Map<string, UserReplay>();
    const filters = options.users?.length
      ? options.users.map((userId) => signalSubject('tip.feedback', userId))
      : [signalPattern('tip.feedback')];
    const positions = new Map<string, number>();
    const clock = phaseClock();
    for (const filter of filters) {
      positions.set(filter, await this.replay(filter, 1, replays, counters));
    }
    const replay = clock();

    let erasedUsers = 0;
    await inChunks([...replays], async ([userId, userReplay]) => {
      if (await this.models.isErased(userId)) {
        replays.delete(userId);
        erasedUsers += 1;
        return;
      }
      await this.write(userId, userReplay);
    });
    const write = clock();

    const comparisons = await this.compare(replays, options.users);
    const compare = clock();
    let swapped = 0;
    if (options.swap) swapped = await this.swapAll(replays, filters, positions, counters);
    const swap = clock();

    const durationMs = performance.now() - started;
    const compared: Record<ComparisonStatus, number> = {
      equal: 0,
      differs: 0,
      'only-live': 0,
      'only-rebuilt': 0,
    };
    for (const comparison of comparisons) compared[comparison.status] += 1;
    return {
      ...counters,
      erasedUsers,
      users: replays.size,
      models: [...replays.values()].reduce((sum, replay) => sum + replay.models.size, 0),
      compared,
      maxRelativeDifference: Math.max(0, ...comparisons.map((c) => c.relativeDifference)),
      differences: comparisons.filter((c) => c.status !== 'equal').slice(0, 20),
      swapped,
      phasesMs: { replay, write, compare, swap },
      durationMs: Math.round(durationMs),
      eventsPerSecond: Math.round((counters.events * 1000) / Math.max(durationMs, 1)),
    };
  }

  /** Reads the stream from `fromSeq` to its current end; returns the next sequence to read. */
  private async replay(
    filter: string,
    fromSeq: number,
    replays: Map<string, UserReplay>,
    counters: ReplayCounters,
  ): Promise<number> {
    const consumer = await this.js.consumers.get(this.topology.signalsStream, {
      filter_subjects: this.topology.wire(filter),
      deliver_policy: DeliverPolicy.StartSequence,
      opt_start_seq: fromSeq,
    });
    let next = fromSeq;
    // Ask for exactly what is pending, so no fetch waits out its expiry at the end of the stream.
    let wanted = 1;
    for (;;) {
      let pending = 0;
      let received = 0;
      const batch = await consumer.fetch({ max_messages: wanted, expires: 1000 });
      for await (const message of batch) {
        received += 1;
        next = message.seq + 1;
        pending = message.info.pending;
        this.learn(
          message.subject,
          message.string(),
          message.info.timestampNanos,
          replays,
          counters,
        );
      }
      if (received === 0 || pending === 0) break;
      wanted = Math.min(pending, FETCH_BATCH);
    }
    await consumer.delete().catch(() => undefined);
    return next;
  }

  private learn(
    wireSubject: string,
    body: string,
    storedAtNanos: number,
    replays: Map<string, UserReplay>,
    counters: ReplayCounters,
  ): void {
    counters.events += 1;
    let event: Envelope<'tip.feedback'>;
    try {
      const checked = validateEnvelope(JSON.parse(body), this.topology.contract(wireSubject));
      if (!checked.ok)
        throw new InvalidEventError(`${checked.error.field} ${checked.error.message}`);
      event = checked.value as Envelope<'tip.feedback'>;
      let replay = replays.get(event.userId);
      if (!replay) {
        replay = { models: new Map(), applied: new Map() };
        replays.set(event.userId, replay);
      }
      if (replay.applied.has(event.id)) {
        counters.duplicates += 1;
        return;
      }
      const { observations } = observationsOf(event);
      for (const { policy, reward, features } of observations) {
        let state = replay.models.get(policy);
        if (!state) {
          state = ModelState.empty(features.length);
          replay.models.set(policy, state);
        }
        state.apply(reward, features);
      }
      replay.applied.set(event.id, Math.floor(storedAtNanos / 1e6));
      counters.learned += 1;
    } catch (error) {
      // The live consumer dead-lettered these; the rebuild skips them the same way.
      if (!(error instanceof InvalidEventError) && !(error instanceof SyntaxError)) throw error;
      counters.invalid += 1;
    }
  }

  private async write(userId: string, replay: UserReplay): Promise<void> {
    await this.models.writeModels(this.rebuilt, userId, replay.models, [...replay.applied]);
  }

  private async compare(
    replays: Map<string, UserReplay>,
    onlyUsers: readonly string[] | undefined,
  ): Promise<ModelComparison[]> {
    const users = new Set(replays.keys());
    if (onlyUsers?.length) for (const userId of onlyUsers) users.add(userId);
    else for await (const userId of this.models.scanUsers(this.live)) users.add(userId);

    const comparisons: ModelComparison[] = [];
    await inChunks([...users], async (userId) => {
      const rebuilt = replays.get(userId)?.models ?? new Map<string, ModelState>();
      const policies = new Set([...rebuilt.keys(), ...(await this.models.policiesOf(userId))]);
      for (const policy of policies) {
        const live = await this.models.load(userId, policy);
        comparisons.push({ userId, policy, ...compareModels(live, rebuilt.get(policy)) });
      }
    });
    return comparisons;
  }

  /** Swaps user by user; a user whose live state moved on is caught up and tried again. */
  private async swapAll(
    replays: Map<string, UserReplay>,
    filters: readonly string[],
    positions: Map<string, number>,
    counters: ReplayCounters,
  ): Promise<number> {
    let swapped = 0;
    let pending = [...replays.keys()];
    for (let round = 0; pending.length && round <= MAX_CATCH_UPS; round += 1) {
      const behind: string[] = [];
      for (const userId of pending) {
        const replay = replays.get(userId)!;
        const policies = [
          ...new Set([...replay.models.keys(), ...(await this.models.policiesOf(userId))]),
        ];
        const outcome = await this.models.swap(this.rebuilt, userId, policies);
        if (outcome === 'swapped') swapped += 1;
        if (outcome === 'behind') behind.push(userId);
      }
      if (behind.length === 0) break;
      this.logger.info(
        { users: behind.length },
        'live state moved on during the rebuild; catching up',
      );
      for (const filter of filters) {
        positions.set(filter, await this.replay(filter, positions.get(filter)!, replays, counters));
      }
      for (const userId of behind) await this.write(userId, replays.get(userId)!);
      pending = behind;
    }
    if (pending.length && swapped < replays.size) {
      this.logger.warn({ users: pending.length }, 'some users could not be swapped; run again');
    }
    return swapped;
  }
}

/** Runs `work` over `items`, a bounded number at a time: Redis round trips overlap. */
async function inChunks<T>(items: readonly T[], work: (item: T) => Promise<void>): Promise<void> {
  for (let i = 0; i < items.length; i += REDIS_CONCURRENCY) {
    await Promise.all(items.slice(i, i + REDIS_CONCURRENCY).map(work));
  }
}

/** Each call returns the milliseconds since the previous one. */
function phaseClock(): () => number {
  let last = performance.now();
  return () => {
    const now = performance.now();
    const elapsed = Math.round(now - last);
    last = now;
    return elapsed;
  };
}

function compareModels(
  live: ModelState | undefined,
  rebuilt: ModelState | undefined,
): { status: ComparisonStatus; relativeDifference: number } {
  if (!live) return { status: 'only-rebuilt', relativeDifference: Number.POSITIVE_INFINITY };
  if (!rebuilt) return { status: 'only-live', relativeDifference: Number.POSITIVE_INFINITY };
  if (live.equals(rebuilt)) return { status: 'equal', relativeDifference: 0 };
  const a = [...live.A().flat(), ...live.b(), live.n];
  const b = [...rebuilt.A().flat(), ...rebuilt.b(), rebuilt.n];
  const scale = Math.max(...a.map(Math.abs), Number.MIN_VALUE);
  const difference = Math.max(...a.map((value, i) => Math.abs(value - b[i]!)));
  return { status: 'differs', relativeDifference: difference / scale };
}
