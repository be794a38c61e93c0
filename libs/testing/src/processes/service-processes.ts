import { expectEventually } from '../expect-eventually.js';
import { freePort } from '../ports.js';
import { startTsProcess, type RunningProcess } from '@oo/devkit/process';

export interface ServiceProcess {
  process: RunningProcess;
  port: number;
  url: string;
}

/** Starts `services/<name>/src/main.ts` as its own process and waits until /health is 200. */
export async function startServiceProcess(
  name: string,
  env: Record<string, string>,
): Promise<ServiceProcess> {
  const port = await freePort();
  const child = startTsProcess(`services/${name}/src/main.ts`, { ...env, PORT: String(port) });
  const url = `http://127.0.0.1:${port}`;
  try {
    await expectEventually(
      async () => expect((await fetch(`${url}/health`).catch(() => null))?.status).toBe(200),
      { timeoutMs: 30_000, intervalMs: 200 },
    );
  } catch (error) {
    child.kill('SIGKILL');
    throw new Error(
      `${name} never became healthy: ${String(error)}\n${child.output().slice(-2000)}`,
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
