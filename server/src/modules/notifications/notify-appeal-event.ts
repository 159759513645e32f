/**
 * The `notifications.appeal_event` job: works out who hears of an event, in which language and by which channels,
 * and writes one `notifications` row per recipient × channel — with, in the same transaction, one delivery job per
 * e-mail or SMS. Every row's dedupe key comes from the event's own key, so running the job again (a retry, a crash
 * after the commit) adds nothing.
 *
 * Residents hear in the APPEAL's language, at the applicant's e-mail and phone, and in the citizen account's feed
 * when the appeal has one. Staff hear in their own language, by e-mail and in their feed. A person's preferences may
 * switch e-mail or SMS off or mute an event: such a message is recorded as 'skipped' (so staff can see it was not
 * sent, and why); the feed keeps everything. A person with no address for a channel simply gets no row for it.
 */
import { and, eq, inArray, or, sql, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import type { Logger } from 'pino';
import { LOCALES, type Locale, type NoConsiderationGround } from '@shaar/contracts';
import type { Db } from '../../platform/db/database.js';
import { appealApplicants, appeals, citizens, municipalities, notificationPreferences, notifications, staffUsers } from '../../platform/db/schema.js';
import type { Clock } from '../../platform/clock.js';
import { enqueueJob, type ClaimedJob } from '../../platform/jobs/job-queue.js';
import type { DirectoryCache } from '../directory/directory.cache.js';
import { APPEAL_EVENTS, type AppealEvent } from './appeal-events.js';
import { allows, DEFAULT_PREFERENCES, readPreferences, type Preferences } from './notification-preferences.js';
import { bodyFor, formatDate, GROUND_NAMES, renderMessage, type MessageContext } from './notification-templates.js';

export const DELIVER_JOB = 'notifications.deliver';

/** Events told to the resident; every other event is told to staff. */
export const RESIDENT_EVENTS: ReadonlySet<AppealEvent> = new Set<AppealEvent>([
  'registered', 'redirected', 'extended', 'answered', 'closed', 'left_without_consideration', 'reopened', 'review_decided', 'follow_up_question',
]);

export type NotificationChannel = 'email' | 'sms' | 'in_app';
type RecipientKind = 'citizen' | 'applicant' | 'staff';

interface Recipient {
  kind: RecipientKind;
  id: string | null;
  locale: Locale;
  email: string | null;
  phone: string | null;
  /** Has a feed (a citizen account or a staff member). */
  inApp: boolean;
  preferences: Preferences;
  /** For 'assigned': told as a head of the service the appeal came to, not as its executor. */
  asServiceHead?: boolean;
}

export interface NotifyDeps { db: Db; clock: Clock; directory: DirectoryCache; publicUrl: string; logger: Logger }

const Payload = z.object({
  appealId: z.uuid(),
  event: z.enum(APPEAL_EVENTS),
  details: z.record(z.string(), z.unknown()).default({}),
});

const str = (v: unknown): string | null => (typeof v === 'string' && v.trim() !== '' ? v.trim() : null);
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const asLocale = (v: unknown, fallback: Locale): Locale => ((LOCALES as readonly unknown[]).includes(v) ? v as Locale : fallback);

/** Returns how many notification rows the job created (0 when it had run before). */
export async function notifyAppealEvent(deps: NotifyDeps, job: ClaimedJob): Promise<number> {
  const parsed = Payload.safeParse(job.payload);
  if (!parsed.success) {
    // A malformed payload will not get better with retries; the job ends here (ids only in the log).
    deps.logger.error({ job: job.id, kind: job.kind }, 'appeal event job with a malformed payload skipped');
    return 0;
  }
  const { appealId, event, details } = parsed.data;
  const { db } = deps;
  const [appeal] = await db.select().from(appeals).where(and(eq(appeals.municipalityId, job.municipalityId), eq(appeals.id, appealId))).limit(1);
  if (!appeal) return 0;
  const [city] = await db.select().from(municipalities).where(eq(municipalities.id, job.municipalityId)).limit(1);
  if (!city) return 0;
  const dir = await deps.directory.get(city.id);

  const recipients = RESIDENT_EVENTS.has(event)
    ? await residentRecipients(db, appeal, asLocale(appeal.language, asLocale(city.defaultLocale, 'ky')))
    : await staffRecipients(db, city.id, event, details, appeal);
  if (recipients.length === 0) return 0;

  const serviceId = str(details.serviceId) ?? appeal.serviceId;
  const contextIn = (locale: Locale, r: Recipient): MessageContext => {
    const ground = str(details.ground) ?? appeal.noConsiderationGround;
    return {
      number: appeal.registrationNumber,
      dueDate: formatDate(str(details.dueDate) ?? appeal.dueDate),
      reason: str(details.decisionReason) ?? str(details.reason),
      to: str(details.redirectedTo) ?? (serviceId ? dir.services.get(serviceId)?.name[locale] ?? null : null),
      ground: ground ? GROUND_NAMES[ground as NoConsiderationGround]?.[locale] ?? ground : null,
      days: num(details.days),
      daysLeft: num(details.daysLeft),
      decision: str(details.decision),
      overall: num(details.overall),
      toService: r.asServiceHead === true,
    };
  };

  const base = deps.publicUrl.replace(/\/+$/, '');
  const now = deps.clock.now();
  const eventKey = job.dedupeKey ?? `job:${job.id}`;
  const rows: (typeof notifications.$inferInsert)[] = [];
  for (const r of recipients) {
    const link = r.kind === 'staff'
      ? `/staff/${city.slug}/appeals/${appeal.id}`
      : `/${city.slug}/my/${appeal.id}${event === 'answered' ? '#response' : ''}`;
    const message = renderMessage(r.locale, event, contextIn(r.locale, r));
    const channels: [NotificationChannel, string | null][] = [['email', r.email], ['sms', r.phone]];
    if (r.inApp) channels.push(['in_app', null]);
    for (const [channel, address] of channels) {
      if (channel !== 'in_app' && !address) continue;
      const status = channel === 'in_app' ? 'sent' : allows(r.preferences, channel, event) ? 'pending' : 'skipped';
      rows.push({
        municipalityId: city.id, recipientKind: r.kind, recipientId: r.id, appealId: appeal.id, event, channel, address,
        locale: r.locale, subject: message.subject, body: bodyFor(channel, r.locale, message.text, `${base}${link}`), link,
        dedupeKey: `${eventKey}|${r.kind}:${r.id ?? 'applicant'}|${channel}`, status, createdAt: now,
        ...(channel === 'in_app' ? { sentAt: now } : {}),
      });
    }
  }
  if (rows.length === 0) return 0;

  return db.transaction(async (tx) => {
    const created = await tx.insert(notifications).values(rows).onConflictDoNothing()
      .returning({ id: notifications.id, channel: notifications.channel, status: notifications.status });
    for (const n of created) {
      if (n.channel === 'in_app' || n.status !== 'pending') continue;
      await enqueueJob(tx, { municipalityId: city.id, kind: DELIVER_JOB, runAt: now, dedupeKey: `deliver:${n.id}`, payload: { notificationId: n.id } });
    }
    return created.length;
  });
}

/** The applicant's contacts (the citizen account's when the applicant gave none), and the account's feed. */
async function residentRecipients(db: Db, appeal: typeof appeals.$inferSelect, locale: Locale): Promise<Recipient[]> {
  const [applicant] = await db.select({ email: appealApplicants.email, phone: appealApplicants.phone }).from(appealApplicants)
    .where(and(eq(appealApplicants.municipalityId, appeal.municipalityId), eq(appealApplicants.appealId, appeal.id))).limit(1);
  const [account] = appeal.citizenId
    ? await db.select({ id: citizens.id, email: citizens.email, phone: citizens.phone }).from(citizens).where(eq(citizens.id, appeal.citizenId)).limit(1)
    : [];
  const citizenId = account?.id ?? appeal.citizenId ?? null;
  return [{
    kind: citizenId ? 'citizen' : 'applicant',
    id: citizenId,
    locale,
    email: applicant?.email ?? account?.email ?? null,
    phone: applicant?.phone ?? account?.phone ?? null,
    inApp: citizenId !== null,
    preferences: citizenId ? await readPreferences(db, { kind: 'citizen', id: citizenId }) : DEFAULT_PREFERENCES,
  }];
}

/** The staff an event concerns: its executor, the heads of its service, the city's supervisors, or one named person. */
async function staffRecipients(
  db: Db, municipalityId: string, event: AppealEvent, details: Record<string, unknown>, appeal: typeof appeals.$inferSelect,
): Promise<Recipient[]> {
  const serviceId = str(details.serviceId) ?? appeal.serviceId;
  const executorId = 'executorId' in details ? str(details.executorId) : appeal.executorId;
  const people: string[] = [];
  let headsOf: string | null = null;
  let supervisors = false;
  let asServiceHeads = false;
  switch (event) {
    case 'assigned':
      if (executorId) people.push(executorId);
      else { headsOf = serviceId; asServiceHeads = true; }
      break;
    case 'due_soon': case 'due_today': case 'low_rating':
      if (executorId) people.push(executorId);
      headsOf = serviceId;
      break;
    case 'overdue':
      if (executorId) people.push(executorId);
      headsOf = serviceId;
      supervisors = true;
      break;
    case 'review_requested': case 'extension_requested':
      supervisors = true;
      break;
    case 'extension_decided': {
      const to = str(details.recipientStaffId);
      if (to) people.push(to);
      break;
    }
    default:
      return [];
  }
  const who: SQL[] = [];
  const uuids = people.filter((p) => z.uuid().safeParse(p).success);
  if (uuids.length > 0) who.push(inArray(staffUsers.id, uuids));
  if (headsOf) who.push(and(eq(staffUsers.serviceId, headsOf), sql`'service_head' = any(${staffUsers.roles})`)!);
  if (supervisors) who.push(sql`'supervisor' = any(${staffUsers.roles})`);
  if (who.length === 0) return [];
  const staff = await db.select({ id: staffUsers.id, email: staffUsers.email, locale: staffUsers.locale }).from(staffUsers)
    .where(and(eq(staffUsers.municipalityId, municipalityId), eq(staffUsers.active, true), or(...who)));
  if (staff.length === 0) return [];
  const prefs = await db.select().from(notificationPreferences)
    .where(and(eq(notificationPreferences.principalKind, 'staff'), inArray(notificationPreferences.principalId, staff.map((s) => s.id))));
  const prefsOf = new Map(prefs.map((p) => [p.principalId, p]));
  return staff.map((s) => {
    const p = prefsOf.get(s.id);
    return {
      kind: 'staff' as const, id: s.id, locale: asLocale(s.locale, 'ru'), email: s.email, phone: null, inApp: true,
      preferences: p ? { email: p.email, sms: p.sms, inApp: p.inApp, mutedEvents: p.mutedEvents as AppealEvent[] } : DEFAULT_PREFERENCES,
      asServiceHead: asServiceHeads,
    };
  });
}
