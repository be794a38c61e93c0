import { EnvError } from '@oo/config';
import type { ServiceApp } from './service-app.js';

const STOP_DEADLINE_MS = 25_000;

/**
 * What every `main.ts` calls: builds the app, starts it, and stops it gracefully on SIGTERM or
 * SIGINT. A bad environment exits with status 78 (EX_CONFIG) and a message naming the variables.
 */
export async function runService(createApp: () => Promise<ServiceApp>): Promise<void> {
  let service: ServiceApp;
  try {
    service = await createApp();
    await service.start();
  } catch (error) {
    if (error instanceof EnvError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(78);
    }
    process.stderr.write(
      `Failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exit(1);
  }
  const shutdown = (signal: NodeJS.Signals): void => {
    service.logger.info({ signal }, 'shutting down');
    const deadline = setTimeout(() => {
      service.logger.error('graceful stop took too long; exiting');
      process.exit(1);
    }, STOP_DEADLINE_MS);
    deadline.unref();
    service.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        service.logger.error({ err: error }, 'error while stopping');
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', shutdown);
  process.once('SIGINT', shutdown);
}
