/**
 * A request/reply floor whose reply is as large as the reply it stands beside: each request's
 * body is a byte count, and the answer is that many bytes (built once per size). A process of
 * its own, like the service it is compared with: NATS plus one Node event loop, nothing more.
 */
import { connect } from '@nats-io/transport-node';

const subject = process.env['ECHO_SUBJECT'];
if (!subject) {
  process.stderr.write('ECHO_SUBJECT is required\n');
  process.exit(78);
}

const decoder = new TextDecoder();
const replies = new Map<number, Uint8Array>();
const replyOf = (bytes: number): Uint8Array => {
  let reply = replies.get(bytes);
  if (!reply) {
    reply = new Uint8Array(bytes).fill(0x61);
    replies.set(bytes, reply);
  }
  return reply;
};

const nc = await connect({
  servers: (process.env['NATS_URL'] ?? 'nats://127.0.0.1:4222').split(','),
  name: 'bench-sized-echo',
});
nc.subscribe(subject, {
  callback: (_error, msg) => {
    msg.respond(replyOf(Number(decoder.decode(msg.data))));
  },
});
// The subscription is registered on the server once the flush returns.
await nc.flush();
process.stdout.write('echo ready\n');

const stop = (): void => {
  void nc.drain().finally(() => process.exit(0));
};
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
