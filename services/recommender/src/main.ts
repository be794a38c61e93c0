import { runService } from '@oo/platform';
import { createApp } from './app.factory.js';

await runService(createApp);
