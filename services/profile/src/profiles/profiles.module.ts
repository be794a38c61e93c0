import { Module } from '@nestjs/common';
import { LegalController } from '../legal/legal.controller.js';
import { ProfileController } from './profile.controller.js';
import { ProfileRepository } from './profile.repository.js';
import { ProfileService } from './profile.service.js';

@Module({
  controllers: [ProfileController, LegalController],
  providers: [ProfileService, ProfileRepository],
})
export class ProfilesModule {}
