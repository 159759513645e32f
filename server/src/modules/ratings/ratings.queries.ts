/** Reads shared by the rating use cases: the resident's own answer, the answer that stands, the review queue. */
import { and, asc, desc, eq, sql, type SQL } from 'drizzle-orm';
import type { DbOrTx } from '../../platform/db/database.js';
import { answerRatings, appealAnswers, appeals, auditLog, reviewRequests } from '../../platform/db/schema.js';
import { decodeCursor, encodeCursor } from '../../platform/http/schemas.js';
import { AppError, errors } from '../../platform/http/errors.js';
import { z } from 'zod';

type AppealRow = typeof appeals.$inferSelect;
type AnswerRow = typeof appealAnswers.$inferSelect;

/**
 * The appeal (locked when asked) and one of its answers, if the appeal is this citizen's. Someone else's appeal,
 * or an answer of another appeal, is "not found": its existence is nobody else's business.
 */
export async function ownAnswer(tx: DbOrTx, municipalityId: string, citizenId: string, appealId: string, answerId: string, lock = false)
  : Promise<{ appeal: AppealRow; answer: AnswerRow }> {
  const q = tx.select().from(appeals).where(and(eq(appeals.municipalityId, municipalityId), eq(appeals.id, appealId))).limit(1);
  const [appeal] = lock ? await q.for('update') : await q;
  if (!appeal || appeal.citizenId !== citizenId) throw errors.notFound('appeal');
  const [answer] = await tx.select().from(appealAnswers)
    .where(and(eq(appealAnswers.municipalityId, municipalityId), eq(appealAnswers.id, answerId), eq(appealAnswers.appealId, appealId))).limit(1);
  if (!answer) throw errors.notFound('answer');
  return { appeal, answer };
}

/**
 * The latest answer of an appeal. Taken from the audit log's order (identity ids), not from created_at: two answers
 * may share a timestamp, the log's order never ties.
 */
export async function latestAnswerId(tx: DbOrTx, municipalityId: string, appealId: string): Promise<string | null> {
  const [entry] = await tx.select({ after: auditLog.after }).from(auditLog)
    .where(and(eq(auditLog.municipalityId, municipalityId), eq(auditLog.entityType, 'appeal'), eq(auditLog.entityId, appealId), eq(auditLog.action, 'answer')))
    .orderBy(desc(auditLog.id)).limit(1);
  const fromLog = answerIdOf(entry?.after);
  if (fromLog) return fromLog;
  const [last] = await tx.select({ id: appealAnswers.id }).from(appealAnswers)
    .where(and(eq(appealAnswers.municipalityId, municipalityId), eq(appealAnswers.appealId, appealId))).orderBy(desc(appealAnswers.createdAt)).limit(1);
  return last?.id ?? null;
}

/** The same, from an appeal record already loaded (audit entries in log order, answers by time). */
export function latestAnswerIdOf(audit: readonly { action: string; after: unknown }[], answers: readonly { id: string }[]): string | null {
  for (let i = audit.length - 1; i >= 0; i--) {
    const id = audit[i]!.action === 'answer' ? answerIdOf(audit[i]!.after) : null;
    if (id) return id;
  }
  return answers[answers.length - 1]?.id ?? null;
}

function answerIdOf(after: unknown): string | null {
  return after && typeof after === 'object' && typeof (after as { answerId?: unknown }).answerId === 'string'
    ? (after as { answerId: string }).answerId : null;
}

export async function ratingOf(tx: DbOrTx, municipalityId: string, answerId: string, lock = false) {
  const q = tx.select().from(answerRatings).where(and(eq(answerRatings.municipalityId, municipalityId), eq(answerRatings.answerId, answerId))).limit(1);
  const [rating] = lock ? await q.for('update') : await q;
  return rating ?? null;
}

export async function reviewOf(tx: DbOrTx, municipalityId: string, answerId: string) {
  const [review] = await tx.select().from(reviewRequests)
    .where(and(eq(reviewRequests.municipalityId, municipalityId), eq(reviewRequests.answerId, answerId))).limit(1);
  return review ?? null;
}

const Cursor = z.tuple([z.iso.datetime({ offset: true }), z.uuid()]);

export interface ReviewQueueScope { municipalityId: string; status?: string | undefined; serviceId?: string | null; cursor?: string | undefined; limit: number }

/** The review queue, oldest first: the request with its appeal's number and subject and the rating's figures. */
export async function listReviewRequests(db: DbOrTx, s: ReviewQueueScope) {
  const where: SQL[] = [eq(reviewRequests.municipalityId, s.municipalityId)];
  if (s.status) where.push(eq(reviewRequests.status, s.status));
  if (s.serviceId !== undefined) where.push(s.serviceId === null ? sql`false` : eq(reviewRequests.serviceId, s.serviceId));
  const after = decodeCursor(s.cursor, Cursor);
  if (s.cursor && !after) throw new AppError(400, 'validation_failed', 'error.validation_failed', {}, [{ in: 'querystring', path: 'cursor', code: 'invalid' }]);
  if (after) where.push(sql`(${reviewRequests.createdAt}, ${reviewRequests.id}) > (${after[0]}::timestamptz, ${after[1]}::uuid)`);
  const rows = await db.select({ request: reviewRequests, registrationNumber: appeals.registrationNumber, subject: appeals.subject, appealStatus: appeals.status, rating: answerRatings })
    .from(reviewRequests)
    .innerJoin(appeals, and(eq(appeals.municipalityId, reviewRequests.municipalityId), eq(appeals.id, reviewRequests.appealId)))
    .leftJoin(answerRatings, and(eq(answerRatings.municipalityId, reviewRequests.municipalityId), eq(answerRatings.answerId, reviewRequests.answerId)))
    .where(and(...where)).orderBy(asc(reviewRequests.createdAt), asc(reviewRequests.id)).limit(s.limit + 1);
  const page = rows.slice(0, s.limit);
  const last = page[page.length - 1];
  return { items: page, nextCursor: rows.length > s.limit && last ? encodeCursor([last.request.createdAt.toISOString(), last.request.id]) : null };
}
