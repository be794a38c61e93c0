import { randomBytes } from 'node:crypto';

const ALPHABET = '0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';

/** An opaque id like API v1's (`6Jf8VQXxpwv56VQ7`): callers must not rely on its shape or order. */
export function opaqueId(length = 16): string {
  const bytes = randomBytes(length);
  let id = '';
  for (const byte of bytes) id += ALPHABET[byte % ALPHABET.length];
  return id;
}

/** A bearer/refresh token or authorization code: 40 hex characters, as Todoist's look. */
export function secretToken(): string {
  return randomBytes(20).toString('hex');
}
