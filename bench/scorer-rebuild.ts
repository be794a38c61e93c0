/**
 * Rebuild of scorer state by replay (ARCHITECTURE.md §9: ≥ 50,000 events/s). Publishes a
 * backlog of tip.feedback events for many users into a namespaced SIGNALS stream, runs the
 * scorer's StateRebuilder over it (read, validate, learn with the live code, write to the
 * rebuild key space, compare with live), and checks the accounting. Half the events also teach
 * the shadow policy, as in production.
 */
import { createEnvelope } from '@oo/contracts';
import { quantize } from '@oo/learning';
import {
  connectToNats,
  ensureStreams,
  EventPublisher,
  jetstream,
  jetstreamManager,
  Topology,
} from '@oo/messaging';
import { createRedisClient } from '@oo/platform';
import { randomGridFeatures, uniqueNamespace } from '@oo/testing';
import { pino } from 'pino';
import { StateRebuilder } from '../services/scorer/src/rebuild/state-rebuilder.js';
import { ModelRepository } from '../services/scorer/src/store/model.repository.js';
import { progress, type BenchReport } from './harness.js';

const EVENTS = Number(process.env['BENCH_REBUILD_EVENTS'] ?? 200_000);
const USERS = 2_000;
const PUBLISH_WINDOW = 1_000;
const REWARDS = [1, -1, 0, 0.5, -0.5];

/** Benchmark entry: publish a backlog, then time two rebuilds of it. */
export async function scorerRebuild(): Promise<BenchReport> {
  const natsUrl = process.env['NATS_URL'] ?? 'nats://127.0.0.1:4222';
  const redisUrl = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';
  const namespace = uniqueNamespace('bench_rebuild');
  const topology = new Topology(namespace);
  const nc = await connectToNats({ url: natsUrl, name: 'bench-rebuild' });
  const jsm = await jetstreamManager(nc);
  const js = jetstream(nc);
  const redis = createRedisClient(redisUrl, namespace, 'bench-rebuild');
  try {
    await ensureStreams(jsm, topology);
    const publisher = new EventPublisher(js, topology);
    progress(`publishing ${EVENTS.toLocaleString('en-US')} feedback events for ${USERS} users…`);
    for (let i = 0; i < EVENTS; i += PUBLISH_WINDOW) {
      await Promise.all(
        Array.from({ length: Math.min(PUBLISH_WINDOW, EVENTS - i) }, (_, k) => {
          const n = i + k;
          return publisher.publishEnvelope(
            createEnvelope('tip.feedback', `user-${n % USERS}`, {
              tipId: crypto.randomUUID(),
              taskId: `task-${n}`,
              action: 'done',
              reward: REWARDS[n % REWARDS.length]!,
              policy: 'linucb-d5',
              features: randomGridFeatures(5).map((value) => quantize(Math.abs(value))),
              propensity: 0.95,
              shadow: n % 2 ? [{ policy: 'linucb-x11', features: randomGridFeatures(11) }] : [],
            }),
          );
        }),
      );
    }
    const rebuilder = new StateRebuilder(
      js,
      jsm,
      topology,
      new ModelRepository(redis),
      pino({ level: 'silent' }),
    );
    const rows = [];
    for (const run of ['first', 'second']) {
      progress(`rebuild (${run} run)…`);
      const report = await rebuilder.run();
      rows.push([
        run,
        report.events,
        report.learned,
        report.users,
        report.models,
        report.durationMs,
        report.eventsPerSecond,
        `${report.phasesMs.replay} / ${report.phasesMs.write} / ${report.phasesMs.compare}`,
      ]);
      if (report.learned !== EVENTS || report.users !== USERS) {
        throw new Error(`accounting is off: ${JSON.stringify(report)}`);
      }
    }
    return {
      tables: [
        {
          title: 'Rebuild of scorer state from SIGNALS (read + validate + learn + write + compare)',
          columns: [
            'run',
            'events',
            'learned',
            'users',
            'models',
            'ms',
            'events/s',
            'replay / write / compare ms',
          ],
          rows,
        },
      ],
      notes: [
        `${EVENTS.toLocaleString('en-US')} tip.feedback events, ${USERS} users, half with a linucb-x11 shadow observation; target ≥ 50,000 events/s (ARCHITECTURE.md §9).`,
        'Every event learned exactly once and every user rebuilt (checked each run).',
      ],
    };
  } finally {
    for (const stream of topology.streams) await jsm.streams.delete(stream).catch(() => undefined);
    const keys = await redis.keys(`${namespace}:*`);
    for (let i = 0; i < keys.length; i += 1000) {
      await redis.del(...keys.slice(i, i + 1000).map((key) => key.slice(namespace.length + 1)));
    }
    await redis.quit();
    await nc.close();
  }
}
