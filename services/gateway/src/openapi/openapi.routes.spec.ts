import { openApiDocument } from '@oo/contracts';
import { declaredHttpRoutes, tableHttpRoutes } from '@oo/testing';
import { GatewayModule } from '../gateway.module.js';

describe('the route table of schemas/http/routes.json', () => {
  it('lists exactly the routes the gateway serves (and /auth/*, which it proxies to auth)', () => {
    const declared = declaredHttpRoutes(GatewayModule);
    expect(declared).toContain('ALL /auth/*');
    const served = declared.filter((route) => route !== 'ALL /auth/*');
    const table = tableHttpRoutes();
    expect(new Set(table.filter((route) => !route.includes(' /auth/')))).toEqual(new Set(served));
  });

  it('becomes an OpenAPI 3.1 document with the session cookie as the security scheme', () => {
    const document = openApiDocument as {
      openapi: string;
      paths: Record<string, Record<string, { security: unknown[] }>>;
    };
    expect(document.openapi).toBe('3.1.0');
    expect(Object.keys(document.paths).sort()).toEqual(
      [...new Set(tableHttpRoutes().map((route) => route.split(' ')[1]))].sort(),
    );
    expect(document.paths['/api/me']!['patch']!.security).toEqual([{ session: [] }]);
    expect(document.paths['/api/legal/{document}']!['get']!.security).toEqual([]);
  });
});
