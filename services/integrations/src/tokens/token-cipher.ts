import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/** One key of `TOKEN_ENCRYPTION_KEYS` (as `encryptionKeys()` of `@oo/config` parses it). */
export interface TokenKey {
  kid: string;
  key: Uint8Array;
}

/** The columns a token is stored in; part of the AAD, so a ciphertext only opens in its own. */
export type TokenColumn = 'access_token' | 'refresh_token' | 'pending_revocation_token';

/** Where a sealed token belongs: the row (user, provider) and the column. */
export interface TokenPlace {
  userId: string;
  provider: string;
  column: TokenColumn;
}

/** A token as stored: ciphertext with the 16-byte GCM tag appended, its IV, its key's id. */
export interface SealedToken {
  ciphertext: Uint8Array;
  iv: Uint8Array;
  keyId: string;
}

/** A stored token names a key that is not in TOKEN_ENCRYPTION_KEYS (dropped too early?). */
export class UnknownTokenKeyError extends Error {
  constructor(readonly keyId: string) {
    super(
      `token encryption key "${keyId}" is not in TOKEN_ENCRYPTION_KEYS; ` +
        'keep a key listed until `npm run integrations:rotate-keys` reports no rows on it',
    );
    this.name = 'UnknownTokenKeyError';
  }
}

/**
 * The ciphertext did not authenticate: wrong key material under that id, a damaged value, or
 * a ciphertext moved from another row or column. Never carries the ciphertext or the token.
 */
export class TokenDecryptionError extends Error {
  constructor(place: TokenPlace, keyId: string) {
    super(
      `the ${place.column} of user ${place.userId} (${place.provider}) does not decrypt under ` +
        `key "${keyId}": damaged, or moved from another row or column`,
    );
    this.name = 'TokenDecryptionError';
  }
}

const ALGORITHM = 'aes-256-gcm';
const IV_BYTES = 12;
const TAG_BYTES = 16;
// Bumping this invalidates every stored token: change it only with a migration of the data.
const AAD_LABEL = 'oo.integrations.token.v1';

/**
 * AES-256-GCM for OAuth tokens at rest. The first key encrypts, every key decrypts (keys
 * stay listed while a rotation moves rows off them). The AAD binds each ciphertext to its
 * user, provider and column, so copying it into another row or column makes it fail.
 */
export class TokenCipher {
  private readonly keys: ReadonlyMap<string, Uint8Array>;
  readonly activeKeyId: string;

  constructor(keys: readonly TokenKey[]) {
    const [active] = keys;
    if (!active) throw new Error('TOKEN_ENCRYPTION_KEYS holds no key');
    const byId = new Map<string, Uint8Array>();
    for (const { kid, key } of keys) {
      if (key.length !== 32) throw new Error(`token encryption key "${kid}" is not 32 bytes`);
      if (byId.has(kid)) throw new Error(`token encryption key id "${kid}" is listed twice`);
      byId.set(kid, key);
    }
    this.keys = byId;
    this.activeKeyId = active.kid;
  }

  encrypt(token: string, place: TokenPlace): SealedToken {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv(ALGORITHM, this.key(this.activeKeyId), iv, {
      authTagLength: TAG_BYTES,
    });
    cipher.setAAD(additionalData(place));
    const ciphertext = Buffer.concat([
      cipher.update(token, 'utf8'),
      cipher.final(),
      cipher.getAuthTag(),
    ]);
    return { ciphertext, iv, keyId: this.activeKeyId };
  }

  decrypt(sealed: SealedToken, place: TokenPlace): string {
    const key = this.key(sealed.keyId);
    const data = Buffer.from(sealed.ciphertext);
    if (sealed.iv.length !== IV_BYTES || data.length < TAG_BYTES) {
      throw new TokenDecryptionError(place, sealed.keyId);
    }
    const decipher = createDecipheriv(ALGORITHM, key, sealed.iv, { authTagLength: TAG_BYTES });
    decipher.setAAD(additionalData(place));
    decipher.setAuthTag(data.subarray(data.length - TAG_BYTES));
    try {
      return Buffer.concat([
        decipher.update(data.subarray(0, data.length - TAG_BYTES)),
        decipher.final(),
      ]).toString('utf8');
    } catch {
      // Node's own message ("Unsupported state or unable to authenticate data") says nothing
      // of which token; ours names the place and the key, never the bytes.
      throw new TokenDecryptionError(place, sealed.keyId);
    }
  }

  /** Opens a token and seals it again under the active key (a rotation step). */
  reencrypt(sealed: SealedToken, place: TokenPlace): SealedToken {
    return this.encrypt(this.decrypt(sealed, place), place);
  }

  private key(keyId: string): Uint8Array {
    const key = this.keys.get(keyId);
    if (!key) throw new UnknownTokenKeyError(keyId);
    return key;
  }
}

/** Unambiguous (a JSON array, not a concatenation that "ab"+"c" and "a"+"bc" share). */
function additionalData({ userId, provider, column }: TokenPlace): Buffer {
  return Buffer.from(JSON.stringify([AAD_LABEL, userId, provider, column]), 'utf8');
}
