import { Module } from '@nestjs/common';
import { DeletionController } from '../deletion/deletion.controller.js';
import { DeletionRepository } from '../deletion/deletion.repository.js';
import { DeletionService } from '../deletion/deletion.service.js';
import { LegalController } from '../legal/legal.controller.js';
import { ProfileController } from './profile.controller.js';
import { ProfileRepository } from './profile.repository.js';
import { ProfileService } from './profile.service.js';

@Module({
  controllers: [ProfileController, LegalController, DeletionController],
  providers: [ProfileService, ProfileRepository, DeletionService, DeletionRepository],
})
export class ProfilesModule {}
