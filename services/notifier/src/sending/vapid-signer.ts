import webpush from 'web-push';

/** RFC 8292 allows up to 24 h; a JWT is signed for 12 h and used for at most 11. */
const JWT_LIFETIME_S = 12 * 3600;
const REUSE_MS = 11 * 3600_000;

export interface VapidKeys {
  subject: string;
  publicKey: string;
  privateKey: string;
}

/**
 * The `Authorization: vapid t=…, k=…` header per push service origin (the JWT's `aud`), signed
 * once and reused until near its expiry: an ES256 signature per push would cost more than the
 * encryption itself.
 */
export class VapidSigner {
  private readonly headers = new Map<string, { value: string; until: number }>();

  constructor(private readonly keys: VapidKeys) {}

  authorization(endpoint: string, now = Date.now()): string {
    const audience = new URL(endpoint).origin;
    const cached = this.headers.get(audience);
    if (cached && cached.until > now) return cached.value;
    const { Authorization } = webpush.getVapidHeaders(
      audience,
      this.keys.subject,
      this.keys.publicKey,
      this.keys.privateKey,
      'aes128gcm',
      Math.floor(now / 1000) + JWT_LIFETIME_S,
    );
    this.headers.set(audience, { value: Authorization, until: now + REUSE_MS });
    return Authorization;
  }
}
