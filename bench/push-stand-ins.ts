/**
 * The notifier's two neighbours for `npm run bench -- push`, as a process of their own so that
 * their work is not on the notifier's event loop, answering in Nest's wire format (as
 * services/notifier/test/support/push-harness.ts does in-process):
 * - `rpc.recommender.recommend`: at once, the user's one task (bench/push-users.ts) as a tip with
 *   a fresh id; no tip when `excludeTaskIds` holds it. No scorer, no Postgres: whatever the bench
 *   measures beyond this is the notifier's own.
 * - `rpc.profile.get`: push off, as profile answers for a user who never chose. The bench seeds
 *   every user's settings, so it expects no call; it counts them to be sure.
 * - `bench.push.stand-ins.counts`: the calls answered so far, `{recommend, profile}`.
 *
 * Env: NATS_URL, OO_NAMESPACE, PUSH_USERS (how many users' tasks to build). Prints `stand-ins
 * ready` once its subscriptions are registered on the server.
 */
import { connect, type Msg } from '@nats-io/transport-node';
import { RPC, type RecommendRequest } from '@oo/contracts';
import { policyRegistry } from '@oo/learning';
import { Topology } from '@oo/messaging';
import { pushTip, pushUserIndex, pushUserTasks } from './push-users.js';

const topology = new Topology(process.env['OO_NAMESPACE'] ?? '');
const tasks = pushUserTasks(Number(process.env['PUSH_USERS'] ?? '0'));
const live = policyRegistry.live().name;
const counts = { recommend: 0, profile: 0 };

const nc = await connect({
  servers: (process.env['NATS_URL'] ?? 'nats://127.0.0.1:4222').split(','),
  name: 'bench-push-stand-ins',
});

/** Answers `subject` as a Nest `@MessagePattern` handler would: `{id, response, isDisposed}`. */
function reply(subject: string, answer: (data: never) => unknown): void {
  nc.subscribe(topology.wire(subject), {
    callback: (_error, message: Msg) => {
      const { id, data } = message.json<{ id: string; data: never }>();
      message.respond(JSON.stringify({ id, response: answer(data), isDisposed: true }));
    },
  });
}

reply(RPC.recommender.recommend, (request: RecommendRequest) => {
  counts.recommend += 1;
  const index = pushUserIndex(request.userId);
  const task = index === undefined ? undefined : tasks[index];
  const excluded = task !== undefined && (request.excludeTaskIds ?? []).includes(task.taskId);
  const tip =
    task && !excluded ? pushTip(task, live, request.now ?? new Date().toISOString()) : null;
  return { tip, policy: live, latencyMs: 0 };
});

reply(RPC.profile.get, ({ userId }: { userId: string }) => {
  counts.profile += 1;
  return {
    userId,
    timezone: 'UTC',
    quietHours: { start: '22:00', end: '07:00' },
    push: { enabled: false },
    consent: null,
    updatedAt: new Date(0).toISOString(),
  };
});

nc.subscribe(topology.wire('bench.push.stand-ins.counts'), {
  callback: (_error, message) => {
    message.respond(JSON.stringify(counts));
  },
});

// Registered on the server once the flush returns: only then may the bench start.
await nc.flush();
process.stdout.write('stand-ins ready\n');

const stop = (): void => {
  void nc.drain().finally(() => process.exit(0));
};
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
