import { createHmac } from 'node:crypto';
import { todoistSignatureValid } from './todoist-signature.js';

const SECRET = 'client-secret';
const body = Buffer.from('{"event_name":"item:completed","user_id":"42"}');
const signed = (secret: string, raw: Buffer) =>
  createHmac('sha256', secret).update(raw).digest('base64');

describe('todoistSignatureValid', () => {
  it('accepts the base64 HMAC-SHA256 of the raw body under the client secret', () => {
    expect(todoistSignatureValid(SECRET, body, signed(SECRET, body))).toBe(true);
  });

  it('refuses a signature made with another secret', () => {
    expect(todoistSignatureValid(SECRET, body, signed('another-secret', body))).toBe(false);
  });

  it('refuses a body changed by one byte, or re-serialised', () => {
    const signature = signed(SECRET, body);
    const changed = Buffer.from(body);
    changed[changed.length - 2] = '3'.charCodeAt(0);
    expect(todoistSignatureValid(SECRET, changed, signature)).toBe(false);
    const reserialised = Buffer.from(JSON.stringify(JSON.parse(body.toString()), null, 1));
    expect(todoistSignatureValid(SECRET, reserialised, signature)).toBe(false);
  });

  it('refuses a missing, empty, truncated or non-base64 signature', () => {
    const signature = signed(SECRET, body);
    expect(todoistSignatureValid(SECRET, body, undefined)).toBe(false);
    expect(todoistSignatureValid(SECRET, body, '')).toBe(false);
    expect(todoistSignatureValid(SECRET, body, signature.slice(0, 20))).toBe(false);
    expect(todoistSignatureValid(SECRET, body, '!!not base64!!')).toBe(false);
  });

  it('verifies nothing when no client secret is configured', () => {
    expect(todoistSignatureValid('', body, signed('', body))).toBe(false);
  });
});
