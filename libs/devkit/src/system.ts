import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { servicePort, SERVICES, type ServiceName } from './services.js';

const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const NODE_TS_ARGS = ['--conditions=oo-source', '--import', '@swc-node/register/esm-register'];

export interface RunningService {
  name: ServiceName;
  port: number;
  child: ChildProcess;
  exited: Promise<number | string>;
}

/** Starts every service as its own process, output prefixed with its name. */
export function startServices(
  env: NodeJS.ProcessEnv,
  portBase: number,
  write: (line: string) => void,
): RunningService[] {
  return SERVICES.map(({ name, port: defaultPort }) => {
    const port = servicePort(defaultPort, portBase);
    const child = spawn(process.execPath, [...NODE_TS_ARGS, `services/${name}/src/main.ts`], {
      cwd: REPO_ROOT,
      env: { ...env, PORT: String(port) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const prefix = `[${name}]`.padEnd(15);
    let pending = '';
    const onData = (chunk: Buffer) => {
      const lines = (pending + chunk.toString()).split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) if (line) write(`${prefix}${line}`);
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    const exited = new Promise<number | string>((resolve) =>
      child.on('exit', (code, signal) => resolve(code ?? signal ?? 'unknown')),
    );
    return { name, port, child, exited };
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
    void service.exited.then(() => (crashed ??= pending.has(service) ? service : undefined));
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
  for (const { child } of services)
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
  await Promise.all(services.map((service) => service.exited));
}
