import { createDecipheriv, createECDH, hkdfSync } from 'node:crypto';

/** The user agent's half of RFC 8291: what a subscription keeps to read its messages. */
export interface ReceiverKeys {
  /** P-256 private key, 32 bytes. */
  privateKey: Buffer;
  /** P-256 public key, uncompressed (65 bytes): `ua_public`. */
  publicKey: Buffer;
  /** 16 bytes: `auth_secret`. */
  authSecret: Buffer;
}

/** The RFC 8188 header: salt(16) | rs(4) | idlen(1) | keyid(idlen). */
interface ContentCodingHeader {
  salt: Buffer;
  recordSize: number;
  /** RFC 8291 §4: keyid is the sender's ephemeral ECDH public key (`as_public`). */
  senderPublicKey: Buffer;
  /** Where the (single) record starts. */
  headerLength: number;
}

const TAG_LENGTH = 16;
const UNCOMPRESSED_POINT_LENGTH = 65;
const LAST_RECORD_DELIMITER = 0x02;

export class DecryptionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DecryptionError';
  }
}

function readHeader(body: Buffer): ContentCodingHeader {
  if (body.length < 21) throw new DecryptionError('body shorter than an aes128gcm header');
  const idLength = body.readUInt8(20);
  if (idLength !== UNCOMPRESSED_POINT_LENGTH)
    throw new DecryptionError(`keyid must be a 65-byte P-256 public key, got ${idLength} bytes`);
  const headerLength = 21 + idLength;
  if (body.length < headerLength) throw new DecryptionError('body shorter than its header');
  return {
    salt: body.subarray(0, 16),
    recordSize: body.readUInt32BE(16),
    senderPublicKey: body.subarray(21, headerLength),
    headerLength,
  };
}

/**
 * RFC 8291 §3.3-3.4 and RFC 8188 §2.2-2.3: from the ECDH secret to the record's key and nonce.
 * Each HKDF here yields one block, so it is exactly the RFC's HMAC chain
 * (`PRK_key = HMAC(auth_secret, ecdh_secret)`, `IKM = HMAC(PRK_key, key_info || 0x01)`, …).
 */
export function contentKeys(
  receiver: ReceiverKeys,
  senderPublicKey: Buffer,
  salt: Buffer,
): { ikm: Buffer; cek: Buffer; nonce: Buffer } {
  const ecdh = createECDH('prime256v1');
  ecdh.setPrivateKey(receiver.privateKey);
  let sharedSecret: Buffer;
  try {
    sharedSecret = ecdh.computeSecret(senderPublicKey);
  } catch {
    throw new DecryptionError('keyid is not a point on P-256');
  }
  const keyInfo = Buffer.concat([
    Buffer.from('WebPush: info\0'),
    receiver.publicKey,
    senderPublicKey,
  ]);
  const ikm = hkdf(sharedSecret, receiver.authSecret, keyInfo, 32);
  return {
    ikm,
    cek: hkdf(ikm, salt, Buffer.from('Content-Encoding: aes128gcm\0'), 16),
    nonce: hkdf(ikm, salt, Buffer.from('Content-Encoding: nonce\0'), 12),
  };
}

function hkdf(ikm: Buffer, salt: Buffer, info: Buffer, length: number): Buffer {
  return Buffer.from(hkdfSync('sha256', ikm, salt, info, length));
}

/** Strips RFC 8188 §2 padding: the last record ends with 0x02 then any number of zeros. */
function removePadding(record: Buffer): Buffer {
  let end = record.length - 1;
  while (end >= 0 && record[end] === 0) end -= 1;
  if (end < 0 || record[end] !== LAST_RECORD_DELIMITER)
    throw new DecryptionError('the record does not end with the last-record delimiter');
  return record.subarray(0, end);
}

/**
 * Decrypts a Web Push message body (RFC 8291, content coding `aes128gcm` of RFC 8188) the way
 * the user agent does. RFC 8291 §4 has the sender use a single record, so only one is read.
 */
export function decryptPushMessage(body: Buffer, receiver: ReceiverKeys): Buffer {
  const header = readHeader(body);
  const record = body.subarray(header.headerLength);
  if (record.length <= TAG_LENGTH) throw new DecryptionError('the record is too short');
  if (record.length > header.recordSize)
    throw new DecryptionError('more than one record (RFC 8291 §4 allows one)');
  const { cek, nonce } = contentKeys(receiver, header.senderPublicKey, header.salt);
  const decipher = createDecipheriv('aes-128-gcm', cek, nonce);
  decipher.setAuthTag(record.subarray(record.length - TAG_LENGTH));
  let padded: Buffer;
  try {
    padded = Buffer.concat([
      decipher.update(record.subarray(0, record.length - TAG_LENGTH)),
      decipher.final(),
    ]);
  } catch {
    throw new DecryptionError('authentication failed: not encrypted for this subscription');
  }
  return removePadding(padded);
}
