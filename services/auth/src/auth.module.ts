import { Module } from '@nestjs/common';
import { AccountRepository } from './accounts/account.repository.js';
import { AccountService } from './accounts/account.service.js';
import { GoogleOAuthService } from './google/google-oauth.service.js';
import { GoogleController } from './google/google.controller.js';
import { RefreshTokenRepository } from './sessions/refresh-token.repository.js';
import { SessionCookies } from './sessions/session-cookies.js';
import { KeysController } from './sessions/keys.controller.js';
import { SessionController } from './sessions/session.controller.js';
import { SessionService } from './sessions/session.service.js';

@Module({
  controllers: [SessionController, GoogleController, KeysController],
  providers: [
    GoogleOAuthService,
    AccountRepository,
    AccountService,
    RefreshTokenRepository,
    SessionService,
    SessionCookies,
  ],
  exports: [AccountRepository],
})
export class AuthModule {}
