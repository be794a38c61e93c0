import { Module } from '@nestjs/common';
import { CompletionLedger } from './completion-ledger.js';

/** `task_completion` and the one `task.completed` per completion it guards. */
@Module({
  providers: [CompletionLedger],
  exports: [CompletionLedger],
})
export class CompletionsModule {}
