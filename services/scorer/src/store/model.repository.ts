import { readFileSync } from 'node:fs';
import { Inject, Injectable, Optional } from '@nestjs/common';
import { ModelState } from '@oo/learning';
import { Redis } from 'ioredis';
import { ERASED_KEY, erasedMember, ScorerKeys } from './scorer-keys.js';
import { decodeModel, TrackedModelReads } from './tracked-model-reads.js';

/** One model an event teaches: the policy, and the (grid) reward and features for it. */
export interface Observation {
  policy: string;
  reward: number;
  features: readonly number[];
}

export type ApplyOutcome = 'applied' | 'duplicate' | 'erased';
export type SwapOutcome = 'swapped' | 'erased' | 'behind';

const DAY_MS = 86_400_000;
/** How long an applied event id is remembered: far longer than any JetStream redelivery. */
export const APPLIED_RETENTION_MS = 30 * DAY_MS;
/** How long an erased user stays refused: longer than any event can stay in flight. */
export const ERASED_RETENTION_MS = 30 * DAY_MS;

const lua = (name: string): string =>
  readFileSync(new URL(`./lua/${name}.lua`, import.meta.url), 'utf8');

interface ScorerCommands {
  applyFeedback(numKeys: number, ...args: Array<string | Buffer | number>): Promise<string>;
  eraseUser(numKeys: number, ...args: Array<string | number>): Promise<string[]>;
  swapRebuilt(numKeys: number, ...args: string[]): Promise<SwapOutcome>;
}

function packObservation({ reward, features }: Observation): Buffer {
  const bytes = Buffer.allocUnsafe(1 + 8 * (features.length + 1));
  bytes[0] = features.length;
  bytes.writeDoubleLE(reward, 1);
  features.forEach((value, i) => bytes.writeDoubleLE(value, 9 + 8 * i));
  return bytes;
}

/** Redis access of the scorer, nothing else: models, applied ids, erasures (Lua for atomicity). */
@Injectable()
export class ModelRepository {
  private readonly commands: ScorerCommands;
  private readonly live = new ScorerKeys('oo:scorer');

  /**
   * `cachedReads`: where scoring's reads go (the service has it; the rebuild CLI and tests that
   * build a repository by hand read Redis directly).
   */
  constructor(
    @Inject(Redis) private readonly redis: Redis,
    @Optional() private readonly cachedReads?: TrackedModelReads,
  ) {
    redis.defineCommand('applyFeedback', { lua: lua('apply-feedback') });
    redis.defineCommand('eraseUser', { lua: lua('erase-user') });
    redis.defineCommand('swapRebuilt', { lua: lua('swap-rebuilt') });
    this.commands = redis as unknown as ScorerCommands;
  }

  async load(
    userId: string,
    policy: string,
    keys: ScorerKeys = this.live,
  ): Promise<ModelState | undefined> {
    return decodeModel(await this.redis.getBuffer(keys.model(userId, policy)));
  }

  /**
   * Several of the user's models for scoring, in order: from memory while Redis reports them
   * unchanged (then at once, without a promise), else in one round trip (same hash tag: one
   * slot). The states are shared with later reads: never change one.
   */
  loadMany(
    userId: string,
    policies: readonly string[],
  ): Array<ModelState | undefined> | Promise<Array<ModelState | undefined>> {
    const keys = policies.map((policy) => this.live.model(userId, policy));
    if (this.cachedReads) return this.cachedReads.read(keys);
    return this.redis.mgetBuffer(...keys).then((values) => values.map(decodeModel));
  }

  /** Applies an event's observations and marks it applied, atomically; a repeat is a no-op. */
  async applyFeedback(
    userId: string,
    eventId: string,
    observations: readonly Observation[],
    now = Date.now(),
  ): Promise<ApplyOutcome> {
    const keys = [
      this.live.applied(userId),
      this.live.policies(userId),
      ERASED_KEY,
      ...observations.map((observation) => this.live.model(userId, observation.policy)),
    ];
    const args = [
      eventId,
      now,
      APPLIED_RETENTION_MS,
      erasedMember(userId),
      ...observations.flatMap((observation) => [observation.policy, packObservation(observation)]),
    ];
    return (await this.commands.applyFeedback(keys.length, ...keys, ...args)) as ApplyOutcome;
  }

  /** Deletes every key of the user and refuses their late events from now on. */
  async erase(userId: string, knownPolicies: readonly string[], now = Date.now()): Promise<void> {
    let policies = [...knownPolicies];
    for (let attempt = 0; attempt < 5; attempt += 1) {
      const keys = [
        this.live.applied(userId),
        this.live.policies(userId),
        ERASED_KEY,
        ...policies.map((policy) => this.live.model(userId, policy)),
      ];
      const args = [erasedMember(userId), now, ERASED_RETENTION_MS, ...policies];
      const missing = await this.commands.eraseUser(keys.length, ...keys, ...args);
      if (missing.length === 0) return;
      policies = [...policies, ...missing];
    }
    throw new Error(`erasing user ${userId} did not converge`);
  }

  /** Forgets the user's models of these policies; applied ids stay, so old events stay applied. */
  async reset(userId: string, policies: readonly string[]): Promise<void> {
    await this.redis
      .multi()
      .del(...policies.map((policy) => this.live.model(userId, policy)))
      .srem(this.live.policies(userId), ...policies)
      .exec();
  }

  /** Every model of one policy in a key space, in batches (SCAN: never blocks Redis). */
  async *scanModels(
    policy: string,
    keys: ScorerKeys = this.live,
  ): AsyncGenerator<{ userId: string; state: ModelState }> {
    for await (const names of this.scanKeys(keys.modelPattern(policy))) {
      const values = await this.redis.pipeline(names.map((name) => ['getBuffer', name])).exec();
      for (const [i, name] of names.entries()) {
        const bytes = values?.[i]?.[1];
        const userId = keys.userOf(name);
        if (Buffer.isBuffer(bytes) && userId) yield { userId, state: ModelState.decode(bytes) };
      }
    }
  }

  /** Users with any key in a key space (their policy index). */
  async *scanUsers(keys: ScorerKeys): AsyncGenerator<string> {
    for await (const names of this.scanKeys(`${keys.space}:{*}:policies`)) {
      for (const name of names) {
        const userId = keys.userOf(name);
        if (userId) yield userId;
      }
    }
  }

  /** Key names matching a pattern, batch by batch, without the client's key prefix. */
  private async *scanKeys(pattern: string): AsyncGenerator<string[]> {
    const prefix = this.redis.options.keyPrefix ?? '';
    let cursor = '0';
    do {
      const [next, found] = await this.redis.scan(
        cursor,
        'MATCH',
        `${prefix}${pattern}`,
        'COUNT',
        500,
      );
      cursor = next;
      if (found.length) yield found.map((key) => key.slice(prefix.length));
    } while (cursor !== '0');
  }

  /** Writes one user's rebuilt models, with the ids they were built from, into `keys`. */
  async writeModels(
    keys: ScorerKeys,
    userId: string,
    models: ReadonlyMap<string, ModelState>,
    applied: ReadonlyArray<readonly [eventId: string, at: number]>,
  ): Promise<void> {
    const batch = this.redis.multi();
    batch.del(keys.applied(userId), keys.policies(userId));
    for (const [policy, state] of models) batch.set(keys.model(userId, policy), state.encode());
    if (models.size) batch.sadd(keys.policies(userId), ...models.keys());
    for (let i = 0; i < applied.length; i += 10_000) {
      batch.zadd(
        keys.applied(userId),
        ...applied.slice(i, i + 10_000).flatMap(([id, at]) => [at, id]),
      );
    }
    await batch.exec();
  }

  /** Swaps one user's models from `from` into live, unless live has applied something newer. */
  async swap(from: ScorerKeys, userId: string, policies: readonly string[]): Promise<SwapOutcome> {
    const keys = [
      this.live.applied(userId),
      this.live.policies(userId),
      from.applied(userId),
      from.policies(userId),
      ERASED_KEY,
      ...policies.flatMap((policy) => [
        this.live.model(userId, policy),
        from.model(userId, policy),
      ]),
    ];
    return this.commands.swapRebuilt(keys.length, ...keys, erasedMember(userId));
  }

  /** Whether the user was erased (within the remembered window). */
  async isErased(userId: string): Promise<boolean> {
    return (await this.redis.zscore(ERASED_KEY, erasedMember(userId))) !== null;
  }

  /** The policies the user has a model for. */
  async policiesOf(userId: string, keys: ScorerKeys = this.live): Promise<string[]> {
    return this.redis.smembers(keys.policies(userId));
  }
}
