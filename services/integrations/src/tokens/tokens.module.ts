import { Module } from '@nestjs/common';
import { INTEGRATIONS_ENV, type IntegrationsEnv } from '../config/env.js';
import { TokenCipher } from './token-cipher.js';

/** The cipher for OAuth tokens at rest, keyed from TOKEN_ENCRYPTION_KEYS. */
@Module({
  providers: [
    {
      provide: TokenCipher,
      inject: [INTEGRATIONS_ENV],
      useFactory: (env: IntegrationsEnv) => new TokenCipher(env.TOKEN_ENCRYPTION_KEYS),
    },
  ],
  exports: [TokenCipher],
})
export class TokensModule {}
