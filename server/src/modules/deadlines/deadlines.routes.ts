/**
 * The admin API of working time: the city's working calendar (holidays and working weekend days) and the
 * deadline rules in working days. Any staff member of the city may read; only admins write.
 */
import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { FastifyRequest } from 'fastify';
import { APPEAL_KINDS, localDate, type StaffRole } from '@shaar/contracts';
import type { RouteOptions } from '../../app.js';
import { commonErrors, IdParams, IsoDate, LocalizedText, MunicipalityParams, Ok } from '../../platform/http/schemas.js';
import { actorOf, requireStaff } from '../auth/principal.js';
import {
  CalendarDate, CalendarDayPut, createDeadlineRule, DeadlineRuleCreate, deleteCalendarDay, deleteDeadlineRule, listCalendar, listDeadlineRules,
  putCalendarDay, type AdminContext, type CalendarDay,
} from './deadlines.admin.js';
import type { DeadlineRule } from './working-time.js';

const DayOut = z.object({ date: IsoDate, isWorking: z.boolean(), name: LocalizedText.nullable() });
const RuleOut = z.object({
  id: z.uuid(), kind: z.enum(APPEAL_KINDS).nullable(), effectiveFrom: IsoDate, registerWithinDays: z.number().int(),
  answerWithinDays: z.number().int(), maxExtensionDays: z.number().int(), note: z.string().nullable(), createdAt: z.string(),
  deletable: z.boolean().describe('Only a rule that has not yet taken effect may be deleted'),
});
const DateParams = MunicipalityParams.extend({ date: CalendarDate });

const day = (d: CalendarDay) => ({ date: d.date, isWorking: d.isWorking, name: d.name });

/** Every route here: tagged 'admin', signed in by a staff session. */
const admin = <S extends object>(summary: string, schema: S) => ({ tags: ['admin'], summary, security: [{ session: [] }], ...schema });

export const deadlineRoutes: FastifyPluginAsyncZod<RouteOptions> = async (app, { services }) => {
  const { municipalities, database, workingTime, clock } = services;
  const db = database.db;
  const base = '/api/v1/m/:municipality/admin';

  /** The city, its local date, and the signed-in staff member allowed to act (writes: admins only). */
  const allowed = async (req: FastifyRequest & { params: { municipality: string } }, roles?: readonly StaffRole[]) => {
    const m = await municipalities.bySlug(req.params.municipality);
    const staff = requireStaff(req, m.id, roles);
    const today = localDate(clock.now(), m.timezone);
    const ctx: AdminContext = { db, workingTime, municipalityId: m.id, actor: actorOf(staff), today };
    return { m, ctx };
  };
  const ADMIN = ['admin'] as const;
  const rule = (today: string) => ({ municipalityId: _, createdAt, ...r }: DeadlineRule) =>
    ({ ...r, kind: r.kind as (typeof APPEAL_KINDS)[number] | null, createdAt: createdAt.toISOString(), deletable: r.effectiveFrom > today });

  // ---- the working calendar -----------------------------------------------------------------------------

  app.get(`${base}/calendar`, {
    schema: admin("A year's exceptions to Monday–Friday: holidays and working weekend days", {
      params: MunicipalityParams,
      querystring: z.object({ year: z.coerce.number().int().min(2000).max(2100).optional().describe('Defaults to the current year') }).strict(),
      response: { 200: z.object({ year: z.number().int(), items: z.array(DayOut) }), ...commonErrors },
    }),
  }, async (req) => {
    const { ctx } = await allowed(req);
    const year = req.query.year ?? Number(ctx.today.slice(0, 4));
    return { year, items: (await listCalendar(db, ctx.municipalityId, year)).map(day) };
  });

  // Static, so it is matched before /calendar/:date.
  app.get(`${base}/calendar/working-days`, {
    schema: admin('The date N working days after a date, on this city\'s calendar (how due dates are computed)', {
      params: MunicipalityParams,
      querystring: z.object({ from: CalendarDate, days: z.coerce.number().int().min(0).max(365) }).strict(),
      response: { 200: z.object({ from: IsoDate, days: z.number().int(), dueDate: IsoDate }), ...commonErrors },
    }),
  }, async (req) => {
    const { ctx } = await allowed(req);
    const calendar = await workingTime.calendar(ctx.municipalityId);
    return { from: req.query.from, days: req.query.days, dueDate: calendar.addWorkingDays(req.query.from, req.query.days) };
  });

  app.put(`${base}/calendar/:date`, {
    schema: admin('Mark a day as a holiday or a working day (creates or replaces the exception)', {
      params: DateParams, body: CalendarDayPut, response: { 200: DayOut, ...commonErrors },
    }),
  }, async (req) => {
    const { ctx } = await allowed(req, ADMIN);
    return day(await putCalendarDay(ctx, req.params.date, req.body));
  });

  app.delete(`${base}/calendar/:date`, {
    schema: admin("Remove a day's exception: it becomes an ordinary weekday or weekend day", {
      params: DateParams, response: { 200: Ok, ...commonErrors },
    }),
  }, async (req) => {
    const { ctx } = await allowed(req, ADMIN);
    await deleteCalendarDay(ctx, req.params.date);
    return { ok: true as const };
  });

  // ---- deadline rules -----------------------------------------------------------------------------------

  app.get(`${base}/deadline-rules`, {
    schema: admin('Deadline rules, newest first', { params: MunicipalityParams, response: { 200: z.object({ items: z.array(RuleOut) }), ...commonErrors } }),
  }, async (req) => {
    const { ctx } = await allowed(req);
    return { items: (await listDeadlineRules(db, ctx.municipalityId)).map(rule(ctx.today)) };
  });

  app.post(`${base}/deadline-rules`, {
    schema: admin('Add a deadline rule, taking effect today or later (rules are never edited)', {
      params: MunicipalityParams, body: DeadlineRuleCreate, response: { 201: RuleOut, ...commonErrors },
    }),
  }, async (req, reply) => {
    const { ctx } = await allowed(req, ADMIN);
    return reply.status(201).send(rule(ctx.today)(await createDeadlineRule(ctx, req.body)));
  });

  app.delete(`${base}/deadline-rules/:id`, {
    schema: admin('Delete a rule that has not yet taken effect (409 once it has)', { params: IdParams, response: { 200: Ok, ...commonErrors } }),
  }, async (req) => {
    const { ctx } = await allowed(req, ADMIN);
    await deleteDeadlineRule(ctx, req.params.id);
    return { ok: true as const };
  });
};
