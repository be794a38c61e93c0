export { Topology } from './topology.js';
export { connectToNats, type NatsConnection, type NatsConnectOptions } from './connection.js';
export {
  advisoryStreamConfig,
  deadLetterStreamConfig,
  ensureDurableConsumer,
  ensureStreams,
  signalsStreamConfig,
  type DurableConsumerSpec,
} from './provisioning.js';
export { EventPublisher, UnpublishableEventError, type PublishResult } from './publisher.js';
export { publishOutboxEntry, type OutboxEntry } from './outbox-entry.js';
export { MessagingMetrics } from './metrics.js';
export {
  DEFAULT_CONSUMER_SETTINGS,
  EventConsumer,
  type EventConsumerOptions,
  type EventConsumerSettings,
  type EventContext,
  type EventHandler,
} from './consumer/event-consumer.js';
export {
  backoffDelay,
  InvalidEventError,
  type BackoffPolicy,
  type DeadLetterKind,
} from './consumer/errors.js';
export {
  DEAD_LETTER_HEADERS,
  DeadLetterWriter,
  UNPUBLISHABLE_KIND,
} from './consumer/dead-letter.js';
export {
  DeliveryLimitWatcher,
  type DeliveryLimitWatcherOptions,
} from './consumer/delivery-limit-watcher.js';
export { JetStreamContext } from './nest/jetstream.context.js';
export { EventErrorPassthroughFilter } from './nest/event-error.filter.js';
export {
  JETSTREAM_TRANSPORT,
  JetStreamServer,
  type EventPatternExtras,
  type JetStreamServerOptions,
} from './nest/jetstream.server.js';
export {
  MessagingModule,
  NATS_CONNECTION,
  type MessagingModuleOptions,
} from './nest/messaging.module.js';
export { RpcServer, type RpcServerOptions } from './rpc/rpc.server.js';
export {
  RpcRoute,
  type RpcRouteAnswer,
  type RpcRouteOptions,
  type RpcRouteOutcome,
} from './rpc/rpc-route.js';
export { RpcReplySerializer, SerializedReply } from './rpc/serialized-reply.js';
export { RpcCallError, RpcClient } from './rpc/rpc.client.js';
export { NoReplyError, type NoReply } from './rpc/reply-inbox.js';
export { RpcContractPipe, rpcFailure } from './rpc/rpc-contract.pipe.js';
export { natsHealthCheck } from './health.js';
export { jetstream, jetstreamManager } from '@nats-io/jetstream';
