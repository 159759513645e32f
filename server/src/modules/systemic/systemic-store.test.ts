/**
 * Saving detector runs as records, on real appeals (a small synthetic registry) and hand-made problems: upserts by the
 * detector's id, analysts' status kept across reruns, vanished problems kept but inactive, a record following its
 * problem when the smallest cell changes, and a merge target holding the union of its members.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq, sql } from 'drizzle-orm';
import { openTestDatabase } from '../../test-support/test-database.js';
import { queryRows, type Database } from '../../platform/db/database.js';
import { systemicProblemMembers, systemicProblems } from '../../platform/db/schema.js';
import { seedDemo } from '../../demo/seed-demo.js';
import { generateSynthetic } from '../../synthetic/generate.js';
import { loadReference, writeSynthetic } from '../../synthetic/write.js';
import type { SyntheticData } from '../../synthetic/records.js';
import { applicantKeyOf, defaultSystemicParams as P, type SystemicProblem } from './systemic-params.js';
import { refreshMergedTarget, saveDetection } from './systemic-store.js';

const NOW = new Date('2026-11-20T06:00:00Z');
const TZ = 'Asia/Bishkek';
let database: Database;
let mid: string;
let data: SyntheticData;

beforeAll(async () => {
  database = await openTestDatabase();
  await seedDemo(database.db);
  const ref = (await loadReference(database.db, 'bishkek'))!;
  mid = ref.municipality.id;
  data = generateSynthetic(ref, { appeals: 300, seed: 3, from: '2025-06-01', to: '2026-11-15', now: NOW, planted: 0 });
  await writeSynthetic(database.db, ref, data, { source: 'synthetic:store-test' });
});
afterAll(async () => { await database.close(); });

/** A problem over the given synthetic appeals (the figures the store recomputes are left rough on purpose). */
function problem(key: string, appealIdx: number[], o: Partial<SystemicProblem> = {}): SystemicProblem {
  const members = appealIdx.map((i) => data.appeals[i]!);
  return {
    id: key, kinds: ['spatial'], categoryId: members[0]!.categoryId, cells: [key.split('|')[1]!], memberIds: members.map((a) => a.id),
    distinctApplicants: 0, weeksActive: 0, repeats: 0, seasonalYears: 0, firstSeen: NOW, lastSeen: NOW, score: 0, trend: 'steady', ...o,
  };
}
const save = (problems: SystemicProblem[], at = NOW) => saveDetection(database.db, mid, TZ, problems, P, at);
const record = async (key: string) => {
  const [r] = await database.db.select().from(systemicProblems).where(and(eq(systemicProblems.municipalityId, mid), eq(systemicProblems.detectorKey, key)));
  return r!;
};
const membersOf = async (id: string) => (await database.db.select({ a: systemicProblemMembers.appealId }).from(systemicProblemMembers)
  .where(and(eq(systemicProblemMembers.municipalityId, mid), eq(systemicProblemMembers.problemId, id)))).map((x) => x.a).sort();
const ids = (idx: number[]) => idx.map((i) => data.appeals[i]!.id).sort();
const localMonth = (d: Date) => new Date(d.getTime() + 6 * 3_600_000).toISOString().slice(0, 7);

describe('saving detector runs', () => {
  const A = [0, 1, 2, 3, 4, 5];
  const B = [10, 11, 12, 13];
  /** Appeals 20–29 of A's first category, and A's first appeal. */
  const Z = () => [20, 21, 22, 23, 24, 25, 26, 27, 28, 29].filter((i) => data.appeals[i]!.categoryId === data.appeals[0]!.categoryId).concat([0]);

  it('creates one record per problem with its members and figures over them', async () => {
    expect(await save([problem('c1|cellA', A, { repeats: 2 }), problem('c2|cellB', B)])).toMatchObject({ problems: 2, created: 2, updated: 0, deactivated: 0 });
    const a = await record('c1|cellA');
    expect(await membersOf(a.id)).toEqual(ids(A));
    expect(a).toMatchObject({ status: 'new', active: true, appeals: A.length, repeats: 2, kinds: ['spatial'], cells: ['cellA'], version: 1 });
    const appeals = A.map((i) => data.appeals[i]!);
    // Figures come from the members: applicants by the same key as the detector's, months in the city's calendar.
    const keys = new Set(appeals.map((x) => {
      const p = data.applicants.find((q) => q.appealId === x.id);
      return applicantKeyOf({ phone: p?.phone, email: p?.email, citizenId: x.citizenId, appealId: x.id });
    }));
    expect(a.distinctApplicants).toBe(keys.size);
    const months: Record<string, number> = {};
    for (const x of appeals) months[localMonth(x.registeredAt)] = (months[localMonth(x.registeredAt)] ?? 0) + 1;
    expect(a.monthly).toEqual(months);
    const counts = new Map<string, number>();
    for (const x of appeals) counts.set(x.districtId, (counts.get(x.districtId) ?? 0) + 1);
    expect(counts.get(a.districtId!)).toBe(Math.max(...counts.values()));
    const times = appeals.map((x) => x.registeredAt.getTime());
    expect(a.firstSeen.getTime()).toBe(Math.min(...times));
    expect(a.lastSeen.getTime()).toBe(Math.max(...times));
    expect(a.score).toBeGreaterThan(0);
  });

  it('changes nothing when the detector finds the same again', async () => {
    expect(await save([problem('c1|cellA', A, { repeats: 2 }), problem('c2|cellB', B)])).toMatchObject({ created: 0, updated: 0, deactivated: 0 });
  });

  it("keeps the analysts' status across reruns, and keeps a vanished problem inactive with its members", async () => {
    const a = await record('c1|cellA');
    await database.db.update(systemicProblems).set({ status: 'dismissed', statusReason: 'a known repair', version: 2 }).where(eq(systemicProblems.id, a.id));
    // The detector still finds A (one more appeal) and no longer finds B.
    expect(await save([problem('c1|cellA', [...A, 6], { repeats: 2 })])).toMatchObject({ created: 0, updated: 1, deactivated: 1 });
    expect(await record('c1|cellA')).toMatchObject({ status: 'dismissed', statusReason: 'a known repair', active: true, appeals: A.length + 1, version: 2 });
    expect(await membersOf(a.id)).toEqual(ids([...A, 6]));
    const b = await record('c2|cellB');
    expect(b).toMatchObject({ active: false, status: 'new', appeals: B.length });
    expect(await membersOf(b.id)).toEqual(ids(B));
    // Found again: the same record comes back.
    expect(await save([problem('c1|cellA', [...A, 6], { repeats: 2 }), problem('c2|cellB', B)])).toMatchObject({ created: 0, updated: 1 });
    expect(await record('c2|cellB')).toMatchObject({ id: b.id, active: true });
  });

  it('follows a problem whose smallest cell changed, by its members', async () => {
    const a = await record('c1|cellA');
    // Grown into a neighbouring cell that sorts first: a new detector id, mostly the same appeals.
    expect(await save([problem('c1|cell0', [...A, 6, 7], { repeats: 2 }), problem('c2|cellB', B)])).toMatchObject({ created: 0, deactivated: 0 });
    const moved = await record('c1|cell0');
    expect(moved).toMatchObject({ id: a.id, status: 'dismissed', active: true, appeals: A.length + 2 });
    // A different problem of the category elsewhere is a new record.
    expect(await save([problem('c1|cell0', [...A, 6, 7], { repeats: 2 }), problem('c2|cellB', B), problem('c1|cellZ', Z())]))
      .toMatchObject({ created: 1 });
  });

  it('gives a merge target the union of its members, and keeps it over reruns', async () => {
    const a = await record('c1|cell0');
    const b = await record('c2|cellB');
    await database.db.transaction(async (tx) => {
      await tx.update(systemicProblems).set({ status: 'merged', mergedIntoId: a.id }).where(eq(systemicProblems.id, b.id));
      await refreshMergedTarget(tx, mid, TZ, a.id, P, NOW);
    });
    const union = ids([...A, 6, 7, ...B]);
    expect(await membersOf(a.id)).toEqual(union);
    expect(await record('c1|cell0')).toMatchObject({ appeals: union.length, kinds: ['spatial'], cells: ['cell0', 'cellB'] });
    expect(await membersOf(b.id)).toEqual(ids(B));
    // The next run finds both again: nothing to change. Then B grows: the target follows.
    const again = [problem('c1|cell0', [...A, 6, 7], { repeats: 2 }), problem('c2|cellB', B), problem('c1|cellZ', Z())];
    expect(await save(again)).toMatchObject({ updated: 0 });
    await save([problem('c1|cell0', [...A, 6, 7], { repeats: 2 }), problem('c2|cellB', [...B, 14], { kinds: ['repeat'], repeats: 3 })]);
    expect(await membersOf(a.id)).toEqual(ids([...A, 6, 7, ...B, 14]));
    expect(await record('c1|cell0')).toMatchObject({ kinds: ['spatial', 'repeat'], repeats: 3, status: 'dismissed' });
    expect(await record('c2|cellB')).toMatchObject({ status: 'merged', appeals: B.length + 1 });
  });

  it('stores no personal data: records, members and figures only', async () => {
    const text = JSON.stringify(await queryRows(database.db, sql`select * from systemic_problems where municipality_id = ${mid}`));
    for (const p of data.applicants.slice(0, 50)) {
      expect(text).not.toContain(p.fullName);
      if (p.phone) expect(text).not.toContain(p.phone);
      if (p.email) expect(text).not.toContain(p.email);
    }
  });
});
