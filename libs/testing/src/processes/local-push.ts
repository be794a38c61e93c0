import { startTsProcess, type RunningProcess } from '@oo/devkit/process';
import { connectLocalPush, type LocalPushControl } from '@oo/local-push';
import { freePort } from '../ports.js';

export interface LocalPushProcess {
  /** The push service's origin: subscription endpoints start with it; VAPID's `aud`. */
  url: string;
  /** The same control as in-process, over HTTP. */
  control: LocalPushControl;
  process: RunningProcess;
  stop(): Promise<void>;
}

/** Runs libs/local-push as its own process, as a service under test would meet a push service. */
export async function startLocalPushProcess(): Promise<LocalPushProcess> {
  let announced: (url: string) => void = () => undefined;
  const listening = new Promise<string>((resolve) => (announced = resolve));
  const child = startTsProcess(
    'libs/local-push/src/main.ts',
    { PORT: String(await freePort()) },
    {
      onLine: (line) => {
        const url = /local push listening: url=(\S+)/.exec(line)?.[1];
        if (url) announced(url);
      },
    },
  );
  const url = await Promise.race([
    listening,
    child.exited.then((code) => {
      throw new Error(`local push exited (${code}) before listening:\n${child.output()}`);
    }),
  ]);
  return {
    url,
    control: connectLocalPush(url),
    process: child,
    stop: async () => {
      child.kill('SIGTERM');
      await child.exited;
    },
  };
}
