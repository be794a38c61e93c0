import { Module } from '@nestjs/common';
import { TaskHoldRepository } from '../holds/task-hold.repository.js';
import { ReactingModule } from '../reacting/reacting.module.js';
import { DelayedRewards } from './delayed-rewards.js';
import { RewardsMetrics } from './rewards.metrics.js';
import { RewardsSweeper } from './rewards-sweeper.js';
import { TaskCompletedConsumer } from './task-completed.consumer.js';
import { TipExpiry } from './tip-expiry.js';

/**
 * The rewards oO infers without the user pressing anything: a completion seen at the task app
 * (delayed reward) and a tip left alone for the expiry window (expired), plus the sweeper that
 * also relays unpublished feedback and prunes holds. Needs the `CLOCK` among the stores.
 */
@Module({
  imports: [ReactingModule],
  controllers: [TaskCompletedConsumer],
  providers: [DelayedRewards, TipExpiry, RewardsSweeper, RewardsMetrics, TaskHoldRepository],
  exports: [RewardsSweeper],
})
export class RewardsModule {}
