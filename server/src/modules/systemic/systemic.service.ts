/**
 * The analysts' work on systemic problems: the list and one problem with its appeals (registration numbers, dates,
 * statuses — no personal data), notes and monthly trend; confirm, dismiss, merge and annotate, each audited in the
 * transaction that makes it; the list as a file; a batch run of the detector over all history.
 */
import { and, asc, desc, eq, gte, inArray, sql, type SQL } from 'drizzle-orm';
import type { Locale } from '@shaar/contracts';
import { writeAudit } from '../../platform/audit.js';
import type { Clock } from '../../platform/clock.js';
import type { Db, Tx } from '../../platform/db/database.js';
import { appeals, staffUsers, systemicProblemMembers, systemicProblemNotes, systemicProblems } from '../../platform/db/schema.js';
import { AppError, errors } from '../../platform/http/errors.js';
import { actorOf, type StaffPrincipal } from '../auth/principal.js';
import type { DirectoryCache } from '../directory/directory.cache.js';
import type { Municipality } from '../municipalities/municipalities.service.js';
import { systemicTable } from './systemic-export.js';
import type { SystemicDetection } from './systemic-jobs.js';
import { lockSystemic, refreshMergedTarget, type ProblemRow } from './systemic-store.js';

export interface SystemicFilterInput {
  status?: 'new' | 'confirmed' | 'dismissed' | 'merged' | undefined;
  kind?: 'spatial' | 'repeat' | 'seasonal' | undefined;
  categoryId?: string | undefined;
  districtId?: string | undefined;
  active?: 'true' | 'false' | undefined;
  minScore?: number | undefined;
}

/** Members shown on a problem's page; a problem is rarely larger, and the count is given anyway. */
const MAX_MEMBERS = 2000;
const MAX_EXPORT = 10_000;

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export function problemOut(r: ProblemRow) {
  return {
    id: r.id, kinds: r.kinds as ('spatial' | 'repeat' | 'seasonal')[], categoryId: r.categoryId, districtId: r.districtId, cells: r.cells,
    appeals: r.appeals, distinctApplicants: r.distinctApplicants, weeksActive: r.weeksActive, repeats: r.repeats,
    seasonalYears: r.seasonalYears, score: r.score, trend: r.trend as 'rising' | 'steady' | 'falling',
    firstSeen: r.firstSeen.toISOString(), lastSeen: r.lastSeen.toISOString(), active: r.active,
    status: r.status as 'new' | 'confirmed' | 'dismissed' | 'merged', mergedIntoId: r.mergedIntoId, statusReason: r.statusReason,
    decidedById: r.decidedById, decidedAt: iso(r.decidedAt), detectedAt: r.detectedAt.toISOString(), updatedAt: r.updatedAt.toISOString(),
    version: r.version,
  };
}

/** Every month from the first to the last, zeros included, so a chart's bars are evenly spaced. */
export function monthlySeries(monthly: Record<string, number>): Array<{ month: string; appeals: number }> {
  const months = Object.keys(monthly).filter((m) => /^\d{4}-\d{2}$/.test(m)).sort();
  if (months.length === 0) return [];
  const out: Array<{ month: string; appeals: number }> = [];
  let [y, m] = months[0]!.split('-').map(Number) as [number, number];
  const last = months[months.length - 1]!;
  for (let guard = 0; guard < 1200; guard++) {
    const key = `${y}-${String(m).padStart(2, '0')}`;
    out.push({ month: key, appeals: monthly[key] ?? 0 });
    if (key === last) break;
    if (++m > 12) { m = 1; y++; }
  }
  return out;
}

const versionConflict = () => new AppError(409, 'version_conflict', 'error.conflict', { what: 'the problem was changed by someone else; reload it' });

export class SystemicService {
  constructor(private readonly d: { db: Db; clock: Clock; directory: DirectoryCache; detection: SystemicDetection }) {}

  private async where(m: Municipality, f: SystemicFilterInput): Promise<SQL> {
    const conditions: SQL[] = [eq(systemicProblems.municipalityId, m.id)];
    if (f.status) conditions.push(eq(systemicProblems.status, f.status));
    if (f.kind) conditions.push(sql`${f.kind} = any(${systemicProblems.kinds})`);
    if (f.categoryId || f.districtId) {
      const dir = await this.d.directory.get(m.id);
      if (f.categoryId) {
        if (!dir.categories.has(f.categoryId)) throw errors.invalidReference('categoryId');
        // A top-level category stands for its subcategories (problems are found per subcategory).
        const ids = [f.categoryId, ...[...dir.categories.values()].filter((c) => c.parentId === f.categoryId).map((c) => c.id)];
        conditions.push(inArray(systemicProblems.categoryId, ids));
      }
      if (f.districtId) {
        if (!dir.districts.has(f.districtId)) throw errors.invalidReference('districtId');
        conditions.push(eq(systemicProblems.districtId, f.districtId));
      }
    }
    if (f.active) conditions.push(eq(systemicProblems.active, f.active === 'true'));
    if (f.minScore !== undefined) conditions.push(gte(systemicProblems.score, f.minScore));
    return and(...conditions)!;
  }

  async list(m: Municipality, f: SystemicFilterInput, limit: number, offset: number) {
    const where = await this.where(m, f);
    const [rows, [total]] = await Promise.all([
      this.d.db.select().from(systemicProblems).where(where).orderBy(desc(systemicProblems.score), asc(systemicProblems.id)).limit(limit).offset(offset),
      this.d.db.select({ n: sql<number>`count(*)::int` }).from(systemicProblems).where(where),
    ]);
    return { items: rows.map(problemOut), total: Number(total?.n ?? 0), limit, offset };
  }

  async table(m: Municipality, f: SystemicFilterInput, locale: Locale) {
    const rows = await this.d.db.select().from(systemicProblems).where(await this.where(m, f))
      .orderBy(desc(systemicProblems.score), asc(systemicProblems.id)).limit(MAX_EXPORT);
    return systemicTable(locale, m.timezone, await this.d.directory.get(m.id), rows);
  }

  private async row(db: Db | Tx, m: Municipality, id: string, forUpdate = false): Promise<ProblemRow | undefined> {
    const q = db.select().from(systemicProblems).where(and(eq(systemicProblems.municipalityId, m.id), eq(systemicProblems.id, id)));
    const [row] = forUpdate ? await q.for('update') : await q;
    return row;
  }

  async detail(m: Municipality, id: string) {
    const db = this.d.db;
    const row = await this.row(db, m, id);
    if (!row) throw errors.notFound('systemic problem');
    const [members, notes, mergedFrom] = await Promise.all([
      db.select({
        appealId: appeals.id, registrationNumber: appeals.registrationNumber, registeredAt: appeals.registeredAt, status: appeals.status,
        categoryId: appeals.categoryId, districtId: appeals.districtId,
      }).from(systemicProblemMembers)
        .innerJoin(appeals, and(eq(appeals.municipalityId, systemicProblemMembers.municipalityId), eq(appeals.id, systemicProblemMembers.appealId)))
        .where(and(eq(systemicProblemMembers.municipalityId, m.id), eq(systemicProblemMembers.problemId, id)))
        .orderBy(asc(appeals.registeredAt), asc(appeals.id)).limit(MAX_MEMBERS),
      db.select({ id: systemicProblemNotes.id, authorId: systemicProblemNotes.authorId, authorName: staffUsers.fullName, body: systemicProblemNotes.body, createdAt: systemicProblemNotes.createdAt })
        .from(systemicProblemNotes)
        .leftJoin(staffUsers, and(eq(staffUsers.municipalityId, systemicProblemNotes.municipalityId), eq(staffUsers.id, systemicProblemNotes.authorId)))
        .where(and(eq(systemicProblemNotes.municipalityId, m.id), eq(systemicProblemNotes.problemId, id)))
        .orderBy(asc(systemicProblemNotes.createdAt), asc(systemicProblemNotes.id)),
      db.select({ id: systemicProblems.id, appeals: systemicProblems.appeals, categoryId: systemicProblems.categoryId }).from(systemicProblems)
        .where(and(eq(systemicProblems.municipalityId, m.id), eq(systemicProblems.mergedIntoId, id), eq(systemicProblems.status, 'merged')))
        .orderBy(desc(systemicProblems.score)),
    ]);
    return {
      ...problemOut(row),
      members: members.map((x) => ({ ...x, registeredAt: x.registeredAt.toISOString() })),
      monthly: monthlySeries(row.monthly),
      notes: notes.map((n) => ({ ...n, createdAt: n.createdAt.toISOString() })),
      mergedFrom,
    };
  }

  /** Confirms (a systemic problem for the programme) or dismisses (with a reason) a problem. */
  async decide(m: Municipality, id: string, staff: StaffPrincipal, to: 'confirmed' | 'dismissed', reason: string | null, expectedVersion?: number) {
    const now = this.d.clock.now();
    return this.d.db.transaction(async (tx) => {
      const row = await this.row(tx, m, id, true);
      if (!row) throw errors.notFound('systemic problem');
      if (expectedVersion !== undefined && row.version !== expectedVersion) throw versionConflict();
      if (row.status === 'merged') throw new AppError(409, 'systemic_merged', 'error.systemic_merged');
      if (row.status === to) throw new AppError(409, 'same_status', 'error.systemic_same_status');
      const [updated] = await tx.update(systemicProblems)
        .set({ status: to, statusReason: reason, decidedById: staff.id, decidedAt: now, version: row.version + 1, updatedAt: now })
        .where(and(eq(systemicProblems.municipalityId, m.id), eq(systemicProblems.id, id))).returning();
      await writeAudit(tx, {
        municipalityId: m.id, actor: actorOf(staff), entityType: 'systemic_problem', entityId: id,
        action: to === 'confirmed' ? 'confirm' : 'dismiss', before: { status: row.status }, after: { status: to }, reason, at: now,
      });
      return problemOut(updated!);
    });
  }

  /** Merges a problem into another: its appeals join the target, it becomes `merged`; what was merged into it follows. */
  async merge(m: Municipality, id: string, intoId: string, staff: StaffPrincipal, expectedVersion?: number) {
    const now = this.d.clock.now();
    const p = this.d.detection.paramsFor(m.id);
    return this.d.db.transaction(async (tx) => {
      // Membership changes: wait for a detector run of this city to finish, and keep the next one waiting.
      await lockSystemic(tx, m.id);
      const row = await this.row(tx, m, id, true);
      if (!row) throw errors.notFound('systemic problem');
      const target = await this.row(tx, m, intoId, true);
      if (!target) throw errors.invalidReference('intoId');
      if (expectedVersion !== undefined && row.version !== expectedVersion) throw versionConflict();
      if (row.status === 'merged') throw new AppError(409, 'systemic_merged', 'error.systemic_merged');
      if (target.id === row.id || target.status === 'merged') throw new AppError(409, 'merge_target', 'error.systemic_merge_target');
      const where = (x: string) => and(eq(systemicProblems.municipalityId, m.id), eq(systemicProblems.id, x));
      const [updated] = await tx.update(systemicProblems)
        .set({ status: 'merged', mergedIntoId: target.id, statusReason: null, decidedById: staff.id, decidedAt: now, version: row.version + 1, updatedAt: now })
        .where(where(id)).returning();
      // Problems merged into this one now belong to the target: merges never chain.
      const moved = await tx.update(systemicProblems).set({ mergedIntoId: target.id, updatedAt: now })
        .where(and(eq(systemicProblems.municipalityId, m.id), eq(systemicProblems.mergedIntoId, id), eq(systemicProblems.status, 'merged')))
        .returning({ id: systemicProblems.id });
      await refreshMergedTarget(tx, m.id, m.timezone, target.id, p, now);
      await tx.update(systemicProblems).set({ version: sql`${systemicProblems.version} + 1` }).where(where(target.id));
      const actor = actorOf(staff);
      await writeAudit(tx, {
        municipalityId: m.id, actor, entityType: 'systemic_problem', entityId: id, action: 'merge',
        before: { status: row.status, mergedIntoId: null }, after: { status: 'merged', mergedIntoId: target.id, moved: moved.map((x) => x.id) }, at: now,
      });
      await writeAudit(tx, {
        municipalityId: m.id, actor, entityType: 'systemic_problem', entityId: target.id, action: 'absorb',
        before: { appeals: target.appeals }, after: { mergedFrom: id }, at: now,
      });
      return problemOut(updated!);
    });
  }

  async addNote(m: Municipality, id: string, staff: StaffPrincipal, body: string) {
    const now = this.d.clock.now();
    return this.d.db.transaction(async (tx) => {
      if (!(await this.row(tx, m, id))) throw errors.notFound('systemic problem');
      const [note] = await tx.insert(systemicProblemNotes).values({ municipalityId: m.id, problemId: id, authorId: staff.id, body, createdAt: now }).returning();
      await writeAudit(tx, {
        municipalityId: m.id, actor: actorOf(staff), entityType: 'systemic_problem', entityId: id, action: 'add_note',
        after: { noteId: note!.id }, at: now,
      });
      return { id: note!.id, authorId: staff.id, authorName: staff.fullName, body: note!.body, createdAt: note!.createdAt.toISOString() };
    });
  }

  /** A batch run over all history, now (audited with its counts). */
  detect(m: Municipality, staff: StaffPrincipal) {
    return this.d.detection.run(m.id, m.timezone, { allHistory: true, audit: { actor: actorOf(staff) } });
  }
}
