/**
 * The request/reply floor of the benches: a process that answers every request on
 * ECHO_SUBJECT and does nothing else. It runs as its own process, like the service it stands
 * beside, so the figure it gives is NATS plus one Node event loop, and nothing more.
 *
 * ECHO_REPLY=same (default) answers with the request's own bytes (bench/scorer-performance.ts);
 * ECHO_REPLY=sized reads the request as a byte count and answers that many bytes, built once
 * per size, so the floor's reply is as large as the service's (bench/integrations.ts).
 */
import { connect } from '@nats-io/transport-node';

const subject = process.env['ECHO_SUBJECT'];
if (!subject) {
  process.stderr.write('ECHO_SUBJECT is required\n');
  process.exit(78);
}
const mode = process.env['ECHO_REPLY'] ?? 'same';
if (mode !== 'same' && mode !== 'sized') {
  process.stderr.write('ECHO_REPLY must be same or sized\n');
  process.exit(78);
}

const decoder = new TextDecoder();
const sizedReplies = new Map<number, Uint8Array>();
const sized = (bytes: number): Uint8Array => {
  let reply = sizedReplies.get(bytes);
  if (!reply) {
    reply = new Uint8Array(bytes).fill(0x61);
    sizedReplies.set(bytes, reply);
  }
  return reply;
};

const nc = await connect({
  servers: (process.env['NATS_URL'] ?? 'nats://127.0.0.1:4222').split(','),
  name: `bench-echo-${mode}`,
});
nc.subscribe(subject, {
  callback: (_error, msg) => {
    msg.respond(mode === 'sized' ? sized(Number(decoder.decode(msg.data))) : msg.data);
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
