import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateContracts } from './codegen.js';

const rootDir = fileURLToPath(new URL('../../../', import.meta.url));
for (const file of await generateContracts(rootDir)) {
  await writeFile(join(rootDir, file.path), file.content);
  console.log(`wrote ${file.path}`);
}
