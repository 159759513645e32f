/**
 * Keeps the detector's output as Systemic Problem records that analysts work on (docs/systemic-problems.md, "Records
 * and workflow"). A run upserts one record per detected problem by its stable id (detector_key), replaces its
 * members, and marks records the detector no longer finds inactive — never deleting them nor touching the analysts'
 * status, reason or notes, so a dismissed problem the detector still finds stays dismissed.
 *
 * A problem whose smallest cell changed gets a new detector id; the record is carried over when the new problem holds
 * most of a vanished record's members (or the reverse), so the analysts' decision follows the problem, not the cell.
 *
 * A problem merged into another (status merged, merged_into_id) keeps its own members and figures; the target holds
 * its own members and those of everything merged into it, and its figures are computed over that union.
 */
import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Db, DbOrTx, Tx } from '../../platform/db/database.js';
import { queryRows } from '../../platform/db/database.js';
import { systemicProblemMembers, systemicProblems } from '../../platform/db/schema.js';
import { applicantKeyOf, type AppealRecord, type SystemicKind, type SystemicParams, type SystemicProblem } from './systemic-params.js';
import { distinctApplicants, distinctWeeks, scoreOf, trendOf } from './systemic-rules.js';

/** pg_advisory_xact_lock namespace: two saves (the job, an analyst's batch run, a merge) of one city never interleave. */
const LOCK_NAMESPACE = 7212041;

export type ProblemRow = typeof systemicProblems.$inferSelect;

export interface SaveResult { problems: number; created: number; updated: number; deactivated: number }

/** What a record's figures are computed from besides its members. */
interface Parts { kinds: string[]; cells: string[]; repeats: number; seasonalYears: number }

/** A member as the figures need it; the applicant key is computed in memory and never stored. */
interface MemberInfo { id: string; registeredAt: Date; month: string; districtId: string | null; applicantKey: string }

/** The figures stored on a record, all derived from its members and parts. */
type Figures = Pick<ProblemRow, 'kinds' | 'cells' | 'appeals' | 'distinctApplicants' | 'weeksActive' | 'repeats' | 'seasonalYears'
  | 'score' | 'trend' | 'monthly' | 'firstSeen' | 'lastSeen' | 'districtId'>;

export async function lockSystemic(tx: Tx, municipalityId: string): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(${LOCK_NAMESPACE}, hashtext(${municipalityId}))`);
}

const uuidArray = (ids: Iterable<string>) => sql`${`{${[...ids].join(',')}}`}::uuid[]`;

async function memberInfo(tx: DbOrTx, municipalityId: string, timezone: string, ids: Set<string>): Promise<Map<string, MemberInfo>> {
  const out = new Map<string, MemberInfo>();
  const all = [...ids];
  for (let i = 0; i < all.length; i += 5000) {
    const rows = await queryRows<{ id: string; registered_at: Date | string; month: string; district_id: string | null; phone: string | null; email: string | null; citizen_id: string | null }>(tx, sql`
      select a.id, a.registered_at, to_char(a.registered_at at time zone ${timezone}, 'YYYY-MM') as month, a.district_id,
        ap.phone, ap.email, a.citizen_id
      from appeals a left join appeal_applicants ap on ap.municipality_id = a.municipality_id and ap.appeal_id = a.id
      where a.municipality_id = ${municipalityId} and a.id = any(${uuidArray(all.slice(i, i + 5000))})`);
    for (const r of rows) {
      out.set(r.id, {
        id: r.id, registeredAt: new Date(r.registered_at), month: r.month, districtId: r.district_id,
        applicantKey: applicantKeyOf({ phone: r.phone, email: r.email, citizenId: r.citizen_id, appealId: r.id }),
      });
    }
  }
  return out;
}

async function membersOf(tx: DbOrTx, municipalityId: string, problemIds: string[]): Promise<Map<string, Set<string>>> {
  const out = new Map<string, Set<string>>(problemIds.map((id) => [id, new Set()]));
  if (problemIds.length === 0) return out;
  const rows = await tx.select({ problemId: systemicProblemMembers.problemId, appealId: systemicProblemMembers.appealId })
    .from(systemicProblemMembers)
    .where(and(eq(systemicProblemMembers.municipalityId, municipalityId), inArray(systemicProblemMembers.problemId, problemIds)));
  for (const r of rows) out.get(r.problemId)!.add(r.appealId);
  return out;
}

/** The district most members are in (ties: the smaller id, so reruns agree); null when none has one. */
function mainDistrict(members: MemberInfo[]): string | null {
  const counts = new Map<string, number>();
  for (const m of members) if (m.districtId) counts.set(m.districtId, (counts.get(m.districtId) ?? 0) + 1);
  let best: string | null = null;
  for (const [id, n] of counts) if (best === null || n > counts.get(best)! || (n === counts.get(best)! && id < best)) best = id;
  return best;
}

/**
 * A record's figures over its members, with the detector's definitions (systemic-rules.ts), so that a record of one
 * detected problem carries the detector's own figures and a merged one the same figures over the union.
 */
function figuresOf(members: MemberInfo[], parts: Parts[], asOf: Date, p: SystemicParams): Figures | null {
  if (members.length === 0) return null;
  const recs: AppealRecord[] = members.map((m) => ({
    id: m.id, categoryId: '', lat: null, lon: null, registeredAt: m.registeredAt, closedAt: null, applicantKey: m.applicantKey, repeatOfId: null,
  })).sort((a, b) => a.registeredAt.getTime() - b.registeredAt.getTime());
  const applicants = distinctApplicants(recs);
  const weeks = distinctWeeks(recs, p);
  const repeats = Math.max(0, ...parts.map((x) => x.repeats));
  const seasonalYears = Math.max(0, ...parts.map((x) => x.seasonalYears));
  const monthly: Record<string, number> = {};
  for (const m of [...members].sort((a, b) => (a.month < b.month ? -1 : a.month > b.month ? 1 : 0))) monthly[m.month] = (monthly[m.month] ?? 0) + 1;
  const kindOrder: SystemicKind[] = ['spatial', 'repeat', 'seasonal'];
  const kinds = new Set(parts.flatMap((x) => x.kinds));
  return {
    kinds: [...kindOrder.filter((k) => kinds.has(k)), ...[...kinds].filter((k) => !kindOrder.includes(k as SystemicKind)).sort()],
    cells: [...new Set(parts.flatMap((x) => x.cells))].sort(),
    appeals: members.length, distinctApplicants: applicants, weeksActive: weeks, repeats, seasonalYears,
    score: scoreOf(applicants, weeks, repeats, seasonalYears, p), trend: trendOf(recs, asOf.getTime(), p),
    monthly, firstSeen: recs[0]!.registeredAt, lastSeen: recs[recs.length - 1]!.registeredAt, districtId: mainDistrict(members),
  };
}

const partsOfRow = (r: ProblemRow): Parts => ({ kinds: r.kinds, cells: r.cells, repeats: r.repeats, seasonalYears: r.seasonalYears });
const partsOfProblem = (q: SystemicProblem): Parts => ({ kinds: q.kinds, cells: q.cells, repeats: q.repeats, seasonalYears: q.seasonalYears });

const sameFigures = (a: Figures, b: Figures) => (Object.keys(a) as (keyof Figures)[]).every((k) => {
  const x = a[k];
  const y = b[k];
  if (x instanceof Date || y instanceof Date) return x instanceof Date && y instanceof Date && x.getTime() === y.getTime();
  if (k === 'score') return Math.abs((x as number) - (y as number)) < 1e-12;
  return JSON.stringify(x) === JSON.stringify(y);
});
const figuresOfRow = (r: ProblemRow): Figures => ({
  kinds: r.kinds, cells: r.cells, appeals: r.appeals, distinctApplicants: r.distinctApplicants, weeksActive: r.weeksActive,
  repeats: r.repeats, seasonalYears: r.seasonalYears, score: r.score, trend: r.trend, monthly: r.monthly, firstSeen: r.firstSeen,
  lastSeen: r.lastSeen, districtId: r.districtId,
});
const sameSet = (a: Set<string>, b: Set<string>) => a.size === b.size && [...a].every((x) => b.has(x));

async function replaceMembers(tx: Tx, municipalityId: string, problemId: string, members: Set<string>): Promise<void> {
  await tx.delete(systemicProblemMembers).where(and(eq(systemicProblemMembers.municipalityId, municipalityId), eq(systemicProblemMembers.problemId, problemId)));
  const rows = [...members].map((appealId) => ({ municipalityId, problemId, appealId }));
  for (let i = 0; i < rows.length; i += 1000) await tx.insert(systemicProblemMembers).values(rows.slice(i, i + 1000));
}

/**
 * Pairs each detected problem with its record: by detector id, else (a problem whose smallest cell changed) with a
 * vanished record of its category sharing most members with it, the largest overlaps first.
 */
function matchRecords(problems: SystemicProblem[], rows: ProblemRow[], stored: Map<string, Set<string>>): Map<string, ProblemRow> {
  const byKey = new Map(rows.map((r) => [r.detectorKey, r]));
  const matched = new Map<string, ProblemRow>();
  for (const q of problems) { const r = byKey.get(q.id); if (r) matched.set(q.id, r); }
  const taken = new Set([...matched.values()].map((r) => r.id));
  const vanished = rows.filter((r) => r.active && !taken.has(r.id));
  const pairs: Array<{ q: SystemicProblem; r: ProblemRow; shared: number }> = [];
  for (const q of problems) {
    if (matched.has(q.id)) continue;
    for (const r of vanished) {
      if (r.categoryId !== q.categoryId) continue;
      const members = stored.get(r.id) ?? new Set();
      const shared = q.memberIds.filter((id) => members.has(id)).length;
      if (shared * 2 > Math.min(q.memberIds.length, members.size)) pairs.push({ q, r, shared });
    }
  }
  pairs.sort((a, b) => b.shared - a.shared || (a.r.id < b.r.id ? -1 : 1));
  for (const { q, r } of pairs) {
    if (matched.has(q.id) || taken.has(r.id)) continue;
    matched.set(q.id, r);
    taken.add(r.id);
  }
  return matched;
}

/** Saves one detector run (the problems found as of `now`) for a city; `audit` writes in the same transaction. */
export async function saveDetection(
  db: Db, municipalityId: string, timezone: string, problems: SystemicProblem[], p: SystemicParams, now: Date,
  audit?: (tx: Tx, result: SaveResult) => Promise<void>,
): Promise<SaveResult> {
  return db.transaction(async (tx) => {
    await lockSystemic(tx, municipalityId);
    const rows = await tx.select().from(systemicProblems).where(eq(systemicProblems.municipalityId, municipalityId));
    const rowById = new Map(rows.map((r) => [r.id, r]));
    // Members are read only where they matter: records that may vanish or match, and merged ones and their targets.
    const targets = new Set(rows.filter((r) => r.status === 'merged').map((r) => r.mergedIntoId));
    const relevant = rows.filter((r) => r.active || r.status === 'merged' || targets.has(r.id));
    const stored = await membersOf(tx, municipalityId, relevant.map((r) => r.id));
    const matched = matchRecords(problems, rows, stored);

    // Each record's own part: what the detector found now, or (not found) what it held.
    const detected = new Map<string, SystemicProblem>();
    const fresh: ProblemRow[] = [];
    for (const q of problems) {
      const r = matched.get(q.id);
      if (r) { detected.set(r.id, q); continue; }
      const id = crypto.randomUUID();
      const row = {
        municipalityId, id, detectorKey: q.id, categoryId: q.categoryId, active: true, status: 'new', mergedIntoId: null,
        statusReason: null, decidedById: null, decidedAt: null, detectedAt: now, updatedAt: now, version: 1,
      } as unknown as ProblemRow; // figures are filled below
      fresh.push(row);
      rowById.set(id, row);
      stored.set(id, new Set());
      detected.set(id, q);
    }
    const ownMembers = (id: string) => { const q = detected.get(id); return q ? new Set(q.memberIds) : stored.get(id) ?? new Set<string>(); };
    const ownParts = (id: string) => { const q = detected.get(id); return q ? partsOfProblem(q) : partsOfRow(rowById.get(id)!); };
    const sourcesOf = new Map<string, string[]>();
    for (const r of rows) if (r.status === 'merged' && r.mergedIntoId && rowById.has(r.mergedIntoId)) sourcesOf.set(r.mergedIntoId, [...(sourcesOf.get(r.mergedIntoId) ?? []), r.id]);

    // Records to write: every detected one, and every target of a merge (its union follows its sources).
    const toWrite = new Set<string>([...detected.keys(), ...sourcesOf.keys()]);
    const desired = new Map<string, { members: Set<string>; parts: Parts[]; active: boolean; key: string }>();
    for (const id of toWrite) {
      const sources = sourcesOf.get(id) ?? [];
      const members = new Set(ownMembers(id));
      for (const s of sources) for (const m of ownMembers(s)) members.add(m);
      desired.set(id, {
        members, parts: [ownParts(id), ...sources.map(ownParts)],
        // A merged problem lives on in its target: found while any part of it is found.
        active: detected.has(id) || sources.some((s) => detected.has(s)),
        key: detected.get(id)?.id ?? rowById.get(id)!.detectorKey,
      });
    }
    const info = await memberInfo(tx, municipalityId, timezone, new Set([...desired.values()].flatMap((d) => [...d.members])));

    let created = 0;
    let updated = 0;
    const freshIds = new Set(fresh.map((r) => r.id));
    for (const [id, d] of desired) {
      const members = [...d.members].map((m) => info.get(m)).filter((m): m is MemberInfo => m !== undefined);
      const figures = figuresOf(members, d.parts, now, p);
      if (!figures) continue; // every member is gone from the registry: nothing to show
      const memberSet = new Set(members.map((m) => m.id));
      if (freshIds.has(id)) {
        const row = rowById.get(id)!;
        await tx.insert(systemicProblems).values({ ...row, ...figures, categoryId: row.categoryId });
        created++;
      } else {
        const row = rowById.get(id)!;
        if (row.active === d.active && row.detectorKey === d.key && sameFigures(figuresOfRow(row), figures) && sameSet(stored.get(id) ?? new Set(), memberSet)) continue;
        await tx.update(systemicProblems).set({ ...figures, active: d.active, detectorKey: d.key, updatedAt: now })
          .where(and(eq(systemicProblems.municipalityId, municipalityId), eq(systemicProblems.id, id)));
        updated++;
      }
      if (!sameSet(stored.get(id) ?? new Set(), memberSet)) await replaceMembers(tx, municipalityId, id, memberSet);
    }

    const gone = rows.filter((r) => r.active && !desired.has(r.id)).map((r) => r.id);
    if (gone.length > 0) {
      await tx.update(systemicProblems).set({ active: false, updatedAt: now })
        .where(and(eq(systemicProblems.municipalityId, municipalityId), inArray(systemicProblems.id, gone)));
    }
    const result = { problems: problems.length, created, updated, deactivated: gone.length };
    await audit?.(tx, result);
    return result;
  });
}

/**
 * Recomputes a merge target over its own members and everything merged into it (after an analyst's merge), in the
 * caller's transaction. The detector's next run keeps the same union.
 */
export async function refreshMergedTarget(
  tx: Tx, municipalityId: string, timezone: string, targetId: string, p: SystemicParams, now: Date,
): Promise<void> {
  const rows = await tx.select().from(systemicProblems).where(and(eq(systemicProblems.municipalityId, municipalityId),
    sql`(${systemicProblems.id} = ${targetId} or (${systemicProblems.mergedIntoId} = ${targetId} and ${systemicProblems.status} = 'merged'))`));
  const target = rows.find((r) => r.id === targetId);
  if (!target) return;
  const stored = await membersOf(tx, municipalityId, rows.map((r) => r.id));
  const union = new Set(rows.flatMap((r) => [...stored.get(r.id)!]));
  const info = await memberInfo(tx, municipalityId, timezone, union);
  const members = [...union].map((m) => info.get(m)).filter((m): m is MemberInfo => m !== undefined);
  const figures = figuresOf(members, rows.map(partsOfRow), now, p);
  if (!figures) return;
  await tx.update(systemicProblems).set({ ...figures, active: rows.some((r) => r.active), updatedAt: now })
    .where(and(eq(systemicProblems.municipalityId, municipalityId), eq(systemicProblems.id, targetId)));
  const memberSet = new Set(members.map((m) => m.id));
  if (!sameSet(stored.get(targetId)!, memberSet)) await replaceMembers(tx, municipalityId, targetId, memberSet);
}
