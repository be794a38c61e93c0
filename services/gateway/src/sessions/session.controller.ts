import { Controller, Get, Query } from '@nestjs/common';
import { parseInput } from '@oo/platform';
import { SignedIn } from '@oo/access';
import { CurrentSession, type Session } from './current-session.js';

/** `GET /api/session`: who is signed in (the SPA's route guard asks this). */
@Controller('api/session')
export class SessionController {
  @Get()
  @SignedIn()
  current(@CurrentSession() session: Session, @Query() query: unknown): Session {
    parseInput('session.get', 'query', query);
    return session;
  }
}
