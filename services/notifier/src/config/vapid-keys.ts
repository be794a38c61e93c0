import { createECDH } from 'node:crypto';
import type { SecretGenerators } from '@oo/config';

/**
 * Development VAPID keys: one P-256 pair, base64url as Web Push libraries expect (public key
 * uncompressed, 65 bytes). Both generators share the pair, so the keys always match.
 */
export function generateVapidKeys(): SecretGenerators {
  let pair: { publicKey: string; privateKey: string } | undefined;
  const get = () => {
    if (!pair) {
      const ecdh = createECDH('prime256v1');
      ecdh.generateKeys();
      pair = {
        publicKey: ecdh.getPublicKey().toString('base64url'),
        privateKey: ecdh.getPrivateKey().toString('base64url'),
      };
    }
    return pair;
  };
  return { VAPID_PUBLIC_KEY: () => get().publicKey, VAPID_PRIVATE_KEY: () => get().privateKey };
}
