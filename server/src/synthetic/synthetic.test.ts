import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { areNeighborCells } from 'h3-js';
import { openTestDatabase } from '../test-support/test-database.js';
import { queryRows, type Database } from '../platform/db/database.js';
import { seedDemo } from '../demo/seed-demo.js';
import { routeToService } from '../modules/directory/directory.cache.js';
import { RegistrationNumbers } from '../modules/appeals/registration-numbers.js';
import { generateSynthetic, type SyntheticOptions, type SyntheticReference } from './generate.js';
import { loadReference, writeSynthetic } from './write.js';
import { DISTRICT_CENTRES } from './profiles.js';
import type { SyntheticData } from './records.js';

let database: Database;
let ref: SyntheticReference;
let data: SyntheticData;
const options: SyntheticOptions = { appeals: 4000, seed: 11, from: '2024-01-01', to: '2026-10-31', now: new Date('2026-11-20T06:00:00Z'), planted: 6 };
const codeOf = (id: string) => ref.directory.categories.get(id)!.code;
const localDay = (d: Date) => new Date(d.getTime() + 6 * 3_600_000).toISOString().slice(0, 10);
const monthOf = (d: Date) => new Date(d.getTime() + 6 * 3_600_000).getUTCMonth() + 1;

beforeAll(async () => {
  database = await openTestDatabase();
  await seedDemo(database.db);
  ref = (await loadReference(database.db, 'bishkek'))!;
  data = generateSynthetic(ref, options);
});
afterAll(async () => { await database.close(); });

describe('the synthetic generator (in memory)', () => {
  it('gives the same rows for the same seed and other rows for another seed', () => {
    expect(JSON.stringify(generateSynthetic(ref, options))).toBe(JSON.stringify(data));
    const other = generateSynthetic(ref, { ...options, seed: 12 });
    expect(other.appeals.map((a) => a.id)).not.toEqual(data.appeals.map((a) => a.id));
  });

  it('follows the seasons: heating in the heating season, snow in winter, greenery in summer', () => {
    const months = (prefix: string) => data.appeals.filter((a) => codeOf(a.categoryId).startsWith(prefix)).map((a) => monthOf(a.registeredAt));
    const heating = months('heating.cold');
    expect(heating.length).toBeGreaterThan(100);
    expect(heating.filter((m) => m >= 10 || m <= 4).length / heating.length).toBeGreaterThan(0.9);
    expect(months('cleaning.snow').filter((m) => m >= 4 && m <= 10)).toEqual([]);
    const green = months('greenery.');
    expect(green.filter((m) => m >= 5 && m <= 9).length / green.length).toBeGreaterThan(0.7);
    const potholes = months('roads.pothole');
    const spring = potholes.filter((m) => m >= 3 && m <= 5).length / 3;
    const autumn = potholes.filter((m) => m >= 9 && m <= 11).length / 3;
    expect(spring).toBeGreaterThan(autumn * 1.4);
  });

  it('spreads appeals over the districts by population, inside a box around each centre', () => {
    const districts = [...ref.directory.districts.values()];
    const total = districts.reduce((s, d) => s + d.population!, 0);
    for (const d of districts) {
      const mine = data.appeals.filter((a) => a.districtId === d.id);
      expect(Math.abs(mine.length / data.appeals.length - d.population! / total)).toBeLessThan(0.04);
      const c = DISTRICT_CENTRES[d.code]!;
      for (const a of mine) {
        expect(Math.abs(a.lat - c.lat)).toBeLessThanOrEqual(c.spread + 1e-3);
        expect(Math.abs(a.lon - c.lon)).toBeLessThanOrEqual(c.spread * 1.3 + 1e-3);
      }
    }
  });

  it('routes every appeal to the service the routing rules give', () => {
    for (const a of data.appeals) {
      expect(a.serviceId).not.toBeNull();
      expect(a.serviceId).toBe(routeToService(ref.directory, a.categoryId, a.districtId));
    }
  });

  it('has demographics on some appeals only, and realistic outcomes', () => {
    const share = data.demographics.length / data.appeals.length;
    expect(share).toBeGreaterThan(0.18);
    expect(share).toBeLessThan(0.32);
    expect(data.appeals.every((a) => a.registeredAt <= options.now && localDay(a.registeredAt) <= options.to)).toBe(true);
    const status = (s: string) => data.appeals.filter((a) => a.status === s).length / data.appeals.length;
    expect(status('closed')).toBeGreaterThan(0.6);
    expect(data.answers.filter((a) => !a.onTime).length).toBeGreaterThan(0);
    for (const a of data.answers) expect(a.onTime).toBe(localDay(a.createdAt) <= a.dueDate);
    const overdue = data.appeals.filter((a) => ['assigned', 'in_progress', 'reopened'].includes(a.status) && a.dueDate < '2026-11-20');
    expect(overdue.length).toBeGreaterThan(0);
    expect(data.ratings.length).toBeGreaterThan(0);
    expect(data.audits.length).toBe(data.reviewRequests.filter((r) => r.status === 'reopened').length);
  });

  it('plants hotspots, repeat chains and seasonal recurrences with their ground truth', () => {
    const byId = new Map(data.appeals.map((a) => [a.id, a]));
    expect(new Set(data.planted.map((p) => p.kind))).toEqual(new Set(['hotspot', 'repeat_after_closure', 'seasonal']));
    for (const p of data.planted) {
      const members = p.appealIds.map((id) => byId.get(id)!);
      expect(members.every((m) => m && codeOf(m.categoryId) === p.categoryCode)).toBe(true);
      if (p.kind === 'hotspot') {
        expect(p.cells.length).toBeLessThanOrEqual(2);
        if (p.cells.length === 2) expect(areNeighborCells(p.cells[0]!, p.cells[1]!)).toBe(true);
        expect(p.distinctApplicants).toBe(members.length);
        expect(members.length).toBeGreaterThanOrEqual(8);
      }
      if (p.kind === 'repeat_after_closure') {
        for (let i = 1; i < members.length; i++) {
          expect(members[i]!.repeatOfId).toBe(members[i - 1]!.id);
          expect(members[i - 1]!.closedAt!.getTime()).toBeLessThan(members[i]!.registeredAt.getTime());
        }
      }
      if (p.kind === 'seasonal') {
        expect(p.cells).toHaveLength(1);
        expect(members.every((m) => [12, 1, 2].includes(monthOf(m.registeredAt)))).toBe(true);
        const winters = new Set(members.map((m) => Number(localDay(m.registeredAt).slice(0, 4)) - (monthOf(m.registeredAt) === 12 ? 0 : 1)));
        expect(winters.size).toBeGreaterThanOrEqual(2);
      }
    }
  });
});

describe('writing synthetic data', () => {
  it('stores the rows under the municipality, numbered uniquely, and the server numbers on after them', async () => {
    const small = generateSynthetic(ref, { ...options, appeals: 700, planted: 3, seed: 5 });
    await writeSynthetic(database.db, ref, small, { batchSize: 250, source: 'synthetic:test' });
    const m = ref.municipality.id;
    const [counts] = await queryRows<{ n: number; numbers: number; demographics: number; answers: number; reopens: number }>(database.db, sql`
      select (select count(*)::int from appeals where municipality_id = ${m}) as n,
        (select count(distinct registration_number)::int from appeals where municipality_id = ${m}) as numbers,
        (select count(*)::int from appeal_demographics where municipality_id = ${m}) as demographics,
        (select count(*)::int from appeal_answers where municipality_id = ${m}) as answers,
        (select count(*)::int from audit_log where municipality_id = ${m} and action = 'reopen') as reopens`);
    expect(counts).toEqual({ n: 700, numbers: 700, demographics: small.demographics.length, answers: small.answers.length, reopens: small.audits.length });
    expect(small.demographics.length).toBeLessThan(700);

    const years = await queryRows<{ year: number; n: number; max: number; last: number }>(database.db, sql`
      select substr(a.registration_number, 5, 4)::int as year, count(*)::int as n,
        max(substr(a.registration_number, 10)::int) as max, c.last_number as last
      from appeals a join registration_counters c on c.municipality_id = a.municipality_id and c.year = substr(a.registration_number, 5, 4)::int
      where a.municipality_id = ${m} group by 1, c.last_number order by 1`);
    expect(years.length).toBeGreaterThanOrEqual(2);
    for (const y of years) expect([y.n, y.last]).toEqual([y.max, y.max]);
    const last = years[years.length - 1]!;
    expect(await new RegistrationNumbers(database.db, 1).take(m, last.year)).toBe(last.max + 1);

    const ids = small.planted.flatMap((p) => p.appealIds);
    const [found] = await queryRows<{ n: number; repeats: number }>(database.db, sql`
      select count(*)::int as n, count(repeat_of_id)::int as repeats from appeals
      where municipality_id = ${m} and id in (select jsonb_array_elements_text(${JSON.stringify(ids)}::jsonb)::uuid)`);
    expect(found!.n).toBe(ids.length);
    expect(found!.repeats).toBe(small.appeals.filter((a) => a.repeatOfId).length);

    // A second run continues the numbering instead of colliding.
    await writeSynthetic(database.db, ref, generateSynthetic(ref, { ...options, appeals: 50, planted: 0, seed: 6 }));
    const [after] = await queryRows<{ n: number; numbers: number }>(database.db, sql`
      select count(*)::int as n, count(distinct registration_number)::int as numbers from appeals where municipality_id = ${m}`);
    expect(after).toEqual({ n: 750, numbers: 750 });
    await expect(writeSynthetic(database.db, ref, small)).rejects.toThrow(/already written/);
  });
});
