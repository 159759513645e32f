import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// The end-to-end tests (e2e/) always run the server on a fresh PostgreSQL database, whatever DATABASE_URL says, so CI
// runs them once, in its PostgreSQL pass (SHAAR_SKIP_E2E=1 in the PGlite pass). `npm test` alone runs everything.
const e2e = process.env.SHAAR_SKIP_E2E === '1' ? [] : ['e2e/**/*.e2e.test.ts'];

export default defineConfig({
  resolve: {
    // Tests run the TypeScript sources of the workspaces, not their builds.
    alias: { '@shaar/contracts': fileURLToPath(new URL('./contracts/src/index.ts', import.meta.url)) },
  },
  test: {
    include: ['contracts/src/**/*.test.ts', 'server/src/**/*.test.ts', 'server/test/**/*.test.ts', ...e2e],
    testTimeout: 30_000,
    hookTimeout: 120_000,
    pool: 'forks',
    maxWorkers: 2,
  },
});
