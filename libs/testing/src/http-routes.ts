import { RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants.js';
import { httpRoutes } from '@oo/contracts';

type ControllerClass = new (...args: never[]) => unknown;

/** The HTTP routes a Nest module's controllers declare, as `METHOD /path` (`:id` as `{id}`). */
export function declaredHttpRoutes(module: object): string[] {
  const controllers = (Reflect.getMetadata('controllers', module) ?? []) as ControllerClass[];
  return controllers.flatMap((controller) => {
    const prefix = String(Reflect.getMetadata(PATH_METADATA, controller) ?? '');
    return Object.getOwnPropertyNames(controller.prototype)
      .filter((name) => name !== 'constructor')
      .map((name) => (controller.prototype as Record<string, object>)[name]!)
      .filter((handler) => Reflect.hasMetadata(PATH_METADATA, handler))
      .map((handler) => {
        const method = RequestMethod[Reflect.getMetadata(METHOD_METADATA, handler) as number];
        const path = String(Reflect.getMetadata(PATH_METADATA, handler));
        const full = `/${[prefix, path === '/' ? '' : path]
          .flatMap((part) => part.split('/'))
          .filter(Boolean)
          .join('/')}`.replace(/:(\w+)/g, '{$1}');
        return `${method} ${full}`;
      });
  });
}

/** The routes of schemas/http/routes.json, as `METHOD /path`. */
export function tableHttpRoutes(): string[] {
  return Object.values(httpRoutes).map((route) => `${route.method.toUpperCase()} ${route.path}`);
}
