import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { RPC, type IntegrationsTasksRequest, type IntegrationsTasksResponse } from '@oo/contracts';
import { RpcContractPipe } from '@oo/messaging';
import { TaskSyncCoordinator } from './task-sync.coordinator.js';

/** `rpc.integrations.tasks`: the recommender's source of candidate tasks. */
@Controller()
export class TasksController {
  constructor(private readonly coordinator: TaskSyncCoordinator) {}

  @MessagePattern(RPC.integrations.tasks)
  tasks(
    @Payload(new RpcContractPipe(RPC.integrations.tasks)) request: IntegrationsTasksRequest,
  ): Promise<IntegrationsTasksResponse> {
    return this.coordinator.tasks(request.userId);
  }
}
