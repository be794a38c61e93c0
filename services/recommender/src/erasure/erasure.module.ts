import { Module } from '@nestjs/common';
import { UserDataPurge } from './user-data.purge.js';

/** Provides the recommender's purge to the `UserErasureModule` (account deletion). */
@Module({
  providers: [UserDataPurge],
  exports: [UserDataPurge],
})
export class ErasureModule {}
