import { Module } from '@nestjs/common';
import { DeletionController } from '../deletion/deletion.controller.js';
import { DeletionRepository } from '../deletion/deletion.repository.js';
import { PurgeConfirmationConsumer } from '../deletion/purge-confirmation.consumer.js';
import { DeletionService } from '../deletion/deletion.service.js';
import { LegalController } from '../legal/legal.controller.js';
import { ProfileController } from './profile.controller.js';
import { ProfileRepository } from './profile.repository.js';
import { ProfileService } from './profile.service.js';

@Module({
  controllers: [ProfileController, LegalController, DeletionController, PurgeConfirmationConsumer],
  providers: [ProfileService, ProfileRepository, DeletionService, DeletionRepository],
  exports: [ProfileRepository, DeletionService],
})
export class ProfilesModule {}
