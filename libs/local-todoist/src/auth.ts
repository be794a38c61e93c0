import { secretToken } from './ids.js';
import type { RevokedToken } from './types.js';

/** How long an authorization code may wait for its exchange. */
const CODE_TTL_MS = 10 * 60 * 1000;

export interface OAuthClient {
  clientId: string;
  clientSecret: string;
  /** The app's configured OAuth redirect URL. */
  redirectUri: string | null;
}

interface Code {
  userId: string;
  clientId: string;
  scope: string;
  expiresAt: number;
}

/** One authorisation of the app by a user: its tokens live and die together (RFC 7009 §2.1). */
interface Grant {
  id: number;
  userId: string;
  clientId: string;
  scope: string;
  revoked: boolean;
}

interface AccessToken {
  grant: Grant;
  expiresAt: number | null;
  expired: boolean;
}

interface RefreshToken {
  grant: Grant;
  /** Set once it was used: a rotated refresh token is refused afterwards. */
  rotated: boolean;
}

export interface IssuedTokens {
  access_token: string;
  token_type: 'Bearer';
  expires_in?: number;
  refresh_token?: string;
}

export type TokenError = 'invalid_client' | 'invalid_grant' | 'unsupported_grant_type';

/** Todoist OAuth's state: codes, grants, access and refresh tokens, revocations. */
export class AuthStore {
  private readonly codes = new Map<string, Code>();
  private readonly accessTokens = new Map<string, AccessToken>();
  private readonly refreshTokens = new Map<string, RefreshToken>();
  private readonly revoked: RevokedToken[] = [];
  private grantSeq = 0;

  constructor(
    readonly client: OAuthClient,
    private readonly tokenTtlSeconds: number | null,
  ) {}

  authenticates(clientId: string | undefined, clientSecret: string | undefined): boolean {
    return clientId === this.client.clientId && clientSecret === this.client.clientSecret;
  }

  issueCode(userId: string, scope: string): string {
    const code = secretToken();
    this.codes.set(code, {
      userId,
      clientId: this.client.clientId,
      scope,
      expiresAt: Date.now() + CODE_TTL_MS,
    });
    return code;
  }

  /** Exchanges a code (single use: it is gone whether or not the exchange succeeds). */
  exchangeCode(code: string): IssuedTokens | TokenError {
    const entry = this.codes.get(code);
    this.codes.delete(code);
    if (!entry || entry.expiresAt < Date.now()) return 'invalid_grant';
    this.grantSeq += 1;
    const grant: Grant = {
      id: this.grantSeq,
      userId: entry.userId,
      clientId: entry.clientId,
      scope: entry.scope,
      revoked: false,
    };
    return this.issueTokens(grant);
  }

  /** Trades a refresh token for new tokens; the old refresh token is refused from then on. */
  refresh(refreshToken: string): IssuedTokens | TokenError {
    const entry = this.refreshTokens.get(refreshToken);
    if (!entry || entry.rotated || entry.grant.revoked) return 'invalid_grant';
    entry.rotated = true;
    return this.issueTokens(entry.grant);
  }

  /** The Todoist user a bearer token acts for, or null when it is unknown, expired or revoked. */
  userOf(accessToken: string): string | null {
    const entry = this.accessTokens.get(accessToken);
    if (!entry || entry.expired || entry.grant.revoked) return null;
    if (entry.expiresAt !== null && entry.expiresAt <= Date.now()) return null;
    return entry.grant.userId;
  }

  /** RFC 7009: revokes the token's whole grant; an unknown token is no error. */
  revoke(token: string): void {
    const grant = this.accessTokens.get(token)?.grant ?? this.refreshTokens.get(token)?.grant;
    if (!grant || grant.revoked) return;
    grant.revoked = true;
    this.revoked.push({
      userId: grant.userId,
      kind: this.accessTokens.has(token) ? 'access' : 'refresh',
      revokedAt: new Date().toISOString(),
    });
  }

  expireAll(): void {
    for (const entry of this.accessTokens.values()) entry.expired = true;
  }

  /** Whether the user has authorised the app and not revoked it (webhooks flow only then). */
  hasAuthorised(userId: string): boolean {
    for (const { grant } of this.accessTokens.values())
      if (grant.userId === userId && !grant.revoked) return true;
    return false;
  }

  revokedTokens(): RevokedToken[] {
    return [...this.revoked];
  }

  private issueTokens(grant: Grant): IssuedTokens {
    const accessToken = secretToken();
    const ttl = this.tokenTtlSeconds;
    this.accessTokens.set(accessToken, {
      grant,
      expiresAt: ttl === null ? null : Date.now() + ttl * 1000,
      expired: false,
    });
    if (ttl === null) return { access_token: accessToken, token_type: 'Bearer' };
    const refreshToken = secretToken();
    this.refreshTokens.set(refreshToken, { grant, rotated: false });
    return {
      access_token: accessToken,
      token_type: 'Bearer',
      expires_in: ttl,
      refresh_token: refreshToken,
    };
  }
}
