/**
 * The database handle: migrations are applied once and recorded; on PGlite a query that bypasses its own
 * transaction fails at once instead of deadlocking, while other work still queues behind the transaction.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { openTestDatabase, onPostgres } from '../../test-support/test-database.js';
import { queryRows, type Database } from './database.js';
import { listMigrations } from './migrate.js';

let database: Database;
beforeAll(async () => { database = await openTestDatabase(); });
afterAll(async () => { await database?.close(); });

describe('database', () => {
  it('has applied every migration exactly once', async () => {
    const rows = await queryRows<{ name: string }>(database.db, sql`select name from shaar_migrations order by name`);
    expect(rows.map((r) => r.name)).toEqual(listMigrations().map((m) => m.name));
  });

  it('refuses to change or delete audit entries', async () => {
    const m = await queryRows<{ id: string }>(database.db, sql`insert into municipalities (slug, code, name) values ('t', 'TST', '{"ky":"t","ru":"t","en":"t"}') returning id`);
    await database.db.execute(sql`insert into audit_log (municipality_id, actor_kind, entity_type, entity_id, action) values (${m[0]!.id}, 'system', 'x', '1', 'create')`);
    await expect(database.db.execute(sql`update audit_log set action = 'forged'`)).rejects.toThrow();
    await expect(database.db.execute(sql`delete from audit_log`)).rejects.toThrow();
    const [row] = await queryRows<{ action: string }>(database.db, sql`select action from audit_log`);
    expect(row!.action).toBe('create');
  });

  it.skipIf(onPostgres)('on PGlite, fails fast when a transaction is bypassed, and still serves others', async () => {
    const db = database.db;
    let opened!: () => void;
    const open = new Promise<void>((resolve) => { opened = resolve; });
    const mistaken = db.transaction(async (tx) => {
      await tx.execute(sql`select 1`);
      opened();
      await new Promise((resolve) => setTimeout(resolve, 20));
      await db.execute(sql`select 1`); // the mistake: `db` instead of `tx`
    });
    await open;
    // Another request meanwhile (another async context): it waits for the transaction, then succeeds.
    const other = db.execute(sql`select 2 as two`);
    const error = await mistaken.then(() => null, (e: unknown) => e as Error & { cause?: Error });
    expect(error?.cause?.message ?? error?.message).toMatch(/outside its transaction/);
    await expect(other).resolves.toBeTruthy();
  });
});
