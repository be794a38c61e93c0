import { BaseRpcContext } from '@nestjs/microservices';
import type { EventContext } from '../consumer/event-consumer.js';

/** What `@Ctx()` gives a JetStream event handler. */
export class JetStreamContext extends BaseRpcContext<[EventContext]> {
  get message(): EventContext {
    return this.args[0];
  }
}
