import { z } from 'zod';

/** An http(s) URL, with a default. */
export const httpUrl = (fallback: string) =>
  z
    .string()
    .default(fallback)
    .refine(
      (value) => /^https?:\/\/[^\s]+$/.test(value) && URL.canParse(value),
      'must be an http(s) URL',
    );

/** `true` / `false`, or unset (the schema decides the default). */
export const booleanFlag = () =>
  z
    .enum(['true', 'false'], { message: 'must be true or false' })
    .optional()
    .transform((value) => (value === undefined ? undefined : value === 'true'));

/**
 * `kid:base64,kid:base64,…`: AES-256 keys with their ids, the first one active (new
 * ciphertexts), the rest kept to decrypt older ones during a rotation.
 */
export const encryptionKeys = () =>
  z
    .string()
    .min(1)
    .transform((value, ctx) => {
      const keys = value.split(',').map((entry) => {
        const [kid, material] = entry.trim().split(':');
        const key = Buffer.from(material ?? '', 'base64');
        if (!kid || !/^[A-Za-z0-9_-]{1,32}$/.test(kid) || key.length !== 32) {
          ctx.addIssue({ code: 'custom', message: 'each entry must be kid:<base64 of 32 bytes>' });
        }
        return { kid: kid ?? '', key };
      });
      return keys;
    });

/**
 * A refinement that makes variables that have development defaults mandatory in production.
 * Use with `.superRefine(requiredInProduction('A', 'B'))`.
 */
export function requiredInProduction<K extends string>(...names: K[]) {
  return (env: { OO_ENV: string } & Partial<Record<K, unknown>>, ctx: z.RefinementCtx): void => {
    if (env.OO_ENV !== 'production') return;
    for (const name of names) {
      if (env[name] === undefined || env[name] === '') {
        ctx.addIssue({ code: 'custom', path: [name], message: 'is required in production' });
      }
    }
  };
}
