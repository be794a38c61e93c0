import { Module } from '@nestjs/common';
import { SignupMetrics } from '../metrics/signup.metrics.js';
import { SignupConsumer } from './signup.consumer.js';
import { SignupRepository } from './signup.repository.js';

/** Keeps the users' sign-ups, the denominator of activation in the metrics. */
@Module({
  controllers: [SignupConsumer],
  providers: [SignupRepository, SignupMetrics],
})
export class SignupsModule {}
