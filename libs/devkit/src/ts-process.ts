import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** How every TypeScript entry point of the workspace runs: from source, through swc. */
export const NODE_TS_ARGS = [
  '--conditions=oo-source',
  '--import',
  '@swc-node/register/esm-register',
];

const OUTPUT_LIMIT = 256 * 1024;

export interface RunningProcess {
  child: ChildProcess;
  /** The last 256 KiB the process printed (stdout and stderr). */
  output(): string;
  /** Resolves with the exit code (or signal name) once the process has ended. */
  exited: Promise<number | string>;
  kill(signal?: NodeJS.Signals): void;
}

export interface StartOptions {
  /** Command-line arguments after the entry point. */
  args?: readonly string[];
  /** Called with each complete line the process prints (stdout and stderr). */
  onLine?: (line: string) => void;
}

/** Starts a TypeScript entry point of the workspace (relative to the repo root) as a child process. */
export function startTsProcess(
  entry: string,
  env: Record<string, string | undefined>,
  { onLine, args = [] }: StartOptions = {},
): RunningProcess {
  return startNodeProcess([...NODE_TS_ARGS, entry, ...args], env, { cwd: REPO_ROOT, onLine });
}

export interface NodeProcessOptions {
  /** The working directory. */
  cwd: string;
  /** Called with each complete line the process prints (stdout and stderr). */
  onLine?: (line: string) => void;
}

/**
 * Starts `node <nodeArgs…>` with this process's Node binary (Node 24 from the workspace's
 * `node` package under npm scripts), no inherited NODE_OPTIONS, and its output captured.
 */
export function startNodeProcess(
  nodeArgs: readonly string[],
  env: Record<string, string | undefined>,
  { cwd, onLine }: NodeProcessOptions,
): RunningProcess {
  const child = spawn(process.execPath, nodeArgs, {
    cwd,
    env: { ...process.env, ...env, NODE_OPTIONS: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  let partialLine = '';
  const onData = (chunk: Buffer): void => {
    const text = chunk.toString();
    // Bounded: `npm start` runs for days.
    output = (output + text).slice(-OUTPUT_LIMIT);
    if (!onLine) return;
    const lines = (partialLine + text).split('\n');
    partialLine = lines.pop() ?? '';
    for (const line of lines) if (line) onLine(line);
  };
  child.stdout.on('data', onData);
  child.stderr.on('data', onData);
  const exited = new Promise<number | string>((resolve) =>
    child.on('exit', (code, signal) => resolve(code ?? signal ?? 'unknown')),
  );
  return {
    child,
    output: () => output,
    exited,
    kill: (signal = 'SIGTERM') => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    },
  };
}
