import { DATABASE_SERVICES, isDatabaseService, type DatabaseService } from '../config/services.js';

/** Parses service names from argv; none means every service. Throws naming a bad one. */
export function parseServices(args: readonly string[]): DatabaseService[] {
  if (args.length === 0) return [...DATABASE_SERVICES];
  return args.map((arg) => {
    if (!isDatabaseService(arg))
      throw new Error(`Unknown service "${arg}"; expected one of: ${DATABASE_SERVICES.join(', ')}`);
    return arg;
  });
}

/** Runs a CLI's main, printing an error's message (not a stack) and exiting 1 on failure. */
export function runCli(main: () => Promise<void>): void {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : String(error));
    process.exitCode = 1;
  });
}
