import { randomUUID } from 'node:crypto';
import { RPC, type RecommendRequest, type Tip } from '@oo/contracts';
import { createTestDatabase, type TestDatabase } from '@oo/database';
import { policyRegistry } from '@oo/learning';
import { EventPublisher, RpcClient } from '@oo/messaging';
import type { LocalPushControl } from '@oo/local-push';
import type { ServiceApp } from '@oo/platform';
import {
  createTestNats,
  expectEventually,
  freePort,
  serviceTestEnv,
  startLocalPushProcess,
  type LocalPushProcess,
  type TestNats,
} from '@oo/testing';
import pg from 'pg';
import { createApp } from '../../src/app.factory.js';
import { loadNotifierEnv } from '../../src/config/env.js';
import { PushDecider } from '../../src/scheduling/push-decider.js';
import { PushScheduler } from '../../src/scheduling/push-scheduler.js';

/** A task the recommender stand-in may choose for a user. */
export interface StandInTask {
  taskId: string;
  title: string;
  priority?: number;
  due?: string | null;
}

export interface PushUser {
  userId: string;
  /** The device's id at the local push service. */
  deviceId: string;
  endpoint: string;
  endpointHash: string;
}

export interface PushUserOptions {
  timeZone?: string;
  quietHours?: { start: string; end: string };
  tasks: StandInTask[];
  /** A recommender that does not honour `excludeTaskIds` (the claim must still refuse). */
  ignoresExclusions?: boolean;
  /**
   * Each decision the next task of the list, round robin, whatever was excluded: concurrent
   * looks get different tasks, so only the interval and the cap can keep them to one push.
   */
  rotates?: boolean;
}

/**
 * The notifier's neighbours for its own tests, on real NATS, Redis and Postgres: the local push
 * service as a process, and stand-ins, in Nest's wire format, for the two RPCs it calls —
 * `rpc.recommender.recommend` (a fresh tip id per decision from the user's task list, honouring
 * `excludeTaskIds`) and `rpc.profile.get`. The notifier instances run in this process; their
 * timers are off (the tests drive `runDue` with their own clock).
 */
export class PushHarness {
  readonly notifiers: ServiceApp[] = [];
  readonly recommendRequests: RecommendRequest[] = [];
  private readonly tasks = new Map<string, PushUserOptions>();
  private readonly decisions = new Map<string, number>();

  private constructor(
    readonly nats: TestNats,
    readonly database: TestDatabase,
    readonly push: LocalPushProcess,
    readonly rpc: RpcClient,
    readonly publisher: EventPublisher,
    readonly sql: pg.Client,
  ) {}

  static async start(label: string, instances = 1, env: Record<string, string> = {}) {
    const nats = await createTestNats(label);
    const database = await createTestDatabase({ services: ['notifier'] });
    const push = await startLocalPushProcess();
    const sql = new pg.Client({ connectionString: database.url });
    await sql.connect();
    const harness = new PushHarness(
      nats,
      database,
      push,
      new RpcClient(nats.nc, nats.topology),
      new EventPublisher(nats.js, nats.topology),
      sql,
    );
    harness.standIn();
    const base = await serviceTestEnv(nats, {
      DATABASE_URL: database.url,
      NOTIFIER_SCHEDULER_INTERVAL_SECONDS: '3600',
      ...env,
    });
    for (let i = 0; i < instances; i++) {
      const app = await createApp(loadNotifierEnv({ ...base, PORT: String(await freePort()) }));
      await app.start();
      harness.notifiers.push(app);
    }
    return harness;
  }

  get control(): LocalPushControl {
    return this.push.control;
  }

  get decider(): PushDecider {
    return this.notifiers[0]!.app.get(PushDecider);
  }

  get scheduler(): PushScheduler {
    return this.notifiers[0]!.app.get(PushScheduler);
  }

  /** A user with one subscribed device, push on, these settings and tasks. */
  async user(label: string, options: PushUserOptions): Promise<PushUser> {
    const userId = `${label}_${randomUUID().slice(0, 8)}`;
    this.tasks.set(userId, options);
    const device = await this.addDevice(userId);
    await this.announceSettings(userId, {
      timeZone: options.timeZone ?? 'UTC',
      quietHours: options.quietHours ?? { start: '22:00', end: '07:00' },
      pushEnabled: true,
    });
    return { userId, ...device };
  }

  async addDevice(userId: string): Promise<Omit<PushUser, 'userId'>> {
    const { id, subscription } = await this.control.createSubscription();
    const { endpointHash } = await this.rpc.call(
      RPC.notifier.subscribe,
      { userId, subscription },
      5_000,
    );
    return { deviceId: id, endpoint: subscription.endpoint, endpointHash };
  }

  /** What profile announces, and waits until the notifier has its copy. */
  async announceSettings(
    userId: string,
    settings: {
      timeZone: string;
      quietHours: { start: string; end: string };
      pushEnabled: boolean;
    },
  ): Promise<void> {
    const updatedAt = new Date().toISOString();
    await this.publisher.publish('profile.updated', userId, {
      timezone: settings.timeZone,
      quietHours: settings.quietHours,
      push: { enabled: settings.pushEnabled },
      updatedAt,
    });
    await expectEventually(async () => {
      const { rows } = await this.sql.query<{ updated_at: Date }>(
        'SELECT updated_at FROM notifier.push_settings WHERE user_id = $1',
        [userId],
      );
      expect(rows[0]?.updated_at.toISOString()).toBe(updatedAt);
    });
  }

  /** The tips a device received, decrypted, as the service worker would read them. */
  async received(deviceId: string): Promise<Array<{ tipId: string; title: string; url: string }>> {
    return (await this.control.delivered(deviceId)).map(
      (message) => JSON.parse(message.payload) as { tipId: string; title: string; url: string },
    );
  }

  async stop(): Promise<void> {
    await Promise.all(this.notifiers.map((app) => app.stop()));
    await this.push.stop();
    await this.sql.end();
    await this.nats.cleanup();
    await this.database.drop();
  }

  private standIn(): void {
    const reply = (subject: string, answer: (data: never) => unknown) =>
      this.nats.nc.subscribe(this.nats.topology.wire(subject), {
        callback: (_error, message) => {
          const { id, data } = message.json<{ id: string; data: never }>();
          message.respond(JSON.stringify({ id, response: answer(data), isDisposed: true }));
        },
      });
    reply(RPC.recommender.recommend, (request: RecommendRequest) => {
      this.recommendRequests.push(request);
      const options = this.tasks.get(request.userId);
      if (options?.rotates) {
        const count = this.decisions.get(request.userId) ?? 0;
        this.decisions.set(request.userId, count + 1);
        const task = options.tasks[count % options.tasks.length]!;
        return { tip: standInTip(task, request.now), policy: LIVE, latencyMs: 1 };
      }
      const excluded = new Set(options?.ignoresExclusions ? [] : (request.excludeTaskIds ?? []));
      const task = options?.tasks.find(({ taskId }) => !excluded.has(taskId));
      return { tip: task ? standInTip(task, request.now) : null, policy: LIVE, latencyMs: 1 };
    });
    reply(RPC.profile.get, ({ userId }: { userId: string }) => ({
      userId,
      timezone: 'UTC',
      quietHours: { start: '22:00', end: '07:00' },
      push: { enabled: false },
      consent: null,
      updatedAt: new Date(0).toISOString(),
    }));
  }
}

const LIVE = policyRegistry.live().name;

function standInTip(task: StandInTask, now: string | undefined): Tip {
  return {
    tipId: randomUUID(),
    taskId: task.taskId,
    title: task.title,
    source: 'todoist',
    priority: task.priority ?? 2,
    due: task.due ?? null,
    servedAt: now ?? new Date().toISOString(),
    url: null,
    why: { kind: 'learning', reasons: [], summary: 'Still learning what suits you.' },
    explored: false,
    policy: LIVE,
  };
}
