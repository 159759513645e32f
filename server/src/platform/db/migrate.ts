/**
 * Applies the SQL migrations in server/migrations in the order of drizzle-kit's journal, each in its own
 * transaction, recording what was applied. The same files serve PGlite and PostgreSQL.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export interface SqlRunner {
  kind: 'pglite' | 'postgres';
  exec(text: string): Promise<void>;
  query(text: string, params?: unknown[]): Promise<Record<string, unknown>[]>;
  /** Runs `fn` holding the migration lock, with a runner on the lock's own connection. */
  withLock<T>(fn: (locked: SqlRunner) => Promise<T>): Promise<T>;
}

/** server/migrations, from src/platform/db or dist/platform/db alike. */
export const MIGRATIONS_DIR = fileURLToPath(new URL('../../../migrations/', import.meta.url));

interface Journal { entries: { idx: number; tag: string }[] }

export function listMigrations(dir = MIGRATIONS_DIR): { name: string; sql: string }[] {
  const journal = JSON.parse(readFileSync(`${dir}meta/_journal.json`, 'utf8')) as Journal;
  return [...journal.entries]
    .sort((a, b) => a.idx - b.idx)
    .map((e) => ({ name: e.tag, sql: readFileSync(`${dir}${e.tag}.sql`, 'utf8').replaceAll('--> statement-breakpoint', '') }));
}

export async function applyMigrations(runner: SqlRunner, dir = MIGRATIONS_DIR): Promise<string[]> {
  return runner.withLock(async (locked) => {
    await locked.exec(`create table if not exists shaar_migrations (
      name text primary key, applied_at timestamptz not null default now())`);
    const done = new Set((await locked.query('select name from shaar_migrations')).map((r) => String(r.name)));
    const applied: string[] = [];
    for (const m of listMigrations(dir)) {
      if (done.has(m.name)) continue;
      // Names come from our own journal, never from input.
      await locked.exec(`begin;\n${m.sql}\ninsert into shaar_migrations (name) values ('${m.name}');\ncommit;`);
      applied.push(m.name);
    }
    return applied;
  });
}
