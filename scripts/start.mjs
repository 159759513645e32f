// `npm start`: builds once if there is no build yet (e.g. installed with --ignore-scripts), then runs the server.
import { existsSync } from 'node:fs';
import { execSync } from 'node:child_process';

if (!existsSync(new URL('../server/dist/main.js', import.meta.url))) {
  execSync('npm run build', { stdio: 'inherit', cwd: new URL('..', import.meta.url) });
}
// A demo install shows its dashboards with a few thousand fictional appeals (DEMO_APPEALS=0 for none).
process.env.DEMO_APPEALS ??= '3000';
await import('../server/dist/main.js');
