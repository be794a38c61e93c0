import { baseEnvSchema, defaultPort, loadEnv, port, z } from '@oo/config';
import { generateVapidPrivateKey, vapidPublicKeyOf } from './vapid-keys.js';

/** base64url of exactly `bytes` bytes (no padding), as Web Push libraries take VAPID keys. */
const base64urlKey = (bytes: number, what: string) =>
  z
    .string()
    .min(1)
    .refine(
      (value) => /^[A-Za-z0-9_-]+$/.test(value) && Buffer.from(value, 'base64url').length === bytes,
      `must be the ${what} as base64url (${bytes} bytes)`,
    );

/** Notifier's environment (ARCHITECTURE.md §5). The only place that reads process.env. */
const notifierEnvFields = baseEnvSchema.extend({
  PORT: port(defaultPort('notifier')),
  /** Required in production; elsewhere derived from VAPID_PRIVATE_KEY when unset. */
  VAPID_PUBLIC_KEY: base64urlKey(65, 'uncompressed P-256 public key').optional(),
  VAPID_PRIVATE_KEY: base64urlKey(32, 'P-256 private key'),
  /** Who push services contact about our pushes (RFC 8292 `sub`); Apple refuses a malformed one. */
  VAPID_SUBJECT: z
    .string()
    .default('mailto:ops@localhost')
    .refine(
      (value) =>
        /^mailto:[^@\s]+@[^@\s]+$/.test(value) ||
        (/^https:\/\/[^\s]+$/.test(value) && URL.canParse(value)),
      'must be mailto:<address> or an https: URL',
    ),
  /** Pushes a user gets per day on their own calendar, at most. */
  PUSH_DAILY_CAP: z.coerce.number().int().min(0).max(100).default(3),
  /** The least time between two pushes to a user. */
  PUSH_MIN_INTERVAL_MINUTES: z.coerce
    .number()
    .min(0)
    .max(24 * 60)
    .default(120),
  /**
   * How long a push service keeps a push for a device that is offline (`TTL`): a tip hours old
   * is no longer the tip for now. Never more than until the user's quiet hours begin.
   */
  PUSH_TTL_SECONDS: z.coerce
    .number()
    .int()
    .min(0)
    .max(28 * 24 * 3600)
    .default(4 * 3600),
  /** After a look that found nothing to push, when to look again without a task sync. */
  PUSH_RECHECK_MINUTES: z.coerce
    .number()
    .positive()
    .max(24 * 60)
    .default(60),
  /** How often each instance looks for users due a push decision. */
  NOTIFIER_SCHEDULER_INTERVAL_SECONDS: z.coerce.number().positive().max(3_600).default(15),
  /** One request to a push service, at most. */
  PUSH_REQUEST_TIMEOUT_MS: z.coerce.number().int().positive().max(60_000).default(10_000),
});

/**
 * The two VAPID keys must be one pair: a public key that is not the private key's would make
 * every push service refuse every push (403), which is better found at start.
 */
export const notifierEnvSchema = notifierEnvFields
  .superRefine((env, ctx) => {
    const derived = vapidPublicKeyOf(env.VAPID_PRIVATE_KEY);
    if (!derived) {
      ctx.addIssue({ code: 'custom', path: ['VAPID_PRIVATE_KEY'], message: 'is not a P-256 key' });
    } else if (env.VAPID_PUBLIC_KEY === undefined && env.OO_ENV === 'production') {
      ctx.addIssue({
        code: 'custom',
        path: ['VAPID_PUBLIC_KEY'],
        message: 'is required in production',
      });
    } else if (env.VAPID_PUBLIC_KEY !== undefined && env.VAPID_PUBLIC_KEY !== derived) {
      ctx.addIssue({
        code: 'custom',
        path: ['VAPID_PUBLIC_KEY'],
        message: 'is not the public key of VAPID_PRIVATE_KEY',
      });
    }
  })
  .transform((env) => ({
    ...env,
    VAPID_PUBLIC_KEY: env.VAPID_PUBLIC_KEY ?? vapidPublicKeyOf(env.VAPID_PRIVATE_KEY)!,
  }));

export type NotifierEnv = z.infer<typeof notifierEnvSchema>;

/** Injection token of the validated environment. */
export const NOTIFIER_ENV = Symbol('NOTIFIER_ENV');

export function loadNotifierEnv(
  source: Record<string, string | undefined> = process.env,
): NotifierEnv {
  return loadEnv(notifierEnvSchema, source, { devSecrets: generateVapidPrivateKey() });
}
