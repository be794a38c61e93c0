/**
 * The request/reply floor of bench/scorer-performance.ts: a process that answers every request
 * on ECHO_SUBJECT with its own payload and does nothing else. It runs as its own process, like
 * the scorer, so the figure it gives is NATS plus one Node event loop, and nothing more.
 */
import { connect } from '@nats-io/transport-node';

const subject = process.env['ECHO_SUBJECT'];
if (!subject) {
  process.stderr.write('ECHO_SUBJECT is required\n');
  process.exit(78);
}

const nc = await connect({
  servers: (process.env['NATS_URL'] ?? 'nats://127.0.0.1:4222').split(','),
  name: 'bench-echo',
});
nc.subscribe(subject, {
  callback: (_error, msg) => {
    msg.respond(msg.data);
  },
});
// The subscription is registered on the server once the flush returns: only then may the
// bench start timing requests.
await nc.flush();
process.stdout.write('echo ready\n');

const stop = (): void => {
  void nc.drain().finally(() => process.exit(0));
};
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
