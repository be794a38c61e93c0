import { createECDH, createHash } from 'node:crypto';
import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';
import type { PushSubscription } from '@oo/contracts';
import { rpcFailure } from '@oo/messaging';

/** What the notifier keeps of a browser's subscription. */
export interface CheckedSubscription {
  endpoint: string;
  endpointHash: string;
  p256dh: string;
  auth: string;
}

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

/**
 * The endpoint's lookup key and its name in logs and events: the endpoint itself is a secret.
 * Hashed in URL-normal form, so the endpoint an unsubscribe names finds the one stored.
 */
export function endpointHash(endpoint: string): string {
  const normal = URL.canParse(endpoint) ? new URL(endpoint).href : endpoint;
  return createHash('sha256').update(normal).digest('hex');
}

/**
 * Addresses a push service never has: this machine, private networks, link-local, metadata.
 * (The IPv4 ranges also match their IPv4-mapped IPv6 forms.)
 */
const INTERNAL = new BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.168.0.0', 16],
] as const) {
  INTERNAL.addSubnet(network, prefix, 'ipv4');
}
for (const [network, prefix] of [
  ['::', 127],
  ['fc00::', 7],
  ['fe80::', 10],
] as const) {
  INTERNAL.addSubnet(network, prefix, 'ipv6');
}

/**
 * In production a subscription's endpoint must lead to the internet: the notifier POSTs to it
 * with retries, so an endpoint on an internal address would let any account make it call into
 * our own network. Checked by name resolution when the device is added.
 */
export async function checkPublicEndpoint(endpoint: string): Promise<void> {
  const host = new URL(endpoint).hostname.replace(/^\[|\]$/g, '');
  const addresses = isIP(host)
    ? [{ address: host, family: isIP(host) }]
    : await lookup(host, { all: true }).catch(() => []);
  const internal = addresses.some(({ address, family }) =>
    INTERNAL.check(address, family === 6 ? 'ipv6' : 'ipv4'),
  );
  if (addresses.length === 0 || internal) {
    throw rpcFailure(
      'invalid_request',
      'endpoint must be a push service on the internet',
      'subscription.endpoint',
    );
  }
}

/**
 * Checks what the schema cannot: an https endpoint without credentials (plain http only to this
 * machine, and only outside production: the local push service), a real P-256 point and a
 * 16-byte secret. Refusals name the field inside the RPC request.
 */
export function checkSubscription(
  subscription: PushSubscription,
  options: { allowLoopbackHttp: boolean },
): CheckedSubscription {
  const { endpoint, keys } = subscription;
  const url = URL.canParse(endpoint) ? new URL(endpoint) : undefined;
  const secure = url?.protocol === 'https:';
  const localTest =
    options.allowLoopbackHttp && url?.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname);
  if (!url || !(secure || localTest) || url.username || url.password) {
    throw rpcFailure(
      'invalid_request',
      'endpoint must be an https URL of a push service',
      'subscription.endpoint',
    );
  }
  const publicKey = Buffer.from(keys.p256dh, 'base64url');
  if (publicKey.length !== 65 || publicKey[0] !== 0x04 || !isP256Point(publicKey)) {
    throw rpcFailure(
      'invalid_request',
      'keys.p256dh must be an uncompressed P-256 public key (65 bytes, base64url)',
      'subscription.keys.p256dh',
    );
  }
  if (Buffer.from(keys.auth, 'base64url').length !== 16) {
    throw rpcFailure(
      'invalid_request',
      'keys.auth must be 16 bytes, base64url',
      'subscription.keys.auth',
    );
  }
  return {
    endpoint: url.href,
    endpointHash: endpointHash(url.href),
    // Stored unpadded, as browsers give them and web-push takes them.
    p256dh: publicKey.toString('base64url'),
    auth: Buffer.from(keys.auth, 'base64url').toString('base64url'),
  };
}

function isP256Point(publicKey: Buffer): boolean {
  try {
    const probe = createECDH('prime256v1');
    probe.generateKeys();
    probe.computeSecret(publicKey);
    return true;
  } catch {
    return false;
  }
}
