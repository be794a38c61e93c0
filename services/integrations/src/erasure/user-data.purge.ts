import { Injectable } from '@nestjs/common';
import { ConnectionRemoval } from '../disconnect/connection-removal.js';

/**
 * What integrations holds of a user, removed on account deletion: everything
 * `ConnectionRemoval` knows of, for every provider, the grants revoked in the background.
 */
@Injectable()
export class UserDataPurge {
  constructor(private readonly removal: ConnectionRemoval) {}

  async purge(userId: string): Promise<void> {
    await this.removal.remove(userId);
  }
}
