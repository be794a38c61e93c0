import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';

/** The verified session of a signed-in request. */
export interface Session {
  userId: string;
  sessionId: string;
  expiresAt: string;
  /** The token's claims (empty for a token signed before auth added them). */
  name: string;
  email: string;
  roles: string[];
}

export type SessionRequest = FastifyRequest & { session?: Session };

/** The session the access guard verified; routes take the user from here, never from input. */
export const CurrentSession = createParamDecorator((_: unknown, context: ExecutionContext) => {
  const session = context.switchToHttp().getRequest<SessionRequest>().session;
  if (!session) throw new Error('CurrentSession on a route that is not @SignedIn()');
  return session;
});
