/**
 * One database handle for the whole server: embedded PGlite (a directory under ./data, or in memory for tests)
 * or PostgreSQL through a connection pool. Both speak the same SQL and run the same migrations.
 *
 * PGlite has a single connection: inside a transaction, use only the transaction's handle (`tx`), never `db`,
 * or the second query waits for the first forever.
 */
import { mkdirSync } from 'node:fs';
import { AsyncLocalStorage } from 'node:async_hooks';
import { PGlite } from '@electric-sql/pglite';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import type { SQL } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT, PgTransaction } from 'drizzle-orm/pg-core';
import type { ExtractTablesWithRelations } from 'drizzle-orm';
import pg from 'pg';
import * as schema from './schema.js';
import { applyMigrations, type SqlRunner } from './migrate.js';

type Schema = typeof schema;
export type Db = PgDatabase<PgQueryResultHKT, Schema, ExtractTablesWithRelations<Schema>>;
export type Tx = PgTransaction<PgQueryResultHKT, Schema, ExtractTablesWithRelations<Schema>>;
export type DbOrTx = Db | Tx;

export interface Database {
  kind: 'pglite' | 'postgres';
  db: Db;
  /** Runs plain SQL text (several statements, no parameters): migrations and test set-up. */
  exec(sqlText: string): Promise<void>;
  /** Whether the database answers a trivial query. */
  ping(): Promise<boolean>;
  close(): Promise<void>;
}

export interface DatabaseOptions {
  /** postgres://… for PostgreSQL; otherwise PGlite. */
  databaseUrl?: string | undefined;
  /** PGlite's data directory; undefined keeps PGlite in memory (tests). */
  pgliteDir?: string | undefined;
  poolMax?: number;
}

export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  const database = options.databaseUrl ? openPostgres(options.databaseUrl, options.poolMax ?? 20) : await openPglite(options.pgliteDir);
  await applyMigrations(database.runner);
  return database.handle;
}

async function openPglite(dir: string | undefined): Promise<{ handle: Database; runner: SqlRunner }> {
  if (dir) mkdirSync(dir, { recursive: true });
  const client = dir ? await PGlite.create(dir) : await PGlite.create();
  guardSingleConnection(client);
  const db = drizzlePglite({ client, schema }) as unknown as Db;
  const runner: SqlRunner = {
    kind: 'pglite',
    exec: async (text) => { await client.exec(text); },
    query: async (text, params) => (await client.query<Record<string, unknown>>(text, params)).rows,
    // PGlite is a single connection: nothing else can run meanwhile, so no lock is needed.
    withLock: async (fn) => fn(runner),
  };
  return {
    runner,
    handle: {
      kind: 'pglite',
      db,
      exec: runner.exec,
      ping: async () => (await client.query('select 1')).rows.length === 1,
      close: async () => { if (!client.closed) await client.close(); },
    },
  };
}

function openPostgres(url: string, max: number): { handle: Database; runner: SqlRunner } {
  const pool = new pg.Pool({ connectionString: url, max });
  // An idle client that loses its connection must not crash the process; the pool replaces it.
  pool.on('error', () => {});
  const db = drizzlePg({ client: pool, schema }) as unknown as Db;
  const runner: SqlRunner = {
    kind: 'postgres',
    exec: async (text) => { await pool.query(text); },
    query: async (text, params) => (await pool.query(text, params as unknown[])).rows,
    withLock: async (fn) => {
      // Several server processes may start at once: one applies the migrations, the others wait.
      // Migrations run on the same connection that holds the lock (a pool of one must not wait on itself).
      const client = await pool.connect();
      const locked: SqlRunner = {
        kind: 'postgres', exec: async (text) => { await client.query(text); },
        query: async (text, params) => (await client.query(text, params as unknown[])).rows, withLock: (f) => f(locked),
      };
      try {
        await client.query('select pg_advisory_lock(7212026)');
        return await fn(locked);
      } finally {
        await client.query('select pg_advisory_unlock(7212026)').catch(() => {});
        client.release();
      }
    },
  };
  return {
    runner,
    handle: {
      kind: 'postgres',
      db,
      exec: runner.exec,
      ping: async () => (await pool.query('select 1')).rows.length === 1,
      close: async () => { await pool.end(); },
    },
  };
}

/**
 * PGlite has one connection: a query sent through `db` from inside a transaction waits for that transaction, which
 * waits for the query — forever. This guard turns that mistake into an immediate error naming it. Other requests'
 * queries (another async context) still queue behind the transaction as they should.
 */
function guardSingleConnection(client: PGlite) {
  const inTransaction = new AsyncLocalStorage<true>();
  const transaction = client.transaction.bind(client);
  client.transaction = ((fn: Parameters<PGlite['transaction']>[0]) =>
    transaction((tx) => inTransaction.run(true, () => fn(tx)))) as PGlite['transaction'];
  for (const method of ['query', 'exec', 'sql'] as const) {
    const original = (client[method] as (...args: unknown[]) => unknown).bind(client);
    (client as unknown as Record<string, unknown>)[method] = (...args: unknown[]) => {
      if (inTransaction.getStore()) {
        return Promise.reject(new Error('database used outside its transaction (use the transaction handle `tx`): this would deadlock PGlite'));
      }
      return original(...args);
    };
  }
}

/** Rows of a raw SQL query, the same on both drivers. */
export async function queryRows<T>(db: DbOrTx, query: SQL): Promise<T[]> {
  const result = (await db.execute(query)) as unknown as { rows: T[] };
  return result.rows;
}
