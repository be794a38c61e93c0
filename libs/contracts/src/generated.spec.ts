import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateContracts } from '../scripts/codegen.js';

const rootDir = fileURLToPath(new URL('../../../', import.meta.url));

describe('generated contracts', () => {
  it('match schemas/ (run `npm run contracts:generate` after editing a schema)', async () => {
    for (const file of await generateContracts(rootDir)) {
      const committed = await readFile(join(rootDir, file.path), 'utf8');
      expect({ path: file.path, content: committed }).toEqual(file);
    }
  });
});
