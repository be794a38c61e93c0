import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';

type SchemaEngineModule = typeof import('@prisma/schema-engine-wasm/schema_engine_bg');

/** The two WebAssembly calls we use; the workspace's `lib` (ES2023, no DOM) does not declare them. */
interface WebAssemblyApi {
  instantiate(
    bytes: Uint8Array,
    imports: Record<string, object>,
  ): Promise<{ instance: { exports: Record<string, unknown> } }>;
}
const webAssembly = (globalThis as unknown as { WebAssembly: WebAssemblyApi }).WebAssembly;

let loading: Promise<SchemaEngineModule> | undefined;

/**
 * Loads @prisma/schema-engine-wasm once per process. Its entry point imports the .wasm file
 * as an ES module, which Node 20 only allows behind --experimental-wasm-modules, so we
 * instantiate the binary ourselves and hand it to the wasm-bindgen glue. Loaded lazily so
 * services that only apply migrations never pay for (or need) the 5 MB engine.
 */
export function loadSchemaEngine(): Promise<SchemaEngineModule> {
  loading ??= instantiate();
  return loading;
}

async function instantiate(): Promise<SchemaEngineModule> {
  installPanicRegistry();
  const glue = await import('@prisma/schema-engine-wasm/schema_engine_bg');
  const require = createRequire(import.meta.url);
  const wasmPath = require
    .resolve('@prisma/schema-engine-wasm/schema_engine_bg')
    .replace(/\.js$/, '.wasm');
  const imports = { './schema_engine_bg.js': withUnrefTimers(glue) };
  const { instance } = await webAssembly.instantiate(await readFile(wasmPath), imports);
  glue.__wbg_set_wasm(instance.exports);
  (instance.exports as { __wbindgen_start: () => void }).__wbindgen_start();
  return glue;
}

/**
 * The engine arms timers (10 s lock and connect timeouts) that it never clears once the
 * awaited work finishes, which kept every process using it alive for 10 more seconds.
 * Unref'd, they still fire while the engine works (its database sockets keep the process up)
 * but no longer hold an idle process open.
 */
function withUnrefTimers(glue: SchemaEngineModule): Record<string, unknown> {
  const wrapped: Record<string, unknown> = { ...glue };
  for (const [name, value] of Object.entries(glue)) {
    if (name.startsWith('__wbg_setTimeout') && typeof value === 'function') {
      const arm = value as (...args: unknown[]) => unknown;
      wrapped[name] = (...args: unknown[]) => {
        const timer = arm(...args);
        (timer as { unref?: () => void } | null)?.unref?.();
        return timer;
      };
    }
  }
  return wrapped;
}

/** The engine reports Rust panics through this global; without it a panic hides its message. */
function installPanicRegistry(): void {
  const holder = globalThis as {
    PRISMA_WASM_PANIC_REGISTRY?: { set_message(message: string): void };
  };
  holder.PRISMA_WASM_PANIC_REGISTRY ??= {
    set_message(message: string) {
      lastPanic = message;
    },
  };
}

let lastPanic = '';

/** Forgets the last panic, so an error report never carries one from an earlier call. */
export function clearSchemaEnginePanic(): void {
  lastPanic = '';
}

/** The message of the engine panic since the last clear, if any, for error reports. */
export function lastSchemaEnginePanic(): string {
  return lastPanic;
}
