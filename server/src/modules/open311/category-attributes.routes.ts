/**
 * A category's extra questions (Open311 service attributes), managed by the city's admins. A group's attributes
 * are asked for every subcategory in it. Every change is audited.
 */
import { z } from 'zod';
import { and, asc, eq } from 'drizzle-orm';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { RouteOptions } from '../../app.js';
import { commonErrors, IdParams, LocalizedText, Uuid } from '../../platform/http/schemas.js';
import { AppError, errors } from '../../platform/http/errors.js';
import { writeAudit } from '../../platform/audit.js';
import { uniqueViolation } from '../../platform/db/database-errors.js';
import { categories, categoryAttributes } from '../../platform/db/schema.js';
import { actorOf, requireStaff } from '../auth/principal.js';

const DATATYPES = ['string', 'number', 'datetime', 'text', 'singlevaluelist', 'multivaluelist'] as const;
const LISTS: readonly string[] = ['singlevaluelist', 'multivaluelist'];

const AttributeIn = z.object({
  code: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,49}$/).describe('Open311 attribute code: letters, digits, _ and -; not starting with _'),
  datatype: z.enum(DATATYPES),
  required: z.boolean().default(false),
  variable: z.boolean().default(true).describe('false: information shown to the resident, not a question'),
  description: LocalizedText.describe('The question, in the three languages'),
  values: z.array(z.object({ key: z.string().trim().min(1).max(100), name: LocalizedText })).max(200).default([])
    .describe('The options of singlevaluelist and multivaluelist; empty for the other datatypes'),
  sortOrder: z.number().int().min(0).max(10_000).default(0),
}).strict()
  .refine((a) => LISTS.includes(a.datatype) === (a.values.length > 0), { message: 'values are required for list datatypes and only for them', path: ['values'] })
  .refine((a) => new Set(a.values.map((v) => v.key)).size === a.values.length, { message: 'value keys must be unique', path: ['values'] });

const AttributeOut = z.object({
  id: Uuid, categoryId: Uuid, code: z.string(), datatype: z.enum(DATATYPES), required: z.boolean(), variable: z.boolean(),
  description: LocalizedText, values: z.array(z.object({ key: z.string(), name: LocalizedText })), sortOrder: z.number().int(),
});
const AttributeParams = IdParams.extend({ attributeId: Uuid });

type Row = typeof categoryAttributes.$inferSelect;
const present = (r: Row) => ({
  id: r.id, categoryId: r.categoryId, code: r.code, datatype: r.datatype as (typeof DATATYPES)[number], required: r.required,
  variable: r.variable, description: r.description, values: r.values, sortOrder: r.sortOrder,
});

export const categoryAttributeRoutes: FastifyPluginAsyncZod<RouteOptions> = async (app, { services }) => {
  const { municipalities, database, clock } = services;
  const db = database.db;
  const base = '/api/v1/m/:municipality/admin/categories/:id/attributes';

  const categoryOf = async (municipalityId: string, id: string) => {
    const [c] = await db.select({ id: categories.id }).from(categories)
      .where(and(eq(categories.municipalityId, municipalityId), eq(categories.id, id))).limit(1);
    if (!c) throw errors.notFound('category');
  };

  app.get(base, {
    schema: { tags: ['open311'], summary: "A category's extra questions (Open311 attributes; admins)", security: [{ session: [] }], params: IdParams, response: { 200: z.array(AttributeOut), ...commonErrors } },
  }, async (req) => {
    const m = await municipalities.bySlug(req.params.municipality);
    requireStaff(req, m.id, ['admin']);
    await categoryOf(m.id, req.params.id);
    const rows = await db.select().from(categoryAttributes)
      .where(and(eq(categoryAttributes.municipalityId, m.id), eq(categoryAttributes.categoryId, req.params.id)))
      .orderBy(asc(categoryAttributes.sortOrder), asc(categoryAttributes.code));
    return rows.map(present);
  });

  app.post(base, {
    schema: { tags: ['open311'], summary: 'Add an extra question to a category (admins; audited)', security: [{ session: [] }], params: IdParams, body: AttributeIn, response: { 201: AttributeOut, ...commonErrors } },
  }, async (req, reply) => {
    const m = await municipalities.bySlug(req.params.municipality);
    const staff = requireStaff(req, m.id, ['admin']);
    await categoryOf(m.id, req.params.id);
    const now = clock.now();
    try {
      const row = await db.transaction(async (tx) => {
        const [r] = await tx.insert(categoryAttributes).values({ municipalityId: m.id, categoryId: req.params.id, ...req.body, createdAt: now }).returning();
        await writeAudit(tx, { municipalityId: m.id, actor: actorOf(staff), entityType: 'category_attribute', entityId: r!.id, action: 'create', after: present(r!), at: now });
        return r!;
      });
      return reply.status(201).send(present(row));
    } catch (err) {
      if (uniqueViolation(err) !== null) throw new AppError(409, 'conflict', 'error.conflict', { what: 'attribute code' });
      throw err;
    }
  });

  app.delete(`${base}/:attributeId`, {
    schema: { tags: ['open311'], summary: 'Remove an extra question (admins; audited; answers already given stay)', security: [{ session: [] }], params: AttributeParams, response: { 204: z.null(), ...commonErrors } },
  }, async (req, reply) => {
    const m = await municipalities.bySlug(req.params.municipality);
    const staff = requireStaff(req, m.id, ['admin']);
    const now = clock.now();
    await db.transaction(async (tx) => {
      const [r] = await tx.delete(categoryAttributes).where(and(eq(categoryAttributes.municipalityId, m.id),
        eq(categoryAttributes.categoryId, req.params.id), eq(categoryAttributes.id, req.params.attributeId))).returning();
      if (!r) throw errors.notFound('attribute');
      await writeAudit(tx, { municipalityId: m.id, actor: actorOf(staff), entityType: 'category_attribute', entityId: r.id, action: 'delete', before: present(r), at: now });
    });
    return reply.status(204).send(null);
  });
};
