export { Public, ROUTE_ACCESS, SignedIn, type RouteAccess } from './route-access.js';
