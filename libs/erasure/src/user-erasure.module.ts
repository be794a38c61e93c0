import {
  Controller,
  Inject,
  Module,
  type DynamicModule,
  type FactoryProvider,
  type ModuleMetadata,
} from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { createEnvelope, type Envelope } from '@oo/contracts';
import { EventPublisher } from '@oo/messaging';
import { SERVICE_NAME } from '@oo/observability';
import { v5 as uuidv5 } from 'uuid';

/** Removes everything a service holds of one user; must be safe to run again. */
export type UserPurge = (userId: string) => Promise<void>;

export const USER_PURGE = Symbol('USER_PURGE');

type ModuleImports = NonNullable<ModuleMetadata['imports']>;

// Namespace of the confirmations' event ids: one id per (service, deletion), so a redelivered
// deletion confirms again with the same id and the stream drops the copy.
const CONFIRMATION_NAMESPACE = '6f0c7c1e-4a55-4a8e-9a53-0b0a2e6f7d11';

/**
 * The deletion saga's part in every service: on `signals.user.deleted.<u>` it runs the service's
 * purge, then confirms with `signals.user.purged.<u> {service}` (profile counts them).
 */
@Controller()
class UserErasureConsumer {
  constructor(
    @Inject(USER_PURGE) private readonly purge: UserPurge,
    @Inject(SERVICE_NAME) private readonly service: string,
    private readonly publisher: EventPublisher,
  ) {}

  @EventPattern<string>('signals.user.deleted.*')
  async onUserDeleted(@Payload() event: Envelope<'user.deleted'>): Promise<void> {
    await this.purge(event.userId);
    await this.publisher.publishEnvelope(
      createEnvelope(
        'user.purged',
        event.userId,
        { service: this.service },
        { id: uuidv5(`${this.service}:${event.id}`, CONFIRMATION_NAMESPACE) },
      ),
    );
  }
}

@Module({})
export class UserErasureModule {
  /**
   * `purge` is built by Nest, so it can use the service's repositories (`inject`, from the
   * modules in `imports`).
   */
  static forRoot(
    purge: Omit<FactoryProvider<UserPurge>, 'provide'> & { imports?: ModuleImports },
  ): DynamicModule {
    const { imports = [], ...factory } = purge;
    return {
      module: UserErasureModule,
      imports,
      controllers: [UserErasureConsumer],
      providers: [{ ...factory, provide: USER_PURGE }],
    };
  }
}
