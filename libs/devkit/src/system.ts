import { servicePort, SERVICES, type ServiceName } from './services.js';
import { startTsProcess, type RunningProcess } from './ts-process.js';

export interface RunningService {
  name: ServiceName;
  port: number;
  process: RunningProcess;
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
  // Links, redirects and the gateway's Origin check name the gateway: it moves too.
  const publicUrl = env['PUBLIC_URL'] ?? `http://localhost:${portBase}`;
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

/** Resolves when every service's /health answers 200; rejects naming the ones that never did. */
export async function waitUntilHealthy(
  services: RunningService[],
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const pending = new Set(services);
  let crashed: RunningService | undefined;
  for (const service of services)
    void service.process.exited.then(
      () => (crashed ??= pending.has(service) ? service : undefined),
    );
  while (pending.size > 0) {
    if (crashed)
      throw new Error(`${crashed.name} exited before it was healthy (see its output above)`);
    if (Date.now() > deadline) {
      throw new Error(
        `not healthy after ${timeoutMs / 1000} s: ${[...pending].map((s) => s.name).join(', ')}`,
      );
    }
    await Promise.all(
      [...pending].map(async (service) => {
        try {
          const response = await fetch(`http://127.0.0.1:${service.port}/health`, {
            signal: AbortSignal.timeout(2000),
          });
          if (response.status === 200) pending.delete(service);
        } catch {
          // not listening yet
        }
      }),
    );
    if (pending.size > 0) await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** Sends SIGTERM to every service (each drains) and waits for all of them to exit. */
export async function stopServices(services: RunningService[]): Promise<void> {
  for (const service of services) service.process.kill('SIGTERM');
  await Promise.all(services.map((service) => service.process.exited));
}
