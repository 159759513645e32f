/**
 * HTTP routes of the land commission. Staff (the commission's secretary, admins): meetings, the waiting list,
 * the agenda, decisions with reasons and votes, minutes. Public: meetings with their agenda and decisions, the
 * published minutes, and decisions by plot. No names of people in any public output.
 */
import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Locale, StaffRole } from '@shaar/contracts';
import type { RouteOptions } from '../../app.js';
import { commonErrors, IdParams, MunicipalityParams, Uuid } from '../../platform/http/schemas.js';
import { errors } from '../../platform/http/errors.js';
import { requireStaff } from '../auth/principal.js';
import {
  addAgendaItem, createMeeting, decideItem, DECISIONS, listDecisions, listMeetings, loadMeeting, meetingItems, MEETING_STATUSES, publishMinutes,
  scheduleItem, subjectsOf, unscheduleItem, updateMeeting, waitingItems, type ItemRow, type MeetingRow, type SubjectInfo,
} from './commission.service.js';

const COMMISSION: readonly StaffRole[] = ['land_commission', 'admin'];

const Instant = z.iso.datetime({ offset: true });
const MeetingBody = z.object({ title: z.string().trim().min(3).max(300), startsAt: Instant, place: z.string().trim().min(2).max(500).optional() }).strict();
const MeetingPatch = z.object({
  title: z.string().trim().min(3).max(300).optional(), startsAt: Instant.optional(), place: z.string().trim().min(2).max(500).nullable().optional(),
  status: z.enum(['held', 'cancelled']).optional().describe('Cancelling sends undecided items back to the waiting list'),
  minutes: z.string().trim().max(50_000).nullable().optional().describe('Public once published'),
}).strict();
const ScheduleBody = z.object({ itemId: Uuid, position: z.number().int().min(0).max(10_000).optional() }).strict();
const AddItemBody = z.object({ subjectType: z.enum(['proposal', 'announcement']), subjectId: Uuid }).strict();
const DecisionBody = z.object({
  decision: z.enum(DECISIONS),
  reasons: z.string().trim().min(10).max(4000).describe('Why: published on the plot passport and sent to the people concerned'),
  votesFor: z.number().int().min(0).max(1000), votesAgainst: z.number().int().min(0).max(1000), votesAbstained: z.number().int().min(0).max(1000),
}).strict();

const Votes = z.object({ for: z.number().int(), against: z.number().int(), abstained: z.number().int() });
const ItemOut = z.object({
  id: z.uuid(), meetingId: z.uuid().nullable(), position: z.number().int(), addedBy: z.string(), createdAt: z.string(),
  subject: z.object({
    type: z.enum(['proposal', 'announcement']), id: z.uuid(), title: z.string().nullable().describe("An announcement's in the request's language"), status: z.string().nullable(),
    plot: z.object({ id: z.uuid(), cadastralNumber: z.string(), address: z.string().nullable() }).nullable(),
  }),
  decision: z.enum(DECISIONS).nullable(), reasons: z.string().nullable(), votes: Votes.nullable(), decidedAt: z.string().nullable(),
});
const MeetingSummary = z.object({
  id: z.uuid(), title: z.string(), startsAt: z.string(), place: z.string().nullable(), status: z.enum(MEETING_STATUSES),
  minutesPublished: z.boolean(), itemCount: z.number().int(),
});
const MeetingOut = MeetingSummary.omit({ itemCount: true }).extend({
  items: z.array(ItemOut),
  minutes: z.string().nullable().describe('Public: once published. Staff see the draft too'),
  minutesPublishedAt: z.string().nullable(),
});
const DecisionOut = ItemOut.extend({ meeting: z.object({ id: z.uuid(), title: z.string(), startsAt: z.string() }).nullable() });
const Paging = z.object({ limit: z.coerce.number().int().min(1).max(200).default(50), offset: z.coerce.number().int().min(0).max(100_000).default(0) });

const tag = <S extends object>(summary: string, schema: S, staff = true) => ({ tags: ['land commission'], summary, ...(staff ? { security: [{ session: [] }] } : {}), ...schema });

function presentItem(i: ItemRow, subjects: Map<string, SubjectInfo>) {
  const s = subjects.get(i.subjectId);
  return {
    id: i.id, meetingId: i.meetingId, position: i.position, addedBy: i.addedBy, createdAt: i.createdAt.toISOString(),
    subject: { type: i.subjectType as 'proposal' | 'announcement', id: i.subjectId, title: s?.title ?? null, status: s?.status ?? null, plot: s?.plot ?? null },
    decision: i.decision as (typeof DECISIONS)[number] | null, reasons: i.reasons,
    votes: i.decision ? { for: i.votesFor ?? 0, against: i.votesAgainst ?? 0, abstained: i.votesAbstained ?? 0 } : null,
    decidedAt: i.decidedAt?.toISOString() ?? null,
  };
}

export const commissionRoutes: FastifyPluginAsyncZod<RouteOptions> = async (app, { services }) => {
  const { municipalities, database, clock } = services;
  const db = database.db;
  const deps = { db, clock };

  const meetingOut = async (municipalityId: string, meeting: MeetingRow, locale: Locale, staff: boolean) => {
    const items = await meetingItems(db, municipalityId, meeting.id);
    const subjects = await subjectsOf(db, municipalityId, items, locale);
    return {
      id: meeting.id, title: meeting.title, startsAt: meeting.startsAt.toISOString(), place: meeting.place, status: meeting.status as (typeof MEETING_STATUSES)[number],
      minutesPublished: meeting.minutesPublishedAt !== null, items: items.map((i) => presentItem(i, subjects)),
      minutes: staff || meeting.minutesPublishedAt ? meeting.minutes : null, minutesPublishedAt: meeting.minutesPublishedAt?.toISOString() ?? null,
    };
  };
  const itemsOut = async (municipalityId: string, items: ItemRow[], locale: Locale) => {
    const subjects = await subjectsOf(db, municipalityId, items, locale);
    return items.map((i) => presentItem(i, subjects));
  };

  // ---- staff ----

  app.post('/api/v1/m/:municipality/admin/land/meetings', {
    schema: tag('Plan a commission meeting', { params: MunicipalityParams, body: MeetingBody, response: { 201: MeetingOut, ...commonErrors } }),
  }, async (req, reply) => {
    const m = await municipalities.bySlug(req.params.municipality);
    const meeting = await createMeeting(deps, m, requireStaff(req, m.id, COMMISSION), req.body);
    return reply.status(201).send(await meetingOut(m.id, meeting, req.locale, true));
  });

  app.patch('/api/v1/m/:municipality/admin/land/meetings/:id', {
    schema: tag('Edit a meeting: title, time, place, held or cancelled, the minutes', { params: IdParams, body: MeetingPatch, response: { 200: MeetingOut, ...commonErrors } }),
  }, async (req) => {
    const m = await municipalities.bySlug(req.params.municipality);
    const meeting = await updateMeeting(deps, m, requireStaff(req, m.id, COMMISSION), req.params.id, req.body);
    return meetingOut(m.id, meeting, req.locale, true);
  });

  app.post('/api/v1/m/:municipality/admin/land/meetings/:id/minutes/publish', {
    schema: tag('Publish the minutes', { params: IdParams, response: { 200: MeetingOut, ...commonErrors } }),
  }, async (req) => {
    const m = await municipalities.bySlug(req.params.municipality);
    const meeting = await publishMinutes(deps, m, requireStaff(req, m.id, COMMISSION), req.params.id);
    return meetingOut(m.id, meeting, req.locale, true);
  });

  app.get('/api/v1/m/:municipality/admin/land/meetings/:id', {
    schema: tag('A meeting with its agenda and draft minutes (staff)', { params: IdParams, response: { 200: MeetingOut, ...commonErrors } }),
  }, async (req) => {
    const m = await municipalities.bySlug(req.params.municipality);
    requireStaff(req, m.id, COMMISSION);
    const meeting = await loadMeeting(db, m.id, req.params.id);
    if (!meeting) throw errors.notFound('meeting');
    return meetingOut(m.id, meeting, req.locale, true);
  });

  app.get('/api/v1/m/:municipality/admin/land/agenda/waiting', {
    schema: tag('Items waiting for a meeting, oldest first', { params: MunicipalityParams, response: { 200: z.object({ items: z.array(ItemOut) }), ...commonErrors } }),
  }, async (req) => {
    const m = await municipalities.bySlug(req.params.municipality);
    requireStaff(req, m.id, COMMISSION);
    return { items: await itemsOut(m.id, await waitingItems(db, m.id), req.locale) };
  });

  app.post('/api/v1/m/:municipality/admin/land/agenda', {
    schema: tag('Put a proposal or an announcement before the commission (waiting for a meeting)', { params: MunicipalityParams, body: AddItemBody, response: { 201: ItemOut, ...commonErrors } }),
  }, async (req, reply) => {
    const m = await municipalities.bySlug(req.params.municipality);
    const item = await addAgendaItem(deps, m, requireStaff(req, m.id, COMMISSION), { type: req.body.subjectType, id: req.body.subjectId });
    return reply.status(201).send((await itemsOut(m.id, [item], req.locale))[0]!);
  });

  app.post('/api/v1/m/:municipality/admin/land/meetings/:id/items', {
    schema: tag("Put a waiting item on a planned meeting's agenda", { params: IdParams, body: ScheduleBody, response: { 200: ItemOut, ...commonErrors } }),
  }, async (req) => {
    const m = await municipalities.bySlug(req.params.municipality);
    const item = await scheduleItem(deps, m, requireStaff(req, m.id, COMMISSION), req.params.id, req.body.itemId, req.body.position);
    return (await itemsOut(m.id, [item], req.locale))[0]!;
  });

  app.delete('/api/v1/m/:municipality/admin/land/meetings/:id/items/:itemId', {
    schema: tag("Take an undecided item off a planned meeting's agenda (it waits again)", {
      params: IdParams.extend({ itemId: Uuid }), response: { 200: ItemOut, ...commonErrors },
    }),
  }, async (req) => {
    const m = await municipalities.bySlug(req.params.municipality);
    const item = await unscheduleItem(deps, m, requireStaff(req, m.id, COMMISSION), req.params.id, req.params.itemId);
    return (await itemsOut(m.id, [item], req.locale))[0]!;
  });

  app.post('/api/v1/m/:municipality/admin/land/agenda/:id/decision', {
    schema: tag('Record the decision on an item with its reasons and the vote (postponed: a new waiting item is made)', {
      params: IdParams, body: DecisionBody, response: { 200: ItemOut.extend({ nextItemId: z.uuid().nullable() }), ...commonErrors },
    }),
  }, async (req) => {
    const m = await municipalities.bySlug(req.params.municipality);
    const { nextItemId } = await decideItem(deps, m, requireStaff(req, m.id, COMMISSION), req.params.id, req.body);
    const [row] = await listDecisions(db, m.id, { limit: 1, offset: 0, itemId: req.params.id });
    return { ...(await itemsOut(m.id, [row!.item], req.locale))[0]!, nextItemId };
  });

  // ---- public ----

  app.get('/api/v1/m/:municipality/land/meetings', {
    schema: tag('Commission meetings: upcoming (soonest first) and past (newest first, paged)', {
      params: MunicipalityParams, querystring: Paging, response: { 200: z.object({ upcoming: z.array(MeetingSummary), past: z.array(MeetingSummary) }), ...commonErrors },
    }, false),
  }, async (req) => {
    const m = await municipalities.bySlug(req.params.municipality);
    const { upcoming, past, itemCount } = await listMeetings(db, m.id, clock.now(), req.query);
    const summary = (x: MeetingRow) => ({ id: x.id, title: x.title, startsAt: x.startsAt.toISOString(), place: x.place, status: x.status as (typeof MEETING_STATUSES)[number],
      minutesPublished: x.minutesPublishedAt !== null, itemCount: itemCount(x.id) });
    return { upcoming: upcoming.map(summary), past: past.map(summary) };
  });

  app.get('/api/v1/m/:municipality/land/meetings/:id', {
    schema: tag('A meeting: its agenda with decisions, reasons and votes; the minutes once published', { params: IdParams, response: { 200: MeetingOut, ...commonErrors } }, false),
  }, async (req) => {
    const m = await municipalities.bySlug(req.params.municipality);
    const meeting = await loadMeeting(db, m.id, req.params.id);
    if (!meeting) throw errors.notFound('meeting');
    return meetingOut(m.id, meeting, req.locale, false);
  });

  app.get('/api/v1/m/:municipality/land/decisions', {
    schema: tag("The commission's decisions, newest first (for one plot with plotId)", {
      params: MunicipalityParams, querystring: Paging.extend({ plotId: Uuid.optional() }).strict(),
      response: { 200: z.object({ items: z.array(DecisionOut) }), ...commonErrors },
    }, false),
  }, async (req) => {
    const m = await municipalities.bySlug(req.params.municipality);
    const rows = await listDecisions(db, m.id, req.query);
    const subjects = await subjectsOf(db, m.id, rows.map((r) => r.item), req.locale);
    return {
      items: rows.map(({ item, meeting }) => ({
        ...presentItem(item, subjects),
        meeting: meeting ? { id: meeting.id, title: meeting.title, startsAt: meeting.startsAt.toISOString() } : null,
      })),
    };
  });
};
