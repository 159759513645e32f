/**
 * Admin use cases for a municipality's reference data: districts, categories (two levels), services and routing
 * rules, with the shapes of their input. Each change runs in one transaction together with its audit entry; the
 * directory cache is cleared after commit, so no reader caches the old data again in between.
 */
import { and, asc, eq } from 'drizzle-orm';
import { uniqueViolation } from '../../platform/db/database-errors.js';
import { z } from 'zod';
import { SERVICE_KINDS } from '@shaar/contracts';
import type { Db, Tx } from '../../platform/db/database.js';
import { categories, districts, routingRules, services } from '../../platform/db/schema.js';
import { changedFields, writeAudit, type Actor } from '../../platform/audit.js';
import { AppError, errors } from '../../platform/http/errors.js';
import { LocalizedText, Uuid } from '../../platform/http/schemas.js';
import type { Category, DirectoryCache, District, RoutingRule, Service } from './directory.cache.js';
import { isPolygonal } from './geo.js';

// ---- input shapes ----------------------------------------------------------------------------------------

export const Code = z.string().trim().min(1).max(60).regex(/^[a-z0-9][a-z0-9._-]*$/)
  .describe('Lower-case latin letters, digits, ".", "-" and "_", e.g. leninsky or roads.pothole');

export const DISTRICT_KINDS = ['district', 'territorial_administration', 'rural_administration'] as const;

const Boundary = z.looseObject({ type: z.enum(['Polygon', 'MultiPolygon', 'Feature']) })
  .refine(isPolygonal, { message: 'not a polygonal GeoJSON geometry' })
  .describe('GeoJSON Polygon or MultiPolygon, or a Feature of one: [lon, lat] positions, closed rings of ≥ 4 positions');

const districtFields = {
  code: Code, name: LocalizedText,
  population: z.number().int().min(0).max(100_000_000).nullable().optional(),
  boundary: Boundary.nullable().optional().describe('Optional: lets a point on the map find its district'),
};
export const DistrictCreate = z.object({ ...districtFields, kind: z.enum(DISTRICT_KINDS).default('district') }).strict();
export const DistrictPatch = z.object({ ...districtFields, kind: z.enum(DISTRICT_KINDS), active: z.boolean() }).partial().strict();

const categoryFields = {
  code: Code, name: LocalizedText,
  parentId: Uuid.nullable().optional().describe('A top-level category: the taxonomy has exactly two levels. None makes a top-level one'),
  keywords: z.array(z.string().trim().min(1).max(60)).max(100).optional().describe('Words that suggest this category in free text'),
  sortOrder: z.number().int().min(-1_000_000).max(1_000_000).optional(),
  requiresResultPhoto: z.boolean().optional().describe("Answers must show the result in a photo; a group's flag covers its subcategories"),
};
export const CategoryCreate = z.object(categoryFields).strict();
export const CategoryPatch = z.object({ ...categoryFields, active: z.boolean() }).partial().strict();

const serviceFields = {
  code: Code, name: LocalizedText, kind: z.enum(SERVICE_KINDS),
  email: z.email().max(200).nullable().optional(),
  phone: z.string().trim().regex(/^\+?[\d\s()-]{7,20}$/).nullable().optional(),
};
export const ServiceCreate = z.object(serviceFields).strict();
export const ServicePatch = z.object({ ...serviceFields, active: z.boolean() }).partial().strict();

export const RoutingRuleCreate = z.object({
  categoryId: Uuid, serviceId: Uuid,
  districtId: Uuid.nullable().default(null).describe('null: every district without a rule of its own'),
}).strict();

// ---- the use cases ---------------------------------------------------------------------------------------

/** Who changes what where; built per request by the routes. */
export interface AdminContext { db: Db; cache: DirectoryCache; municipalityId: string; actor: Actor }

const codeTaken = (code: string) => new AppError(409, 'code_taken', 'error.code_taken', { code });
const twoLevels = (status: 400 | 409) => new AppError(status, 'category_levels', 'error.category_two_levels');


/** Runs one change in a transaction (unique violations become `conflict`), then clears the cache. */
async function change<T>(c: AdminContext, fn: (tx: Tx) => Promise<T>, conflict?: () => AppError): Promise<T> {
  let result: T;
  try {
    result = await c.db.transaction(fn);
  } catch (err) {
    throw conflict && uniqueViolation(err) !== null ? conflict() : err;
  }
  c.cache.invalidate(c.municipalityId);
  return result;
}

const audit = (tx: Tx, c: AdminContext, entityType: string, entityId: string, action: string, before: unknown, after: unknown) =>
  writeAudit(tx, { municipalityId: c.municipalityId, actor: c.actor, entityType, entityId, action, before, after });

/** Shared by the PATCH use cases: writes only what changed, audited as a compact before/after. */
async function applyPatch<R extends { id: string }>(tx: Tx, c: AdminContext, entityType: string, row: R | undefined,
  patch: Partial<R>, update: () => Promise<R[]>): Promise<R> {
  if (!row) throw errors.notFound(entityType);
  const diff = changedFields(row as Record<string, unknown>, patch as Record<string, unknown>);
  if (Object.keys(diff.after).length === 0) return row;
  const [updated] = await update();
  await audit(tx, c, entityType, row.id, 'update', diff.before, diff.after);
  return updated!;
}

// Districts

export const listDistricts = (db: Db, municipalityId: string) =>
  db.select().from(districts).where(eq(districts.municipalityId, municipalityId)).orderBy(asc(districts.code));

export async function createDistrict(c: AdminContext, input: z.infer<typeof DistrictCreate>): Promise<District> {
  return change(c, async (tx) => {
    const [row] = await tx.insert(districts).values({ ...input, municipalityId: c.municipalityId }).returning();
    await audit(tx, c, 'district', row!.id, 'create', null, row);
    return row!;
  }, () => codeTaken(input.code));
}

export async function updateDistrict(c: AdminContext, id: string, patch: z.infer<typeof DistrictPatch>): Promise<District> {
  const key = and(eq(districts.municipalityId, c.municipalityId), eq(districts.id, id));
  return change(c, async (tx) => {
    const [row] = await tx.select().from(districts).where(key).for('update');
    return applyPatch(tx, c, 'district', row, patch, () => tx.update(districts).set(patch).where(key).returning());
  }, () => codeTaken(patch.code ?? ''));
}

// Categories

export const listCategories = (db: Db, municipalityId: string) =>
  db.select().from(categories).where(eq(categories.municipalityId, municipalityId)).orderBy(asc(categories.sortOrder), asc(categories.code));

/** A parent must be a top-level category of the same city; a category with subcategories cannot get one. */
async function checkParent(tx: Tx, c: AdminContext, parentId: string, selfId?: string) {
  const [parent] = await tx.select().from(categories)
    .where(and(eq(categories.municipalityId, c.municipalityId), eq(categories.id, parentId)));
  if (!parent || parent.id === selfId) throw errors.invalidReference('parentId');
  if (parent.parentId !== null) throw twoLevels(400);
  if (selfId) {
    const [child] = await tx.select({ id: categories.id }).from(categories)
      .where(and(eq(categories.municipalityId, c.municipalityId), eq(categories.parentId, selfId))).limit(1);
    if (child) throw twoLevels(409);
  }
}

export async function createCategory(c: AdminContext, input: z.infer<typeof CategoryCreate>): Promise<Category> {
  return change(c, async (tx) => {
    if (input.parentId) await checkParent(tx, c, input.parentId);
    const [row] = await tx.insert(categories).values({ ...input, municipalityId: c.municipalityId }).returning();
    await audit(tx, c, 'category', row!.id, 'create', null, row);
    return row!;
  }, () => codeTaken(input.code));
}

export async function updateCategory(c: AdminContext, id: string, patch: z.infer<typeof CategoryPatch>): Promise<Category> {
  const key = and(eq(categories.municipalityId, c.municipalityId), eq(categories.id, id));
  return change(c, async (tx) => {
    const [row] = await tx.select().from(categories).where(key).for('update');
    if (row && patch.parentId && patch.parentId !== row.parentId) await checkParent(tx, c, patch.parentId, row.id);
    return applyPatch(tx, c, 'category', row, patch, () => tx.update(categories).set(patch).where(key).returning());
  }, () => codeTaken(patch.code ?? ''));
}

// Services

export const listServices = (db: Db, municipalityId: string) =>
  db.select().from(services).where(eq(services.municipalityId, municipalityId)).orderBy(asc(services.code));

export async function createService(c: AdminContext, input: z.infer<typeof ServiceCreate>): Promise<Service> {
  return change(c, async (tx) => {
    const [row] = await tx.insert(services).values({ ...input, municipalityId: c.municipalityId }).returning();
    await audit(tx, c, 'service', row!.id, 'create', null, row);
    return row!;
  }, () => codeTaken(input.code));
}

export async function updateService(c: AdminContext, id: string, patch: z.infer<typeof ServicePatch>): Promise<Service> {
  const key = and(eq(services.municipalityId, c.municipalityId), eq(services.id, id));
  return change(c, async (tx) => {
    const [row] = await tx.select().from(services).where(key).for('update');
    return applyPatch(tx, c, 'service', row, patch, () => tx.update(services).set(patch).where(key).returning());
  }, () => codeTaken(patch.code ?? ''));
}

// Routing rules

export async function listRoutingRules(db: Db, municipalityId: string, filter: { categoryId?: string; districtId?: string; serviceId?: string }) {
  const where = [eq(routingRules.municipalityId, municipalityId)];
  if (filter.categoryId) where.push(eq(routingRules.categoryId, filter.categoryId));
  if (filter.districtId) where.push(eq(routingRules.districtId, filter.districtId));
  if (filter.serviceId) where.push(eq(routingRules.serviceId, filter.serviceId));
  return db.select().from(routingRules).where(and(...where)).orderBy(asc(routingRules.createdAt), asc(routingRules.id));
}

/** References are checked here, not left to the foreign keys, so an unknown id is a clear 400 naming its field. */
async function checkRefs(tx: Tx, c: AdminContext, r: z.infer<typeof RoutingRuleCreate>) {
  const m = c.municipalityId;
  const [cat] = await tx.select({ id: categories.id }).from(categories).where(and(eq(categories.municipalityId, m), eq(categories.id, r.categoryId)));
  if (!cat) throw errors.invalidReference('categoryId');
  const [svc] = await tx.select({ id: services.id }).from(services).where(and(eq(services.municipalityId, m), eq(services.id, r.serviceId)));
  if (!svc) throw errors.invalidReference('serviceId');
  if (r.districtId) {
    const [d] = await tx.select({ id: districts.id }).from(districts).where(and(eq(districts.municipalityId, m), eq(districts.id, r.districtId)));
    if (!d) throw errors.invalidReference('districtId');
  }
}

export async function createRoutingRule(c: AdminContext, input: z.infer<typeof RoutingRuleCreate>): Promise<RoutingRule> {
  return change(c, async (tx) => {
    await checkRefs(tx, c, input);
    const [row] = await tx.insert(routingRules).values({ ...input, municipalityId: c.municipalityId }).returning();
    await audit(tx, c, 'routing_rule', row!.id, 'create', null, row);
    return row!;
  }, () => new AppError(409, 'routing_rule_exists', 'error.routing_rule_exists'));
}

export async function deleteRoutingRule(c: AdminContext, id: string): Promise<void> {
  await change(c, async (tx) => {
    const [row] = await tx.delete(routingRules)
      .where(and(eq(routingRules.municipalityId, c.municipalityId), eq(routingRules.id, id))).returning();
    if (!row) throw errors.notFound('routing rule');
    await audit(tx, c, 'routing_rule', row.id, 'delete', row, null);
  });
}
