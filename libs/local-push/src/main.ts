// Runs the local push service as a process, for tests that start it beside the services under
// test (startLocalPushProcess in @oo/testing, with startTsProcess like every other entry point).
import { startLocalPush } from './local-push.js';

const push = await startLocalPush({
  port: Number(process.env.PORT ?? 0),
  host: process.env.HOST ?? '127.0.0.1',
});

// One line a runner can wait for and parse.
console.log(`local push listening: url=${push.url}`);

for (const signal of ['SIGTERM', 'SIGINT'] as const)
  process.once(signal, () => {
    void push.close().then(() => process.exit(0));
  });
