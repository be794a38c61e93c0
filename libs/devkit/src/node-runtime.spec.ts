import { execFileSync } from 'node:child_process';

// The project runs on Node 24 LTS even where the machine's own Node is older: the pinned `node`
// devDependency puts its binary first on the PATH of every npm script (README, "Two commands").
describe('the Node runtime', () => {
  it('runs the tests on Node 24', () => {
    expect(process.version).toMatch(/^v24\./);
  });

  it('puts Node 24 first on the PATH of npm scripts, so child processes get it too', () => {
    expect(execFileSync('node', ['--version'], { encoding: 'utf8' }).trim()).toMatch(/^v24\./);
  });
});
