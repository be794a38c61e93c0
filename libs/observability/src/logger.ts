import type { LoggerService } from '@nestjs/common';
import { pino, type DestinationStream, type Logger, type LevelWithSilent } from 'pino';

// Key names that may carry a secret, cut at the top level and one level down (pino's `*.x`
// does not match a top-level `x`). snake_case for OAuth responses logged as received.
const SECRET_KEYS = [
  'token',
  'accessToken',
  'refreshToken',
  'access_token',
  'refresh_token',
  'client_secret',
];

/** Anything that may carry a token, an email or task text is cut from the logs. */
const REDACT = [
  ...SECRET_KEYS,
  ...SECRET_KEYS.map((key) => `*.${key}`),
  '*.password',
  '*.email',
  '*.title',
  '*.authorization',
  '*.cookie',
  'req.headers.authorization',
  'req.headers.cookie',
];

/** A JSON-lines logger for `service`; `destination` defaults to stdout (tests pass their own). */
export function createLogger(
  service: string,
  level: LevelWithSilent = 'info',
  destination?: DestinationStream,
): Logger {
  const options = {
    level,
    base: { service },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: { paths: REDACT, censor: '[redacted]' },
  };
  return destination ? pino(options, destination) : pino(options);
}

/** Routes Nest's own logging into the service's pino logger, so every line is one JSON object. */
export class PinoNestLogger implements LoggerService {
  constructor(private readonly logger: Logger) {}

  log(message: unknown, context?: string): void {
    this.logger.info(this.fields(context), String(message));
  }
  error(message: unknown, stackOrContext?: string, context?: string): void {
    const fields = this.fields(context ?? stackOrContext);
    if (context && stackOrContext) fields['stack'] = stackOrContext;
    this.logger.error(fields, message instanceof Error ? message.message : String(message));
  }
  warn(message: unknown, context?: string): void {
    this.logger.warn(this.fields(context), String(message));
  }
  debug(message: unknown, context?: string): void {
    this.logger.debug(this.fields(context), String(message));
  }
  verbose(message: unknown, context?: string): void {
    this.logger.trace(this.fields(context), String(message));
  }

  private fields(context: string | undefined): Record<string, unknown> {
    return context ? { context } : {};
  }
}
