/**
 * HTTP routes of public hearings. Staff (commission secretary, admins): plan, edit, held with the summary of
 * positions heard, cancelled, attendance, the sign-in sheet. Residents: register and unregister. Public: the
 * hearings with how many registered — never who.
 */
import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { StaffRole } from '@shaar/contracts';
import type { RouteOptions } from '../../app.js';
import { commonErrors, IdParams, MunicipalityParams, Uuid } from '../../platform/http/schemas.js';
import { errors } from '../../platform/http/errors.js';
import { requireCitizen, requireStaff } from '../auth/principal.js';
import {
  HEARING_STATUSES, isRegistered, listHearings, loadHearing, markAttendance, planHearing, register, registeredCount, registrations, unregister,
  updateHearing, type HearingRow,
} from './hearings.service.js';

const ORGANISERS: readonly StaffRole[] = ['land_commission', 'admin'];

const Instant = z.iso.datetime({ offset: true });
const HearingBody = z.object({
  plotId: Uuid.optional(), announcementId: Uuid.optional().describe("The hearing's plot is then the announcement's"),
  title: z.string().trim().min(3).max(300), startsAt: Instant, place: z.string().trim().min(2).max(500),
  capacity: z.number().int().min(1).max(100_000).optional().describe('Places; none: no limit'),
}).strict();
const HearingPatch = z.object({
  title: z.string().trim().min(3).max(300).optional(), startsAt: Instant.optional(), place: z.string().trim().min(2).max(500).optional(),
  capacity: z.number().int().min(1).max(100_000).nullable().optional(),
  status: z.enum(['held', 'cancelled']).optional(),
  summary: z.string().trim().max(20_000).nullable().optional().describe('The positions heard (public)'),
  attendedCount: z.number().int().min(0).max(100_000).nullable().optional(),
}).strict();
const AttendanceBody = z.object({ citizenIds: z.array(Uuid).min(1).max(5000), attended: z.boolean() }).strict();

const HearingOut = z.object({
  id: z.uuid(), plotId: z.uuid().nullable(), announcementId: z.uuid().nullable(), title: z.string(), startsAt: z.string(), place: z.string(),
  capacity: z.number().int().nullable(), status: z.enum(HEARING_STATUSES), summary: z.string().nullable(), attendedCount: z.number().int().nullable(),
  registeredCount: z.number().int(),
  registrationOpen: z.boolean().describe('Planned and not yet started'),
});
const HearingDetail = HearingOut.extend({ registeredByMe: z.boolean().nullable().describe('null when not signed in as a resident') });
const ListQuery = z.object({
  plotId: Uuid.optional(), limit: z.coerce.number().int().min(1).max(200).default(50), offset: z.coerce.number().int().min(0).max(100_000).default(0),
}).strict();
const RegistrationOut = z.object({ registered: z.boolean(), registeredCount: z.number().int() });

const tag = <S extends object>(summary: string, schema: S, security?: Array<Record<string, string[]>>) => ({ tags: ['land hearings'], summary, ...(security ? { security } : {}), ...schema });
const STAFF: Array<Record<string, string[]>> = [{ session: [] }];
const CITIZEN: Array<Record<string, string[]>> = [{ session: [] }, { bearer: [] }];

export const hearingRoutes: FastifyPluginAsyncZod<RouteOptions> = async (app, { services }) => {
  const { municipalities, database, clock } = services;
  const db = database.db;
  const deps = { db, clock };

  const present = (h: HearingRow, count: number) => ({
    id: h.id, plotId: h.plotId, announcementId: h.announcementId, title: h.title, startsAt: h.startsAt.toISOString(), place: h.place, capacity: h.capacity,
    status: h.status as (typeof HEARING_STATUSES)[number], summary: h.summary, attendedCount: h.attendedCount, registeredCount: count,
    registrationOpen: h.status === 'planned' && clock.now() < h.startsAt,
  });
  const detail = async (municipalityId: string, h: HearingRow, viewer: { kind: string; id: string } | null) => ({
    ...present(h, await registeredCount(db, municipalityId, h.id)),
    registeredByMe: viewer?.kind === 'citizen' ? await isRegistered(db, municipalityId, h.id, viewer.id) : null,
  });

  app.post('/api/v1/m/:municipality/admin/land/hearings', {
    schema: tag('Plan a public hearing (residents watching the plot\'s area are told)', { params: MunicipalityParams, body: HearingBody, response: { 201: HearingDetail, ...commonErrors } }, STAFF),
  }, async (req, reply) => {
    const m = await municipalities.bySlug(req.params.municipality);
    const h = await planHearing(deps, m, requireStaff(req, m.id, ORGANISERS), req.body);
    return reply.status(201).send(await detail(m.id, h, null));
  });

  app.patch('/api/v1/m/:municipality/admin/land/hearings/:id', {
    schema: tag('Edit a hearing; held (with the summary of positions heard and the attendance) or cancelled', { params: IdParams, body: HearingPatch, response: { 200: HearingDetail, ...commonErrors } }, STAFF),
  }, async (req) => {
    const m = await municipalities.bySlug(req.params.municipality);
    const h = await updateHearing(deps, m, requireStaff(req, m.id, ORGANISERS), req.params.id, req.body);
    return detail(m.id, h, null);
  });

  app.post('/api/v1/m/:municipality/admin/land/hearings/:id/attendance', {
    schema: tag('Mark registrants as present or absent', {
      params: IdParams, body: AttendanceBody, response: { 200: z.object({ marked: z.number().int(), unknown: z.array(z.uuid()).describe('Not registered for this hearing') }), ...commonErrors },
    }, STAFF),
  }, async (req) => {
    const m = await municipalities.bySlug(req.params.municipality);
    return markAttendance(deps, m, requireStaff(req, m.id, ORGANISERS), req.params.id, req.body.citizenIds, req.body.attended);
  });

  app.get('/api/v1/m/:municipality/admin/land/hearings/:id/registrations', {
    schema: tag('The sign-in sheet: registrants\' names (staff only)', {
      params: IdParams,
      response: { 200: z.object({ items: z.array(z.object({ citizenId: z.uuid(), fullName: z.string().nullable(), registeredAt: z.string(), attended: z.boolean() })) }), ...commonErrors },
    }, STAFF),
  }, async (req) => {
    const m = await municipalities.bySlug(req.params.municipality);
    requireStaff(req, m.id, ORGANISERS);
    if (!(await loadHearing(db, m.id, req.params.id))) throw errors.notFound('hearing');
    const rows = await registrations(db, m.id, req.params.id);
    return { items: rows.map((r) => ({ ...r, registeredAt: r.registeredAt.toISOString() })) };
  });

  app.post('/api/v1/m/:municipality/land/hearings/:id/registration', {
    schema: tag('Register for a hearing (signed-in resident; again: no change)', { params: IdParams, response: { 200: RegistrationOut, ...commonErrors } }, CITIZEN),
  }, async (req) => {
    const m = await municipalities.bySlug(req.params.municipality);
    await register(deps, m, requireCitizen(req), req.params.id);
    return { registered: true, registeredCount: await registeredCount(db, m.id, req.params.id) };
  });

  app.delete('/api/v1/m/:municipality/land/hearings/:id/registration', {
    schema: tag('Cancel one\'s registration before the hearing starts', { params: IdParams, response: { 200: RegistrationOut, ...commonErrors } }, CITIZEN),
  }, async (req) => {
    const m = await municipalities.bySlug(req.params.municipality);
    await unregister(deps, m, requireCitizen(req), req.params.id);
    return { registered: false, registeredCount: await registeredCount(db, m.id, req.params.id) };
  });

  app.get('/api/v1/m/:municipality/land/hearings', {
    schema: tag('Public hearings: upcoming first, then past ones', { params: MunicipalityParams, querystring: ListQuery, response: { 200: z.object({ items: z.array(HearingOut) }), ...commonErrors } }),
  }, async (req) => {
    const m = await municipalities.bySlug(req.params.municipality);
    return { items: (await listHearings(db, m.id, clock.now(), req.query)).map((r) => present(r.hearing, r.registeredCount)) };
  });

  app.get('/api/v1/m/:municipality/land/hearings/:id', {
    schema: tag('A public hearing: place, time, how many registered, the summary once held', { params: IdParams, response: { 200: HearingDetail, ...commonErrors } }),
  }, async (req) => {
    const m = await municipalities.bySlug(req.params.municipality);
    const h = await loadHearing(db, m.id, req.params.id);
    if (!h) throw errors.notFound('hearing');
    return detail(m.id, h, req.principal);
  });
};
