/**
 * Registering an appeal: validate references, route it to a service, give it a registration number and a due
 * date on the municipality's working calendar, and store it with its applicant, optional demographic profile
 * and the first audit entry — all in ONE SQL statement (no explicit transaction), so an acknowledged appeal is
 * complete and durable, and storing it costs one round trip to the database.
 */
import { APPEAL_EVENT_JOB } from '../notifications/appeal-events.js';
import { and, eq, sql } from 'drizzle-orm';
import { localDate, type AppealKind, type Channel, type Locale } from '@shaar/contracts';
import type { Db } from '../../platform/db/database.js';
import { queryRows } from '../../platform/db/database.js';
import { uniqueViolation } from '../../platform/db/database-errors.js';
import { formatRegistrationNumber, type RegistrationNumbers } from './registration-numbers.js';
import { appeals } from '../../platform/db/schema.js';
import type { Actor } from '../../platform/audit.js';
import { AppError, errors } from '../../platform/http/errors.js';
import type { Clock } from '../../platform/clock.js';
import type { WorkingTime } from '../deadlines/working-time.js';
import { districtOfPoint, routeToService, type DirectoryCache } from '../directory/directory.cache.js';
import type { Municipality } from '../municipalities/municipalities.service.js';

export interface RegisterAppealInput {
  kind: AppealKind;
  channel: Channel;
  categoryId: string;
  subject: string;
  body: string;
  language: Locale;
  location?: { lat?: number | undefined; lon?: number | undefined; address?: string | undefined; districtId?: string | undefined } | undefined;
  cosigners?: string[] | undefined;
  applicant: { fullName: string; email?: string | undefined; phone?: string | undefined; address?: string | undefined; organization?: string | undefined;
    /** ПИН (14 digits), validated by the caller; only Tunduk consumers send it. Never public, never logged. */
    personalNumber?: string | undefined };
  demographics?: { ageBand?: string | undefined; gender?: string | undefined; socialGroup?: string | undefined } | undefined;
  receivedAt?: Date | undefined;
  serviceId?: string | undefined;
  citizenId?: string | null | undefined;
  idempotencyKey?: string | undefined;
  source?: string | undefined;
  /** The appeal's id at its source (a Tunduk consumer's reference): unique per source, so a retry cannot register twice. */
  externalId?: string | undefined;
  /** Answers to the category's extra questions (Open311 attribute[code]), validated by the caller. */
  attributes?: Record<string, string | string[]> | undefined;
}

export interface RegisteredAppeal { id: string; registrationNumber: string; dueDate: string; replayed: boolean }

export interface RegisterDeps { db: Db; clock: Clock; workingTime: WorkingTime; directory: DirectoryCache; numbers: RegistrationNumbers }

export async function registerAppeal(deps: RegisterDeps, m: Municipality, input: RegisterAppealInput, actor: Actor): Promise<RegisteredAppeal> {
  const { db, clock } = deps;
  const submittedById = actor.id;

  if (input.idempotencyKey) {
    const existing = await findByIdempotencyKey(db, m.id, actor, input.idempotencyKey);
    if (existing) return { ...existing, replayed: true };
  }

  const dir = await deps.directory.get(m.id);
  const category = dir.categories.get(input.categoryId);
  if (!category || !category.active) throw errors.invalidReference('categoryId');
  let districtId = input.location?.districtId ?? null;
  if (districtId && !dir.districts.get(districtId)?.active) throw errors.invalidReference('location.districtId');
  if (!districtId && input.location?.lat !== undefined && input.location.lon !== undefined) {
    districtId = districtOfPoint(dir, input.location.lat, input.location.lon);
  }
  if (input.serviceId && !dir.services.get(input.serviceId)?.active) throw errors.invalidReference('serviceId');
  const serviceId = input.serviceId ?? routeToService(dir, category.id, districtId);

  const now = clock.now();
  // A letter cannot arrive in the future; a few minutes of clock skew between desks is tolerated.
  if (input.receivedAt && input.receivedAt.getTime() > now.getTime() + 5 * 60_000) {
    throw new AppError(400, 'validation_failed', 'error.validation_failed', {}, [{ in: 'body', path: 'receivedAt', code: 'in_future' }]);
  }
  const receivedAt = input.receivedAt && input.receivedAt < now ? input.receivedAt : now;
  const registeredDate = localDate(now, m.timezone);
  const rule = await deps.workingTime.ruleFor(m.id, input.kind, registeredDate);
  if (!rule) throw new AppError(409, 'no_deadline_rule', 'error.conflict', { what: 'deadline rule' });
  const calendar = await deps.workingTime.calendar(m.id);
  const registrationDue = calendar.addWorkingDays(localDate(receivedAt, m.timezone), rule.registerWithinDays);
  const dueDate = calendar.addWorkingDays(registeredDate, rule.answerWithinDays);
  const year = Number(registeredDate.slice(0, 4));
  const cosigners = input.cosigners ?? [];
  const demo = input.demographics;

  const registrationNumber = formatRegistrationNumber(m.code, year, await deps.numbers.take(m.id, year));

  const statement = sql`
    with appeal as (
      insert into appeals (municipality_id, registration_number, kind, channel, status, is_collective, cosigners_count,
        subject, body, language, category_id, district_id, service_id, lat, lon, address, received_at, registered_at,
        registration_due_date, due_date, original_due_date, deadline_rule_id, citizen_id, submitted_by_kind,
        submitted_by_id, idempotency_key, source, external_id, attributes, updated_at)
      values (${m.id}::uuid, ${registrationNumber},
        ${input.kind}, ${input.channel}, 'registered', ${cosigners.length > 0}::boolean, ${cosigners.length}::int,
        ${input.subject}, ${input.body}, ${input.language}, ${category.id}::uuid, ${districtId}::uuid, ${serviceId}::uuid,
        ${input.location?.lat ?? null}::float8, ${input.location?.lon ?? null}::float8, ${input.location?.address ?? null},
        ${receivedAt.toISOString()}::timestamptz, ${now.toISOString()}::timestamptz, ${registrationDue}::date, ${dueDate}::date,
        ${dueDate}::date, ${rule.id}::uuid, ${input.citizenId ?? null}::uuid, ${actor.kind}, ${submittedById}::uuid,
        ${input.idempotencyKey ?? null}, ${input.source ?? null}, ${input.externalId ?? null},
        ${input.attributes && Object.keys(input.attributes).length > 0 ? JSON.stringify(input.attributes) : null}::jsonb,
        ${now.toISOString()}::timestamptz)
      returning municipality_id, id, registration_number, status, kind, channel, category_id, district_id, service_id,
        due_date, registered_at
    ), applicant as (
      insert into appeal_applicants (municipality_id, appeal_id, full_name, email, phone, address, organization, cosigners, personal_number)
      select municipality_id, id, ${input.applicant.fullName}, ${input.applicant.email?.toLowerCase() ?? null},
        ${normalizePhone(input.applicant.phone)}, ${input.applicant.address ?? null}, ${input.applicant.organization ?? null},
        ${JSON.stringify(cosigners)}::jsonb, ${input.applicant.personalNumber ?? null}
      from appeal
    ), demographics as (
      insert into appeal_demographics (municipality_id, appeal_id, age_band, gender, social_group, consented_at)
      select municipality_id, id, ${demo?.ageBand ?? null}, ${demo?.gender ?? null}, ${demo?.socialGroup ?? null}, ${now.toISOString()}::timestamptz
      from appeal where ${Boolean(demo)}::boolean
    ), audit as (
      insert into audit_log (municipality_id, occurred_at, actor_kind, actor_id, entity_type, entity_id, action, after, is_public)
      select municipality_id, registered_at, ${actor.kind}, ${actor.id}::uuid, 'appeal', id::text, 'register',
        jsonb_build_object('status', status, 'registrationNumber', registration_number, 'kind', kind, 'channel', channel,
          'categoryId', category_id, 'districtId', district_id, 'serviceId', service_id, 'dueDate', due_date), true
      from appeal
    ), event as (
      -- The resident is told the number and the due date by a durable job written with the appeal itself.
      insert into jobs (municipality_id, kind, payload, run_at, dedupe_key, created_at)
      select municipality_id, ${APPEAL_EVENT_JOB}, jsonb_build_object('appealId', id, 'event', 'registered', 'details', '{}'::jsonb),
        registered_at, 'event:registered:' || id::text, registered_at
      from appeal
    )
    select id, registration_number from appeal`;

  try {
    const [row] = await queryRows<{ id: string; registration_number: string }>(db, statement);
    return { id: row!.id, registrationNumber: row!.registration_number, dueDate, replayed: false };
  } catch (err) {
    // Two retries with the same key raced: the loser returns the winner's appeal.
    if (input.idempotencyKey && uniqueViolation(err) !== null) {
      const existing = await findByIdempotencyKey(db, m.id, actor, input.idempotencyKey);
      if (existing) return { ...existing, replayed: true };
    }
    throw err;
  }
}

async function findByIdempotencyKey(db: Db, municipalityId: string, actor: Actor, key: string) {
  const [row] = await db.select({ id: appeals.id, registrationNumber: appeals.registrationNumber, dueDate: appeals.dueDate })
    .from(appeals)
    .where(and(eq(appeals.municipalityId, municipalityId), eq(appeals.submittedByKind, actor.kind),
      actor.id ? eq(appeals.submittedById, actor.id) : sql`submitted_by_id is null`, eq(appeals.idempotencyKey, key)))
    .limit(1);
  return row ?? null;
}

/** "+996 (700) 12-34-56" → "+996700123456"; "0700123456" → "+996700123456". Used for duplicate hints. */
export function normalizePhone(phone: string | undefined): string | null {
  if (!phone) return null;
  const digits = phone.replace(/[\s()-]/g, '');
  if (/^0\d{9}$/.test(digits)) return `+996${digits.slice(1)}`;
  return digits.startsWith('+') ? digits : `+${digits}`;
}
