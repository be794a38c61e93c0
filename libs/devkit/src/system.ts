import { servicePort, SERVICES, type ServiceName } from './services.js';
import { HealthWaitError, waitForHealth } from './health-wait.js';
import { startTsProcess, type RunningProcess } from './ts-process.js';

export interface RunningService {
  name: ServiceName;
  port: number;
  process: RunningProcess;
}

/** Links, redirects and the gateway's Origin check name the gateway: it moves with the base. */
export function publicUrlOf(env: NodeJS.ProcessEnv, portBase: number): string {
  return env['PUBLIC_URL'] ?? `http://localhost:${portBase}`;
}

/** Starts every service as its own process, output prefixed with its name. */
export function startServices(
  env: NodeJS.ProcessEnv,
  portBase: number,
  write: (line: string) => void,
): RunningService[] {
  const auth = SERVICES.find((service) => service.name === 'auth')!;
  // The gateway proxies /auth/* to auth's own port, which moves with the port base.
  const authUrl = env['AUTH_URL'] ?? `http://127.0.0.1:${servicePort(auth.port, portBase)}`;
  const publicUrl = publicUrlOf(env, portBase);
  return SERVICES.map(({ name, port: defaultPort }) => {
    const port = servicePort(defaultPort, portBase);
    const prefix = `[${name}]`.padEnd(15);
    const process = startTsProcess(
      `services/${name}/src/main.ts`,
      { ...env, AUTH_URL: authUrl, PUBLIC_URL: publicUrl, PORT: String(port) },
      { onLine: (line) => write(`${prefix}${line}`) },
    );
    return { name, port, process };
  });
}

/**
 * Resolves when every service's /health (readiness) answers 200; rejects naming the ones that
 * never did and what their /health last said, or at once when one exits.
 */
export async function waitUntilHealthy(
  services: RunningService[],
  timeoutMs: number,
): Promise<void> {
  const crashed = new AbortController();
  const failures = await Promise.all(
    services.map(async (service) => {
      try {
        await waitForHealth(`http://127.0.0.1:${service.port}`, {
          timeoutMs,
          intervalMs: 250,
          process: service.process,
          signal: crashed.signal,
        });
        return undefined;
      } catch (error) {
        const failure = error instanceof HealthWaitError ? error : undefined;
        if (failure?.reason === 'exited') crashed.abort();
        return { service, failure: failure ?? (error as Error) };
      }
    }),
  );
  const failed = failures.filter((failure) => failure !== undefined);
  const exited = failed.find(
    ({ failure }) => failure instanceof HealthWaitError && failure.reason === 'exited',
  );
  if (exited) {
    throw new Error(`${exited.service.name} exited before it was healthy (see its output above)`);
  }
  if (failed.length > 0) {
    const details = failed.map(({ service, failure }) =>
      failure instanceof HealthWaitError && failure.lastAnswer
        ? `${service.name} (${failure.lastAnswer})`
        : service.name,
    );
    throw new Error(`not healthy after ${timeoutMs / 1000} s: ${details.join(', ')}`);
  }
}

/** Sends SIGTERM to every service (each drains) and waits for all of them to exit. */
export async function stopServices(services: RunningService[]): Promise<void> {
  for (const service of services) service.process.kill('SIGTERM');
  await Promise.all(services.map((service) => service.process.exited));
}
