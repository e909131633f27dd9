// Type-checks each runtime against its own lib (DESIGN §2): the domain without DOM or Node
// types, the web shells with the DOM, workers and the service worker with WebWorker, the server
// with Node, and the tests. A tsconfig per runtime is what keeps `document` out of the domain.
import { spawnSync } from 'node:child_process';

const projects = ['domain', 'web', 'worker', 'server', 'test'];
let failed = false;
for (const name of projects) {
  const r = spawnSync('npx', ['tsc', '-p', `tsconfig.${name}.json`], { stdio: 'inherit' });
  if (r.status !== 0) {
    console.error(`type-check failed: tsconfig.${name}.json`);
    failed = true;
  }
}
process.exit(failed ? 1 : 0);
