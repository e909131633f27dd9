import { spawnSync } from 'node:child_process';

// The end-to-end tests run against the production build, the way a kiosk receives it.
export default function globalSetup(): void {
  const r = spawnSync('npx', ['vite', 'build', '--logLevel', 'warn'], { stdio: 'inherit' });
  if (r.status !== 0) throw new Error('vite build failed');
}
