/**
 * The database schema. Every tenant table carries `municipality_id` as the first column of its primary key and
 * of every foreign key between tenant tables, so the schema can be distributed by municipality (Citus) when one
 * server is not enough. Global tables (citizens, sessions, one-time codes) are small reference tables.
 *
 * Migrations in ../../../migrations are generated from this file (`npm run db:generate`) plus hand-written SQL
 * for what Drizzle cannot express (the append-only trigger on the audit log).
 */
import { sql } from 'drizzle-orm';
import {
  bigint, boolean, date, doublePrecision, foreignKey, index, integer, jsonb, pgTable, primaryKey, text,
  timestamp, unique, uniqueIndex, uuid,
} from 'drizzle-orm/pg-core';

export type LocalizedText = { ky: string; ru: string; en: string };

const id = () => uuid('id').notNull().default(sql`gen_random_uuid()`);
const tenant = () => uuid('municipality_id').notNull();
const createdAt = () => timestamp('created_at', { withTimezone: true }).notNull().defaultNow();
const ts = (name: string) => timestamp(name, { withTimezone: true });

export const municipalities = pgTable('municipalities', {
  id: uuid('id').primaryKey().default(sql`gen_random_uuid()`),
  /** Used in URLs and as Open311's jurisdiction_id: 'bishkek'. */
  slug: text('slug').notNull().unique(),
  /** Prefix of registration numbers: 'BSK' → BSK-2026-000123. */
  code: text('code').notNull().unique(),
  name: jsonb('name').$type<LocalizedText>().notNull(),
  timezone: text('timezone').notNull().default('Asia/Bishkek'),
  defaultLocale: text('default_locale').notNull().default('ky'),
  centerLat: doublePrecision('center_lat'),
  centerLon: doublePrecision('center_lon'),
  population: integer('population'),
  createdAt: createdAt(),
});

export const districts = pgTable('districts', {
  municipalityId: tenant(),
  id: id(),
  code: text('code').notNull(),
  name: jsonb('name').$type<LocalizedText>().notNull(),
  /** district, territorial_administration (Osh), rural_administration. */
  kind: text('kind').notNull().default('district'),
  population: integer('population'),
  /** Optional GeoJSON Polygon or MultiPolygon; none is published for Bishkek, so nothing may depend on it. */
  boundary: jsonb('boundary'),
  active: boolean('active').notNull().default(true),
  createdAt: createdAt(),
}, (t) => [
  primaryKey({ columns: [t.municipalityId, t.id] }),
  unique('districts_code_uq').on(t.municipalityId, t.code),
  foreignKey({ columns: [t.municipalityId], foreignColumns: [municipalities.id] }),
]);

export const categories = pgTable('categories', {
  municipalityId: tenant(),
  id: id(),
  /** Top-level categories have no parent; the taxonomy has two levels. */
  parentId: uuid('parent_id'),
  code: text('code').notNull(),
  name: jsonb('name').$type<LocalizedText>().notNull(),
  keywords: text('keywords').array().notNull().default(sql`'{}'::text[]`),
  sortOrder: integer('sort_order').notNull().default(0),
  /** The answer must carry a photo of the result (a repaired road, a removed dump): the composer warns without one. */
  requiresResultPhoto: boolean('requires_result_photo').notNull().default(false),
  active: boolean('active').notNull().default(true),
  createdAt: createdAt(),
}, (t) => [
  primaryKey({ columns: [t.municipalityId, t.id] }),
  unique('categories_code_uq').on(t.municipalityId, t.code),
  foreignKey({ columns: [t.municipalityId, t.parentId], foreignColumns: [t.municipalityId, t.id] }),
]);

/** A service is the body that must answer: a department or a municipal enterprise (Тазалык, Бишкекводоканал…). */
export const services = pgTable('services', {
  municipalityId: tenant(),
  id: id(),
  code: text('code').notNull(),
  name: jsonb('name').$type<LocalizedText>().notNull(),
  kind: text('kind').notNull(),
  email: text('email'),
  phone: text('phone'),
  active: boolean('active').notNull().default(true),
  createdAt: createdAt(),
}, (t) => [
  primaryKey({ columns: [t.municipalityId, t.id] }),
  unique('services_code_uq').on(t.municipalityId, t.code),
  foreignKey({ columns: [t.municipalityId], foreignColumns: [municipalities.id] }),
]);

/** category × district → service. A rule without a district applies to every district. */
export const routingRules = pgTable('routing_rules', {
  municipalityId: tenant(),
  id: id(),
  categoryId: uuid('category_id').notNull(),
  districtId: uuid('district_id'),
  serviceId: uuid('service_id').notNull(),
  createdAt: createdAt(),
}, (t) => [
  primaryKey({ columns: [t.municipalityId, t.id] }),
  unique('routing_rules_uq').on(t.municipalityId, t.categoryId, t.districtId).nullsNotDistinct(),
  foreignKey({ columns: [t.municipalityId, t.categoryId], foreignColumns: [categories.municipalityId, categories.id] }),
  foreignKey({ columns: [t.municipalityId, t.districtId], foreignColumns: [districts.municipalityId, districts.id] }),
  foreignKey({ columns: [t.municipalityId, t.serviceId], foreignColumns: [services.municipalityId, services.id] }),
]);

/** Exceptions to "Monday–Friday are working days": public holidays, and any working weekend day. */
export const calendarDays = pgTable('calendar_days', {
  municipalityId: tenant(),
  date: date('date', { mode: 'string' }).notNull(),
  isWorking: boolean('is_working').notNull(),
  name: jsonb('name').$type<LocalizedText>(),
}, (t) => [
  primaryKey({ columns: [t.municipalityId, t.date] }),
  foreignKey({ columns: [t.municipalityId], foreignColumns: [municipalities.id] }),
]);

/**
 * Deadlines in working days, per appeal kind (or all kinds when kind is null), with the date they take effect.
 * An appeal takes the newest rule in effect on the day it was registered, so a change of the law applies only to
 * appeals registered after it.
 */
export const deadlineRules = pgTable('deadline_rules', {
  municipalityId: tenant(),
  id: id(),
  kind: text('kind'),
  effectiveFrom: date('effective_from', { mode: 'string' }).notNull(),
  registerWithinDays: integer('register_within_days').notNull(),
  answerWithinDays: integer('answer_within_days').notNull(),
  /** The most working days all extensions of one appeal may add together. */
  maxExtensionDays: integer('max_extension_days').notNull(),
  note: text('note'),
  createdAt: createdAt(),
}, (t) => [
  primaryKey({ columns: [t.municipalityId, t.id] }),
  unique('deadline_rules_uq').on(t.municipalityId, t.kind, t.effectiveFrom).nullsNotDistinct(),
  foreignKey({ columns: [t.municipalityId], foreignColumns: [municipalities.id] }),
]);

export const staffUsers = pgTable('staff_users', {
  municipalityId: tenant(),
  id: id(),
  email: text('email').notNull(),
  fullName: text('full_name').notNull(),
  passwordHash: text('password_hash').notNull(),
  roles: text('roles').array().notNull(),
  /** Executors answer for one service. */
  serviceId: uuid('service_id'),
  locale: text('locale').notNull().default('ru'),
  active: boolean('active').notNull().default(true),
  createdAt: createdAt(),
}, (t) => [
  primaryKey({ columns: [t.municipalityId, t.id] }),
  unique('staff_users_email_uq').on(t.municipalityId, t.email),
  foreignKey({ columns: [t.municipalityId, t.serviceId], foreignColumns: [services.municipalityId, services.id] }),
]);

/** One citizen account across the platform (a reference table): identified by e-mail or phone. */
export const citizens = pgTable('citizens', {
  id: uuid('id').primaryKey().default(sql`gen_random_uuid()`),
  email: text('email').unique(),
  phone: text('phone').unique(),
  fullName: text('full_name'),
  locale: text('locale').notNull().default('ky'),
  createdAt: createdAt(),
});

/** Sessions of staff and citizens. Only a hash of the cookie's token is stored. */
export const sessions = pgTable('sessions', {
  tokenHash: text('token_hash').primaryKey(),
  principalKind: text('principal_kind').notNull(),
  principalId: uuid('principal_id').notNull(),
  municipalityId: uuid('municipality_id'),
  csrfToken: text('csrf_token').notNull(),
  createdAt: createdAt(),
  expiresAt: ts('expires_at').notNull(),
}, (t) => [index('sessions_principal_idx').on(t.principalKind, t.principalId)]);

/**
 * Refresh tokens of mobile apps ('My City'): each sign-in starts a family; a refresh spends its token and gets a
 * new access session and a new refresh token of the same family. A spent token presented again means it was
 * stolen (or replayed): the whole family and its access sessions are ended.
 */
export const appRefreshTokens = pgTable('app_refresh_tokens', {
  tokenHash: text('token_hash').primaryKey(),
  familyId: uuid('family_id').notNull(),
  citizenId: uuid('citizen_id').notNull(),
  /** The access session issued with this token (ended when the token is spent or the family revoked). */
  accessTokenHash: text('access_token_hash').notNull(),
  deviceName: text('device_name'),
  createdAt: createdAt(),
  expiresAt: ts('expires_at').notNull(),
  usedAt: ts('used_at'),
}, (t) => [
  index('app_refresh_tokens_family_idx').on(t.familyId),
  index('app_refresh_tokens_citizen_idx').on(t.citizenId),
]);

/** One-time sign-in codes. The destination and the code are kept only as hashes. */
export const otpChallenges = pgTable('otp_challenges', {
  id: id().primaryKey(),
  destinationHash: text('destination_hash').notNull(),
  codeHash: text('code_hash').notNull(),
  attempts: integer('attempts').notNull().default(0),
  createdAt: createdAt(),
  expiresAt: ts('expires_at').notNull(),
  consumedAt: ts('consumed_at'),
}, (t) => [index('otp_destination_idx').on(t.destinationHash, t.createdAt)]);

/** Integrator API keys ('My City' app, Open311 clients, Tunduk consumers). The secret is stored as a hash. */
export const apiKeys = pgTable('api_keys', {
  municipalityId: tenant(),
  id: id(),
  name: text('name').notNull(),
  /** The public first part of the key, for lookup: 'shk_ab12cd34'. */
  prefix: text('prefix').notNull(),
  secretHash: text('secret_hash').notNull(),
  scopes: text('scopes').array().notNull(),
  createdAt: createdAt(),
  revokedAt: ts('revoked_at'),
}, (t) => [
  primaryKey({ columns: [t.municipalityId, t.id] }),
  unique('api_keys_prefix_uq').on(t.municipalityId, t.prefix),
  foreignKey({ columns: [t.municipalityId], foreignColumns: [municipalities.id] }),
]);

/** Gapless per year within a municipality: BSK-2026-000123. */
export const registrationCounters = pgTable('registration_counters', {
  municipalityId: tenant(),
  year: integer('year').notNull(),
  lastNumber: integer('last_number').notNull(),
}, (t) => [primaryKey({ columns: [t.municipalityId, t.year] })]);

export const appeals = pgTable('appeals', {
  municipalityId: tenant(),
  id: id(),
  registrationNumber: text('registration_number').notNull(),
  kind: text('kind').notNull(),
  channel: text('channel').notNull(),
  status: text('status').notNull(),
  isCollective: boolean('is_collective').notNull().default(false),
  cosignersCount: integer('cosigners_count').notNull().default(0),
  subject: text('subject').notNull(),
  body: text('body').notNull(),
  /** The language of the appeal: the answer goes in it. */
  language: text('language').notNull(),
  categoryId: uuid('category_id'),
  districtId: uuid('district_id'),
  serviceId: uuid('service_id'),
  executorId: uuid('executor_id'),
  lat: doublePrecision('lat'),
  lon: doublePrecision('lon'),
  address: text('address'),
  /** When the city received it (a letter may arrive days before it is registered). */
  receivedAt: ts('received_at').notNull(),
  registeredAt: ts('registered_at').notNull(),
  registrationDueDate: date('registration_due_date', { mode: 'string' }).notNull(),
  /** The legal due date of the answer, in the municipality's calendar. */
  dueDate: date('due_date', { mode: 'string' }).notNull(),
  originalDueDate: date('original_due_date', { mode: 'string' }).notNull(),
  deadlineRuleId: uuid('deadline_rule_id'),
  extensionDays: integer('extension_days').notNull().default(0),
  answeredAt: ts('answered_at'),
  closedAt: ts('closed_at'),
  /** Who filed it: a citizen account, a staff member (reception) or an integrator key. */
  citizenId: uuid('citizen_id'),
  submittedByKind: text('submitted_by_kind').notNull(),
  submittedById: uuid('submitted_by_id'),
  idempotencyKey: text('idempotency_key'),
  duplicateOfId: uuid('duplicate_of_id'),
  repeatOfId: uuid('repeat_of_id'),
  /** For 'redirected': an outside body (when not a service of the city). */
  redirectedTo: text('redirected_to'),
  noConsiderationGround: text('no_consideration_ground'),
  /** The due date for which the overdue escalation was sent (each due date escalates once). */
  escalatedForDueDate: date('escalated_for_due_date', { mode: 'string' }),
  /** Where an imported or integrated appeal came from: 'journal-2019', 'open311:key-name'. */
  source: text('source'),
  /** The appeal's id in its source (an import file's row key, a partner app's request id): unique per source. */
  externalId: text('external_id'),
  /** Answers to the category's extra questions (category_attributes; Open311 attribute[code]). */
  attributes: jsonb('attributes').$type<Record<string, string | string[]>>(),
  version: integer('version').notNull().default(1),
  updatedAt: ts('updated_at').notNull().defaultNow(),
}, (t) => [
  primaryKey({ columns: [t.municipalityId, t.id] }),
  unique('appeals_registration_number_uq').on(t.municipalityId, t.registrationNumber),
  uniqueIndex('appeals_idempotency_uq').on(t.municipalityId, t.submittedByKind, t.submittedById, t.idempotencyKey)
    .where(sql`idempotency_key is not null`),
  index('appeals_registered_idx').on(t.municipalityId, t.registeredAt.desc(), t.id.desc()),
  index('appeals_status_idx').on(t.municipalityId, t.status, t.dueDate),
  index('appeals_service_idx').on(t.municipalityId, t.serviceId, t.status),
  index('appeals_executor_idx').on(t.municipalityId, t.executorId, t.status),
  index('appeals_citizen_idx').on(t.municipalityId, t.citizenId, t.registeredAt.desc()),
  // Idempotent imports and partner submissions: the same source and external id is the same appeal.
  uniqueIndex('appeals_external_uq').on(t.municipalityId, t.source, t.externalId).where(sql`external_id is not null`),
  // Analytics finds the months whose appeals changed since its last refresh.
  index('appeals_updated_idx').on(t.municipalityId, t.updatedAt),
  foreignKey({ columns: [t.municipalityId, t.categoryId], foreignColumns: [categories.municipalityId, categories.id] }),
  foreignKey({ columns: [t.municipalityId, t.districtId], foreignColumns: [districts.municipalityId, districts.id] }),
  foreignKey({ columns: [t.municipalityId, t.serviceId], foreignColumns: [services.municipalityId, services.id] }),
  foreignKey({ columns: [t.municipalityId, t.executorId], foreignColumns: [staffUsers.municipalityId, staffUsers.id] }),
  foreignKey({ columns: [t.municipalityId, t.duplicateOfId], foreignColumns: [t.municipalityId, t.id] }),
  foreignKey({ columns: [t.municipalityId, t.repeatOfId], foreignColumns: [t.municipalityId, t.id] }),
  foreignKey({ columns: [t.citizenId], foreignColumns: [citizens.id] }),
]);

/** The applicant's personal data, kept apart from the appeal so that nothing public ever reads it by accident. */
export const appealApplicants = pgTable('appeal_applicants', {
  municipalityId: tenant(),
  appealId: uuid('appeal_id').notNull(),
  fullName: text('full_name').notNull(),
  email: text('email'),
  phone: text('phone'),
  address: text('address'),
  /** Co-signers of a collective appeal (names only). */
  cosigners: jsonb('cosigners').$type<string[]>().notNull().default(sql`'[]'::jsonb`),
  organization: text('organization'),
  /** The personal identification number (ПИН, 14 digits) when the appeal came with one (Tunduk); never public. */
  personalNumber: text('personal_number'),
}, (t) => [
  primaryKey({ columns: [t.municipalityId, t.appealId] }),
  foreignKey({ columns: [t.municipalityId, t.appealId], foreignColumns: [appeals.municipalityId, appeals.id] }).onDelete('cascade'),
  index('appeal_applicants_phone_idx').on(t.municipalityId, t.phone),
  index('appeal_applicants_email_idx').on(t.municipalityId, t.email),
  index('appeal_applicants_personal_number_idx').on(t.municipalityId, t.personalNumber),
]);

/** An optional demographic profile, given only with consent, for analytics of groups of residents. */
export const appealDemographics = pgTable('appeal_demographics', {
  municipalityId: tenant(),
  appealId: uuid('appeal_id').notNull(),
  ageBand: text('age_band'),
  gender: text('gender'),
  socialGroup: text('social_group'),
  consentedAt: ts('consented_at').notNull(),
}, (t) => [
  primaryKey({ columns: [t.municipalityId, t.appealId] }),
  foreignKey({ columns: [t.municipalityId, t.appealId], foreignColumns: [appeals.municipalityId, appeals.id] }).onDelete('cascade'),
]);

export const appealAnswers = pgTable('appeal_answers', {
  municipalityId: tenant(),
  id: id(),
  appealId: uuid('appeal_id').notNull(),
  body: text('body').notNull(),
  language: text('language').notNull(),
  authorId: uuid('author_id').notNull(),
  serviceId: uuid('service_id'),
  /** The due date the answer was owed by, and the working days it took from the start of its term. */
  dueDate: date('due_date', { mode: 'string' }),
  workingDays: integer('working_days'),
  onTime: boolean('on_time'),
  createdAt: createdAt(),
}, (t) => [
  primaryKey({ columns: [t.municipalityId, t.id] }),
  index('appeal_answers_appeal_idx').on(t.municipalityId, t.appealId),
  index('appeal_answers_created_idx').on(t.municipalityId, t.createdAt),
  foreignKey({ columns: [t.municipalityId, t.appealId], foreignColumns: [appeals.municipalityId, appeals.id] }),
]);

/** Internal notes of staff on an appeal; never shown to the resident. */
export const appealNotes = pgTable('appeal_notes', {
  municipalityId: tenant(),
  id: id(),
  appealId: uuid('appeal_id').notNull(),
  authorId: uuid('author_id').notNull(),
  body: text('body').notNull(),
  createdAt: createdAt(),
}, (t) => [
  primaryKey({ columns: [t.municipalityId, t.id] }),
  index('appeal_notes_appeal_idx').on(t.municipalityId, t.appealId),
  foreignKey({ columns: [t.municipalityId, t.appealId], foreignColumns: [appeals.municipalityId, appeals.id] }),
]);

export const attachments = pgTable('attachments', {
  municipalityId: tenant(),
  id: id(),
  appealId: uuid('appeal_id').notNull(),
  /** Set when the file belongs to an answer (shown under Response). */
  answerId: uuid('answer_id'),
  fileName: text('file_name').notNull(),
  contentType: text('content_type').notNull(),
  sizeBytes: integer('size_bytes').notNull(),
  sha256: text('sha256').notNull(),
  storageKey: text('storage_key').notNull(),
  uploadedByKind: text('uploaded_by_kind').notNull(),
  uploadedById: uuid('uploaded_by_id'),
  createdAt: createdAt(),
}, (t) => [
  primaryKey({ columns: [t.municipalityId, t.id] }),
  index('attachments_appeal_idx').on(t.municipalityId, t.appealId),
  foreignKey({ columns: [t.municipalityId, t.appealId], foreignColumns: [appeals.municipalityId, appeals.id] }),
]);

/**
 * The append-only audit log of every state change (a trigger refuses UPDATE and DELETE). It is also the
 * appeal's timeline: entries marked public are shown to the resident.
 */
export const auditLog = pgTable('audit_log', {
  municipalityId: tenant(),
  id: bigint('id', { mode: 'number' }).generatedAlwaysAsIdentity(),
  occurredAt: ts('occurred_at').notNull().defaultNow(),
  actorKind: text('actor_kind').notNull(),
  actorId: uuid('actor_id'),
  entityType: text('entity_type').notNull(),
  entityId: text('entity_id').notNull(),
  action: text('action').notNull(),
  before: jsonb('before'),
  after: jsonb('after'),
  reason: text('reason'),
  isPublic: boolean('is_public').notNull().default(false),
}, (t) => [
  primaryKey({ columns: [t.municipalityId, t.id] }),
  index('audit_log_entity_idx').on(t.municipalityId, t.entityType, t.entityId, t.id),
  // Scorecards count reopenings per month.
  index('audit_log_action_idx').on(t.municipalityId, t.action, t.occurredAt),
]);

/** Development and demo mode: every message "sent" is kept here instead (the dev outbox). */
export const devOutbox = pgTable('dev_outbox', {
  id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
  channel: text('channel').notNull(),
  recipient: text('recipient').notNull(),
  subject: text('subject').notNull(),
  body: text('body').notNull(),
  /** A notification's id: the outbox keeps a message once however often it is handed over (see notifications). */
  messageKey: text('message_key').unique(),
  createdAt: createdAt(),
}, (t) => [index('dev_outbox_recipient_idx').on(t.recipient, t.id)]);

/** A text in some of the three languages (at least one): answer templates need not exist in every language. */
export type PartialLocalizedText = { ky?: string; ru?: string; en?: string };

/**
 * Answer templates of the staff workspace: ready-made answers an executor starts from, per municipality, optionally
 * for one service and/or one category, with a title and a body in each language it is written in.
 */
export const answerTemplates = pgTable('answer_templates', {
  municipalityId: tenant(),
  id: id(),
  /** null: any service. */
  serviceId: uuid('service_id'),
  /** null: any category; a top-level category also applies to its subcategories. */
  categoryId: uuid('category_id'),
  title: jsonb('title').$type<PartialLocalizedText>().notNull(),
  body: jsonb('body').$type<PartialLocalizedText>().notNull(),
  createdById: uuid('created_by_id'),
  createdAt: createdAt(),
  updatedAt: ts('updated_at').notNull().defaultNow(),
}, (t) => [
  primaryKey({ columns: [t.municipalityId, t.id] }),
  index('answer_templates_scope_idx').on(t.municipalityId, t.serviceId, t.categoryId),
  foreignKey({ columns: [t.municipalityId], foreignColumns: [municipalities.id] }),
  foreignKey({ columns: [t.municipalityId, t.serviceId], foreignColumns: [services.municipalityId, services.id] }),
  foreignKey({ columns: [t.municipalityId, t.categoryId], foreignColumns: [categories.municipalityId, categories.id] }),
]);

/** A staff member's saved inbox filters: a name and the inbox's query string (status=registered&serviceId=…). */
export const savedFilters = pgTable('saved_filters', {
  municipalityId: tenant(),
  id: id(),
  staffId: uuid('staff_id').notNull(),
  name: text('name').notNull(),
  query: text('query').notNull(),
  createdAt: createdAt(),
}, (t) => [
  primaryKey({ columns: [t.municipalityId, t.id] }),
  unique('saved_filters_name_uq').on(t.municipalityId, t.staffId, t.name),
  foreignKey({ columns: [t.municipalityId, t.staffId], foreignColumns: [staffUsers.municipalityId, staffUsers.id] }).onDelete('cascade'),
]);


/**
 * Durable jobs: work that must happen even if the process dies (notifications, reminders, scorecard refreshes).
 * Claimed with FOR UPDATE SKIP LOCKED under a lease, so several server processes never run one job at once;
 * a job whose lease ran out (its process died) is claimed again. Handlers are idempotent: at least once.
 */
export const jobs = pgTable('jobs', {
  municipalityId: tenant(),
  id: bigint('id', { mode: 'number' }).generatedAlwaysAsIdentity(),
  kind: text('kind').notNull(),
  payload: jsonb('payload').$type<Record<string, unknown>>().notNull().default(sql`'{}'::jsonb`),
  /** A job with a key is enqueued once, ever: a second enqueue with the same key is ignored. */
  dedupeKey: text('dedupe_key'),
  /** queued → running → done; after the last failed attempt: dead. */
  status: text('status').notNull().default('queued'),
  runAt: ts('run_at').notNull().defaultNow(),
  attempts: integer('attempts').notNull().default(0),
  maxAttempts: integer('max_attempts').notNull().default(8),
  lockedBy: text('locked_by'),
  lockedUntil: ts('locked_until'),
  lastError: text('last_error'),
  createdAt: createdAt(),
  finishedAt: ts('finished_at'),
}, (t) => [
  primaryKey({ columns: [t.municipalityId, t.id] }),
  uniqueIndex('jobs_dedupe_uq').on(t.municipalityId, t.dedupeKey).where(sql`dedupe_key is not null`),
  index('jobs_due_idx').on(t.runAt).where(sql`status in ('queued', 'running')`),
]);

/**
 * Every message to a person: one row per recipient, channel and event, so nothing is sent twice (dedupe key)
 * and everything sent can be shown (the in-app feed, the outbox page). Addresses are personal data: never logged.
 */
export const notifications = pgTable('notifications', {
  municipalityId: tenant(),
  id: id(),
  /** citizen (an account), applicant (contacts on an appeal, no account), staff. */
  recipientKind: text('recipient_kind').notNull(),
  recipientId: uuid('recipient_id'),
  appealId: uuid('appeal_id'),
  event: text('event').notNull(),
  /** email, sms, in_app. */
  channel: text('channel').notNull(),
  address: text('address'),
  locale: text('locale').notNull(),
  subject: text('subject').notNull(),
  body: text('body').notNull(),
  /** Where in the app the person acts on it: /my/appeals/… or /staff/appeals/…. */
  link: text('link'),
  dedupeKey: text('dedupe_key').notNull(),
  /** pending → sent; failed after the last retry; skipped when the person's preferences say no. */
  status: text('status').notNull().default('pending'),
  attempts: integer('attempts').notNull().default(0),
  lastError: text('last_error'),
  createdAt: createdAt(),
  sentAt: ts('sent_at'),
  readAt: ts('read_at'),
}, (t) => [
  primaryKey({ columns: [t.municipalityId, t.id] }),
  unique('notifications_dedupe_uq').on(t.municipalityId, t.dedupeKey),
  index('notifications_recipient_idx').on(t.recipientKind, t.recipientId, t.createdAt.desc()),
  index('notifications_appeal_idx').on(t.municipalityId, t.appealId),
]);

/** Per-person choices of channels and events (citizens across cities, staff per city): a reference table. */
export const notificationPreferences = pgTable('notification_preferences', {
  principalKind: text('principal_kind').notNull(),
  principalId: uuid('principal_id').notNull(),
  email: boolean('email').notNull().default(true),
  sms: boolean('sms').notNull().default(true),
  inApp: boolean('in_app').notNull().default(true),
  /** Events the person does not want (by e-mail or SMS; the in-app feed keeps everything). */
  mutedEvents: text('muted_events').array().notNull().default(sql`'{}'::text[]`),
  updatedAt: ts('updated_at').notNull().defaultNow(),
}, (t) => [primaryKey({ columns: [t.principalKind, t.principalId] })]);

/** An executor asks for more time; a supervisor approves (the appeal is extended, the resident told) or refuses. */
export const extensionRequests = pgTable('extension_requests', {
  municipalityId: tenant(),
  id: id(),
  appealId: uuid('appeal_id').notNull(),
  requestedById: uuid('requested_by_id').notNull(),
  days: integer('days').notNull(),
  reason: text('reason').notNull(),
  /** pending, approved, refused. */
  status: text('status').notNull().default('pending'),
  decidedById: uuid('decided_by_id'),
  decidedAt: ts('decided_at'),
  decisionReason: text('decision_reason'),
  createdAt: createdAt(),
}, (t) => [
  primaryKey({ columns: [t.municipalityId, t.id] }),
  uniqueIndex('extension_requests_pending_uq').on(t.municipalityId, t.appealId).where(sql`status = 'pending'`),
  index('extension_requests_status_idx').on(t.municipalityId, t.status, t.createdAt),
  foreignKey({ columns: [t.municipalityId, t.appealId], foreignColumns: [appeals.municipalityId, appeals.id] }),
]);

/**
 * The resident's verdict on one answer ("My appeals → Response"). One per answer, changeable by the resident for
 * 7 days; no staff route writes it. 'Still solved?' is asked some days after a 'solved' verdict.
 */
export const answerRatings = pgTable('answer_ratings', {
  municipalityId: tenant(),
  id: id(),
  appealId: uuid('appeal_id').notNull(),
  answerId: uuid('answer_id').notNull(),
  citizenId: uuid('citizen_id').notNull(),
  /** Copied from the answer, so scorecards need no join. */
  serviceId: uuid('service_id'),
  executorId: uuid('executor_id'),
  overall: integer('overall').notNull(),
  /** yes, partly, no. */
  solved: text('solved').notNull(),
  clarity: integer('clarity').notNull(),
  accuracy: integer('accuracy').notNull(),
  /** Whether the answer came in time, as the resident felt it. */
  onTimeFelt: boolean('on_time_felt').notNull(),
  comment: text('comment'),
  createdAt: createdAt(),
  updatedAt: ts('updated_at').notNull().defaultNow(),
  followUpDueAt: ts('follow_up_due_at'),
  followUpAskedAt: ts('follow_up_asked_at'),
  /** The resident's answer to 'is it still solved?'; false reopened the appeal. */
  stillSolved: boolean('still_solved'),
  followUpAnsweredAt: ts('follow_up_answered_at'),
}, (t) => [
  primaryKey({ columns: [t.municipalityId, t.id] }),
  unique('answer_ratings_answer_uq').on(t.municipalityId, t.answerId),
  index('answer_ratings_appeal_idx').on(t.municipalityId, t.appealId),
  index('answer_ratings_created_idx').on(t.municipalityId, t.createdAt),
  index('answer_ratings_updated_idx').on(t.municipalityId, t.updatedAt),
  foreignKey({ columns: [t.municipalityId, t.appealId], foreignColumns: [appeals.municipalityId, appeals.id] }),
  foreignKey({ columns: [t.municipalityId, t.answerId], foreignColumns: [appealAnswers.municipalityId, appealAnswers.id] }),
]);

/** After a low rating or 'not solved', the resident asks for review; a supervisor reopens or confirms the closure. */
export const reviewRequests = pgTable('review_requests', {
  municipalityId: tenant(),
  id: id(),
  appealId: uuid('appeal_id').notNull(),
  answerId: uuid('answer_id').notNull(),
  citizenId: uuid('citizen_id').notNull(),
  serviceId: uuid('service_id'),
  reason: text('reason'),
  /** pending, reopened, closure_confirmed. */
  status: text('status').notNull().default('pending'),
  decidedById: uuid('decided_by_id'),
  decidedAt: ts('decided_at'),
  /** Shown to the resident. */
  decisionReason: text('decision_reason'),
  createdAt: createdAt(),
}, (t) => [
  primaryKey({ columns: [t.municipalityId, t.id] }),
  unique('review_requests_answer_uq').on(t.municipalityId, t.answerId),
  index('review_requests_status_idx').on(t.municipalityId, t.status, t.createdAt),
  foreignKey({ columns: [t.municipalityId, t.appealId], foreignColumns: [appeals.municipalityId, appeals.id] }),
]);

/**
 * Scorecards' monthly roll-up per service and executor, rebuilt from the registry by a job (the current month
 * within seconds of a change; any range on demand). Each event counts in the month it happened: received by
 * registration, answers by answer date, ratings by rating date. Working days to answer are whole numbers, so a
 * histogram (index = days, the last cell = that many or more) gives exact medians and percentiles when summed.
 */
export const scorecardMonths = pgTable('scorecard_months', {
  municipalityId: tenant(),
  month: date('month', { mode: 'string' }).notNull(),
  serviceId: uuid('service_id'),
  executorId: uuid('executor_id'),
  received: integer('received').notNull().default(0),
  answered: integer('answered').notNull().default(0),
  answeredOnTime: integer('answered_on_time').notNull().default(0),
  answerDaysHistogram: integer('answer_days_histogram').array().notNull().default(sql`'{}'::integer[]`),
  ratings: integer('ratings').notNull().default(0),
  ratingSum: integer('rating_sum').notNull().default(0),
  solvedYes: integer('solved_yes').notNull().default(0),
  solvedPartly: integer('solved_partly').notNull().default(0),
  solvedNo: integer('solved_no').notNull().default(0),
  reviewRequests: integer('review_requests').notNull().default(0),
  reopenings: integer('reopenings').notNull().default(0),
}, (t) => [
  unique('scorecard_months_uq').on(t.municipalityId, t.month, t.serviceId, t.executorId).nullsNotDistinct(),
]);

/**
 * Analytics' monthly cube (modules/analytics): appeals counted in the local month they were registered, by every
 * dimension an analyst filters on, with their current status and the figures of their latest answer and rating.
 * Cohort view: a month's row says what became of the appeals registered in it. Rebuilt per month by a job when
 * appeals of that month change (analytics-refresh.ts), so dashboards never scan the appeals table.
 */
export const analyticsMonths = pgTable('analytics_months', {
  municipalityId: tenant(),
  month: date('month', { mode: 'string' }).notNull(),
  categoryId: uuid('category_id'),
  districtId: uuid('district_id'),
  serviceId: uuid('service_id'),
  channel: text('channel').notNull(),
  kind: text('kind').notNull(),
  status: text('status').notNull(),
  appeals: integer('appeals').notNull().default(0),
  collective: integer('collective').notNull().default(0),
  repeats: integer('repeats').notNull().default(0),
  answered: integer('answered').notNull().default(0),
  answeredOnTime: integer('answered_on_time').notNull().default(0),
  // Integer, not bigint: a month's row never nears 2^31 working days, and sum(integer) is much cheaper than sum(bigint).
  answerDaysSum: integer('answer_days_sum').notNull().default(0),
  ratings: integer('ratings').notNull().default(0),
  ratingSum: integer('rating_sum').notNull().default(0),
  solvedYes: integer('solved_yes').notNull().default(0),
  solvedPartly: integer('solved_partly').notNull().default(0),
  solvedNo: integer('solved_no').notNull().default(0),
}, (t) => [
  unique('analytics_months_uq').on(t.municipalityId, t.month, t.categoryId, t.districtId, t.serviceId, t.channel, t.kind, t.status).nullsNotDistinct(),
]);

/** The measures every roll-up of analytics_months carries. */
const cubeMeasures = () => ({
  appeals: integer('appeals').notNull().default(0),
  collective: integer('collective').notNull().default(0),
  repeats: integer('repeats').notNull().default(0),
  answered: integer('answered').notNull().default(0),
  answeredOnTime: integer('answered_on_time').notNull().default(0),
  answerDaysSum: integer('answer_days_sum').notNull().default(0),
  ratings: integer('ratings').notNull().default(0),
  ratingSum: integer('rating_sum').notNull().default(0),
  solvedYes: integer('solved_yes').notNull().default(0),
  solvedPartly: integer('solved_partly').notNull().default(0),
  solvedNo: integer('solved_no').notNull().default(0),
});

/**
 * Roll-ups of analytics_months to fewer dimensions, written with it: a query reads the smallest table that has the
 * columns it filters and groups by (at 10M appeals a month holds ~6,000 cube rows but ~800 of these), so the
 * common dashboard views sum a few thousand rows for a year instead of tens of thousands.
 */
export const analyticsMonthsPlace = pgTable('analytics_months_place', {
  municipalityId: tenant(),
  month: date('month', { mode: 'string' }).notNull(),
  categoryId: uuid('category_id'),
  districtId: uuid('district_id'),
  channel: text('channel').notNull(),
  ...cubeMeasures(),
}, (t) => [
  unique('analytics_months_place_uq').on(t.municipalityId, t.month, t.categoryId, t.districtId, t.channel).nullsNotDistinct(),
]);

export const analyticsMonthsHandling = pgTable('analytics_months_handling', {
  municipalityId: tenant(),
  month: date('month', { mode: 'string' }).notNull(),
  serviceId: uuid('service_id'),
  channel: text('channel').notNull(),
  kind: text('kind').notNull(),
  status: text('status').notNull(),
  ...cubeMeasures(),
}, (t) => [
  unique('analytics_months_handling_uq').on(t.municipalityId, t.month, t.serviceId, t.channel, t.kind, t.status).nullsNotDistinct(),
]);

/**
 * The same cohort by the groups of residents who gave a voluntary, consented profile (appeal_demographics). Only
 * analytics reads it, and never shows a figure below the suppression threshold.
 */
export const analyticsGroupMonths = pgTable('analytics_group_months', {
  municipalityId: tenant(),
  month: date('month', { mode: 'string' }).notNull(),
  categoryId: uuid('category_id'),
  districtId: uuid('district_id'),
  channel: text('channel').notNull(),
  kind: text('kind').notNull(),
  ageBand: text('age_band'),
  gender: text('gender'),
  socialGroup: text('social_group'),
  appeals: integer('appeals').notNull().default(0),
  answered: integer('answered').notNull().default(0),
  answeredOnTime: integer('answered_on_time').notNull().default(0),
  ratings: integer('ratings').notNull().default(0),
  ratingSum: integer('rating_sum').notNull().default(0),
  solvedYes: integer('solved_yes').notNull().default(0),
}, (t) => [
  unique('analytics_group_months_uq').on(t.municipalityId, t.month, t.categoryId, t.districtId, t.channel, t.kind, t.ageBand, t.gender, t.socialGroup)
    .nullsNotDistinct(),
]);

/** analytics_group_months without category, district and kind: the groups views without those filters. */
export const analyticsGroupMonthsChannel = pgTable('analytics_group_months_channel', {
  municipalityId: tenant(),
  month: date('month', { mode: 'string' }).notNull(),
  channel: text('channel').notNull(),
  ageBand: text('age_band'),
  gender: text('gender'),
  socialGroup: text('social_group'),
  appeals: integer('appeals').notNull().default(0),
  answered: integer('answered').notNull().default(0),
  answeredOnTime: integer('answered_on_time').notNull().default(0),
  ratings: integer('ratings').notNull().default(0),
  ratingSum: integer('rating_sum').notNull().default(0),
  solvedYes: integer('solved_yes').notNull().default(0),
}, (t) => [
  unique('analytics_group_months_channel_uq').on(t.municipalityId, t.month, t.channel, t.ageBand, t.gender, t.socialGroup).nullsNotDistinct(),
]);

/** Appeals per H3 cell (resolution 8, about 0.7 km²) for the heat map, by month, category and district. */
export const analyticsCellMonths = pgTable('analytics_cell_months', {
  municipalityId: tenant(),
  month: date('month', { mode: 'string' }).notNull(),
  categoryId: uuid('category_id'),
  districtId: uuid('district_id'),
  cell: text('cell').notNull(),
  appeals: integer('appeals').notNull().default(0),
}, (t) => [
  unique('analytics_cell_months_uq').on(t.municipalityId, t.month, t.categoryId, t.districtId, t.cell).nullsNotDistinct(),
]);

/** analytics_cell_months without category and district: the city-wide heat map (~120 cells a month in Bishkek). */
export const analyticsCellTotals = pgTable('analytics_cell_totals', {
  municipalityId: tenant(),
  month: date('month', { mode: 'string' }).notNull(),
  cell: text('cell').notNull(),
  appeals: integer('appeals').notNull().default(0),
}, (t) => [
  unique('analytics_cell_totals_uq').on(t.municipalityId, t.month, t.cell),
]);

/** How far the cube has followed the registry: appeals and ratings changed after `changesSince` are still to fold in. */
export const analyticsRefreshState = pgTable('analytics_refresh_state', {
  municipalityId: tenant().primaryKey(),
  changesSince: ts('changes_since').notNull(),
  refreshedAt: ts('refreshed_at').notNull(),
  fullRebuildAt: ts('full_rebuild_at'),
});

/**
 * Systemic problems found by the detector (docs/systemic-problems.md), kept so analysts can work on them:
 * `detectorKey` is the detector's stable id (category + first cell), so a rerun updates the same record.
 * status: new, confirmed, dismissed, merged (into merged_into_id).
 */
export const systemicProblems = pgTable('systemic_problems', {
  municipalityId: tenant(),
  id: id(),
  detectorKey: text('detector_key').notNull(),
  kinds: text('kinds').array().notNull(),
  categoryId: uuid('category_id'),
  districtId: uuid('district_id'),
  cells: text('cells').array().notNull(),
  appeals: integer('appeals').notNull(),
  distinctApplicants: integer('distinct_applicants').notNull(),
  weeksActive: integer('weeks_active').notNull(),
  repeats: integer('repeats').notNull().default(0),
  seasonalYears: integer('seasonal_years').notNull().default(0),
  score: doublePrecision('score').notNull(),
  trend: text('trend').notNull(),
  /** Appeals per month (YYYY-MM → count), for the trend chart. */
  monthly: jsonb('monthly').$type<Record<string, number>>().notNull().default(sql`'{}'::jsonb`),
  firstSeen: ts('first_seen').notNull(),
  lastSeen: ts('last_seen').notNull(),
  /** False once the detector no longer finds it (kept, with its history, for the analysts' record). */
  active: boolean('active').notNull().default(true),
  status: text('status').notNull().default('new'),
  mergedIntoId: uuid('merged_into_id'),
  statusReason: text('status_reason'),
  decidedById: uuid('decided_by_id'),
  decidedAt: ts('decided_at'),
  detectedAt: ts('detected_at').notNull(),
  updatedAt: ts('updated_at').notNull(),
  version: integer('version').notNull().default(1),
}, (t) => [
  primaryKey({ columns: [t.municipalityId, t.id] }),
  unique('systemic_problems_key_uq').on(t.municipalityId, t.detectorKey),
  index('systemic_problems_status_idx').on(t.municipalityId, t.status, t.score),
]);

export const systemicProblemMembers = pgTable('systemic_problem_members', {
  municipalityId: tenant(),
  problemId: uuid('problem_id').notNull(),
  appealId: uuid('appeal_id').notNull(),
}, (t) => [
  primaryKey({ columns: [t.municipalityId, t.problemId, t.appealId] }),
  index('systemic_problem_members_appeal_idx').on(t.municipalityId, t.appealId),
  foreignKey({ columns: [t.municipalityId, t.problemId], foreignColumns: [systemicProblems.municipalityId, systemicProblems.id] }).onDelete('cascade'),
]);

/** Analysts' notes on a systemic problem (for the development programme). */
export const systemicProblemNotes = pgTable('systemic_problem_notes', {
  municipalityId: tenant(),
  id: id(),
  problemId: uuid('problem_id').notNull(),
  authorId: uuid('author_id').notNull(),
  body: text('body').notNull(),
  createdAt: createdAt(),
}, (t) => [
  primaryKey({ columns: [t.municipalityId, t.id] }),
  index('systemic_problem_notes_problem_idx').on(t.municipalityId, t.problemId, t.createdAt),
  foreignKey({ columns: [t.municipalityId, t.problemId], foreignColumns: [systemicProblems.municipalityId, systemicProblems.id] }).onDelete('cascade'),
]);

/**
 * Extra questions of a category, set by admins (Open311 service definitions): asked of residents and integrators
 * when they file an appeal of that category (or of its subcategories). datatype: string, number, datetime, text,
 * singlevaluelist, multivaluelist. `values` lists the choices of the list types.
 */
export const categoryAttributes = pgTable('category_attributes', {
  municipalityId: tenant(),
  id: id(),
  categoryId: uuid('category_id').notNull(),
  code: text('code').notNull(),
  datatype: text('datatype').notNull(),
  required: boolean('required').notNull().default(false),
  /** false: information only, not a question (Open311 variable=false). */
  variable: boolean('variable').notNull().default(true),
  description: jsonb('description').$type<LocalizedText>().notNull(),
  values: jsonb('values').$type<{ key: string; name: LocalizedText }[]>().notNull().default(sql`'[]'::jsonb`),
  sortOrder: integer('sort_order').notNull().default(0),
  createdAt: createdAt(),
}, (t) => [
  primaryKey({ columns: [t.municipalityId, t.id] }),
  unique('category_attributes_code_uq').on(t.municipalityId, t.categoryId, t.code),
  foreignKey({ columns: [t.municipalityId, t.categoryId], foreignColumns: [categories.municipalityId, categories.id] }).onDelete('cascade'),
]);

/**
 * An import source: one kind of file of past appeals (a reception journal, a letter register, the old portal's
 * export) with its saved column mapping, so next year's file of the same kind imports without mapping again.
 */
export const importSources = pgTable('import_sources', {
  municipalityId: tenant(),
  id: id(),
  /** Also the appeals' `source` ('journal-2019'): with the external id it makes re-imports idempotent. */
  code: text('code').notNull(),
  name: text('name').notNull(),
  /** The channel imported appeals are marked with (in_person for a reception journal, letter for a register…). */
  channel: text('channel').notNull(),
  /** Target field → source column (or constant), with value maps; see modules/imports. */
  mapping: jsonb('mapping').$type<Record<string, unknown>>().notNull(),
  createdById: uuid('created_by_id'),
  createdAt: createdAt(),
  updatedAt: ts('updated_at').notNull().defaultNow(),
}, (t) => [
  primaryKey({ columns: [t.municipalityId, t.id] }),
  unique('import_sources_code_uq').on(t.municipalityId, t.code),
]);

/** One run of an import (or a dry run) of a file through a source's mapping, with its counts. */
export const importRuns = pgTable('import_runs', {
  municipalityId: tenant(),
  id: id(),
  sourceId: uuid('source_id').notNull(),
  fileName: text('file_name').notNull(),
  dryRun: boolean('dry_run').notNull(),
  /** running, done, failed. */
  status: text('status').notNull().default('running'),
  rowsTotal: integer('rows_total').notNull().default(0),
  rowsImported: integer('rows_imported').notNull().default(0),
  rowsExisting: integer('rows_existing').notNull().default(0),
  rowsRejected: integer('rows_rejected').notNull().default(0),
  failure: text('failure'),
  createdById: uuid('created_by_id'),
  startedAt: ts('started_at').notNull(),
  finishedAt: ts('finished_at'),
}, (t) => [
  primaryKey({ columns: [t.municipalityId, t.id] }),
  index('import_runs_source_idx').on(t.municipalityId, t.sourceId, t.startedAt.desc()),
  foreignKey({ columns: [t.municipalityId, t.sourceId], foreignColumns: [importSources.municipalityId, importSources.id] }),
]);

/** Every rejected row of a run: its number in the file (1 = the first data row), the column and why. */
export const importRowErrors = pgTable('import_row_errors', {
  municipalityId: tenant(),
  runId: uuid('run_id').notNull(),
  rowNumber: integer('row_number').notNull(),
  column: text('column'),
  code: text('code').notNull(),
  message: text('message').notNull(),
}, (t) => [
  primaryKey({ columns: [t.municipalityId, t.runId, t.rowNumber, t.code] }),
  foreignKey({ columns: [t.municipalityId, t.runId], foreignColumns: [importRuns.municipalityId, importRuns.id] }).onDelete('cascade'),
]);

/** An integrator's subscription to appeal events, delivered by POST to its URL and signed with HMAC-SHA256. */
export const webhookSubscriptions = pgTable('webhook_subscriptions', {
  municipalityId: tenant(),
  id: id(),
  /** The integrator (API key) that owns it. */
  apiKeyId: uuid('api_key_id').notNull(),
  url: text('url').notNull(),
  /** The signing secret (shared with the receiver once, at creation). */
  secret: text('secret').notNull(),
  /** Appeal events (notifications' event names: registered, answered, closed, …); empty = all. */
  events: text('events').array().notNull().default(sql`'{}'::text[]`),
  createdAt: createdAt(),
  revokedAt: ts('revoked_at'),
}, (t) => [
  primaryKey({ columns: [t.municipalityId, t.id] }),
  index('webhook_subscriptions_key_idx').on(t.municipalityId, t.apiKeyId),
]);

/**
 * One event for one subscription: written in the transaction of the change, sent by a durable job (retried with
 * backoff), kept as the delivery log. (subscription, event key) is unique, so an event is queued once.
 * status: pending, delivered, failed (gave up).
 */
export const webhookDeliveries = pgTable('webhook_deliveries', {
  municipalityId: tenant(),
  id: id(),
  subscriptionId: uuid('subscription_id').notNull(),
  event: text('event').notNull(),
  eventKey: text('event_key').notNull(),
  appealId: uuid('appeal_id'),
  payload: jsonb('payload').notNull(),
  status: text('status').notNull().default('pending'),
  attempts: integer('attempts').notNull().default(0),
  lastStatusCode: integer('last_status_code'),
  lastError: text('last_error'),
  createdAt: createdAt(),
  deliveredAt: ts('delivered_at'),
}, (t) => [
  primaryKey({ columns: [t.municipalityId, t.id] }),
  unique('webhook_deliveries_event_uq').on(t.municipalityId, t.subscriptionId, t.eventKey),
  index('webhook_deliveries_subscription_idx').on(t.municipalityId, t.subscriptionId, t.createdAt.desc()),
  foreignKey({ columns: [t.municipalityId, t.subscriptionId], foreignColumns: [webhookSubscriptions.municipalityId, webhookSubscriptions.id] }),
]);

/**
 * A Tunduk (X-Road) consumer subsystem allowed to call this city's services, mapped to an integrator (API key)
 * whose scopes say what it may do. clientId is INSTANCE/CLASS/MEMBER/SUBSYSTEM as in the X-Road-Client header.
 */
export const xroadConsumers = pgTable('xroad_consumers', {
  municipalityId: tenant(),
  id: id(),
  clientId: text('client_id').notNull(),
  apiKeyId: uuid('api_key_id').notNull(),
  /** Only some consumers (a state portal acting for the person) may list a person's appeals by personal number. */
  mayListByPersonalNumber: boolean('may_list_by_personal_number').notNull().default(false),
  createdAt: createdAt(),
  revokedAt: ts('revoked_at'),
}, (t) => [
  primaryKey({ columns: [t.municipalityId, t.id] }),
  // One active mapping per client id; a revoked one may be registered again.
  uniqueIndex('xroad_consumers_client_uq').on(t.municipalityId, t.clientId).where(sql`revoked_at is null`),
  foreignKey({ columns: [t.municipalityId, t.apiKeyId], foreignColumns: [apiKeys.municipalityId, apiKeys.id] }),
]);

// ---- Land-use dialogue (modules/land) -------------------------------------------------------------------------------

/** Per city: when a resident's proposal goes onto the commission's agenda by itself, and the default comment period. */
export const landSettings = pgTable('land_settings', {
  municipalityId: uuid('municipality_id').primaryKey(),
  /** Supports (one per signed-in account) that put a proposal on the commission's agenda. */
  supportThreshold: integer('support_threshold').notNull().default(100),
  /** Days of public comment an announcement gets unless the admin sets its dates. */
  commentPeriodDays: integer('comment_period_days').notNull().default(14),
  /** The discussion rules shown beside every comment form (ky/ru/en). */
  discussionRules: jsonb('discussion_rules').$type<LocalizedText>(),
  updatedAt: ts('updated_at').notNull().defaultNow(),
}, (t) => [foreignKey({ columns: [t.municipalityId], foreignColumns: [municipalities.id] })]);

/**
 * A municipal land plot. status: available, proposed_for_lease, under_discussion, decided, leased_temporarily
 * (until leasedUntil), reserved_public. The outline is GeoJSON (Polygon or MultiPolygon, WGS 84); its centre and
 * bounding box are kept beside it for map windows and distance checks without a geometry extension.
 */
export const landPlots = pgTable('land_plots', {
  municipalityId: tenant(),
  id: id(),
  cadastralNumber: text('cadastral_number').notNull(),
  address: text('address'),
  districtId: uuid('district_id'),
  areaM2: doublePrecision('area_m2'),
  zoning: text('zoning'),
  permittedUse: text('permitted_use'),
  currentUse: text('current_use'),
  status: text('status').notNull().default('available'),
  leasedUntil: date('leased_until', { mode: 'string' }),
  geometry: jsonb('geometry').notNull(),
  centerLat: doublePrecision('center_lat').notNull(),
  centerLon: doublePrecision('center_lon').notNull(),
  minLat: doublePrecision('min_lat').notNull(),
  minLon: doublePrecision('min_lon').notNull(),
  maxLat: doublePrecision('max_lat').notNull(),
  maxLon: doublePrecision('max_lon').notNull(),
  createdAt: createdAt(),
  updatedAt: ts('updated_at').notNull().defaultNow(),
}, (t) => [
  primaryKey({ columns: [t.municipalityId, t.id] }),
  unique('land_plots_cadastral_uq').on(t.municipalityId, t.cadastralNumber),
  index('land_plots_status_idx').on(t.municipalityId, t.status),
  index('land_plots_district_idx').on(t.municipalityId, t.districtId),
  foreignKey({ columns: [t.municipalityId], foreignColumns: [municipalities.id] }),
  foreignKey({ columns: [t.municipalityId, t.districtId], foreignColumns: [districts.municipalityId, districts.id] }),
]);

/**
 * The plot passport's history: one public line per thing that happened to the plot (imported, status changed,
 * announced, comment period closed, proposal made, put on the agenda, decided, hearing held, document added).
 * Written in the transaction of the change; never personal data (the audit log keeps who did it).
 */
export const landPlotEvents = pgTable('land_plot_events', {
  municipalityId: tenant(),
  id: id(),
  plotId: uuid('plot_id').notNull(),
  /** The order written: lines of one transaction share their time. */
  seq: bigint('seq', { mode: 'number' }).notNull().generatedAlwaysAsIdentity(),
  kind: text('kind').notNull(),
  /** What the line shows: ids, statuses, titles, decision and reasons (rendered per language by the client). */
  details: jsonb('details').$type<Record<string, unknown>>().notNull().default(sql`'{}'::jsonb`),
  refType: text('ref_type'),
  refId: uuid('ref_id'),
  occurredAt: ts('occurred_at').notNull().defaultNow(),
}, (t) => [
  primaryKey({ columns: [t.municipalityId, t.id] }),
  index('land_plot_events_plot_idx').on(t.municipalityId, t.plotId, t.seq),
  foreignKey({ columns: [t.municipalityId, t.plotId], foreignColumns: [landPlots.municipalityId, landPlots.id] }),
]);

/** Files of the land dialogue: a plot's documents, a proposal's sketch or photo. */
export const landFiles = pgTable('land_files', {
  municipalityId: tenant(),
  id: id(),
  /** plot (a document) or proposal (a sketch or photo). */
  ownerType: text('owner_type').notNull(),
  ownerId: uuid('owner_id').notNull(),
  title: text('title'),
  fileName: text('file_name').notNull(),
  contentType: text('content_type').notNull(),
  sizeBytes: integer('size_bytes').notNull(),
  sha256: text('sha256').notNull(),
  storageKey: text('storage_key').notNull(),
  uploadedByKind: text('uploaded_by_kind').notNull(),
  uploadedById: uuid('uploaded_by_id'),
  createdAt: createdAt(),
}, (t) => [
  primaryKey({ columns: [t.municipalityId, t.id] }),
  index('land_files_owner_idx').on(t.municipalityId, t.ownerType, t.ownerId),
]);

/**
 * The city's notice that a commission will decide on a plot (a temporary lease, a change of use…), open to public
 * comment from commentOpensAt until commentClosesAt. status: published, closed (the period ended), decided, withdrawn.
 */
export const landAnnouncements = pgTable('land_announcements', {
  municipalityId: tenant(),
  id: id(),
  plotId: uuid('plot_id').notNull(),
  /** temporary_lease, lease, change_of_use, public_use, other. */
  kind: text('kind').notNull(),
  title: jsonb('title').$type<LocalizedText>().notNull(),
  description: jsonb('description').$type<LocalizedText>().notNull(),
  proposedUse: text('proposed_use'),
  leaseUntil: date('lease_until', { mode: 'string' }),
  commentOpensAt: ts('comment_opens_at').notNull(),
  commentClosesAt: ts('comment_closes_at').notNull(),
  status: text('status').notNull().default('published'),
  createdById: uuid('created_by_id'),
  publishedAt: ts('published_at').notNull(),
  createdAt: createdAt(),
}, (t) => [
  primaryKey({ columns: [t.municipalityId, t.id] }),
  index('land_announcements_plot_idx').on(t.municipalityId, t.plotId),
  index('land_announcements_closes_idx').on(t.municipalityId, t.status, t.commentClosesAt),
  foreignKey({ columns: [t.municipalityId, t.plotId], foreignColumns: [landPlots.municipalityId, landPlots.id] }),
]);

/**
 * A resident's proposal for a plot or for any place on the map. useKind: playground, recreation, sidewalk,
 * sports_ground, green_area, parking, other. status: open, on_agenda, decided, withdrawn. supportCount is kept
 * with each support in one transaction, so the threshold check reads one row.
 */
export const landProposals = pgTable('land_proposals', {
  municipalityId: tenant(),
  id: id(),
  plotId: uuid('plot_id'),
  lat: doublePrecision('lat').notNull(),
  lon: doublePrecision('lon').notNull(),
  districtId: uuid('district_id'),
  useKind: text('use_kind').notNull(),
  title: text('title').notNull(),
  description: text('description').notNull(),
  beneficiaries: text('beneficiaries'),
  language: text('language').notNull(),
  authorCitizenId: uuid('author_citizen_id').notNull(),
  /** The name the author chose to show in public (no contacts, ever). */
  authorName: text('author_name').notNull(),
  status: text('status').notNull().default('open'),
  supportCount: integer('support_count').notNull().default(0),
  onAgendaAt: ts('on_agenda_at'),
  createdAt: createdAt(),
  updatedAt: ts('updated_at').notNull().defaultNow(),
}, (t) => [
  primaryKey({ columns: [t.municipalityId, t.id] }),
  index('land_proposals_plot_idx').on(t.municipalityId, t.plotId),
  index('land_proposals_status_idx').on(t.municipalityId, t.status, t.createdAt),
  foreignKey({ columns: [t.municipalityId, t.plotId], foreignColumns: [landPlots.municipalityId, landPlots.id] }),
  foreignKey({ columns: [t.authorCitizenId], foreignColumns: [citizens.id] }),
]);

/** One signed-in account, one support per proposal (the primary key says so). */
export const landProposalSupports = pgTable('land_proposal_supports', {
  municipalityId: tenant(),
  proposalId: uuid('proposal_id').notNull(),
  citizenId: uuid('citizen_id').notNull(),
  createdAt: createdAt(),
}, (t) => [
  primaryKey({ columns: [t.municipalityId, t.proposalId, t.citizenId] }),
  index('land_proposal_supports_citizen_idx').on(t.citizenId),
  foreignKey({ columns: [t.municipalityId, t.proposalId], foreignColumns: [landProposals.municipalityId, landProposals.id] }),
  foreignKey({ columns: [t.citizenId], foreignColumns: [citizens.id] }),
]);

/**
 * Threaded comments on plots, announcements and proposals (subjectType plot | announcement | proposal). Never
 * anonymous: a citizen's or a staff member's, under the name they show. A staff member's may be marked official.
 * A moderator hides a comment with a public reason; the text stays for the record but is not shown.
 */
export const landComments = pgTable('land_comments', {
  municipalityId: tenant(),
  id: id(),
  subjectType: text('subject_type').notNull(),
  subjectId: uuid('subject_id').notNull(),
  parentId: uuid('parent_id'),
  authorKind: text('author_kind').notNull(),
  authorId: uuid('author_id').notNull(),
  authorName: text('author_name').notNull(),
  body: text('body').notNull(),
  official: boolean('official').notNull().default(false),
  hiddenAt: ts('hidden_at'),
  hiddenReason: text('hidden_reason'),
  hiddenById: uuid('hidden_by_id'),
  createdAt: createdAt(),
}, (t) => [
  primaryKey({ columns: [t.municipalityId, t.id] }),
  index('land_comments_subject_idx').on(t.municipalityId, t.subjectType, t.subjectId, t.createdAt),
  foreignKey({ columns: [t.municipalityId, t.parentId], foreignColumns: [t.municipalityId, t.id] }),
]);

/** A resident's report of a comment to the moderators; one per account and comment. */
export const landCommentReports = pgTable('land_comment_reports', {
  municipalityId: tenant(),
  id: id(),
  commentId: uuid('comment_id').notNull(),
  reporterCitizenId: uuid('reporter_citizen_id').notNull(),
  reason: text('reason').notNull(),
  createdAt: createdAt(),
  /** hidden (the comment was hidden) or kept (the moderator found nothing wrong). */
  resolution: text('resolution'),
  resolvedAt: ts('resolved_at'),
  resolvedById: uuid('resolved_by_id'),
}, (t) => [
  primaryKey({ columns: [t.municipalityId, t.id] }),
  unique('land_comment_reports_once_uq').on(t.municipalityId, t.commentId, t.reporterCitizenId),
  index('land_comment_reports_open_idx').on(t.municipalityId, t.resolvedAt, t.createdAt),
  foreignKey({ columns: [t.municipalityId, t.commentId], foreignColumns: [landComments.municipalityId, landComments.id] }),
]);

/** A meeting of the land commission. status: planned, held, cancelled. Minutes are public once published. */
export const commissionMeetings = pgTable('commission_meetings', {
  municipalityId: tenant(),
  id: id(),
  title: text('title').notNull(),
  startsAt: ts('starts_at').notNull(),
  place: text('place'),
  status: text('status').notNull().default('planned'),
  minutes: text('minutes'),
  minutesPublishedAt: ts('minutes_published_at'),
  createdAt: createdAt(),
}, (t) => [
  primaryKey({ columns: [t.municipalityId, t.id] }),
  index('commission_meetings_starts_idx').on(t.municipalityId, t.startsAt),
]);

/**
 * An item for the commission: an announcement or a proposal (subjectType), waiting (no meeting yet) or on a meeting's
 * agenda, then decided: approved, rejected or postponed, with reasons and the vote. addedBy: threshold (the proposal
 * reached its supports), comment_period (an announcement's period ended) or staff.
 */
export const commissionAgendaItems = pgTable('commission_agenda_items', {
  municipalityId: tenant(),
  id: id(),
  meetingId: uuid('meeting_id'),
  subjectType: text('subject_type').notNull(),
  subjectId: uuid('subject_id').notNull(),
  plotId: uuid('plot_id'),
  addedBy: text('added_by').notNull(),
  position: integer('position').notNull().default(0),
  decision: text('decision'),
  reasons: text('reasons'),
  votesFor: integer('votes_for'),
  votesAgainst: integer('votes_against'),
  votesAbstained: integer('votes_abstained'),
  decidedAt: ts('decided_at'),
  decidedById: uuid('decided_by_id'),
  createdAt: createdAt(),
}, (t) => [
  primaryKey({ columns: [t.municipalityId, t.id] }),
  index('commission_agenda_meeting_idx').on(t.municipalityId, t.meetingId, t.position),
  index('commission_agenda_subject_idx').on(t.municipalityId, t.subjectType, t.subjectId),
  foreignKey({ columns: [t.municipalityId, t.meetingId], foreignColumns: [commissionMeetings.municipalityId, commissionMeetings.id] }),
]);

/** An offline public hearing about a plot or an announcement. status: planned, held, cancelled. */
export const publicHearings = pgTable('public_hearings', {
  municipalityId: tenant(),
  id: id(),
  plotId: uuid('plot_id'),
  announcementId: uuid('announcement_id'),
  title: text('title').notNull(),
  startsAt: ts('starts_at').notNull(),
  place: text('place').notNull(),
  capacity: integer('capacity'),
  status: text('status').notNull().default('planned'),
  /** The positions heard, written after the hearing; public. */
  summary: text('summary'),
  attendedCount: integer('attended_count'),
  createdAt: createdAt(),
}, (t) => [
  primaryKey({ columns: [t.municipalityId, t.id] }),
  index('public_hearings_plot_idx').on(t.municipalityId, t.plotId),
]);

/** A resident's registration for a hearing (one per account), and whether they came. */
export const hearingRegistrations = pgTable('hearing_registrations', {
  municipalityId: tenant(),
  hearingId: uuid('hearing_id').notNull(),
  citizenId: uuid('citizen_id').notNull(),
  registeredAt: createdAt(),
  attended: boolean('attended').notNull().default(false),
}, (t) => [
  primaryKey({ columns: [t.municipalityId, t.hearingId, t.citizenId] }),
  foreignKey({ columns: [t.municipalityId, t.hearingId], foreignColumns: [publicHearings.municipalityId, publicHearings.id] }),
  foreignKey({ columns: [t.citizenId], foreignColumns: [citizens.id] }),
]);

/** A resident's watch on an area: a district, or a circle around a point (their address); announcements there notify. */
export const landAreaSubscriptions = pgTable('land_area_subscriptions', {
  municipalityId: tenant(),
  id: id(),
  citizenId: uuid('citizen_id').notNull(),
  districtId: uuid('district_id'),
  centerLat: doublePrecision('center_lat'),
  centerLon: doublePrecision('center_lon'),
  radiusM: integer('radius_m'),
  label: text('label'),
  createdAt: createdAt(),
}, (t) => [
  primaryKey({ columns: [t.municipalityId, t.id] }),
  index('land_area_subscriptions_citizen_idx').on(t.citizenId),
  index('land_area_subscriptions_district_idx').on(t.municipalityId, t.districtId),
  foreignKey({ columns: [t.citizenId], foreignColumns: [citizens.id] }),
]);
