import { Module } from '@nestjs/common';
import { DecidingModule } from '../deciding/deciding.module.js';
import { GoneTasks } from './gone-tasks.js';
import { TaskSetConsumer } from './task-set.consumer.js';

/** Follows the users' open task sets: a tip whose task left them ends. */
@Module({
  imports: [DecidingModule],
  controllers: [TaskSetConsumer],
  providers: [GoneTasks],
})
export class TaskSetModule {}
