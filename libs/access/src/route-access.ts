import { SetMetadata } from '@nestjs/common';

/**
 * Every HTTP route declares who may call it; the gateway's guard refuses a route that does not
 * (STYLE.md: "every gateway route declares its guard or an explicit public marker").
 */
export const ROUTE_ACCESS = 'oo:route-access';
export type RouteAccess = 'public' | 'signed-in';

/** Anyone may call this route. */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(ROUTE_ACCESS, 'public');

/** Only a verified session may call this route; the user is the session's, never the body's. */
export const SignedIn = (): MethodDecorator & ClassDecorator =>
  SetMetadata(ROUTE_ACCESS, 'signed-in');
