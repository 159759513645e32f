/**
 * Registration numbers, unique per municipality and year: BSK-2026-000123.
 *
 * Numbers are reserved from the counter row in blocks, each in its own short statement, and handed out from
 * memory. Taking the counter inside every registration would hold its row lock until that registration's commit
 * reached the disk, so registrations could never commit together (measured: ~700/s at most on PostgreSQL, where
 * reserving blocks lets commits group). The price: a process that stops loses the rest of its block (a gap in the
 * numbering), and with several processes numbers are unique but not strictly in time order. Embedded PGlite is
 * one process with one connection, so it reserves one number at a time and keeps the numbering gapless.
 */
import { sql } from 'drizzle-orm';
import { queryRows, type Db } from '../../platform/db/database.js';

export class RegistrationNumbers {
  private readonly blocks = new Map<string, { next: number; last: number }>();
  private readonly reserving = new Map<string, Promise<void>>();

  constructor(private readonly db: Db, private readonly blockSize: number) {}

  async take(municipalityId: string, year: number): Promise<number> {
    const key = `${municipalityId}:${year}`;
    for (;;) {
      const block = this.blocks.get(key);
      if (block && block.next <= block.last) return block.next++;
      let pending = this.reserving.get(key);
      if (!pending) {
        pending = this.reserve(key, municipalityId, year).finally(() => this.reserving.delete(key));
        this.reserving.set(key, pending);
      }
      await pending;
    }
  }

  private async reserve(key: string, municipalityId: string, year: number) {
    const n = this.blockSize;
    const [row] = await queryRows<{ last_number: number }>(this.db, sql`
      insert into registration_counters (municipality_id, year, last_number) values (${municipalityId}::uuid, ${year}::int, ${n}::int)
      on conflict (municipality_id, year) do update set last_number = registration_counters.last_number + ${n}::int
      returning last_number`);
    const last = Number(row!.last_number);
    this.blocks.set(key, { next: last - n + 1, last });
  }
}

export function formatRegistrationNumber(code: string, year: number, n: number): string {
  return `${code}-${year}-${String(n).padStart(6, '0')}`;
}
