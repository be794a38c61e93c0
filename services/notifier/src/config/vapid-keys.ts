import { createECDH } from 'node:crypto';
import type { SecretGenerators } from '@oo/config';

/**
 * The development VAPID key: only the private half is generated and kept (`.data/`); the public
 * half is derived from it (`vapidPublicKeyOf`), so the two can never come from different pairs,
 * whichever service process writes first.
 */
export function generateVapidPrivateKey(): SecretGenerators {
  return {
    VAPID_PRIVATE_KEY: () => {
      const ecdh = createECDH('prime256v1');
      ecdh.generateKeys();
      return ecdh.getPrivateKey().toString('base64url');
    },
  };
}

/** The uncompressed P-256 public key (base64url) of a private key; undefined if it is none. */
export function vapidPublicKeyOf(privateKey: string): string | undefined {
  try {
    const ecdh = createECDH('prime256v1');
    ecdh.setPrivateKey(Buffer.from(privateKey, 'base64url'));
    return ecdh.getPublicKey().toString('base64url');
  } catch {
    return undefined;
  }
}
