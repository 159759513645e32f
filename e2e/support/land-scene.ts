/**
 * The residents' land pages in the page-by-page scene: the demo plots (seeded in demo mode, one with an announcement
 * open for comment) plus, made here over HTTP, a resident's proposal on that plot with a support, comments on the
 * announcement and the plot (one of them a reply), a commission meeting and a public hearing.
 */
import type { Session } from './api.js';
import type { E2EServer } from './server.js';
import type { PageSpec } from './scene.js';

export const LAND_PAGE_NAMES = [
  'land', 'land-plot', 'land-announcement', 'land-proposals', 'land-proposal', 'land-propose', 'land-meetings', 'land-meeting',
  'land-hearing', 'land-subscriptions',
] as const;

/** Texts the scene writes (the city's data, in Russian on every page). */
const TEXTS = {
  proposal: 'Детская площадка во дворе',
  description: 'Во дворе нет ни одной площадки, дети играют на парковке. Предлагаем поставить качели и горку.',
  beneficiaries: 'Дети микрорайона и их родители',
  author: 'Айгуль С.',
  comment: 'Поддерживаю, место подходящее.',
  reply: 'Согласна, площадка нужна.',
  plotComment: 'Участок давно пустует.',
  meeting: 'Заседание земельной комиссии',
  meetingPlace: 'Мэрия, зал 2',
  hearing: 'Публичные слушания по участку',
  hearingPlace: 'Дом культуры, малый зал',
  subscription: 'Дом',
};

async function call(server: E2EServer, who: Session | null, method: string, path: string, body: unknown, what: string): Promise<unknown> {
  const res = await fetch(`${server.baseUrl}/api/v1/m/bishkek${path}`, {
    method, headers: { ...(who?.headers ?? {}), ...(body === undefined ? {} : { 'content-type': 'application/json' }) }, body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${what}: ${res.status} ${text}`);
  return text ? JSON.parse(text) : null;
}

export async function plantLand(server: E2EServer, citizen: Session, admin: Session): Promise<{ pages: PageSpec[]; dataTexts: string[] }> {
  const open = await call(server, null, 'GET', '/land/announcements?status=published', undefined, 'listing announcements') as { items: { id: string; plotId: string }[] };
  const announcement = open.items[0];
  if (!announcement) throw new Error('the demo data has no announcement open for comment');
  const plotId = announcement.plotId;
  const proposal = await call(server, citizen, 'POST', '/land/proposals', {
    plotId, useKind: 'playground', title: TEXTS.proposal, description: TEXTS.description, beneficiaries: TEXTS.beneficiaries, authorName: TEXTS.author, language: 'ru',
  }, 'proposing') as { id: string };
  await call(server, citizen, 'POST', `/land/proposals/${proposal.id}/support`, undefined, 'supporting');
  const comment = await call(server, citizen, 'POST', `/land/announcements/${announcement.id}/comments`, { body: TEXTS.comment, authorName: TEXTS.author }, 'commenting') as { id: string };
  await call(server, citizen, 'POST', `/land/announcements/${announcement.id}/comments`, { body: TEXTS.reply, parentId: comment.id, authorName: TEXTS.author }, 'replying');
  await call(server, citizen, 'POST', `/land/plots/${plotId}/comments`, { body: TEXTS.plotComment, authorName: TEXTS.author }, 'commenting on the plot');
  const inAWeek = new Date(Date.now() + 7 * 86_400_000).toISOString();
  const meeting = await call(server, admin, 'POST', '/admin/land/meetings', { title: TEXTS.meeting, startsAt: inAWeek, place: TEXTS.meetingPlace }, 'planning a meeting') as { id: string };
  const hearing = await call(server, admin, 'POST', '/admin/land/hearings', {
    announcementId: announcement.id, title: TEXTS.hearing, startsAt: inAWeek, place: TEXTS.hearingPlace, capacity: 50,
  }, 'planning a hearing') as { id: string };
  await call(server, citizen, 'POST', '/land/subscriptions', { lat: 42.8746, lon: 74.6122, radiusM: 1000, label: TEXTS.subscription }, 'watching an area');

  const pages: PageSpec[] = [
    { name: 'land', path: '/bishkek/land', who: 'anonymous', shows: '.land-table tbody tr' },
    { name: 'land-plot', path: `/bishkek/land/plots/${plotId}`, who: 'anonymous', shows: '.land-timeline li' },
    { name: 'land-announcement', path: `/bishkek/land/announcements/${announcement.id}`, who: 'citizen', shows: '.land-thread .land-thread .land-comment' },
    { name: 'land-proposals', path: '/bishkek/land/proposals', who: 'anonymous', shows: '.land-cards li' },
    { name: 'land-proposal', path: `/bishkek/land/proposals/${proposal.id}`, who: 'citizen', shows: '.land-supported' },
    { name: 'land-propose', path: `/bishkek/land/proposals/new?plotId=${plotId}`, who: 'citizen', shows: 'form.land-form' },
    { name: 'land-meetings', path: '/bishkek/land/meetings', who: 'anonymous', shows: `a[href$="/land/meetings/${meeting.id}"]` },
    { name: 'land-meeting', path: `/bishkek/land/meetings/${meeting.id}`, who: 'anonymous', shows: '#mt-agenda' },
    { name: 'land-hearing', path: `/bishkek/land/hearings/${hearing.id}`, who: 'citizen', shows: '#hr-reg' },
    { name: 'land-subscriptions', path: '/bishkek/land/subscriptions', who: 'citizen', shows: '#sub-list + ul li' },
  ];
  return { pages, dataTexts: Object.values(TEXTS) };
}
