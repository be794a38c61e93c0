import { randomBytes } from 'node:crypto';
import {
  TokenCipher,
  TokenDecryptionError,
  UnknownTokenKeyError,
  type TokenPlace,
} from './token-cipher.js';

const oldKey = { kid: 'old', key: randomBytes(32) };
const newKey = { kid: 'new', key: randomBytes(32) };
const access: TokenPlace = { userId: 'user-a', provider: 'todoist', column: 'access_token' };
const TOKEN = 'todoist-access-0123456789abcdef';

describe('TokenCipher', () => {
  it('round-trips a token, with a fresh 12-byte IV and the 16-byte tag appended', () => {
    const cipher = new TokenCipher([oldKey]);

    const first = cipher.encrypt(TOKEN, access);
    const second = cipher.encrypt(TOKEN, access);

    expect(cipher.decrypt(first, access)).toBe(TOKEN);
    expect(first.keyId).toBe('old');
    expect(first.iv).toHaveLength(12);
    expect(first.ciphertext).toHaveLength(Buffer.byteLength(TOKEN) + 16);
    expect(Buffer.from(first.iv).equals(Buffer.from(second.iv))).toBe(false);
    expect(Buffer.from(first.ciphertext).equals(Buffer.from(second.ciphertext))).toBe(false);
    expect(Buffer.from(first.ciphertext).includes(Buffer.from(TOKEN))).toBe(false);
  });

  it('encrypts under the first key and still decrypts under the others', () => {
    const sealedUnderOld = new TokenCipher([oldKey]).encrypt(TOKEN, access);
    const rotated = new TokenCipher([newKey, oldKey]);

    expect(rotated.decrypt(sealedUnderOld, access)).toBe(TOKEN);
    const resealed = rotated.reencrypt(sealedUnderOld, access);
    expect(resealed.keyId).toBe('new');
    expect(new TokenCipher([newKey]).decrypt(resealed, access)).toBe(TOKEN);
  });

  it.each<[string, TokenPlace]>([
    ['another user', { ...access, userId: 'user-b' }],
    ['another provider', { ...access, provider: 'other' }],
    ['another column', { ...access, column: 'refresh_token' }],
  ])('refuses a ciphertext moved to %s (AAD)', (_, elsewhere) => {
    const cipher = new TokenCipher([oldKey]);
    const sealed = cipher.encrypt(TOKEN, access);

    expect(() => cipher.decrypt(sealed, elsewhere)).toThrow(TokenDecryptionError);
  });

  it('refuses a damaged ciphertext, and says where without the token', () => {
    const cipher = new TokenCipher([oldKey]);
    const sealed = cipher.encrypt(TOKEN, access);
    const damaged = Buffer.from(sealed.ciphertext);
    damaged[0] = (damaged[0] ?? 0) ^ 1;

    const failure = capture(() => cipher.decrypt({ ...sealed, ciphertext: damaged }, access));

    expect(failure).toBeInstanceOf(TokenDecryptionError);
    expect(failure.message).toContain('access_token of user user-a');
    expect(failure.message).toContain('"old"');
    expect(failure.message).not.toContain(TOKEN);
  });

  it('names an unknown key id, never the token', () => {
    const sealed = new TokenCipher([oldKey]).encrypt(TOKEN, access);

    const failure = capture(() => new TokenCipher([newKey]).decrypt(sealed, access));

    expect(failure).toBeInstanceOf(UnknownTokenKeyError);
    expect(failure.message).toContain('"old"');
    expect(failure.message).not.toContain(TOKEN);
  });

  it('refuses a key list it cannot use', () => {
    expect(() => new TokenCipher([])).toThrow('no key');
    expect(() => new TokenCipher([oldKey, { ...newKey, kid: 'old' }])).toThrow('listed twice');
    expect(() => new TokenCipher([{ kid: 'short', key: randomBytes(16) }])).toThrow('32 bytes');
  });
});

function capture(action: () => unknown): Error {
  try {
    action();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a failure');
}
