import type { LoggerService } from '@nestjs/common';
import { pino, type Logger, type LevelWithSilent } from 'pino';

/** Anything that may carry a token, an email or task text is cut from the logs. */
const REDACT = [
  '*.token',
  '*.accessToken',
  '*.refreshToken',
  '*.password',
  '*.email',
  '*.title',
  '*.authorization',
  '*.cookie',
  'req.headers.authorization',
  'req.headers.cookie',
];

export function createLogger(service: string, level: LevelWithSilent = 'info'): Logger {
  return pino({
    level,
    base: { service },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: { paths: REDACT, censor: '[redacted]' },
  });
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
