import { Module } from '@nestjs/common';
import { CompletionsModule } from '../completions/completions.module.js';
import { ConnectionsModule } from '../connections/connections.module.js';
import { SyncModule } from '../sync/sync.module.js';
import { TodoistModule } from '../todoist/todoist.module.js';
import { CloseIntents } from './close-intents.js';
import { CloseOnDone } from './close-on-done.js';
import { CloseOnDoneConsumer } from './close-on-done.consumer.js';

/** Closing a task at its app when the user marks its tip done. */
@Module({
  imports: [ConnectionsModule, SyncModule, TodoistModule, CompletionsModule],
  controllers: [CloseOnDoneConsumer],
  providers: [CloseOnDone, CloseIntents],
})
export class CloseModule {}
