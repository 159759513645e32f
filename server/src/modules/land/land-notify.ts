/**
 * Notifications of the land dialogue. A change that people must hear of (an announcement in their area, a proposal
 * they back going onto the agenda, the commission's decision, a hearing) enqueues ONE `land.notify` job in its own
 * transaction, naming the audience and the message's parameters. The job finds the audience's citizen accounts and
 * writes one notification row per person × channel (their feed, and e-mail where the account has one and the person
 * has not switched e-mail off) plus a delivery job per e-mail, in the person's own language. Dedupe keys come from
 * the event's key, so a rerun adds nothing. No SMS: announcements can reach thousands of subscribers, and the
 * feed and e-mail carry them at no cost per message.
 */
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { LOCALES, type Locale } from '@shaar/contracts';
import type { Db, DbOrTx } from '../../platform/db/database.js';
import { queryRows } from '../../platform/db/database.js';
import { notifications } from '../../platform/db/schema.js';
import type { Clock } from '../../platform/clock.js';
import { enqueueJob, type ClaimedJob } from '../../platform/jobs/job-queue.js';
import { readPreferences } from '../notifications/notification-preferences.js';
import { bodyFor } from '../notifications/notification-templates.js';
import { DELIVER_JOB } from '../notifications/notify-appeal-event.js';

export const LAND_NOTIFY_JOB = 'land.notify';
export const LAND_EVENTS = ['land_announcement', 'land_proposal_on_agenda', 'land_decision', 'land_hearing'] as const;
export type LandEvent = (typeof LAND_EVENTS)[number];

/** Who hears of it. */
export const LandAudience = z.discriminatedUnion('kind', [
  /** Residents watching the plot's area: its district, or a circle around their point that holds the plot's centre. */
  z.object({ kind: z.literal('plot_area'), plotId: z.uuid() }),
  /** The proposal's author, its supporters and everyone who commented on it. */
  z.object({ kind: z.literal('proposal'), proposalId: z.uuid() }),
  /** Everyone who commented on the announcement. */
  z.object({ kind: z.literal('announcement'), announcementId: z.uuid() }),
  /** Those registered for a hearing. */
  z.object({ kind: z.literal('hearing'), hearingId: z.uuid() }),
  /** Named accounts. */
  z.object({ kind: z.literal('citizens'), citizenIds: z.array(z.uuid()).max(10_000) }),
]);
export type LandAudience = z.infer<typeof LandAudience>;

export const LandMessageParams = z.object({
  title: z.string().max(500),
  /** The title in each language, when the city wrote it so (announcements): each reader gets theirs. */
  titles: z.object({ ky: z.string().max(500), ru: z.string().max(500), en: z.string().max(500) }).optional(),
  plot: z.string().max(100).optional().describe('The cadastral number'),
  address: z.string().max(500).optional(),
  closesAt: z.string().optional().describe('YYYY-MM-DD'),
  decision: z.enum(['approved', 'rejected', 'postponed']).optional(),
  reasons: z.string().max(4000).optional(),
  supports: z.number().int().optional(),
  when: z.string().optional().describe('YYYY-MM-DD HH:mm, local time'),
  place: z.string().max(500).optional(),
});
export type LandMessageParams = z.infer<typeof LandMessageParams>;

const Payload = z.object({
  event: z.enum(LAND_EVENTS),
  audience: LandAudience,
  params: LandMessageParams,
  /** Where in the web app, e.g. /bishkek/land/plots/<id>. */
  link: z.string().max(300),
});

export interface LandNotice {
  municipalityId: string;
  event: LandEvent;
  audience: LandAudience;
  params: LandMessageParams;
  link: string;
  /** Unique per occurrence (e.g. `decision:<agenda item id>`): a second notice with the same key is dropped. */
  key: string;
  now: Date;
}

/** Queues the notice in the caller's transaction. */
export async function queueLandNotice(tx: DbOrTx, n: LandNotice): Promise<void> {
  await enqueueJob(tx, {
    municipalityId: n.municipalityId, kind: LAND_NOTIFY_JOB, runAt: n.now, dedupeKey: `land:${n.key}`, maxAttempts: 8,
    payload: { event: n.event, audience: n.audience, params: n.params, link: n.link },
  });
}

interface Recipient { id: string; email: string | null; locale: string }

async function audienceOf(db: Db, municipalityId: string, a: LandAudience): Promise<Recipient[]> {
  const m = sql`${municipalityId}::uuid`;
  let ids: ReturnType<typeof sql>;
  switch (a.kind) {
    case 'plot_area':
      ids = sql`
        select s.citizen_id from land_area_subscriptions s
        join land_plots p on p.municipality_id = s.municipality_id and p.id = ${a.plotId}::uuid
        where s.municipality_id = ${m} and (
          (s.district_id is not null and s.district_id = p.district_id) or
          (s.radius_m is not null and 2 * 6371000 * asin(sqrt(
            power(sin(radians(p.center_lat - s.center_lat) / 2), 2) +
            cos(radians(s.center_lat)) * cos(radians(p.center_lat)) * power(sin(radians(p.center_lon - s.center_lon) / 2), 2)
          )) <= s.radius_m))`;
      break;
    case 'proposal':
      ids = sql`
        select author_citizen_id from land_proposals where municipality_id = ${m} and id = ${a.proposalId}::uuid
        union select citizen_id from land_proposal_supports where municipality_id = ${m} and proposal_id = ${a.proposalId}::uuid
        union select author_id from land_comments where municipality_id = ${m} and subject_type = 'proposal'
          and subject_id = ${a.proposalId}::uuid and author_kind = 'citizen'`;
      break;
    case 'announcement':
      ids = sql`select author_id from land_comments where municipality_id = ${m} and subject_type = 'announcement'
        and subject_id = ${a.announcementId}::uuid and author_kind = 'citizen'`;
      break;
    case 'hearing':
      ids = sql`select citizen_id from hearing_registrations where municipality_id = ${m} and hearing_id = ${a.hearingId}::uuid`;
      break;
    case 'citizens':
      if (a.citizenIds.length === 0) return [];
      ids = sql`select unnest(${`{${a.citizenIds.join(',')}}`}::uuid[])`;
      break;
  }
  return queryRows<Recipient>(db, sql`select c.id, c.email, c.locale from citizens c where c.id in (${ids}) order by c.id`);
}

const DECISION: Record<Locale, Record<'approved' | 'rejected' | 'postponed', string>> = {
  ky: { approved: 'жактырды', rejected: 'четке какты', postponed: 'кийинкиге калтырды' },
  ru: { approved: 'одобрила', rejected: 'отклонила', postponed: 'отложила' },
  en: { approved: 'approved', rejected: 'rejected', postponed: 'postponed' },
};

/** Subject and text in one language. */
export function renderLandMessage(locale: Locale, event: LandEvent, params: LandMessageParams): { subject: string; text: string } {
  const p = { ...params, title: params.titles?.[locale] || params.title };
  const plot = p.plot ? `${p.plot}${p.address ? `, ${p.address}` : ''}` : p.address ?? '';
  switch (event) {
    case 'land_announcement':
      return {
        ky: { subject: `Жер тилкеси боюнча жарыя: ${p.title}`, text: `Мэрия ${plot} жер тилкеси боюнча жарыя жарыялады: «${p.title}». Пикирлер ${p.closesAt ?? ''} чейин кабыл алынат.` },
        ru: { subject: `Объявление по участку: ${p.title}`, text: `Мэрия опубликовала объявление по участку ${plot}: «${p.title}». Комментарии принимаются до ${p.closesAt ?? ''}.` },
        en: { subject: `Announcement on a plot: ${p.title}`, text: `The city has published an announcement on the plot ${plot}: "${p.title}". Comments are open until ${p.closesAt ?? ''}.` },
      }[locale];
    case 'land_proposal_on_agenda':
      return {
        ky: { subject: `Сунуш комиссиянын күн тартибинде: ${p.title}`, text: `«${p.title}» сунушу ${p.supports ?? ''} колдоо алды жана жер комиссиясынын күн тартибине киргизилди.` },
        ru: { subject: `Предложение на повестке комиссии: ${p.title}`, text: `Предложение «${p.title}» набрало ${p.supports ?? ''} поддержек и включено в повестку земельной комиссии.` },
        en: { subject: `A proposal is on the commission's agenda: ${p.title}`, text: `The proposal "${p.title}" reached ${p.supports ?? ''} supports and is on the land commission's agenda.` },
      }[locale];
    case 'land_decision': {
      const d = p.decision ? DECISION[locale][p.decision] : '';
      return {
        ky: { subject: `Комиссиянын чечими: ${p.title}`, text: `Жер комиссиясы «${p.title}» маселесин ${d}. Негиздери: ${p.reasons ?? ''}` },
        ru: { subject: `Решение комиссии: ${p.title}`, text: `Земельная комиссия ${d} «${p.title}». Основания: ${p.reasons ?? ''}` },
        en: { subject: `The commission's decision: ${p.title}`, text: `The land commission ${d} "${p.title}". Reasons: ${p.reasons ?? ''}` },
      }[locale];
    }
    case 'land_hearing':
      return {
        ky: { subject: `Коомдук угуу: ${p.title}`, text: `«${p.title}» боюнча коомдук угуу ${p.when ?? ''} өтөт. Орду: ${p.place ?? ''}.` },
        ru: { subject: `Общественные слушания: ${p.title}`, text: `Общественные слушания «${p.title}» пройдут ${p.when ?? ''}. Место: ${p.place ?? ''}.` },
        en: { subject: `Public hearing: ${p.title}`, text: `A public hearing on "${p.title}" takes place on ${p.when ?? ''}. Place: ${p.place ?? ''}.` },
      }[locale];
  }
}

export interface LandNotifyDeps { db: Db; clock: Clock; publicUrl: string }

/** The `land.notify` job. Returns how many notification rows it created (0 on a rerun). */
export async function sendLandNotice(deps: LandNotifyDeps, job: ClaimedJob): Promise<number> {
  const parsed = Payload.safeParse(job.payload);
  if (!parsed.success) return 0;
  const { event, audience, params, link } = parsed.data;
  const { db } = deps;
  const recipients = await audienceOf(db, job.municipalityId, audience);
  if (recipients.length === 0) return 0;
  const now = deps.clock.now();
  const url = `${deps.publicUrl.replace(/\/+$/, '')}${link}`;
  const key = job.dedupeKey ?? `job:${job.id}`;
  const rows: (typeof notifications.$inferInsert)[] = [];
  for (const r of recipients) {
    const locale: Locale = (LOCALES as readonly string[]).includes(r.locale) ? r.locale as Locale : 'ky';
    const message = renderLandMessage(locale, event, params);
    const emailOn = r.email ? (await readPreferences(db, { kind: 'citizen', id: r.id })).email : false;
    const common = { municipalityId: job.municipalityId, recipientKind: 'citizen', recipientId: r.id, event, locale, subject: message.subject, link, createdAt: now };
    rows.push({ ...common, channel: 'in_app', body: bodyFor('in_app', locale, message.text, url), dedupeKey: `${key}|citizen:${r.id}|in_app`, status: 'sent', sentAt: now });
    if (r.email) {
      rows.push({ ...common, channel: 'email', address: r.email, body: bodyFor('email', locale, message.text, url),
        dedupeKey: `${key}|citizen:${r.id}|email`, status: emailOn ? 'pending' : 'skipped' });
    }
  }
  return db.transaction(async (tx) => {
    let created = 0;
    // In slices: an announcement may reach thousands of subscribers.
    for (let i = 0; i < rows.length; i += 500) {
      const done = await tx.insert(notifications).values(rows.slice(i, i + 500)).onConflictDoNothing()
        .returning({ id: notifications.id, channel: notifications.channel, status: notifications.status });
      created += done.length;
      for (const n of done) {
        if (n.channel !== 'email' || n.status !== 'pending') continue;
        await enqueueJob(tx, { municipalityId: job.municipalityId, kind: DELIVER_JOB, runAt: now, dedupeKey: `deliver:${n.id}`, payload: { notificationId: n.id } });
      }
    }
    return created;
  });
}
