/**
 * Threaded comments on plots, announcements and proposals, and their moderation. Never anonymous: a signed-in
 * resident (under the public name they choose) or a staff member (under their full name; only staff may mark an
 * answer official). Replies nest at most MAX_DEPTH levels: a reply to a comment on the deepest level joins that
 * comment's own thread (its parent), so threads stay readable on a phone.
 * A hidden comment keeps its text for the record, but no public output shows its text or author — not even to the
 * author: everyone sees the placeholder with the moderator's public reason.
 */
import { and, asc, count, eq, inArray, isNull, sql, type SQL } from 'drizzle-orm';
import type { Db, DbOrTx } from '../../platform/db/database.js';
import { landAnnouncements, landCommentReports, landComments, landPlots, landProposals, landSettings } from '../../platform/db/schema.js';
import { writeAudit } from '../../platform/audit.js';
import { AppError, errors } from '../../platform/http/errors.js';
import type { Clock } from '../../platform/clock.js';
import type { LocalizedText } from '../../platform/db/schema.js';
import type { Municipality } from '../municipalities/municipalities.service.js';
import type { CitizenPrincipal, StaffPrincipal } from '../auth/principal.js';
import { DEFAULT_DISCUSSION_RULES } from './land-settings.routes.js';

export const SUBJECT_TYPES = ['plot', 'announcement', 'proposal'] as const;
export type SubjectType = (typeof SUBJECT_TYPES)[number];
/** Top level is 1; replies to a level-3 comment are attached to its parent. */
export const MAX_DEPTH = 3;

export interface CommentDeps { db: Db; clock: Clock }
export type CommentRow = typeof landComments.$inferSelect;
type Author = CitizenPrincipal | StaffPrincipal;

/** "2026-05-11 18:00" in the city's time zone, for messages. */
export function localDateTime(at: Date, timeZone: string): string {
  return new Intl.DateTimeFormat('sv-SE', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hour12: false })
    .format(at);
}

/** Whether the subject may be commented on now; throws the reason why not. */
async function checkSubjectOpen(db: DbOrTx, m: Municipality, type: SubjectType, id: string, now: Date): Promise<void> {
  const where = <T extends typeof landPlots | typeof landProposals | typeof landAnnouncements>(t: T) => and(eq(t.municipalityId, m.id), eq(t.id, id));
  if (type === 'plot') {
    const [p] = await db.select({ id: landPlots.id }).from(landPlots).where(where(landPlots)).limit(1);
    if (!p) throw errors.notFound('plot');
    return;
  }
  if (type === 'proposal') {
    const [p] = await db.select({ status: landProposals.status }).from(landProposals).where(where(landProposals)).limit(1);
    if (!p) throw errors.notFound('proposal');
    if (p.status === 'withdrawn') throw new AppError(409, 'discussion_closed', 'error.land_discussion_closed');
    return;
  }
  const [a] = await db.select({ status: landAnnouncements.status, opens: landAnnouncements.commentOpensAt, closes: landAnnouncements.commentClosesAt })
    .from(landAnnouncements).where(where(landAnnouncements)).limit(1);
  if (!a) throw errors.notFound('announcement');
  if (now < a.opens) {
    throw new AppError(409, 'comment_period_closed', 'error.land_comment_period_not_open', { opensAt: localDateTime(a.opens, m.timezone) }, { opensAt: a.opens.toISOString() });
  }
  if (now >= a.closes || a.status === 'closed' || a.status === 'decided') {
    throw new AppError(409, 'comment_period_closed', 'error.land_comment_period_closed', { closedAt: localDateTime(a.closes, m.timezone) }, { closedAt: a.closes.toISOString() });
  }
  if (a.status !== 'published') throw new AppError(409, 'comment_period_closed', 'error.land_discussion_closed');
}

export interface NewComment { body: string; parentId?: string | undefined; authorName?: string | undefined; official?: boolean | undefined }

export async function addComment(deps: CommentDeps, m: Municipality, author: Author, subject: { type: SubjectType; id: string }, input: NewComment): Promise<CommentRow> {
  if (author.kind === 'staff' && author.municipalityId !== m.id) throw errors.forbidden();
  if (input.official && author.kind !== 'staff') throw errors.forbidden();
  const authorName = author.kind === 'staff' ? author.fullName : input.authorName?.trim() || author.fullName?.trim();
  if (!authorName) throw new AppError(400, 'author_name_required', 'error.land_author_name_required', {}, [{ in: 'body', path: 'authorName', code: 'required' }]);
  const now = deps.clock.now();
  return deps.db.transaction(async (tx) => {
    await checkSubjectOpen(tx, m, subject.type, subject.id, now);
    let parentId: string | null = null;
    let createdAt = now;
    if (input.parentId) {
      const chain = await ancestors(tx, m.id, input.parentId);
      const parent = chain[0];
      if (!parent || parent.subjectType !== subject.type || parent.subjectId !== subject.id) throw errors.invalidReference('parentId');
      // chain = [parent, grandparent, …]: the parent sits on level chain.length.
      parentId = chain.length >= MAX_DEPTH ? parent.parentId : parent.id;
      // Lists are ordered by time: a reply made within the same instant as its parent still comes after it.
      if (createdAt <= parent.createdAt) createdAt = new Date(parent.createdAt.getTime() + 1);
    }
    const [row] = await tx.insert(landComments).values({
      municipalityId: m.id, subjectType: subject.type, subjectId: subject.id, parentId, authorKind: author.kind, authorId: author.id, authorName,
      body: input.body, official: author.kind === 'staff' && !!input.official, createdAt,
    }).returning();
    await writeAudit(tx, { municipalityId: m.id, actor: { kind: author.kind, id: author.id }, entityType: 'land_comment', entityId: row!.id, action: 'create',
      after: { subjectType: subject.type, subjectId: subject.id, parentId, official: row!.official }, at: now });
    return row!;
  });
}

/** The comment and its ancestors, nearest first (at most MAX_DEPTH + 1 steps). */
async function ancestors(db: DbOrTx, municipalityId: string, id: string): Promise<CommentRow[]> {
  const chain: CommentRow[] = [];
  let next: string | null = id;
  while (next && chain.length <= MAX_DEPTH) {
    const [row] = await db.select().from(landComments).where(and(eq(landComments.municipalityId, municipalityId), eq(landComments.id, next))).limit(1);
    if (!row) break;
    chain.push(row);
    next = row.parentId;
  }
  return chain;
}

export async function loadComment(db: DbOrTx, municipalityId: string, id: string, lock = false): Promise<CommentRow | null> {
  const q = db.select().from(landComments).where(and(eq(landComments.municipalityId, municipalityId), eq(landComments.id, id))).limit(1);
  const [row] = lock ? await q.for('update') : await q;
  return row ?? null;
}

/** A subject's comments, oldest first (parents always before their replies), with keyset paging. */
export async function listComments(db: Db, municipalityId: string, subject: { type: SubjectType; id: string }, page: { after: [string, string] | null; limit: number }) {
  const where: SQL[] = [eq(landComments.municipalityId, municipalityId), eq(landComments.subjectType, subject.type), eq(landComments.subjectId, subject.id)];
  const base = [...where];
  if (page.after) where.push(sql`(${landComments.createdAt}, ${landComments.id}) > (${page.after[0]}::timestamptz, ${page.after[1]}::uuid)`);
  const [rows, [total]] = await Promise.all([
    db.select().from(landComments).where(and(...where)).orderBy(asc(landComments.createdAt), asc(landComments.id)).limit(page.limit),
    db.select({ n: count() }).from(landComments).where(and(...base)),
  ]);
  return { rows, total: total?.n ?? 0 };
}

/** The city's discussion rules, or the default ones until it writes its own. */
export async function discussionRules(db: Db, municipalityId: string): Promise<LocalizedText> {
  const [row] = await db.select({ rules: landSettings.discussionRules }).from(landSettings).where(eq(landSettings.municipalityId, municipalityId));
  return row?.rules ?? DEFAULT_DISCUSSION_RULES;
}

// ---- moderation -------------------------------------------------------------------------------------------

export async function reportComment(deps: CommentDeps, m: Municipality, citizen: CitizenPrincipal, commentId: string, reason: string): Promise<string> {
  const now = deps.clock.now();
  return deps.db.transaction(async (tx) => {
    if (!(await loadComment(tx, m.id, commentId))) throw errors.notFound('comment');
    const [row] = await tx.insert(landCommentReports).values({ municipalityId: m.id, commentId, reporterCitizenId: citizen.id, reason, createdAt: now })
      .onConflictDoNothing().returning({ id: landCommentReports.id });
    if (!row) throw new AppError(409, 'already_reported', 'error.land_already_reported');
    await writeAudit(tx, { municipalityId: m.id, actor: { kind: 'citizen', id: citizen.id }, entityType: 'land_comment_report', entityId: row.id, action: 'create',
      after: { commentId }, reason, at: now });
    return row.id;
  });
}

export async function hideComment(deps: CommentDeps, m: Municipality, staff: StaffPrincipal, commentId: string, reason: string): Promise<void> {
  const now = deps.clock.now();
  await deps.db.transaction(async (tx) => {
    const c = await loadComment(tx, m.id, commentId, true);
    if (!c) throw errors.notFound('comment');
    if (c.hiddenAt) throw new AppError(409, 'comment_already_hidden', 'error.land_comment_already_hidden');
    await tx.update(landComments).set({ hiddenAt: now, hiddenReason: reason, hiddenById: staff.id })
      .where(and(eq(landComments.municipalityId, m.id), eq(landComments.id, commentId)));
    const resolved = await tx.update(landCommentReports).set({ resolution: 'hidden', resolvedAt: now, resolvedById: staff.id })
      .where(and(eq(landCommentReports.municipalityId, m.id), eq(landCommentReports.commentId, commentId), isNull(landCommentReports.resolvedAt)))
      .returning({ id: landCommentReports.id });
    await writeAudit(tx, { municipalityId: m.id, actor: { kind: 'staff', id: staff.id }, entityType: 'land_comment', entityId: commentId, action: 'hide',
      before: { hidden: false }, after: { hidden: true, reportsResolved: resolved.map((r) => r.id) }, reason, at: now });
  });
}

export async function unhideComment(deps: CommentDeps, m: Municipality, staff: StaffPrincipal, commentId: string, reason: string | undefined): Promise<void> {
  const now = deps.clock.now();
  await deps.db.transaction(async (tx) => {
    const c = await loadComment(tx, m.id, commentId, true);
    if (!c) throw errors.notFound('comment');
    if (!c.hiddenAt) throw new AppError(409, 'comment_not_hidden', 'error.land_comment_not_hidden');
    await tx.update(landComments).set({ hiddenAt: null, hiddenReason: null, hiddenById: null })
      .where(and(eq(landComments.municipalityId, m.id), eq(landComments.id, commentId)));
    await writeAudit(tx, { municipalityId: m.id, actor: { kind: 'staff', id: staff.id }, entityType: 'land_comment', entityId: commentId, action: 'unhide',
      before: { hidden: true, hiddenReason: c.hiddenReason }, after: { hidden: false }, reason: reason ?? null, at: now });
  });
}

export async function keepReport(deps: CommentDeps, m: Municipality, staff: StaffPrincipal, reportId: string): Promise<void> {
  const now = deps.clock.now();
  await deps.db.transaction(async (tx) => {
    const [r] = await tx.select().from(landCommentReports).where(and(eq(landCommentReports.municipalityId, m.id), eq(landCommentReports.id, reportId))).for('update').limit(1);
    if (!r) throw errors.notFound('report');
    if (r.resolvedAt) throw new AppError(409, 'report_resolved', 'error.land_report_resolved', {}, { resolution: r.resolution });
    await tx.update(landCommentReports).set({ resolution: 'kept', resolvedAt: now, resolvedById: staff.id })
      .where(and(eq(landCommentReports.municipalityId, m.id), eq(landCommentReports.id, reportId)));
    await writeAudit(tx, { municipalityId: m.id, actor: { kind: 'staff', id: staff.id }, entityType: 'land_comment_report', entityId: reportId, action: 'keep',
      before: { resolution: null }, after: { resolution: 'kept', commentId: r.commentId }, at: now });
  });
}

/** The moderators' queue: open reports first (oldest first), then resolved ones (newest first), with the comment. */
export async function listReports(db: Db, municipalityId: string, f: { status: 'open' | 'resolved' | 'all'; limit: number; offset: number }) {
  const where: SQL[] = [eq(landCommentReports.municipalityId, municipalityId)];
  if (f.status === 'open') where.push(isNull(landCommentReports.resolvedAt));
  if (f.status === 'resolved') where.push(sql`${landCommentReports.resolvedAt} is not null`);
  const rows = await db.select({ report: landCommentReports, comment: landComments }).from(landCommentReports)
    .innerJoin(landComments, and(eq(landComments.municipalityId, landCommentReports.municipalityId), eq(landComments.id, landCommentReports.commentId)))
    .where(and(...where))
    .orderBy(sql`${landCommentReports.resolvedAt} is not null`, sql`case when ${landCommentReports.resolvedAt} is null then ${landCommentReports.createdAt} end asc`,
      sql`${landCommentReports.resolvedAt} desc`, asc(landCommentReports.id))
    .limit(f.limit).offset(f.offset);
  const ids = [...new Set(rows.map((r) => r.comment.id))];
  const counts = ids.length === 0 ? [] : await db.select({ commentId: landCommentReports.commentId, n: count() }).from(landCommentReports)
    .where(and(eq(landCommentReports.municipalityId, municipalityId), inArray(landCommentReports.commentId, ids), isNull(landCommentReports.resolvedAt)))
    .groupBy(landCommentReports.commentId);
  const open = new Map(counts.map((c) => [c.commentId, c.n]));
  return rows.map((r) => ({ ...r, openReportsOnComment: open.get(r.comment.id) ?? 0 }));
}
