// `npm run web:build`: builds the SPA into web/dist, which the gateway serves (WEB_APP_DIR).
import { buildWebApp, WEB_DIST } from '../web-build.js';

try {
  const { ms } = await buildWebApp({ force: true });
  console.log(`built the web app into ${WEB_DIST} in ${Math.round(ms)} ms`);
} catch (error) {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
}
