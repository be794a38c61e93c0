// `npm run build`: compiles every lib and service to JavaScript in its own dist/ (swc), which
// the libs' `default` export and `node services/<name>/dist/main.js` use; no type check
// (that is `npm run typecheck`).
import { compileWorkspace } from '../build/compile.js';
import { REPO_ROOT } from '../ts-process.js';

const started = performance.now();
const results = await compileWorkspace(REPO_ROOT);
let files = 0;
for (const { compiled, copied } of results.values()) files += compiled + copied;
console.log(
  `compiled ${results.size} projects (${files} files) in ${Math.round(performance.now() - started)} ms`,
);
