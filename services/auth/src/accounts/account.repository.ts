import { Injectable } from '@nestjs/common';
import { v7 as uuidv7 } from 'uuid';
import { isUniqueViolation } from '@oo/database';
import { PrismaClient } from '../generated/prisma/client.js';

export interface Identity {
  provider: 'google' | 'dev';
  /** Google's `sub`; for dev sign-in, the email. */
  subject: string;
  email: string;
  name: string;
}

export interface Account {
  id: string;
  email: string;
  name: string;
}

/** Users and their sign-in identities (Postgres schema `auth`). */
@Injectable()
export class AccountRepository {
  constructor(private readonly prisma: PrismaClient) {}

  async findByIdentity(provider: string, subject: string): Promise<Account | undefined> {
    const identity = await this.prisma.identity.findUnique({
      where: { provider_subject: { provider, subject } },
      include: { user: true },
    });
    return identity ? pick(identity.user) : undefined;
  }

  async findById(userId: string): Promise<Account | undefined> {
    const user = await this.prisma.user.findUnique({ where: { id: userId } });
    return user ? pick(user) : undefined;
  }

  /**
   * Creates the user and their identity, running `beforeCommit` inside the transaction (the
   * signed_up event is published there, so a user never exists without it). Returns undefined
   * when a concurrent first sign-in of the same identity won the race.
   */
  async create(
    identity: Identity,
    beforeCommit: (account: Account) => Promise<void>,
  ): Promise<Account | undefined> {
    try {
      return await this.prisma.$transaction(async (tx) => {
        const user = await tx.user.create({
          data: {
            id: uuidv7(),
            email: identity.email,
            name: identity.name,
            identities: { create: { provider: identity.provider, subject: identity.subject } },
          },
        });
        await beforeCommit(pick(user));
        return pick(user);
      });
    } catch (error) {
      if (isUniqueViolation(error)) return undefined;
      throw error;
    }
  }

  /** Removes the user with their identities and sessions (the foreign keys cascade). */
  async purge(userId: string): Promise<void> {
    await this.prisma.user.deleteMany({ where: { id: userId } });
  }
}

function pick(user: { id: string; email: string; name: string }): Account {
  return { id: user.id, email: user.email, name: user.name };
}
