import { z } from 'zod';
import { resolveDevSecrets, type SecretGenerators } from './dev-secrets.js';

/** Raised when the environment is unusable; the message names every bad variable, never a value. */
export class EnvError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid environment:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'EnvError';
  }
}

export const port = (fallback: number) =>
  z.coerce.number().int().min(1).max(65535).default(fallback);

const url = (protocols: string[], fallback: string) =>
  z
    .string()
    .default(fallback)
    .refine(
      (value) => {
        try {
          return protocols.includes(new URL(value).protocol);
        } catch {
          return false;
        }
      },
      `must be a URL (${protocols.join(' or ')})`,
    );

/**
 * The development database of ARCHITECTURE.md §5 (password-less, like docker-compose's Postgres).
 * The one place it is written: services, migrations and the Prisma CLI configs all use this.
 */
export const DEFAULT_DATABASE_URL = 'postgresql://postgres@127.0.0.1:5432/oo';

/** Variables every service shares (ARCHITECTURE.md §5). */
export const baseEnvSchema = z.object({
  OO_ENV: z.enum(['development', 'test', 'production']).default('development'),
  NATS_URL: z.string().min(1).default('nats://127.0.0.1:4222'),
  REDIS_URL: url(['redis:', 'rediss:'], 'redis://127.0.0.1:6379'),
  DATABASE_URL: url(['postgresql:', 'postgres:'], DEFAULT_DATABASE_URL),
  PUBLIC_URL: url(['http:', 'https:'], 'http://localhost:3000'),
  /** Copies of each JetStream stream when it is created: 1 on one server, 3 on a cluster. */
  NATS_STREAM_REPLICAS: z.coerce.number().int().min(1).max(5).default(1),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /**
   * Isolates one deployment's streams, subjects, RPC subjects and Redis keys from another's on
   * shared infrastructure (tests, previews). Empty in production: names are then exactly the
   * contract names.
   */
  OO_NAMESPACE: z
    .string()
    .regex(/^[a-z0-9_]*$/, 'must be lower-case letters, digits or _')
    .default(''),
});

export type BaseEnv = z.infer<typeof baseEnvSchema>;

export interface LoadEnvOptions {
  /** Secrets that development and test generate once into `.data/` when unset. */
  devSecrets?: SecretGenerators;
  /** Where generated development secrets live; defaults to `<repo>/.data`. */
  dataDir?: string;
}

/**
 * Parses `source` (a service passes `process.env`) against `schema` once, at start.
 * Throws EnvError naming each bad variable.
 */
export function loadEnv<S extends z.ZodType>(
  schema: S,
  source: Record<string, string | undefined>,
  options: LoadEnvOptions = {},
): z.infer<S> {
  const withSecrets = options.devSecrets
    ? resolveDevSecrets(source, options.devSecrets, options.dataDir)
    : source;
  const parsed = schema.safeParse(withSecrets);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((issue) => {
    const name = issue.path.join('.') || '(environment)';
    return `${name}: ${issue.message}`;
  });
  throw new EnvError(problems);
}
