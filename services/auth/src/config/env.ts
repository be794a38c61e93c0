import {
  baseEnvSchema,
  booleanFlag,
  httpUrl,
  loadEnv,
  defaultPort,
  port,
  requiredInProduction,
  z,
} from '@oo/config';
import { generateSigningKey, parseSigningKeys, type SigningKey } from '@oo/sessions';

/** `kid:base64(PKCS#8 P-256),…`, first one signing: parsed once, named when wrong. */
const signingKeys = z.string().transform((value, ctx): SigningKey[] => {
  try {
    return parseSigningKeys(value);
  } catch (error) {
    ctx.addIssue({ code: 'custom', message: (error as Error).message });
    return z.NEVER;
  }
});

/** Auth's environment (ARCHITECTURE.md §5). The only place that reads process.env. */
export const authEnvSchema = baseEnvSchema
  .extend({
    PORT: port(defaultPort('auth')),
    GOOGLE_CLIENT_ID: z.string().default(''),
    GOOGLE_CLIENT_SECRET: z.string().default(''),
    GOOGLE_AUTHORIZATION_URL: httpUrl('https://accounts.google.com/o/oauth2/v2/auth'),
    GOOGLE_TOKEN_URL: httpUrl('https://oauth2.googleapis.com/token'),
    GOOGLE_USERINFO_URL: httpUrl('https://openidconnect.googleapis.com/v1/userinfo'),
    AUTH_DEV_LOGIN: booleanFlag(),
    SESSION_SIGNING_KEYS: signingKeys,
    /** Who gets the `admin` role (the operator console): comma-separated emails, any case. */
    ADMIN_EMAILS: z
      .string()
      .default('')
      .transform(
        (value) =>
          new Set(
            value
              .split(',')
              .map((email) => email.trim().toLowerCase())
              .filter((email) => email.length > 0),
          ),
      ),
  })
  .superRefine(requiredInProduction('GOOGLE_CLIENT_ID', 'GOOGLE_CLIENT_SECRET'))
  .superRefine((env, ctx) => {
    if (env.OO_ENV === 'production' && env.AUTH_DEV_LOGIN === true) {
      ctx.addIssue({
        code: 'custom',
        path: ['AUTH_DEV_LOGIN'],
        message: 'must not be true in production',
      });
    }
  })
  // Dev login is on by default where it is safe, and never in production.
  .transform((env) => ({
    ...env,
    AUTH_DEV_LOGIN: env.AUTH_DEV_LOGIN ?? env.OO_ENV !== 'production',
  }));

export type AuthEnv = z.infer<typeof authEnvSchema>;

/** Injection token of the validated environment. */
export const AUTH_ENV = Symbol('AUTH_ENV');

export function loadAuthEnv(source: Record<string, string | undefined> = process.env): AuthEnv {
  return loadEnv(authEnvSchema, source, {
    devSecrets: { SESSION_SIGNING_KEYS: () => generateSigningKey('dev1') },
  });
}
