import type { ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { Public, SignedIn } from '@oo/access';
import {
  generateSigningKey,
  parseSigningKeys,
  publicJwks,
  signSessionToken,
  verificationKeys,
} from '@oo/sessions';
import type { GatewayEnv } from '../config/env.js';
import { AccessGuard } from './access.guard.js';
import type { SessionChecksRepository } from './session-checks.repository.js';
import type { SessionKeysService } from './session-keys.service.js';

class Routes {
  @Public() open(): void {}
  @SignedIn() mine(): void {}
  forgotten(): void {}
}

const [key] = parseSigningKeys(generateSigningKey('k1'));
const keys = verificationKeys(publicJwks([key!]));
const token = await signSessionToken(key!, { userId: 'u1', sessionId: 's1' }, 900);
const env = { OO_ENV: 'test', PUBLIC_URL: 'http://oo.test' } as GatewayEnv;
const guard = new AccessGuard(
  env,
  new Reflector(),
  { current: () => keys } as SessionKeysService,
  { check: () => Promise.resolve({ outcome: 'ok' }) } as unknown as SessionChecksRepository,
);

function context(
  handler: keyof Routes,
  method: string,
  headers: Record<string, string>,
): ExecutionContext {
  const request = { method, headers };
  return {
    getType: () => 'http',
    getHandler: () => Routes.prototype[handler],
    getClass: () => Routes,
    switchToHttp: () => ({ getRequest: () => request }),
  } as unknown as ExecutionContext;
}

const failure = (promise: Promise<boolean>): Promise<unknown> =>
  promise.then(
    () => undefined,
    (error: { getStatus(): number; getResponse(): unknown }) => ({
      status: error.getStatus(),
      body: error.getResponse(),
    }),
  );

describe('AccessGuard', () => {
  const signedIn = `oo_session=${token}; oo_csrf=abc123`;

  it('refuses a route that declares no access rule', async () => {
    expect(await failure(guard.canActivate(context('forgotten', 'GET', {})))).toMatchObject({
      status: 500,
      body: { error: { message: 'This route declares no access rule' } },
    });
  });

  it('needs X-OO-CSRF equal to the oo_csrf cookie on a signed-in mutation', async () => {
    expect(
      await failure(guard.canActivate(context('mine', 'PATCH', { cookie: signedIn }))),
    ).toMatchObject({
      status: 403,
      body: { error: { code: 'forbidden', message: /X-OO-CSRF/ } },
    });
    const wrong = { cookie: signedIn, 'x-oo-csrf': 'abc124' };
    expect(await failure(guard.canActivate(context('mine', 'PATCH', wrong)))).toMatchObject({
      status: 403,
    });
    const right = { cookie: signedIn, 'x-oo-csrf': 'abc123', origin: 'http://oo.test' };
    await expect(guard.canActivate(context('mine', 'PATCH', right))).resolves.toBe(true);
    await expect(guard.canActivate(context('mine', 'GET', { cookie: signedIn }))).resolves.toBe(
      true,
    );
  });

  it('refuses a mutation from another origin even with the right CSRF token', async () => {
    const headers = { cookie: signedIn, 'x-oo-csrf': 'abc123', origin: 'https://evil.example' };
    expect(await failure(guard.canActivate(context('mine', 'DELETE', headers)))).toMatchObject({
      status: 403,
    });
    expect(await failure(guard.canActivate(context('open', 'POST', headers)))).toMatchObject({
      status: 403,
    });
  });
});
