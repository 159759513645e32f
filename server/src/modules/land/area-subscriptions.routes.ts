/**
 * A resident's watches on areas of a city: a district, or a circle (100 m – 5 km) around a point such as their
 * address. An announcement on a plot in a watched area notifies them (land-notify.ts, audience plot_area).
 * Private to the account: only its owner lists them; nothing here is public.
 */
import { z } from 'zod';
import { and, asc, count, eq, sql } from 'drizzle-orm';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { RouteOptions } from '../../app.js';
import { landAreaSubscriptions } from '../../platform/db/schema.js';
import { commonErrors, IdParams, MunicipalityParams, Ok, Uuid } from '../../platform/http/schemas.js';
import { AppError, errors } from '../../platform/http/errors.js';
import { writeAudit } from '../../platform/audit.js';
import { requireCitizen } from '../auth/principal.js';
import { haversineM } from './land-geometry.js';

export const MAX_SUBSCRIPTIONS = 10;
export const RADIUS_M = { min: 100, max: 5000 } as const;
/** A watched point must lie within this distance of the city's centre. */
const CITY_RADIUS_M = 50_000;

const SubscriptionBody = z.union([
  z.object({ districtId: Uuid, label: z.string().trim().min(1).max(100).optional() }).strict(),
  z.object({
    lat: z.number().min(-90).max(90), lon: z.number().min(-180).max(180),
    radiusM: z.number().int().min(RADIUS_M.min).max(RADIUS_M.max), label: z.string().trim().min(1).max(100).describe('e.g. "Home"'),
  }).strict(),
]).describe('A district, or a point with a radius (100 m – 5 km) and a label');
const SubscriptionOut = z.object({
  id: z.uuid(), districtId: z.uuid().nullable(), lat: z.number().nullable(), lon: z.number().nullable(), radiusM: z.number().int().nullable(),
  label: z.string().nullable(), createdAt: z.string(),
});

const tag = <S extends object>(summary: string, schema: S) => ({ tags: ['land'], summary, ...schema });
const citizenOnly: Record<string, string[]>[] = [{ session: [] }, { bearer: [] }];
type Row = typeof landAreaSubscriptions.$inferSelect;
const present = (s: Row) => ({
  id: s.id, districtId: s.districtId, lat: s.centerLat, lon: s.centerLon, radiusM: s.radiusM, label: s.label, createdAt: s.createdAt.toISOString(),
});

export const areaSubscriptionRoutes: FastifyPluginAsyncZod<RouteOptions> = async (app, { services }) => {
  const { municipalities, database, clock, directory } = services;
  const db = database.db;

  app.get('/api/v1/m/:municipality/land/subscriptions', {
    schema: tag('My watched areas in this city (signed-in resident)', {
      security: citizenOnly, params: MunicipalityParams, response: { 200: z.object({ items: z.array(SubscriptionOut), max: z.number().int() }), ...commonErrors },
    }),
  }, async (req) => {
    const m = await municipalities.bySlug(req.params.municipality);
    const citizen = requireCitizen(req);
    const rows = await db.select().from(landAreaSubscriptions)
      .where(and(eq(landAreaSubscriptions.municipalityId, m.id), eq(landAreaSubscriptions.citizenId, citizen.id))).orderBy(asc(landAreaSubscriptions.createdAt), asc(landAreaSubscriptions.id));
    return { items: rows.map(present), max: MAX_SUBSCRIPTIONS };
  });

  app.post('/api/v1/m/:municipality/land/subscriptions', {
    schema: tag(`Watch an area: a district, or a point with a radius (signed-in resident; at most ${MAX_SUBSCRIPTIONS} per account)`, {
      security: citizenOnly, params: MunicipalityParams, body: SubscriptionBody, response: { 201: SubscriptionOut, ...commonErrors },
    }),
  }, async (req, reply) => {
    const m = await municipalities.bySlug(req.params.municipality);
    const citizen = requireCitizen(req);
    const b = req.body;
    if ('districtId' in b) {
      if (!(await directory.get(m.id)).districts.get(b.districtId)?.active) throw errors.invalidReference('districtId');
    } else if (m.centerLat !== null && m.centerLon !== null && haversineM(b.lat, b.lon, m.centerLat, m.centerLon) > CITY_RADIUS_M) {
      throw new AppError(400, 'outside_city', 'error.land_outside_city', { km: CITY_RADIUS_M / 1000 }, [{ in: 'body', path: 'lat', code: 'outside_city' }]);
    }
    const now = clock.now();
    const row = await db.transaction(async (tx) => {
      // Counted across cities: the limit is per account. The insert below is serialised per account by this lock.
      await tx.execute(sqlLockCitizen(citizen.id));
      const [n] = await tx.select({ n: count() }).from(landAreaSubscriptions).where(eq(landAreaSubscriptions.citizenId, citizen.id));
      if ((n?.n ?? 0) >= MAX_SUBSCRIPTIONS) throw new AppError(409, 'too_many_subscriptions', 'error.land_too_many_subscriptions', { max: MAX_SUBSCRIPTIONS });
      const [s] = await tx.insert(landAreaSubscriptions).values({
        municipalityId: m.id, citizenId: citizen.id, createdAt: now, label: b.label ?? null,
        ...('districtId' in b ? { districtId: b.districtId } : { centerLat: b.lat, centerLon: b.lon, radiusM: b.radiusM }),
      }).returning();
      // The audit records the kind of watch, not the point (it may be the resident's home).
      await writeAudit(tx, { municipalityId: m.id, actor: { kind: 'citizen', id: citizen.id }, entityType: 'land_area_subscription', entityId: s!.id, action: 'create', at: now,
        after: 'districtId' in b ? { districtId: b.districtId } : { radiusM: b.radiusM } });
      return s!;
    });
    return reply.status(201).send(present(row));
  });

  app.delete('/api/v1/m/:municipality/land/subscriptions/:id', {
    schema: tag('Stop watching an area (its owner)', { security: citizenOnly, params: IdParams, response: { 200: Ok, ...commonErrors } }),
  }, async (req) => {
    const m = await municipalities.bySlug(req.params.municipality);
    const citizen = requireCitizen(req);
    const now = clock.now();
    await db.transaction(async (tx) => {
      const [s] = await tx.delete(landAreaSubscriptions).where(and(eq(landAreaSubscriptions.municipalityId, m.id), eq(landAreaSubscriptions.id, req.params.id),
        eq(landAreaSubscriptions.citizenId, citizen.id))).returning();
      if (!s) throw errors.notFound('subscription');
      await writeAudit(tx, { municipalityId: m.id, actor: { kind: 'citizen', id: citizen.id }, entityType: 'land_area_subscription', entityId: s.id, action: 'delete', at: now,
        before: s.districtId ? { districtId: s.districtId } : { radiusM: s.radiusM } });
    });
    return { ok: true as const };
  });
};

/** A transaction-scoped advisory lock per account, so two requests at once cannot both pass the limit. */
function sqlLockCitizen(citizenId: string) {
  return sql`select pg_advisory_xact_lock(hashtext(${`land_subscriptions:${citizenId}`}))`;
}
