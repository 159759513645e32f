/**
 * Registration numbers stay unique when several server processes reserve blocks from one counter, and a
 * single embedded process (block of one) numbers without gaps.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { openTestDatabase } from '../../test-support/test-database.js';
import { queryRows, type Database } from '../../platform/db/database.js';
import { RegistrationNumbers, formatRegistrationNumber } from './registration-numbers.js';

let database: Database;
let municipalityId: string;
beforeAll(async () => {
  database = await openTestDatabase();
  [{ id: municipalityId }] = await queryRows<{ id: string }>(database.db,
    sql`insert into municipalities (slug, code, name) values ('num', 'NUM', '{"ky":"n","ru":"n","en":"n"}') returning id`) as [{ id: string }];
});
afterAll(async () => { await database?.close(); });

it('gives unique numbers across processes that reserve blocks concurrently', async () => {
  const processes = [new RegistrationNumbers(database.db, 7), new RegistrationNumbers(database.db, 7), new RegistrationNumbers(database.db, 7)];
  const taken = await Promise.all(Array.from({ length: 90 }, (_, i) => processes[i % 3]!.take(municipalityId, 2026)));
  expect(new Set(taken).size).toBe(90);
  expect(Math.min(...taken)).toBe(1);
  expect(Math.max(...taken)).toBeLessThanOrEqual(90 + 3 * 7); // at most one unused block per process
});

it('numbers without gaps with a block of one, and starts again at 1 in a new year', async () => {
  const one = new RegistrationNumbers(database.db, 1);
  const taken = [];
  for (let i = 0; i < 5; i++) taken.push(await one.take(municipalityId, 2027));
  expect(taken).toEqual([1, 2, 3, 4, 5]);
  expect(formatRegistrationNumber('BSK', 2027, 123)).toBe('BSK-2027-000123');
  expect(formatRegistrationNumber('BSK', 2027, 1_234_567)).toBe('BSK-2027-1234567');
});
