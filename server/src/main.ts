/**
 * Reads the configuration, opens the database (PGlite under ./data, or PostgreSQL), seeds the demo cities in
 * demo mode, and starts the HTTP server.
 */
import { loadConfig, ConfigError } from './config.js';
import { openDatabase } from './platform/db/database.js';
import { createLogger } from './platform/logger.js';
import { startedClock, systemClock } from './platform/clock.js';
import { LocalDiskStorage } from './platform/files/file-storage.js';
import { buildDeliverer } from './platform/delivery/build-deliverer.js';
import { buildApp } from './app.js';
import { seedDemo } from './demo/seed-demo.js';
import { seedDemoAppeals } from './demo/demo-appeals.js';
import { seedDemoIntegrators } from './demo/demo-integrator.js';
import { seedDemoLand } from './demo/demo-land.js';

async function main() {
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(78); // EX_CONFIG
    }
    throw err;
  }
  const logger = createLogger(config.logLevel);
  const database = await openDatabase({ databaseUrl: config.databaseUrl, pgliteDir: config.pgliteDir, poolMax: config.databasePoolMax });
  logger.info({ database: database.kind }, 'database ready');
  const clock = config.clockStart ? startedClock(config.clockStart) : systemClock;
  const deliverer = buildDeliverer(config, database.db, logger);
  const { app, services } = await buildApp({ config, database, clock, deliverer, storage: new LocalDiskStorage(config.uploadDir), logger });

  let logins: Awaited<ReturnType<typeof seedDemo>> = [];
  let demoAppeals = 0;
  let integrators: Awaited<ReturnType<typeof seedDemoIntegrators>> = [];
  if (config.demoMode) {
    logins = await seedDemo(database.db);
    demoAppeals = await seedDemoAppeals(database.db, config.demoAppeals, clock.now());
    integrators = await seedDemoIntegrators(database.db, [...new Set(logins.map((l) => l.municipality))]);
    await seedDemoLand(database.db, clock);
  }

  await app.listen({ port: config.port, host: config.host });
  if (config.jobs.enabled) services.jobs.start();
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const base = `http://${config.host}:${port}`;
  const lines = [`Shaar is running at ${base} (database: ${database.kind === 'pglite' ? `embedded PGlite in ${config.pgliteDir}` : 'PostgreSQL'})`,
    `API documentation: ${base}/api/docs`];
  if (config.demoMode) {
    lines.push('', 'Demo mode — fictional staff accounts (password for all: ' + (logins[0]?.password ?? '') + '):');
    for (const l of logins) lines.push(`  ${l.municipality.padEnd(8)} ${l.roles.join(',').padEnd(11)} ${l.email}${l.service ? `  (service: ${l.service})` : ''}`);
    lines.push('Citizens sign in with any e-mail or phone; the one-time code is in the dev outbox (server log, or the dev_outbox table).');
    lines.push('Demo integrator API keys (Open311 at /open311/v2 with jurisdiction_id = the city; the app API with X-Api-Key):');
    for (const i of integrators) lines.push(`  ${i.municipality.padEnd(8)} ${i.key}`);
    lines.push(`Demo Tunduk consumer (X-Road-Client: ${integrators[0]?.xroadClient ?? ''}) at ${base}/xroad/v1/{city}; its services: ${base}/xroad/v1/bishkek/openapi.json`);
    if (demoAppeals > 0) lines.push(`${demoAppeals} fictional appeals of Bishkek were written for the dashboards (DEMO_APPEALS).`);
  }
  process.stdout.write(`${lines.join('\n')}\n`);

  const shutdown = async (signal: string) => {
    logger.info({ signal }, 'shutting down');
    await services.jobs.stop().catch(() => {});
    await app.close().catch(() => {});
    await database.close().catch(() => {});
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown('SIGINT'));
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
}

main().catch((err: unknown) => {
  process.stderr.write(`Shaar failed to start: ${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
  process.exit(1);
});
