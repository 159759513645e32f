/**
 * HTTP routes of announcements: staff (admin, land commission) publish and withdraw; everyone reads them, open
 * ones first. The rules of dates, languages and plot statuses are in announcements.service.ts.
 */
import { z } from 'zod';
import { and, asc, count, desc, eq, sql, type SQL } from 'drizzle-orm';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { RouteOptions } from '../../app.js';
import { landAnnouncements, landPlots } from '../../platform/db/schema.js';
import { commonErrors, IdParams, IsoDate, MunicipalityParams, Uuid } from '../../platform/http/schemas.js';
import { errors } from '../../platform/http/errors.js';
import { actorOf, requireStaff } from '../auth/principal.js';
import {
  ANNOUNCEMENT_KINDS, ANNOUNCEMENT_STATUSES, loadAnnouncement, publishAnnouncement, withdrawAnnouncement, type AnnouncementDeps, type AnnouncementRow,
} from './announcements.service.js';
import { AnnouncementOut, presentAnnouncement } from './plots.routes.js';
import { LAND_ADMIN_ROLES, loadPlot } from './plots.service.js';

const Partial3 = (max: number) => z.object({
  ky: z.string().trim().max(max).optional(), ru: z.string().trim().max(max).optional(), en: z.string().trim().max(max).optional(),
}).strict();
const AnnouncementBody = z.object({
  plotId: Uuid,
  kind: z.enum(ANNOUNCEMENT_KINDS),
  title: Partial3(300).describe('At least one language; missing ones are filled with the first given (ky, ru, en)'),
  description: Partial3(10_000).optional(),
  proposedUse: z.string().trim().min(1).max(500).nullable().optional(),
  leaseUntil: IsoDate.nullable().optional().describe('The end of the proposed lease: required for temporary_lease, only for the lease kinds'),
  commentOpensAt: z.iso.datetime({ offset: true }).optional().describe('Default: now'),
  commentClosesAt: z.iso.datetime({ offset: true }).optional()
    .describe('The first instant comments are refused. Default: 00:00 city time after the N-th day following the opening day (N = the settings\' comment days)'),
}).strict();
const WithdrawBody = z.object({ reason: z.string().trim().min(3).max(2000) }).strict();
const PlotRef = z.object({ id: z.uuid(), cadastralNumber: z.string(), address: z.string().nullable(), status: z.string(), center: z.object({ lat: z.number(), lon: z.number() }) });
const AnnouncementDetail = AnnouncementOut.extend({ plot: PlotRef });
const ListQuery = z.object({
  status: z.enum(ANNOUNCEMENT_STATUSES).optional(), plotId: Uuid.optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20), offset: z.coerce.number().int().min(0).max(100_000).default(0),
}).strict();

const tag = <S extends object>(summary: string, schema: S) => ({ tags: ['land announcements'], summary, ...schema });
const staffOnly: Record<string, string[]>[] = [{ session: [] }, { bearer: [] }];

export const announcementRoutes: FastifyPluginAsyncZod<RouteOptions> = async (app, { services }) => {
  const { municipalities, database, clock } = services;
  const db = database.db;
  const deps: AnnouncementDeps = { db, clock };

  const detail = async (municipalityId: string, a: AnnouncementRow) => {
    const plot = (await loadPlot(db, municipalityId, a.plotId))!;
    return { ...presentAnnouncement(a, clock.now()),
      plot: { id: plot.id, cadastralNumber: plot.cadastralNumber, address: plot.address, status: plot.status, center: { lat: plot.centerLat, lon: plot.centerLon } } };
  };

  app.get('/api/v1/m/:municipality/land/announcements', {
    schema: tag('Announcements (public): those open for comment first (closing soonest first), then the others, newest first', {
      params: MunicipalityParams, querystring: ListQuery,
      response: { 200: z.object({ items: z.array(AnnouncementOut.extend({ cadastralNumber: z.string(), address: z.string().nullable() })), total: z.number().int() }), ...commonErrors },
    }),
  }, async (req) => {
    const m = await municipalities.bySlug(req.params.municipality);
    const conds: SQL[] = [eq(landAnnouncements.municipalityId, m.id)];
    if (req.query.status) conds.push(eq(landAnnouncements.status, req.query.status));
    if (req.query.plotId) conds.push(eq(landAnnouncements.plotId, req.query.plotId));
    const w = and(...conds);
    const isOpen = sql`case when ${landAnnouncements.status} = 'published' then 0 else 1 end`;
    const [rows, [total]] = await Promise.all([
      db.select({ a: landAnnouncements, cadastralNumber: landPlots.cadastralNumber, address: landPlots.address }).from(landAnnouncements)
        .innerJoin(landPlots, and(eq(landPlots.municipalityId, landAnnouncements.municipalityId), eq(landPlots.id, landAnnouncements.plotId)))
        .where(w)
        .orderBy(asc(isOpen), sql`case when ${landAnnouncements.status} = 'published' then ${landAnnouncements.commentClosesAt} end asc`,
          desc(landAnnouncements.publishedAt), asc(landAnnouncements.id))
        .limit(req.query.limit).offset(req.query.offset),
      db.select({ n: count() }).from(landAnnouncements).where(w),
    ]);
    const now = clock.now();
    return { items: rows.map((r) => ({ ...presentAnnouncement(r.a, now), cadastralNumber: r.cadastralNumber, address: r.address })), total: total?.n ?? 0 };
  });

  app.get('/api/v1/m/:municipality/land/announcements/:id', {
    schema: tag('An announcement (public), with whether comments are open now and when they close', { params: IdParams, response: { 200: AnnouncementDetail, ...commonErrors } }),
  }, async (req) => {
    const m = await municipalities.bySlug(req.params.municipality);
    const a = await loadAnnouncement(db, m.id, req.params.id);
    if (!a) throw errors.notFound('announcement');
    return detail(m.id, a);
  });

  app.post('/api/v1/m/:municipality/admin/land/announcements', {
    schema: tag('Publish an announcement on a plot (admin, land commission): opens its comment period and notifies residents watching the area', {
      security: staffOnly, params: MunicipalityParams, body: AnnouncementBody, response: { 201: AnnouncementDetail, ...commonErrors },
    }),
  }, async (req, reply) => {
    const m = await municipalities.bySlug(req.params.municipality);
    const staff = requireStaff(req, m.id, LAND_ADMIN_ROLES);
    const a = await publishAnnouncement(deps, m, actorOf(staff), req.body);
    return reply.status(201).send(await detail(m.id, a));
  });

  app.post('/api/v1/m/:municipality/admin/land/announcements/:id/withdraw', {
    schema: tag('Withdraw an announcement not yet decided (admin, land commission), with a public reason; the plot goes back to its status', {
      security: staffOnly, params: IdParams, body: WithdrawBody, response: { 200: AnnouncementDetail, ...commonErrors },
    }),
  }, async (req) => {
    const m = await municipalities.bySlug(req.params.municipality);
    const staff = requireStaff(req, m.id, LAND_ADMIN_ROLES);
    const a = await withdrawAnnouncement(deps, m, actorOf(staff), req.params.id, req.body.reason);
    return detail(m.id, a);
  });
};
