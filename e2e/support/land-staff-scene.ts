/**
 * The staff's land pages in the page-by-page scene, made over HTTP: a plot of its own with an open announcement, two
 * residents' proposals put before the commission (one on a planned meeting's agenda, one waiting), a comment that a
 * second resident reported, a public hearing with a resident registered. The admin visits every page.
 */
import { citizenSession, type Session } from './api.js';
import type { E2EServer } from './server.js';
import type { PageSpec } from './scene.js';

export const LAND_STAFF_PAGE_NAMES = [
  'land-staff-plots', 'land-staff-plot-new', 'land-staff-plot', 'land-staff-announce', 'land-staff-moderation', 'land-staff-commission', 'land-staff-meeting',
  'land-staff-settings', 'land-staff-hearings', 'land-staff-hearing',
] as const;

/** Texts the scene writes (the city's data, in Russian on every page). */
const TEXTS = {
  address: 'ул. Абдрахманова, 170, во дворе',
  announcement: 'Временная аренда участка под летнюю веранду',
  proposedUse: 'летняя веранда',
  scheduled: 'Сквер со скамейками',
  waiting: 'Спортивная площадка для подростков',
  description: 'Участок пустует, жители двора просят благоустроить его для отдыха.',
  author: 'Нурбек Т.',
  comment: 'Звоните мне по номеру 0555 000 000, продам участок дёшево.',
  report: 'Реклама и личные данные',
  meeting: 'Заседание земельной комиссии № 7',
  meetingPlace: 'Мэрия, зал 305',
  hearing: 'Слушания по участку на Абдрахманова',
  hearingPlace: 'Библиотека им. Чингиза Айтматова',
};

async function call<T>(server: E2EServer, who: Session | null, method: string, path: string, body: unknown, what: string): Promise<T> {
  const res = await fetch(`${server.baseUrl}/api/v1/m/bishkek${path}`, {
    method, headers: { ...(who?.headers ?? {}), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? null : JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${what}: ${res.status} ${text}`);
  return (text ? JSON.parse(text) : null) as T;
}

export async function plantLandStaff(server: E2EServer, citizen: Session, admin: Session): Promise<{ pages: PageSpec[]; dataTexts: string[] }> {
  const lon = 74.6195;
  const lat = 42.8702;
  const plot = await call<{ id: string }>(server, admin, 'POST', '/admin/land/plots', {
    cadastralNumber: '1-02-09-0404-0017', address: TEXTS.address, zoning: 'Р-2', permittedUse: 'благоустройство', currentUse: 'пустырь',
    geometry: { type: 'Polygon', coordinates: [[[lon, lat], [lon, lat + 0.0003], [lon + 0.0004, lat + 0.0003], [lon + 0.0004, lat], [lon, lat]]] },
  }, 'adding a plot');
  const announcement = await call<{ id: string }>(server, admin, 'POST', '/admin/land/announcements', {
    plotId: plot.id, kind: 'temporary_lease', title: { ru: TEXTS.announcement }, proposedUse: TEXTS.proposedUse, leaseUntil: '2027-10-01',
  }, 'announcing');
  const propose = (title: string) => call<{ id: string }>(server, citizen, 'POST', '/land/proposals', {
    plotId: plot.id, useKind: 'recreation', title, description: TEXTS.description, authorName: TEXTS.author, language: 'ru',
  }, 'proposing');
  const scheduled = await propose(TEXTS.scheduled);
  const waiting = await propose(TEXTS.waiting);
  const item = await call<{ id: string }>(server, admin, 'POST', '/admin/land/agenda', { subjectType: 'proposal', subjectId: scheduled.id }, 'putting a proposal before the commission');
  await call(server, admin, 'POST', '/admin/land/agenda', { subjectType: 'proposal', subjectId: waiting.id }, 'putting a proposal before the commission');
  const inAWeek = new Date(Date.now() + 7 * 86_400_000).toISOString();
  const meeting = await call<{ id: string }>(server, admin, 'POST', '/admin/land/meetings', { title: TEXTS.meeting, startsAt: inAWeek, place: TEXTS.meetingPlace }, 'planning a meeting');
  await call(server, admin, 'POST', `/admin/land/meetings/${meeting.id}/items`, { itemId: item.id }, 'scheduling an item');

  const comment = await call<{ id: string }>(server, citizen, 'POST', `/land/announcements/${announcement.id}/comments`, { body: TEXTS.comment, authorName: TEXTS.author }, 'commenting');
  const reporter = await citizenSession(server, 'reporter.land@example.org');
  await call(server, reporter, 'POST', `/land/comments/${comment.id}/reports`, { reason: TEXTS.report }, 'reporting a comment');

  const hearing = await call<{ id: string }>(server, admin, 'POST', '/admin/land/hearings', {
    announcementId: announcement.id, title: TEXTS.hearing, startsAt: inAWeek, place: TEXTS.hearingPlace, capacity: 40,
  }, 'planning a hearing');
  await call(server, reporter, 'POST', `/land/hearings/${hearing.id}/registration`, undefined, 'registering for a hearing');

  const base = '/staff/bishkek/land';
  const pages: PageSpec[] = [
    { name: 'land-staff-plots', path: `${base}/plots`, who: 'admin', shows: '.ls-plots tbody tr' },
    { name: 'land-staff-plot-new', path: `${base}/plots/new`, who: 'admin', shows: 'main form[aria-label]' },
    { name: 'land-staff-plot', path: `${base}/plots/${plot.id}`, who: 'admin', shows: '.queue .ls-item' },
    { name: 'land-staff-announce', path: `${base}/plots/${plot.id}/announce`, who: 'admin', shows: '.ls-closing' },
    { name: 'land-staff-moderation', path: `${base}/moderation`, who: 'admin', shows: '.ls-report-card' },
    { name: 'land-staff-commission', path: `${base}/commission`, who: 'admin', shows: '.ls-waiting li' },
    { name: 'land-staff-meeting', path: `${base}/commission/meetings/${meeting.id}`, who: 'admin', shows: '.ls-decision-form' },
    { name: 'land-staff-settings', path: `${base}/settings`, who: 'admin', shows: 'form textarea' },
    { name: 'land-staff-hearings', path: `${base}/hearings`, who: 'admin', shows: `a[href$="/land/hearings/${hearing.id}"]` },
    { name: 'land-staff-hearing', path: `${base}/hearings/${hearing.id}`, who: 'admin', shows: '.table-wrap tbody tr' },
  ];
  return { pages, dataTexts: Object.values(TEXTS) };
}
