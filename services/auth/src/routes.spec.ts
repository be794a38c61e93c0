import { declaredHttpRoutes, tableHttpRoutes } from '@oo/testing';
import { AuthModule } from './auth.module.js';

describe('the route table of schemas/http/routes.json', () => {
  it('lists exactly the /auth routes auth serves (the gateway proxies them)', () => {
    expect(new Set(declaredHttpRoutes(AuthModule))).toEqual(
      new Set(tableHttpRoutes().filter((route) => route.includes(' /auth/'))),
    );
  });
});
