/**
 * Writes the OpenAPI document to a file without starting a server: the web app's typed client is generated from
 * it at build time (`npm run build`), so client types always match the server's zod schemas.
 */
import { writeFileSync } from 'node:fs';
import { buildApp } from './app.js';
import { loadConfig } from './config.js';
import { openDatabase } from './platform/db/database.js';
import { createLogger } from './platform/logger.js';
import { systemClock } from './platform/clock.js';
import { LocalDiskStorage } from './platform/files/file-storage.js';
import { OutboxDeliverer } from './platform/delivery/outbox-deliverer.js';

const out = process.argv[2];
if (!out) {
  process.stderr.write('usage: node server/dist/openapi-export.js <file.json>\n');
  process.exit(2);
}
const logger = createLogger('silent');
const database = await openDatabase({}); // in memory: only the routes are needed
const config = loadConfig({ LOG_LEVEL: 'silent' });
const { app } = await buildApp({
  config, database, clock: systemClock, logger, deliverer: new OutboxDeliverer(database.db, logger), storage: new LocalDiskStorage(config.uploadDir),
});
await app.ready();
writeFileSync(out, `${JSON.stringify(app.swagger(), null, 2)}\n`);
await app.close();
await database.close();
