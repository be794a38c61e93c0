import { waitForHealth } from '@oo/devkit/health';
import { startTsProcess, type RunningProcess } from '@oo/devkit/process';
import { freePort } from '../ports.js';

export interface ServiceProcess {
  process: RunningProcess;
  port: number;
  url: string;
}

export interface StartServiceOptions {
  /** Where it listens; a free port unless told (a test that must know it before the start). */
  port?: number;
  /**
   * Whether to resolve only once /health (readiness) is 200; true unless told. False starts it
   * and returns at once, for a test that watches it become ready.
   */
  waitUntilReady?: boolean;
}

/** Starts `services/<name>/src/main.ts` as its own process, by default waiting until it is ready. */
export async function startServiceProcess(
  name: string,
  env: Record<string, string>,
  { port: requestedPort, waitUntilReady = true }: StartServiceOptions = {},
): Promise<ServiceProcess> {
  const port = requestedPort ?? (await freePort());
  const child = startTsProcess(`services/${name}/src/main.ts`, { ...env, PORT: String(port) });
  const url = `http://127.0.0.1:${port}`;
  if (!waitUntilReady) return { process: child, port, url };
  try {
    await waitForHealth(url, { timeoutMs: 90_000, intervalMs: 200, process: child });
  } catch (error) {
    child.kill('SIGKILL');
    throw new Error(
      `${name} never became healthy: ${(error as Error).message}\n${child.output().slice(-2000)}`,
    );
  }
  return { process: child, port, url };
}

/** Stops processes by SIGTERM and waits for each to exit. */
export async function stopProcesses(children: readonly RunningProcess[]): Promise<void> {
  for (const child of children) child.kill('SIGTERM');
  await Promise.all(children.map((child) => child.exited));
}

export interface MockGoogle {
  /** Base URL of the provider: `<issuer>/authorize`, `/token`, `/userinfo`. */
  issuer: string;
  /** Bodies of the token requests it received (`code_verifier` included). */
  tokenRequests: Array<Record<string, string>>;
  process: RunningProcess;
}

/**
 * A local stand-in for Google's OAuth2/OIDC endpoints (oauth2-mock-server) in its own process;
 * it checks PKCE at its token endpoint and answers userinfo with `userinfo`.
 */
export async function startMockGoogle(userinfo: Record<string, unknown>): Promise<MockGoogle> {
  const tokenRequests: Array<Record<string, string>> = [];
  let ready: (issuer: string) => void = () => undefined;
  const issuer = new Promise<string>((resolve) => (ready = resolve));
  const child = startTsProcess(
    'libs/testing/src/processes/mock-google.ts',
    { MOCK_PORT: String(await freePort()), MOCK_USERINFO: JSON.stringify(userinfo) },
    {
      onLine: (line) => {
        if (!line.startsWith('{')) return;
        const message = JSON.parse(line) as {
          event: string;
          issuer?: string;
          body?: Record<string, string>;
        };
        if (message.event === 'ready') ready(message.issuer!);
        if (message.event === 'token') tokenRequests.push(message.body!);
      },
    },
  );
  return { issuer: await issuer, tokenRequests, process: child };
}
