/**
 * The staff workspace's own data and look-ups: the staff list for pickers, answer templates, saved inbox filters
 * and duplicate hints for reception. Every change runs in one transaction with its audit entry.
 */
import { and, asc, desc, eq, gte, inArray, isNotNull, isNull, lte, or, sql, type SQL } from 'drizzle-orm';
import { LOCALES, OPEN_STATUSES, type Locale, type StaffRole } from '@shaar/contracts';
import type { z } from 'zod';
import type { Db } from '../../platform/db/database.js';
import { answerTemplates, appealApplicants, appeals, savedFilters, staffUsers, type PartialLocalizedText } from '../../platform/db/schema.js';
import { changedFields, writeAudit, type Actor } from '../../platform/audit.js';
import { AppError, errors } from '../../platform/http/errors.js';
import type { Clock } from '../../platform/clock.js';
import type { DirectoryCache } from '../directory/directory.cache.js';
import { normalizePhone } from '../appeals/register-appeal.js';
import {
  INBOX_FILTER_KEYS, InboxFilter, type AnswerTemplateCreate, type AnswerTemplatePatch, type AnswerTemplateQuery, type DuplicateHintsQuery,
  type StaffQuery,
} from './workspace.schemas.js';

export interface WorkspaceContext { db: Db; clock: Clock; directory: DirectoryCache; municipalityId: string; actor: Actor }

export type AnswerTemplate = typeof answerTemplates.$inferSelect;
export type SavedFilter = typeof savedFilters.$inferSelect;

/** At most this many saved filters per staff member: a short personal list, not a store. */
export const MAX_SAVED_FILTERS = 50;
/** "Nearby" for duplicate hints: within this many metres of the point. */
export const NEARBY_METERS = 300;
const HINT_LIMIT = 10;

// ---- staff ---------------------------------------------------------------------------------------------------

export async function listActiveStaff(db: Db, municipalityId: string, q: z.infer<typeof StaffQuery>) {
  const where: SQL[] = [eq(staffUsers.municipalityId, municipalityId), eq(staffUsers.active, true)];
  if (q.role) where.push(sql`${q.role} = any(${staffUsers.roles})`);
  if (q.serviceId) where.push(eq(staffUsers.serviceId, q.serviceId));
  const rows = await db.select({ id: staffUsers.id, fullName: staffUsers.fullName, roles: staffUsers.roles, serviceId: staffUsers.serviceId })
    .from(staffUsers).where(and(...where)).orderBy(asc(staffUsers.fullName), asc(staffUsers.id));
  return rows.map((r) => ({ ...r, roles: r.roles as StaffRole[] }));
}

// ---- answer templates ----------------------------------------------------------------------------------------

export function languagesOf(t: Pick<AnswerTemplate, 'title'>): Locale[] {
  return LOCALES.filter((l) => typeof t.title[l] === 'string');
}

/** Checks that a template's service and category are this city's and in use. */
async function checkScope(ctx: WorkspaceContext, scope: { serviceId?: string | null | undefined; categoryId?: string | null | undefined }) {
  const dir = await ctx.directory.get(ctx.municipalityId);
  if (scope.serviceId && !dir.services.get(scope.serviceId)?.active) throw errors.invalidReference('serviceId');
  if (scope.categoryId && !dir.categories.get(scope.categoryId)?.active) throw errors.invalidReference('categoryId');
}

export async function listAnswerTemplates(db: Db, directory: DirectoryCache, municipalityId: string, q: z.infer<typeof AnswerTemplateQuery>) {
  const where: (SQL | undefined)[] = [eq(answerTemplates.municipalityId, municipalityId)];
  if (q.serviceId) where.push(or(isNull(answerTemplates.serviceId), eq(answerTemplates.serviceId, q.serviceId)));
  if (q.categoryId) {
    // A template for a group of categories serves every subcategory of it.
    const dir = await directory.get(municipalityId);
    const parentId = dir.categories.get(q.categoryId)?.parentId ?? null;
    const ids = parentId ? [q.categoryId, parentId] : [q.categoryId];
    where.push(or(isNull(answerTemplates.categoryId), inArray(answerTemplates.categoryId, ids)));
  }
  if (q.language) where.push(isNotNull(sql`${answerTemplates.title} ->> ${q.language}`));
  return db.select().from(answerTemplates).where(and(...where)).orderBy(asc(answerTemplates.createdAt), asc(answerTemplates.id));
}

const clean = (text: PartialLocalizedText): PartialLocalizedText =>
  Object.fromEntries(LOCALES.filter((l) => text[l] !== undefined).map((l) => [l, text[l]]));

export async function createAnswerTemplate(ctx: WorkspaceContext, input: z.infer<typeof AnswerTemplateCreate>) {
  await checkScope(ctx, input);
  const now = ctx.clock.now();
  return ctx.db.transaction(async (tx) => {
    const [row] = await tx.insert(answerTemplates).values({
      municipalityId: ctx.municipalityId, serviceId: input.serviceId ?? null, categoryId: input.categoryId ?? null,
      title: clean(input.title), body: clean(input.body), createdById: ctx.actor.id, createdAt: now, updatedAt: now,
    }).returning();
    await writeAudit(tx, { municipalityId: ctx.municipalityId, actor: ctx.actor, entityType: 'answer_template', entityId: row!.id, action: 'create',
      after: { serviceId: row!.serviceId, categoryId: row!.categoryId, title: row!.title, languages: languagesOf(row!) }, at: now });
    return row!;
  });
}

export async function updateAnswerTemplate(ctx: WorkspaceContext, id: string, patch: z.infer<typeof AnswerTemplatePatch>) {
  await checkScope(ctx, patch);
  const now = ctx.clock.now();
  return ctx.db.transaction(async (tx) => {
    const key = and(eq(answerTemplates.municipalityId, ctx.municipalityId), eq(answerTemplates.id, id));
    const [before] = await tx.select().from(answerTemplates).where(key).for('update').limit(1);
    if (!before) throw errors.notFound('answer_template');
    const changes: Partial<AnswerTemplate> = {};
    if (patch.title) changes.title = clean(patch.title);
    if (patch.body) changes.body = clean(patch.body);
    if (patch.serviceId !== undefined) changes.serviceId = patch.serviceId;
    if (patch.categoryId !== undefined) changes.categoryId = patch.categoryId;
    const diff = changedFields(before as unknown as Record<string, unknown>, changes as Record<string, unknown>);
    if (Object.keys(diff.after).length === 0) return before;
    const [row] = await tx.update(answerTemplates).set({ ...changes, updatedAt: now }).where(key).returning();
    await writeAudit(tx, { municipalityId: ctx.municipalityId, actor: ctx.actor, entityType: 'answer_template', entityId: id, action: 'update',
      ...diff, at: now });
    return row!;
  });
}

export async function deleteAnswerTemplate(ctx: WorkspaceContext, id: string) {
  const now = ctx.clock.now();
  await ctx.db.transaction(async (tx) => {
    const [row] = await tx.delete(answerTemplates)
      .where(and(eq(answerTemplates.municipalityId, ctx.municipalityId), eq(answerTemplates.id, id))).returning();
    if (!row) throw errors.notFound('answer_template');
    await writeAudit(tx, { municipalityId: ctx.municipalityId, actor: ctx.actor, entityType: 'answer_template', entityId: id, action: 'delete',
      before: { serviceId: row.serviceId, categoryId: row.categoryId, title: row.title, body: row.body }, at: now });
  });
}

// ---- saved filters -------------------------------------------------------------------------------------------

/**
 * The inbox query string a saved filter keeps: only the inbox's own filter parameters (validated as the inbox
 * validates them), empty ones dropped, in a stable order. Anything else is refused, so that a saved filter always
 * opens the inbox it was saved from.
 */
export function normaliseInboxQuery(query: string): string {
  const params = new URLSearchParams(query.startsWith('?') ? query.slice(1) : query);
  const refuse = (code: string) => new AppError(400, 'validation_failed', 'error.validation_failed', {}, [{ in: 'body', path: 'query', code }]);
  const values: Record<string, string> = {};
  for (const [k, v] of params) {
    if (!(INBOX_FILTER_KEYS as string[]).includes(k)) throw refuse('unrecognized_keys');
    if (k in values) throw refuse('duplicate_key');
    if (v.trim() !== '') values[k] = v.trim();
  }
  if (!InboxFilter.safeParse(values).success) throw refuse('invalid_value');
  const out = new URLSearchParams();
  for (const k of INBOX_FILTER_KEYS) if (values[k] !== undefined) out.set(k, values[k]);
  return out.toString();
}

export function listSavedFilters(db: Db, municipalityId: string, staffId: string) {
  return db.select().from(savedFilters)
    .where(and(eq(savedFilters.municipalityId, municipalityId), eq(savedFilters.staffId, staffId)))
    .orderBy(asc(savedFilters.name), asc(savedFilters.id));
}

/** Saves a filter; one with the same name is replaced (saving "Roads, overdue" again updates it). */
export async function saveFilter(ctx: WorkspaceContext, staffId: string, input: { name: string; query: string }) {
  const query = normaliseInboxQuery(input.query);
  const now = ctx.clock.now();
  return ctx.db.transaction(async (tx) => {
    const mine = and(eq(savedFilters.municipalityId, ctx.municipalityId), eq(savedFilters.staffId, staffId));
    const [existing] = await tx.select().from(savedFilters).where(and(mine, eq(savedFilters.name, input.name))).for('update').limit(1);
    if (existing) {
      if (existing.query === query) return { row: existing, created: false };
      const [row] = await tx.update(savedFilters).set({ query })
        .where(and(eq(savedFilters.municipalityId, ctx.municipalityId), eq(savedFilters.id, existing.id))).returning();
      await writeAudit(tx, { municipalityId: ctx.municipalityId, actor: ctx.actor, entityType: 'saved_filter', entityId: existing.id, action: 'update',
        before: { query: existing.query }, after: { query }, at: now });
      return { row: row!, created: false };
    }
    const [{ count } = { count: 0 }] = await tx.select({ count: sql<number>`count(*)::int` }).from(savedFilters).where(mine);
    if (count >= MAX_SAVED_FILTERS) throw new AppError(409, 'too_many_saved_filters', 'error.conflict', { what: `at most ${MAX_SAVED_FILTERS} saved filters` });
    const [row] = await tx.insert(savedFilters).values({ municipalityId: ctx.municipalityId, staffId, name: input.name, query, createdAt: now }).returning();
    await writeAudit(tx, { municipalityId: ctx.municipalityId, actor: ctx.actor, entityType: 'saved_filter', entityId: row!.id, action: 'create',
      after: { name: row!.name, query }, at: now });
    return { row: row!, created: true };
  });
}

/** Deletes one of the staff member's own filters; another's is "not found". */
export async function deleteSavedFilter(ctx: WorkspaceContext, staffId: string, id: string) {
  const now = ctx.clock.now();
  await ctx.db.transaction(async (tx) => {
    const [row] = await tx.delete(savedFilters)
      .where(and(eq(savedFilters.municipalityId, ctx.municipalityId), eq(savedFilters.id, id), eq(savedFilters.staffId, staffId))).returning();
    if (!row) throw errors.notFound('saved_filter');
    await writeAudit(tx, { municipalityId: ctx.municipalityId, actor: ctx.actor, entityType: 'saved_filter', entityId: id, action: 'delete',
      before: { name: row.name, query: row.query }, at: now });
  });
}

// ---- duplicate hints -----------------------------------------------------------------------------------------

/** Metres between two points (haversine; the Earth as a sphere is exact enough for 300 m). */
export function distanceMeters(lat1: number, lon1: number, lat2: number, lon2: number): number {
  const rad = Math.PI / 180;
  const dLat = (lat2 - lat1) * rad;
  const dLon = (lon2 - lon1) * rad;
  const a = Math.sin(dLat / 2) ** 2 + Math.cos(lat1 * rad) * Math.cos(lat2 * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * 6_371_000 * Math.asin(Math.min(1, Math.sqrt(a)));
}

/** A phone as stored for applicants, or null when what was typed is not (yet) a phone number. */
function phoneKey(phone: string | undefined): string | null {
  if (!phone || !/^\+?[\d\s()-]{7,20}$/.test(phone)) return null;
  const n = normalizePhone(phone);
  return n && /^\+\d{7,15}$/.test(n) ? n : null;
}

const hintColumns = {
  id: appeals.id, registrationNumber: appeals.registrationNumber, subject: appeals.subject, status: appeals.status,
  registeredAt: appeals.registeredAt, dueDate: appeals.dueDate,
};

/**
 * What reception should look at before registering: open appeals of the same applicant (by normalised phone or
 * lower-cased e-mail), and open appeals of the same category nearby — within NEARBY_METERS of the point, or in the
 * same district when there is no point. The nearby list carries nothing about anyone's person.
 */
export async function duplicateHints(db: Db, municipalityId: string, q: z.infer<typeof DuplicateHintsQuery>) {
  const open = inArray(appeals.status, [...OPEN_STATUSES]);
  const phone = phoneKey(q.phone);
  const email = q.email && q.email.includes('@') ? q.email.toLowerCase() : null;

  let sameApplicant: { id: string; registrationNumber: string; subject: string; status: string; registeredAt: Date; dueDate: string; matchedBy: ('phone' | 'email')[] }[] = [];
  if (phone || email) {
    const match = or(phone ? eq(appealApplicants.phone, phone) : undefined, email ? eq(appealApplicants.email, email) : undefined);
    const rows = await db.select({ ...hintColumns, phone: appealApplicants.phone, email: appealApplicants.email }).from(appeals)
      .innerJoin(appealApplicants, and(eq(appealApplicants.municipalityId, appeals.municipalityId), eq(appealApplicants.appealId, appeals.id)))
      .where(and(eq(appeals.municipalityId, municipalityId), open, match))
      .orderBy(desc(appeals.registeredAt), desc(appeals.id)).limit(HINT_LIMIT);
    sameApplicant = rows.map(({ phone: p, email: e, ...r }) => ({
      ...r, matchedBy: [...(phone && p === phone ? ['phone' as const] : []), ...(email && e === email ? ['email' as const] : [])],
    }));
  }

  let nearby: { id: string; registrationNumber: string; subject: string; status: string; registeredAt: Date; dueDate: string; distanceMeters: number | null }[] = [];
  let nearbyBy: 'point' | 'district' | 'none' = 'none';
  if (q.categoryId && q.lat !== undefined && q.lon !== undefined) {
    nearbyBy = 'point';
    const { lat, lon } = q;
    // A box a little larger than the circle narrows the rows by index-friendly comparisons; the circle is exact.
    const dLat = (NEARBY_METERS * 1.1) / 111_320;
    const dLon = dLat / Math.max(0.01, Math.cos((lat * Math.PI) / 180));
    const rows = await db.select({ ...hintColumns, lat: appeals.lat, lon: appeals.lon }).from(appeals)
      .where(and(eq(appeals.municipalityId, municipalityId), open, eq(appeals.categoryId, q.categoryId),
        gte(appeals.lat, lat - dLat), lte(appeals.lat, lat + dLat), gte(appeals.lon, lon - dLon), lte(appeals.lon, lon + dLon)))
      .orderBy(desc(appeals.registeredAt)).limit(500);
    nearby = rows
      .map(({ lat: la, lon: lo, ...r }) => ({ ...r, distanceMeters: Math.round(distanceMeters(lat, lon, la!, lo!)) }))
      .filter((r) => r.distanceMeters <= NEARBY_METERS)
      .sort((a, b) => a.distanceMeters - b.distanceMeters || b.registeredAt.getTime() - a.registeredAt.getTime())
      .slice(0, HINT_LIMIT);
  } else if (q.categoryId && q.districtId) {
    nearbyBy = 'district';
    const rows = await db.select(hintColumns).from(appeals)
      .where(and(eq(appeals.municipalityId, municipalityId), open, eq(appeals.categoryId, q.categoryId), eq(appeals.districtId, q.districtId)))
      .orderBy(desc(appeals.registeredAt), desc(appeals.id)).limit(HINT_LIMIT);
    nearby = rows.map((r) => ({ ...r, distanceMeters: null }));
  }
  return { sameApplicant, nearby, nearbyBy };
}
