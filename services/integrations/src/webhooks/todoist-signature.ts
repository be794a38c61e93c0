import { createHmac, timingSafeEqual } from 'node:crypto';

/** The header Todoist signs each delivery with: base64(HMAC-SHA256(client secret, raw body)). */
export const TODOIST_SIGNATURE_HEADER = 'x-todoist-hmac-sha256';

/**
 * Whether a delivery's signature is Todoist's, over the exact bytes received (never a
 * re-serialised body: a single changed byte must fail). Compared in constant time so a caller
 * cannot find a valid signature byte by byte. No secret configured verifies nothing.
 */
export function todoistSignatureValid(
  clientSecret: string,
  rawBody: Buffer,
  signature: string | undefined,
): boolean {
  if (!clientSecret || !signature) return false;
  const expected = createHmac('sha256', clientSecret).update(rawBody).digest();
  const given = Buffer.from(signature, 'base64');
  return given.length === expected.length && timingSafeEqual(given, expected);
}
