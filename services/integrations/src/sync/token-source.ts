import { Injectable } from '@nestjs/common';
import { ConnectionRepository } from '../connections/connection.repository.js';

/**
 * Where a sync gets the access token for a call to the provider. The stored token today;
 * the refresh work replaces this provider with one that refreshes an expired token first
 * (`ConnectionRepository.replaceTokens`), and nothing in the sync changes.
 */
export abstract class TokenSource {
  /** The access token to send; undefined when the user is not connected. */
  abstract accessToken(userId: string, provider: string): Promise<string | undefined>;
}

@Injectable()
export class StoredTokenSource extends TokenSource {
  constructor(private readonly connections: ConnectionRepository) {
    super();
  }

  async accessToken(userId: string, provider: string): Promise<string | undefined> {
    return (await this.connections.readTokens(userId, provider))?.accessToken;
  }
}
