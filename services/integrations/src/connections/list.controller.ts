import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import {
  RPC,
  type IntegrationsListRequest,
  type IntegrationsListResponse,
  type IntegrationSummary,
} from '@oo/contracts';
import { RpcContractPipe } from '@oo/messaging';
import { ConnectionRepository } from './connection.repository.js';

/** Every provider oO can connect, in the order the app shows them. */
export const PROVIDERS = ['todoist'] as const;

/** `rpc.integrations.list`: each supported provider and how the user's connection stands. */
@Controller()
export class ListController {
  constructor(private readonly connections: ConnectionRepository) {}

  @MessagePattern(RPC.integrations.list)
  async list(
    @Payload(new RpcContractPipe(RPC.integrations.list)) request: IntegrationsListRequest,
  ): Promise<IntegrationsListResponse> {
    const rows = new Map(
      (await this.connections.list(request.userId)).map((row) => [row.provider, row]),
    );
    const integrations = PROVIDERS.map((provider): IntegrationSummary => {
      const row = rows.get(provider);
      return row
        ? {
            provider,
            connected: true,
            connectedAt: row.connectedAt.toISOString(),
            lastSyncAt: row.lastSyncAt?.toISOString() ?? null,
            status: row.status,
          }
        : {
            provider,
            connected: false,
            connectedAt: null,
            lastSyncAt: null,
            status: 'not_connected',
          };
    });
    return { integrations };
  }
}
