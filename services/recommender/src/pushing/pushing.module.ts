import { Module } from '@nestjs/common';
import { DecidingModule } from '../deciding/deciding.module.js';
import { PushDecisionSweeper } from './push-decision-sweeper.js';
import { PushSentConsumer } from './push-sent.consumer.js';

/** Push decisions: served once a device accepted them, dropped when none did. */
@Module({
  imports: [DecidingModule],
  controllers: [PushSentConsumer],
  providers: [PushDecisionSweeper],
  exports: [PushDecisionSweeper],
})
export class PushingModule {}
