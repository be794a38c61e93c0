import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { RPC, type IntegrationsTasksRequest, type IntegrationsTasksResponse } from '@oo/contracts';
import { RpcContractPipe, SerializedReply } from '@oo/messaging';
import { TaskSyncCoordinator } from './task-sync.coordinator.js';

/** `rpc.integrations.tasks`: the recommender's source of candidate tasks. */
@Controller()
export class TasksController {
  constructor(private readonly coordinator: TaskSyncCoordinator) {}

  @MessagePattern(RPC.integrations.tasks)
  async tasks(
    @Payload(new RpcContractPipe(RPC.integrations.tasks)) request: IntegrationsTasksRequest,
  ): Promise<SerializedReply<IntegrationsTasksResponse>> {
    const answer = await this.coordinator.tasks(request.userId, request.taskIds);
    // The whole set is the same object while it is unchanged: its JSON is made once, not per call.
    return SerializedReply.of(answer);
  }
}
