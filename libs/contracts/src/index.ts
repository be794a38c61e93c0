export * from './generated/types.js';
export {
  envelopeSchema,
  eventSchemas,
  rpcSchemas,
  currentEventVersions,
  httpRoutes,
} from './generated/schemas.js';
export * from './subjects.js';
export * from './envelope.js';
export * from './validation.js';
export * from './rpc.js';
export * from './openapi.js';
