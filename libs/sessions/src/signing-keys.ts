import {
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  type KeyObject,
} from 'node:crypto';
import type { SessionPublicKey } from '@oo/contracts';
import { createLocalJWKSet, errors, type JWTVerifyGetKey } from 'jose';

/** A key auth signs sessions with; `kid` names it in every token's header. */
export interface SigningKey {
  kid: string;
  privateKey: KeyObject;
  publicKey: KeyObject;
}

/** What a verifier (the gateway) holds: finds the public key a token's `kid` names. */
export type VerificationKeys = JWTVerifyGetKey;

/** A public key as a JWK (RFC 7517), as auth publishes it (`rpc.auth.keys`). */
export type PublicJwk = SessionPublicKey;

const KID = /^[A-Za-z0-9_-]{1,32}$/;

/**
 * Parses `SESSION_SIGNING_KEYS`: `kid:base64(PKCS#8 DER of a P-256 key),…`, the first one
 * active. Older keys stay listed until every token they signed has expired (rotation).
 */
export function parseSigningKeys(value: string): SigningKey[] {
  const entries = value
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);
  if (entries.length === 0) throw new Error('needs at least one kid:base64 key');
  const seen = new Set<string>();
  return entries.map((entry, i) => {
    const separator = entry.indexOf(':');
    const kid = entry.slice(0, separator);
    if (separator < 0 || !KID.test(kid)) throw new Error(`key ${i + 1} must be kid:base64`);
    if (seen.has(kid)) throw new Error(`key id ${kid} appears twice`);
    seen.add(kid);
    let privateKey: KeyObject;
    try {
      privateKey = createPrivateKey({
        key: Buffer.from(entry.slice(separator + 1), 'base64'),
        format: 'der',
        type: 'pkcs8',
      });
    } catch {
      throw new Error(`key ${kid} is not a base64 PKCS#8 private key`);
    }
    const details = privateKey.asymmetricKeyDetails;
    if (privateKey.asymmetricKeyType !== 'ec' || details?.namedCurve !== 'prime256v1') {
      throw new Error(`key ${kid} must be an EC P-256 key (ES256)`);
    }
    return { kid, privateKey, publicKey: createPublicKey(privateKey) };
  });
}

/** A new `kid:base64` entry for SESSION_SIGNING_KEYS (development secrets, key rotation). */
export function generateSigningKey(kid = `k${Date.now().toString(36)}`): string {
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return `${kid}:${privateKey.export({ format: 'der', type: 'pkcs8' }).toString('base64')}`;
}

/** The public half of each key, for verifiers. */
export function publicJwks(keys: readonly SigningKey[]): { keys: PublicJwk[] } {
  return {
    keys: keys.map(({ kid, publicKey }) => {
      const jwk = publicKey.export({ format: 'jwk' });
      return {
        kty: 'EC',
        crv: 'P-256',
        x: String(jwk.x),
        y: String(jwk.y),
        kid,
        alg: 'ES256',
        use: 'sig',
      };
    }),
  };
}

/**
 * Verification keys from published JWKs; anything but ES256 P-256 signing keys is ignored. A
 * token must name its key: without a `kid`, jose would try any key of the set.
 */
export function verificationKeys(jwks: { keys: readonly PublicJwk[] }): VerificationKeys {
  const set = createLocalJWKSet({
    keys: jwks.keys.filter(
      (jwk) => jwk.kty === 'EC' && jwk.crv === 'P-256' && jwk.alg === 'ES256' && KID.test(jwk.kid),
    ),
  });
  return (header, token) => {
    if (typeof header.kid !== 'string') throw new errors.JWKSNoMatchingKey();
    return set(header, token);
  };
}
