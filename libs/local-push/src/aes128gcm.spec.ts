import { createCipheriv } from 'node:crypto';
import {
  contentKeys,
  DecryptionError,
  decryptPushMessage,
  type ReceiverKeys,
} from './aes128gcm.js';

// RFC 8291 §5 and Appendix A: the push message encryption example, all values base64url.
const RFC8291 = {
  plaintext: 'When I grow up, I want to be a watermelon',
  uaPrivate: 'q1dXpw3UpT5VOmu_cf_v6ih07Aems3njxI-JWgLcM94',
  uaPublic:
    'BCVxsr7N_eNgVRqvHtD0zTZsEc6-VV-JvLexhqUzORcxaOzi6-AYWXvTBHm4bjyPjs7Vd8pZGH6SRpkNtoIAiw4',
  asPublic:
    'BP4z9KsN6nGRTbVYI_c7VJSPQTBtkgcy27mlmlMoZIIgDll6e3vCYLocInmYWAmS6TlzAC8wEqKK6PBru3jl7A8',
  authSecret: 'BTBZMqHH6r4Tts7J_aSIgg',
  salt: 'DGv6ra1nlYgDCS1FRnbzlw',
  ikm: 'S4lYMb_L0FxCeq0WhDx813KgSYqU26kOyzWUdsXYyrg',
  cek: 'oIhVW04MRdy2XN9CiKLxTg',
  nonce: '4h_95klXJ5E_qnoN',
  body: 'DGv6ra1nlYgDCS1FRnbzlwAAEABBBP4z9KsN6nGRTbVYI_c7VJSPQTBtkgcy27mlmlMoZIIgDll6e3vCYLocInmYWAmS6TlzAC8wEqKK6PBru3jl7A_yl95bQpu6cVPTpK4Mqgkf1CXztLVBSt2Ks3oZwbuwXPXLWyouBWLVWGNWQexSgSxsj_Qulcy4a-fN',
};

const bytes = (base64url: string): Buffer => Buffer.from(base64url, 'base64url');

const receiver: ReceiverKeys = {
  privateKey: bytes(RFC8291.uaPrivate),
  publicKey: bytes(RFC8291.uaPublic),
  authSecret: bytes(RFC8291.authSecret),
};

/** The example's header with a record of our own, sealed with the example's key and nonce. */
function exampleWithRecord(paddedPlaintext: Buffer): Buffer {
  const header = bytes(RFC8291.body).subarray(0, 86);
  const cipher = createCipheriv('aes-128-gcm', bytes(RFC8291.cek), bytes(RFC8291.nonce));
  const sealed = Buffer.concat([cipher.update(paddedPlaintext), cipher.final()]);
  return Buffer.concat([header, sealed, cipher.getAuthTag()]);
}

describe('aes128gcm decryption (RFC 8291 with RFC 8188)', () => {
  it('derives the IKM, content encryption key and nonce of RFC 8291 Appendix A', () => {
    const keys = contentKeys(receiver, bytes(RFC8291.asPublic), bytes(RFC8291.salt));

    expect(keys.ikm.toString('base64url')).toBe(RFC8291.ikm);
    expect(keys.cek.toString('base64url')).toBe(RFC8291.cek);
    expect(keys.nonce.toString('base64url')).toBe(RFC8291.nonce);
  });

  it('decrypts the RFC 8291 example message to its plaintext', () => {
    const plaintext = decryptPushMessage(bytes(RFC8291.body), receiver);

    expect(plaintext.toString('utf8')).toBe(RFC8291.plaintext);
  });

  it('removes padding: the last-record delimiter 0x02 and the zeros after it', () => {
    const plaintext = Buffer.from(RFC8291.plaintext);
    // The helper reproduces the example exactly when there is no padding.
    expect(exampleWithRecord(Buffer.concat([plaintext, Buffer.from([2])]))).toEqual(
      bytes(RFC8291.body),
    );

    const padded = Buffer.concat([plaintext, Buffer.from([2]), Buffer.alloc(40)]);

    expect(decryptPushMessage(exampleWithRecord(padded), receiver).toString()).toBe(
      RFC8291.plaintext,
    );
  });

  it('refuses a record without the last-record delimiter', () => {
    const notLast = Buffer.concat([
      Buffer.from(RFC8291.plaintext),
      Buffer.from([1]),
      Buffer.alloc(3),
    ]);
    const allZeros = Buffer.alloc(8);

    expect(() => decryptPushMessage(exampleWithRecord(notLast), receiver)).toThrow(/delimiter/);
    expect(() => decryptPushMessage(exampleWithRecord(allZeros), receiver)).toThrow(/delimiter/);
  });

  it('refuses a message whose ciphertext was changed in transit', () => {
    const body = bytes(RFC8291.body);
    body[body.length - 20]! ^= 0x01;

    expect(() => decryptPushMessage(body, receiver)).toThrow(DecryptionError);
  });

  it('refuses a message encrypted for another auth secret', () => {
    const other = { ...receiver, authSecret: Buffer.alloc(16, 7) };

    expect(() => decryptPushMessage(bytes(RFC8291.body), other)).toThrow(/authentication failed/);
  });

  it('refuses a header whose keyid is not a P-256 public key', () => {
    const body = bytes(RFC8291.body);
    body[20] = 64;

    expect(() => decryptPushMessage(body, receiver)).toThrow(/keyid must be a 65-byte/);
  });

  it('refuses more than one record (RFC 8291 §4 has senders use one)', () => {
    const body = bytes(RFC8291.body);
    body.writeUInt32BE(18, 16);

    expect(() => decryptPushMessage(body, receiver)).toThrow(/more than one record/);
  });
});
