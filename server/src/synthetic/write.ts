/**
 * Writes synthetic data into a municipality's registry: bulk multi-row INSERTs (one JSON parameter per table
 * and batch, unpacked by json_to_recordset — the same on PostgreSQL and PGlite, and no limit on parameters), in
 * batches each inside its own transaction.
 *
 * No 'register' audit entries are written: the audit log records acts of real people, analytics and scorecards do
 * not read registrations from it, and one entry per appeal would double the volume. 'reopen' entries ARE written,
 * because scorecards count reopenings and answers measure their term from them.
 */
import { eq, sql } from 'drizzle-orm';
import { WorkingCalendar } from '@shaar/contracts';
import { queryRows, type Db, type Tx } from '../platform/db/database.js';
import { appeals, calendarDays, deadlineRules, municipalities, staffUsers } from '../platform/db/schema.js';
import { DirectoryCache } from '../modules/directory/directory.cache.js';
import { formatRegistrationNumber } from '../modules/appeals/registration-numbers.js';
import type { SyntheticReference } from './generate.js';
import type { SyntheticData } from './records.js';

export async function loadReference(db: Db, slug: string): Promise<SyntheticReference | null> {
  const [m] = await db.select().from(municipalities).where(eq(municipalities.slug, slug)).limit(1);
  if (!m) return null;
  const [directory, staff, days, rules] = await Promise.all([
    new DirectoryCache(db).get(m.id),
    db.select({ id: staffUsers.id, roles: staffUsers.roles, serviceId: staffUsers.serviceId }).from(staffUsers)
      .where(eq(staffUsers.municipalityId, m.id)).orderBy(staffUsers.email),
    db.select().from(calendarDays).where(eq(calendarDays.municipalityId, m.id)),
    db.select().from(deadlineRules).where(eq(deadlineRules.municipalityId, m.id)),
  ]);
  return {
    municipality: { id: m.id, slug: m.slug, code: m.code }, directory, staff, rules,
    calendar: new WorkingCalendar(days.map((d) => ({ date: d.date, isWorking: d.isWorking }))),
  };
}

type Column = readonly [name: string, type: string];
const iso = (d: Date | null) => (d ? d.toISOString() : null);

/** Reserves registration numbers per year in one statement each, the way the server does, so it numbers on after them. */
export async function reserveNumbers(db: Db, municipalityId: string, data: SyntheticData): Promise<Map<number, number>> {
  const perYear = new Map<number, number>();
  for (const a of data.appeals) perYear.set(a.year, (perYear.get(a.year) ?? 0) + 1);
  const first = new Map<number, number>();
  for (const [year, n] of [...perYear].sort((a, b) => a[0] - b[0])) {
    const [row] = await queryRows<{ last_number: number }>(db, sql`
      insert into registration_counters (municipality_id, year, last_number) values (${municipalityId}::uuid, ${year}::int, ${n}::int)
      on conflict (municipality_id, year) do update set last_number = registration_counters.last_number + ${n}::int
      returning last_number`);
    first.set(year, Number(row!.last_number) - n + 1);
  }
  return first;
}

export interface WriteOptions {
  batchSize?: number; source?: string; skipForeignKeyChecks?: boolean;
  /** Batches written at once (each its own transaction and connection); PGlite runs them one after another anyway. */
  concurrency?: number;
}

export async function writeSynthetic(db: Db, ref: SyntheticReference, data: SyntheticData, options: WriteOptions = {}): Promise<void> {
  const mid = ref.municipality.id;
  if (data.appeals.length === 0) return;
  const [clash] = await db.select({ id: appeals.id }).from(appeals)
    .where(sql`${appeals.municipalityId} = ${mid} and ${appeals.id} = ${data.appeals[0]!.id}`).limit(1);
  if (clash) throw new Error('this seed was already written to this municipality: choose another --seed');

  const next = await reserveNumbers(db, mid, data);
  const numbers = new Map<string, string>();
  for (const a of data.appeals) {
    const n = next.get(a.year)!;
    next.set(a.year, n + 1);
    numbers.set(a.id, formatRegistrationNumber(ref.municipality.code, a.year, n));
  }

  const batch = options.batchSize ?? 5000;
  const byAppeal = <T extends { appealId: string }>(rows: T[]) => {
    const map = new Map<string, T[]>();
    for (const r of rows) map.set(r.appealId, [...(map.get(r.appealId) ?? []), r]);
    return map;
  };
  const children = {
    applicants: byAppeal(data.applicants), demographics: byAppeal(data.demographics), answers: byAppeal(data.answers),
    ratings: byAppeal(data.ratings), reviews: byAppeal(data.reviewRequests), audits: byAppeal(data.audits),
  };
  const source = options.source ?? 'synthetic';

  // Accounts first, in one statement: batches written at once would otherwise race for the same resident.
  await db.transaction(async (tx) => {
    await insertRows(tx, 'citizens', CITIZEN_COLUMNS, data.citizens.map((c) => ({ id: c.id, email: c.email, full_name: c.fullName, locale: c.locale })),
      'on conflict do nothing');
  });

  const writeBatch = async (start: number) => {
    const slice = data.appeals.slice(start, start + batch);
    const take = <T>(map: Map<string, T[]>) => slice.flatMap((a) => map.get(a.id) ?? []);
    await db.transaction(async (tx) => {
      // Opt-in, superuser only: foreign-key triggers off for this transaction. The rows reference each other
      // correctly by construction; the checks roughly halve the write speed.
      if (options.skipForeignKeyChecks) await tx.execute(sql`set local session_replication_role = replica`);
      await insertRows(tx, 'appeals', APPEAL_COLUMNS, slice.map((a) => ({
        municipality_id: mid, id: a.id, registration_number: numbers.get(a.id), kind: a.kind, channel: a.channel, status: a.status,
        is_collective: a.isCollective, cosigners_count: a.cosignersCount, subject: a.subject, body: a.body, language: a.language,
        category_id: a.categoryId, district_id: a.districtId, service_id: a.serviceId, executor_id: a.executorId, lat: a.lat, lon: a.lon,
        address: a.address, received_at: iso(a.receivedAt), registered_at: iso(a.registeredAt), registration_due_date: a.registrationDueDate,
        due_date: a.dueDate, original_due_date: a.originalDueDate, deadline_rule_id: a.deadlineRuleId, answered_at: iso(a.answeredAt),
        closed_at: iso(a.closedAt), citizen_id: a.citizenId, submitted_by_kind: a.submittedByKind, submitted_by_id: a.submittedById,
        // Linked after all batches: the earlier appeal may sit in a batch another connection has not committed yet.
        repeat_of_id: null, no_consideration_ground: a.noConsiderationGround, source, version: a.version,
        updated_at: iso(a.closedAt ?? a.answeredAt ?? a.registeredAt),
      })));
      await insertRows(tx, 'appeal_applicants', APPLICANT_COLUMNS, take(children.applicants).map((p) => ({
        municipality_id: mid, appeal_id: p.appealId, full_name: p.fullName, email: p.email, phone: p.phone, address: p.address,
        cosigners: p.cosigners,
      })));
      await insertRows(tx, 'appeal_demographics', DEMOGRAPHIC_COLUMNS, take(children.demographics).map((d) => ({
        municipality_id: mid, appeal_id: d.appealId, age_band: d.ageBand, gender: d.gender, social_group: d.socialGroup,
        consented_at: iso(d.consentedAt),
      })));
      await insertRows(tx, 'appeal_answers', ANSWER_COLUMNS, take(children.answers).map((a) => ({
        municipality_id: mid, id: a.id, appeal_id: a.appealId, body: a.body, language: a.language, author_id: a.authorId,
        service_id: a.serviceId, due_date: a.dueDate, working_days: a.workingDays, on_time: a.onTime, created_at: iso(a.createdAt),
      })));
      await insertRows(tx, 'answer_ratings', RATING_COLUMNS, take(children.ratings).map((r) => ({
        municipality_id: mid, id: r.id, appeal_id: r.appealId, answer_id: r.answerId, citizen_id: r.citizenId, service_id: r.serviceId,
        executor_id: r.executorId, overall: r.overall, solved: r.solved, clarity: r.clarity, accuracy: r.accuracy,
        on_time_felt: r.onTimeFelt, comment: r.comment, created_at: iso(r.createdAt), updated_at: iso(r.createdAt),
        follow_up_due_at: iso(r.followUpDueAt),
      })));
      await insertRows(tx, 'review_requests', REVIEW_COLUMNS, take(children.reviews).map((r) => ({
        municipality_id: mid, id: r.id, appeal_id: r.appealId, answer_id: r.answerId, citizen_id: r.citizenId, service_id: r.serviceId,
        reason: r.reason, status: r.status, decided_by_id: r.decidedById, decided_at: iso(r.decidedAt), decision_reason: r.decisionReason,
        created_at: iso(r.createdAt),
      })));
      await insertRows(tx, 'audit_log', AUDIT_COLUMNS, take(children.audits).map((e) => ({
        municipality_id: mid, occurred_at: iso(e.occurredAt), actor_kind: 'staff', actor_id: e.actorId, entity_type: 'appeal',
        entity_id: e.appealId, action: e.action, before: e.before, after: e.after, reason: e.reason, is_public: true,
      })));
    });
  };

  const starts = Array.from({ length: Math.ceil(data.appeals.length / batch) }, (_, i) => i * batch);
  const workers = Array.from({ length: Math.max(1, options.concurrency ?? 1) }, async () => {
    for (let start = starts.shift(); start !== undefined; start = starts.shift()) await writeBatch(start);
  });
  await Promise.all(workers);

  const repeats = data.appeals.filter((a) => a.repeatOfId).map((a) => ({ id: a.id, repeat_of_id: a.repeatOfId }));
  if (repeats.length > 0) {
    await db.execute(sql`update appeals set repeat_of_id = x.repeat_of_id
      from json_to_recordset(${JSON.stringify(repeats)}::json) as x(id uuid, repeat_of_id uuid)
      where appeals.municipality_id = ${mid}::uuid and appeals.id = x.id`);
  }
}

async function insertRows(tx: Tx, table: string, columns: readonly Column[], rows: Record<string, unknown>[], suffix = '') {
  if (rows.length === 0) return;
  const names = columns.map(([n]) => n).join(', ');
  const defs = columns.map(([n, t]) => `${n} ${t}`).join(', ');
  await tx.execute(sql`insert into ${sql.raw(table)} (${sql.raw(names)})
    select ${sql.raw(names)} from json_to_recordset(${JSON.stringify(rows)}::json) as x(${sql.raw(defs)}) ${sql.raw(suffix)}`);
}

const CITIZEN_COLUMNS = [['id', 'uuid'], ['email', 'text'], ['full_name', 'text'], ['locale', 'text']] as const;
const APPEAL_COLUMNS = [
  ['municipality_id', 'uuid'], ['id', 'uuid'], ['registration_number', 'text'], ['kind', 'text'], ['channel', 'text'], ['status', 'text'],
  ['is_collective', 'boolean'], ['cosigners_count', 'int'], ['subject', 'text'], ['body', 'text'], ['language', 'text'],
  ['category_id', 'uuid'], ['district_id', 'uuid'], ['service_id', 'uuid'], ['executor_id', 'uuid'], ['lat', 'float8'], ['lon', 'float8'],
  ['address', 'text'], ['received_at', 'timestamptz'], ['registered_at', 'timestamptz'], ['registration_due_date', 'date'],
  ['due_date', 'date'], ['original_due_date', 'date'], ['deadline_rule_id', 'uuid'], ['answered_at', 'timestamptz'],
  ['closed_at', 'timestamptz'], ['citizen_id', 'uuid'], ['submitted_by_kind', 'text'], ['submitted_by_id', 'uuid'],
  ['repeat_of_id', 'uuid'], ['no_consideration_ground', 'text'], ['source', 'text'], ['version', 'int'], ['updated_at', 'timestamptz'],
] as const;
const APPLICANT_COLUMNS = [
  ['municipality_id', 'uuid'], ['appeal_id', 'uuid'], ['full_name', 'text'], ['email', 'text'], ['phone', 'text'], ['address', 'text'],
  ['cosigners', 'jsonb'],
] as const;
const DEMOGRAPHIC_COLUMNS = [
  ['municipality_id', 'uuid'], ['appeal_id', 'uuid'], ['age_band', 'text'], ['gender', 'text'], ['social_group', 'text'], ['consented_at', 'timestamptz'],
] as const;
const ANSWER_COLUMNS = [
  ['municipality_id', 'uuid'], ['id', 'uuid'], ['appeal_id', 'uuid'], ['body', 'text'], ['language', 'text'], ['author_id', 'uuid'],
  ['service_id', 'uuid'], ['due_date', 'date'], ['working_days', 'int'], ['on_time', 'boolean'], ['created_at', 'timestamptz'],
] as const;
const RATING_COLUMNS = [
  ['municipality_id', 'uuid'], ['id', 'uuid'], ['appeal_id', 'uuid'], ['answer_id', 'uuid'], ['citizen_id', 'uuid'], ['service_id', 'uuid'],
  ['executor_id', 'uuid'], ['overall', 'int'], ['solved', 'text'], ['clarity', 'int'], ['accuracy', 'int'], ['on_time_felt', 'boolean'],
  ['comment', 'text'], ['created_at', 'timestamptz'], ['updated_at', 'timestamptz'], ['follow_up_due_at', 'timestamptz'],
] as const;
const REVIEW_COLUMNS = [
  ['municipality_id', 'uuid'], ['id', 'uuid'], ['appeal_id', 'uuid'], ['answer_id', 'uuid'], ['citizen_id', 'uuid'], ['service_id', 'uuid'],
  ['reason', 'text'], ['status', 'text'], ['decided_by_id', 'uuid'], ['decided_at', 'timestamptz'], ['decision_reason', 'text'],
  ['created_at', 'timestamptz'],
] as const;
const AUDIT_COLUMNS = [
  ['municipality_id', 'uuid'], ['occurred_at', 'timestamptz'], ['actor_kind', 'text'], ['actor_id', 'uuid'], ['entity_type', 'text'],
  ['entity_id', 'text'], ['action', 'text'], ['before', 'jsonb'], ['after', 'jsonb'], ['reason', 'text'], ['is_public', 'boolean'],
] as const;
