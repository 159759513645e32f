/**
 * Reads of the Tunduk services: the consumer behind an X-Road client id, and appeals as a consumer may see them.
 * The applicant's personal number is only compared in SQL, never read back.
 */
import { and, desc, eq, inArray, isNull, sql, type SQL } from 'drizzle-orm';
import type { AppealKind, AppealStatus, ApiKeyScope } from '@shaar/contracts';
import type { Db } from '../../platform/db/database.js';
import { apiKeys, appealAnswers, appealApplicants, appeals, categories, xroadConsumers } from '../../platform/db/schema.js';

export interface Consumer {
  id: string;
  clientId: string;
  apiKeyId: string;
  scopes: ApiKeyScope[];
  mayListByPersonalNumber: boolean;
}

/** The active consumer with this client id in this city, mapped to its active integrator key; null otherwise. */
export async function findConsumer(db: Db, municipalityId: string, clientId: string): Promise<Consumer | null> {
  const [row] = await db.select({
    id: xroadConsumers.id, clientId: xroadConsumers.clientId, apiKeyId: xroadConsumers.apiKeyId,
    mayListByPersonalNumber: xroadConsumers.mayListByPersonalNumber, scopes: apiKeys.scopes,
  }).from(xroadConsumers)
    .innerJoin(apiKeys, and(eq(apiKeys.municipalityId, xroadConsumers.municipalityId), eq(apiKeys.id, xroadConsumers.apiKeyId)))
    .where(and(eq(xroadConsumers.municipalityId, municipalityId), eq(xroadConsumers.clientId, clientId),
      isNull(xroadConsumers.revokedAt), isNull(apiKeys.revokedAt)))
    .limit(1);
  return row ? { ...row, scopes: row.scopes as ApiKeyScope[] } : null;
}

/** The source of appeals a consumer submitted: one per consumer subsystem, so references never collide. */
export const sourceOf = (clientId: string) => `xroad:${clientId}`;

export async function findByReference(db: Db, municipalityId: string, source: string, externalId: string) {
  const [row] = await db.select({ id: appeals.id, registrationNumber: appeals.registrationNumber, dueDate: appeals.dueDate, status: appeals.status })
    .from(appeals)
    .where(and(eq(appeals.municipalityId, municipalityId), eq(appeals.source, source), eq(appeals.externalId, externalId)))
    .limit(1);
  return row ? { ...row, status: row.status as AppealStatus } : null;
}

export interface AppealView {
  id: string;
  registrationNumber: string;
  kind: AppealKind;
  status: AppealStatus;
  category: string | null;
  registeredAt: Date;
  dueDate: string;
  answeredAt: Date | null;
  closedAt: Date | null;
  answer: { text: string; language: string; at: Date } | null;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Appeals visible to a consumer: those it submitted (its source), and — for consumers allowed to list by personal
 * number — those of identified persons. `ref` picks one by id or registration number; `personalNumber` a person's.
 */
export async function findAppeals(db: Db, municipalityId: string, q: {
  source: string; identifiedToo: boolean; ref?: string; personalNumber?: string; limit: number;
}): Promise<AppealView[]> {
  const where: (SQL | undefined)[] = [eq(appeals.municipalityId, municipalityId)];
  if (q.ref !== undefined) {
    where.push(UUID.test(q.ref) ? eq(appeals.id, q.ref) : eq(appeals.registrationNumber, q.ref.toUpperCase()));
  }
  if (q.personalNumber !== undefined) where.push(eq(appealApplicants.personalNumber, q.personalNumber));
  where.push(q.identifiedToo
    ? sql`(${appeals.source} = ${q.source} or ${appealApplicants.personalNumber} is not null)`
    : eq(appeals.source, q.source));

  const rows = await db.select({
    id: appeals.id, registrationNumber: appeals.registrationNumber, kind: appeals.kind, status: appeals.status,
    category: categories.code, registeredAt: appeals.registeredAt, dueDate: appeals.dueDate,
    answeredAt: appeals.answeredAt, closedAt: appeals.closedAt,
  }).from(appeals)
    .leftJoin(categories, and(eq(categories.municipalityId, appeals.municipalityId), eq(categories.id, appeals.categoryId)))
    .leftJoin(appealApplicants, and(eq(appealApplicants.municipalityId, appeals.municipalityId), eq(appealApplicants.appealId, appeals.id)))
    .where(and(...where))
    .orderBy(desc(appeals.registeredAt), desc(appeals.id))
    .limit(q.limit);
  if (rows.length === 0) return [];

  // The latest answer of each: the official reply belongs to the resident, and so to the consumer acting for them.
  const answers = await db.select({ appealId: appealAnswers.appealId, body: appealAnswers.body, language: appealAnswers.language, createdAt: appealAnswers.createdAt })
    .from(appealAnswers)
    .where(and(eq(appealAnswers.municipalityId, municipalityId), inArray(appealAnswers.appealId, rows.map((r) => r.id))))
    .orderBy(desc(appealAnswers.createdAt));
  const latest = new Map<string, (typeof answers)[number]>();
  for (const a of answers) if (!latest.has(a.appealId)) latest.set(a.appealId, a);

  return rows.map((r) => {
    const a = latest.get(r.id);
    return {
      ...r, kind: r.kind as AppealKind, status: r.status as AppealStatus,
      answer: a ? { text: a.body, language: a.language, at: a.createdAt } : null,
    };
  });
}
