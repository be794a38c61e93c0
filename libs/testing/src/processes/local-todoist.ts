import { startTsProcess, type RunningProcess } from '@oo/devkit/process';
import { connectLocalTodoist, type LocalTodoistControl } from '@oo/local-todoist';
import { freePort } from '../ports.js';

export interface LocalTodoistProcessOptions {
  clientId: string;
  clientSecret: string;
  /** The app's OAuth redirect URL (the service's callback route). */
  redirectUri?: string;
  /** Where webhooks go (the gateway's `/webhooks/todoist`). */
  webhookUrl?: string;
  seed?: 'demo';
  tokenTtlSeconds?: number;
}

export interface LocalTodoistProcess {
  url: string;
  /** For `TODOIST_OAUTH_URL`. */
  oauthUrl: string;
  /** For `TODOIST_API_URL`. */
  apiUrl: string;
  /** The same control as in-process, over HTTP. */
  control: LocalTodoistControl;
  process: RunningProcess;
  stop(): Promise<void>;
}

/** Runs libs/local-todoist as its own process, as a service under test would meet Todoist. */
export async function startLocalTodoistProcess(
  options: LocalTodoistProcessOptions,
): Promise<LocalTodoistProcess> {
  let announced: (url: string) => void = () => undefined;
  const listening = new Promise<string>((resolve) => (announced = resolve));
  const child = startTsProcess(
    'libs/local-todoist/src/main.ts',
    {
      PORT: String(await freePort()),
      TODOIST_CLIENT_ID: options.clientId,
      TODOIST_CLIENT_SECRET: options.clientSecret,
      TODOIST_REDIRECT_URI: options.redirectUri ?? '',
      WEBHOOK_URL: options.webhookUrl ?? '',
      TODOIST_SEED: options.seed ?? '',
      TODOIST_TOKEN_TTL_SECONDS:
        options.tokenTtlSeconds === undefined ? '' : String(options.tokenTtlSeconds),
    },
    {
      onLine: (line) => {
        const url = /local Todoist listening: url=(\S+)/.exec(line)?.[1];
        if (url) announced(url);
      },
    },
  );
  const url = await Promise.race([
    listening,
    child.exited.then((code) => {
      throw new Error(`local Todoist exited (${code}) before listening:\n${child.output()}`);
    }),
  ]);
  return {
    url,
    oauthUrl: `${url}/oauth`,
    apiUrl: `${url}/api/v1`,
    control: connectLocalTodoist(url),
    process: child,
    stop: async () => {
      child.kill('SIGTERM');
      await child.exited;
    },
  };
}
