import { startTsProcess, type RunningProcess } from './ts-process.js';

/** The app the local Todoist knows in development (not a secret: nothing real behind it). */
const DEV_CLIENT_ID = 'oo-local-dev';
const DEV_CLIENT_SECRET = 'oo-local-dev-secret';
/** Beside the services' base…base+6, clear of them. */
const PORT_OFFSET = 9;
const START_TIMEOUT_MS = 60_000;

export interface DevTodoist {
  /** The env that points oO at it: TODOIST_CLIENT_ID/SECRET, TODOIST_API_URL/OAUTH_URL. */
  env: Record<string, string>;
  url: string;
  process: RunningProcess;
}

/**
 * Starts the local Todoist (libs/local-todoist) with the demo seed when no real Todoist app is
 * configured (TODOIST_CLIENT_ID unset), so connecting "Todoist" in development needs no
 * account; null when a real app is configured. Its redirect and webhook URLs name the
 * gateway's public routes, as a real Todoist app's settings would.
 */
export async function startDevTodoist(
  env: NodeJS.ProcessEnv,
  portBase: number,
  publicUrl: string,
  write: (line: string) => void,
): Promise<DevTodoist | null> {
  if (env['TODOIST_CLIENT_ID']) return null;
  const port = env['LOCAL_TODOIST_PORT'] ?? String(portBase + PORT_OFFSET);
  const prefix = '[todoist]'.padEnd(15);
  let announced: (url: string) => void = () => undefined;
  const listening = new Promise<string>((resolve) => (announced = resolve));
  const child = startTsProcess(
    'libs/local-todoist/src/main.ts',
    {
      PORT: port,
      TODOIST_CLIENT_ID: DEV_CLIENT_ID,
      TODOIST_CLIENT_SECRET: DEV_CLIENT_SECRET,
      TODOIST_REDIRECT_URI: `${publicUrl}/integrations/todoist/callback`,
      WEBHOOK_URL: `${publicUrl}/webhooks/todoist`,
      TODOIST_SEED: 'demo',
    },
    {
      onLine: (line) => {
        write(`${prefix}${line}`);
        const url = /local Todoist listening: url=(\S+)/.exec(line)?.[1];
        if (url) announced(url);
      },
    },
  );
  const outcome = await Promise.race([
    listening,
    child.exited.then((code) => new Error(`the local Todoist exited (${code}) before listening`)),
    new Promise<Error>((resolve) =>
      setTimeout(
        () => resolve(new Error('the local Todoist did not listen within 60 s')),
        START_TIMEOUT_MS,
      ).unref(),
    ),
  ]);
  if (outcome instanceof Error) {
    child.kill('SIGKILL');
    throw outcome;
  }
  // A browser opens the authorize page: name it as localhost, like the gateway.
  const url = outcome.replace('127.0.0.1', 'localhost');
  return {
    url,
    process: child,
    env: {
      TODOIST_CLIENT_ID: DEV_CLIENT_ID,
      TODOIST_CLIENT_SECRET: DEV_CLIENT_SECRET,
      TODOIST_API_URL: `${outcome}/api/v1`,
      TODOIST_OAUTH_URL: `${url}/oauth`,
    },
  };
}
