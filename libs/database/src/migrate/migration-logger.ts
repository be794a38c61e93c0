/** The slice of a logger the migrator needs; pino and console both fit. */
export interface MigrationLogger {
  info(message: string): void;
  warn(message: string): void;
}

export const silentLogger: MigrationLogger = {
  info: () => undefined,
  warn: () => undefined,
};
