import { baseEnvSchema, defaultPort, loadEnv, port, z } from '@oo/config';
import { generateVapidKeys } from './vapid-keys.js';

/** Notifier's environment (ARCHITECTURE.md §5). The only place that reads process.env. */
export const notifierEnvSchema = baseEnvSchema.extend({
  PORT: port(defaultPort('notifier')),
  VAPID_PUBLIC_KEY: z.string().min(1),
  VAPID_PRIVATE_KEY: z.string().min(1),
  VAPID_SUBJECT: z
    .string()
    .regex(/^(mailto:|https:)/, 'must start with mailto: or https:')
    .default('mailto:ops@localhost'),
});

export type NotifierEnv = z.infer<typeof notifierEnvSchema>;

/** Injection token of the validated environment. */
export const NOTIFIER_ENV = Symbol('NOTIFIER_ENV');

export function loadNotifierEnv(
  source: Record<string, string | undefined> = process.env,
): NotifierEnv {
  return loadEnv(notifierEnvSchema, source, { devSecrets: generateVapidKeys() });
}
