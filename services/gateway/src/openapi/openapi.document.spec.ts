import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants.js';
import { RequestMethod } from '@nestjs/common';
import { GatewayModule } from '../gateway.module.js';
import { DOCUMENTED_ROUTES, openApiDocument } from './openapi.document.js';

type ControllerClass = new (...args: never[]) => unknown;

/** Routes the gateway's controllers declare, as `METHOD /path` (the /auth proxy as `ALL /auth/*`). */
function declaredRoutes(): string[] {
  const controllers = Reflect.getMetadata('controllers', GatewayModule) as ControllerClass[];
  return controllers.flatMap((controller) => {
    const prefix = String(Reflect.getMetadata(PATH_METADATA, controller) ?? '');
    return Object.getOwnPropertyNames(controller.prototype)
      .filter((name) => name !== 'constructor')
      .map((name) => (controller.prototype as Record<string, object>)[name]!)
      .filter((handler) => Reflect.hasMetadata(PATH_METADATA, handler))
      .map((handler) => {
        const method = RequestMethod[Reflect.getMetadata(METHOD_METADATA, handler) as number];
        const path = String(Reflect.getMetadata(PATH_METADATA, handler));
        const full = `/${[prefix, path === '/' ? '' : path].filter(Boolean).join('/')}`.replace(
          /:(\w+)/g,
          '{$1}',
        );
        return `${method} ${full}`;
      });
  });
}

describe('the OpenAPI document', () => {
  it('documents exactly the routes the controllers serve', () => {
    const documented = DOCUMENTED_ROUTES.map(
      (route) => `${route.method.toUpperCase()} ${route.path}`,
    );
    const declared = declaredRoutes();
    expect(declared).toContain('ALL /auth/*');
    const served = declared.filter((route) => route !== 'ALL /auth/*');
    const documentedOutsideAuth = documented.filter((route) => !route.includes(' /auth/'));
    expect(new Set(documentedOutsideAuth)).toEqual(
      new Set(served.filter((route) => route !== 'GET /api/docs')),
    );
  });

  it('is OpenAPI 3.1 with the session cookie as the security scheme', () => {
    const document = openApiDocument('https://oo.example') as {
      openapi: string;
      paths: Record<string, Record<string, { security: unknown[] }>>;
    };
    expect(document.openapi).toBe('3.1.0');
    expect(document.paths['/api/me']!['patch']!.security).toEqual([{ session: [] }]);
    expect(document.paths['/api/legal/{document}']!['get']!.security).toEqual([]);
  });
});
