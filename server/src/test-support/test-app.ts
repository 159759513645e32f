/**
 * Builds the whole application on a fresh database with the demo cities, for HTTP integration tests through
 * Fastify's inject (real routing, validation, database — no network socket needed).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { and, desc, eq, isNull } from 'drizzle-orm';
import { createLogger } from '../platform/logger.js';
import { buildApp, type App, type Services } from '../app.js';
import { loadConfig } from '../config.js';
import { ManualClock } from '../platform/clock.js';
import { OutboxDeliverer } from '../platform/delivery/outbox-deliverer.js';
import { LocalDiskStorage } from '../platform/files/file-storage.js';
import { devOutbox, categories, districts, municipalities, services as servicesTable } from '../platform/db/schema.js';
import { seedDemo, demoEmail, DEMO_PASSWORD } from '../demo/seed-demo.js';
import { openTestDatabase } from './test-database.js';

export interface TestApp {
  app: App;
  services: Services;
  clock: ManualClock;
  close(): Promise<void>;
  /** Signs a demo staff member in (key: admin, operator, supervisor, analyst, executor.roads…). */
  staff(key: string, municipality?: string): Promise<Session>;
  /** Signs a citizen in with a one-time code read from the dev outbox. */
  citizen(destination: string): Promise<Session>;
  ids(municipality?: string): Promise<Ids>;
}

export interface Session {
  /** Headers for app.inject: the session cookie and the CSRF token. */
  headers: Record<string, string>;
  token: string;
}

export interface Ids {
  municipalityId: string;
  category(code: string): string;
  district(code: string): string;
  service(code: string): string;
}

export async function createTestApp(options: { now?: string; env?: Record<string, string>; logLines?: string[] } = {}): Promise<TestApp> {
  const database = await openTestDatabase();
  const clock = new ManualClock(new Date(options.now ?? '2026-04-27T04:00:00Z'));
  const uploadDir = await mkdtemp(join(tmpdir(), 'shaar-test-'));
  // Tests sign in many times from one address; the rate-limit test sets its own lower figure.
  const config = loadConfig({ DATA_DIR: uploadDir, LOG_LEVEL: 'silent', RATE_LIMIT_AUTH_PER_MINUTE: '100000',
    RATE_LIMIT_WRITES_PER_IP_PER_MINUTE: '100000', RATE_LIMIT_WRITES_PER_KEY_PER_MINUTE: '100000', ...options.env });
  // Tests that check what reaches the logs pass an array; the others keep the logs silent.
  const logger = options.logLines
    ? createLogger('info', { write: (line: string) => { options.logLines!.push(line); } })
    : createLogger('silent');
  await seedDemo(database.db);
  const { app, services } = await buildApp({
    config, database, clock, logger, deliverer: new OutboxDeliverer(database.db, logger), storage: new LocalDiskStorage(join(uploadDir, 'uploads')),
  });
  await app.ready();

  const sessionOf = (res: { statusCode: number; body: string }): Session => {
    if (res.statusCode !== 200) throw new Error(`sign-in failed: ${res.statusCode} ${res.body}`);
    const body = JSON.parse(res.body) as { token: string; csrfToken: string };
    return { token: body.token, headers: { cookie: `shaar_session=${body.token}`, 'x-csrf-token': body.csrfToken } };
  };

  return {
    app, services, clock,
    async close() {
      await app.close();
      await database.close();
      await rm(uploadDir, { recursive: true, force: true });
    },
    async staff(key, municipality = 'bishkek') {
      return sessionOf(await app.inject({ method: 'POST', url: '/api/v1/auth/staff/login', payload: { municipality, email: demoEmail(key, municipality), password: DEMO_PASSWORD } }));
    },
    async citizen(destination) {
      const req = await app.inject({ method: 'POST', url: '/api/v1/auth/code/request', payload: { destination } });
      if (req.statusCode !== 202) throw new Error(`code request failed: ${req.statusCode} ${req.body}`);
      // The newest sign-in code: notifications (which carry a message key) may have arrived since.
      const [msg] = await database.db.select().from(devOutbox).where(isNull(devOutbox.messageKey)).orderBy(desc(devOutbox.id)).limit(1);
      const code = /\b(\d{6})\b/.exec(msg?.body ?? '')?.[1];
      if (!code) throw new Error('no code in the dev outbox');
      return sessionOf(await app.inject({ method: 'POST', url: '/api/v1/auth/code/verify', payload: { destination, code } }));
    },
    async ids(slug = 'bishkek') {
      const db = database.db;
      const [m] = await db.select().from(municipalities).where(eq(municipalities.slug, slug));
      const mid = m!.id;
      const [cats, ds, ss] = await Promise.all([
        db.select().from(categories).where(eq(categories.municipalityId, mid)),
        db.select().from(districts).where(eq(districts.municipalityId, mid)),
        db.select().from(servicesTable).where(and(eq(servicesTable.municipalityId, mid))),
      ]);
      const find = <T extends { code: string; id: string }>(rows: T[], code: string) => {
        const row = rows.find((r) => r.code === code);
        if (!row) throw new Error(`no ${code}`);
        return row.id;
      };
      return { municipalityId: mid, category: (c) => find(cats, c), district: (c) => find(ds, c), service: (c) => find(ss, c) };
    },
  };
}

/** Parses an inject response's JSON body. */
export const json = <T = any>(res: { body: string }): T => JSON.parse(res.body) as T;
