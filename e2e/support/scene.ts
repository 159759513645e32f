/**
 * The scene that the page-by-page tests visit: a resident with an answered complaint (a photo, a place on the map, a
 * timeline) that they rated low and asked to have reviewed, a second answered complaint not rated yet (the rating
 * form), an appeal registered at reception, a roads appeal whose executor asked for more time, the notifications all
 * of that caused, and scorecards with figures in them; a browser context per language for each of: nobody signed in,
 * the resident, the city's admin, a supervisor. Then the list of every page of the app, with who looks at it.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { act, categoryByCode, citizenSession, directory, fileAppeal, pngPhoto, receptionAppeal, staffSession, type Session } from './api.js';
import { anonymousMe, newContext, settle, watchProblems, type Lang, type PageProblems } from './browser.js';
import type { E2EServer } from './server.js';
import { LAND_PAGE_NAMES, plantLand } from './land-scene.js';
import { LAND_STAFF_PAGE_NAMES, plantLandStaff } from './land-staff-scene.js';
import { DEMO_INTEGRATOR_NAME, demoIntegratorKey } from '../../server/src/demo/demo-integrator.js';

export type Who = 'anonymous' | 'citizen' | 'admin' | 'supervisor';

export interface PageSpec {
  /** A short name, for messages and screenshot files. */
  name: string;
  path: string;
  who: Who;
  /**
   * What the scene put on the page, as a CSS selector that must match a visible element once the page has settled
   * (a queue's request, a feed's notification, a scorecard's row): a page checked empty would prove little.
   */
  shows?: string;
}

/** Admin sections, as web/src/modules/admin/common.tsx lists them (SECTIONS). */
export const ADMIN_SECTIONS = ['districts', 'categories', 'services', 'routing', 'calendar', 'users', 'api-keys', 'webhooks', 'imports', 'xroad'] as const;

/**
 * Every page of the scene by name, known before the scene exists (the tests are named from it; only some addresses
 * need the scene's ids). The admin's dev outbox is not one of SECTIONS: the admin menu adds it when the server keeps
 * an outbox (demo mode does).
 */
export const PAGE_NAMES = [
  'home', 'signin', 'new-appeal', 'my-appeals', 'appeal', 'appeal-to-rate', 'notifications', 'scorecards', 'service-scorecard',
  'staff-signin', 'inbox', 'staff-appeal', 'reception', 'reviews', 'extensions', 'staff-notifications', 'staff-scorecards',
  'admin', ...ADMIN_SECTIONS.map((s) => `admin-${s}`), 'admin-outbox',
  'dashboard', 'analytics', 'analytics-appeals', 'analytics-report', 'systemic', 'systemic-problem',
  ...LAND_PAGE_NAMES,
  ...LAND_STAFF_PAGE_NAMES,
] as const;

export interface Scene {
  residentAppealId: string;
  residentRegistrationNumber: string;
  /** The resident's second answered appeal, not rated yet. */
  unratedAppealId: string;
  receptionAppealId: string;
  /** The appeal with a pending extension request. */
  extensionAppealId: string;
  roadsServiceId: string;
  pages: PageSpec[];
  sessions: Record<Exclude<Who, 'anonymous'>, Session>;
  /** Texts that are the city's data, not the interface, in whatever language they were entered (keywords, notes). */
  dataTexts: string[];
}

/** Makes the data over HTTP: fast, and the same in every language. */
export async function buildScene(server: E2EServer): Promise<Scene> {
  const dir = await directory(server);
  const district = dir.districts[0]!.id;
  const citizen = await citizenSession(server, 'resident.pages@example.org');
  const admin = await staffSession(server, 'admin');
  const operator = await staffSession(server, 'operator');
  const executor = await staffSession(server, 'executor.roads');
  const supervisor = await staffSession(server, 'supervisor');
  // Before the appeals: the webhook subscription gets deliveries of their events.
  await plantIntegrations(server, admin);
  const executorId = await myId(server, executor);
  // The executors' answers say what was done and when: dates in Russian, which are data on a Kyrgyz page.
  const answers = [
    'Яма у остановки на проспекте Чуй заделана бригадой МП 28 апреля. Если она появится снова, позвоните 1313.',
    'Плитка на тротуаре у дома 95 по улице Токтогула переложена 3 ноября. Спасибо, что сообщили о проблеме.',
  ] as const;

  // The resident's complaint with a photo and a place, answered with a photo of the result.
  const filed = await fileAppeal(server, citizen, {
    kind: 'complaint', categoryId: categoryByCode(dir, 'roads.pothole'), language: 'ru',
    subject: 'Яма у остановки на проспекте Чуй', body: 'Третью неделю глубокая яма у остановки, машины объезжают её по встречной.',
    applicant: { fullName: 'Сапарова Айгуль Бакытовна' },
    location: { address: 'проспект Чуй, 253', districtId: district, lat: 42.8766, lon: 74.6040 },
  });
  await attach(server, citizen, filed.id, 'yama.png');
  await act(server, executor, filed.id, 'assign', { executorId });
  await act(server, executor, filed.id, 'answer', { body: answers[0] });
  const answerId = await lastAnswerId(server, citizen, filed.id);
  await attach(server, executor, filed.id, 'yama-zadelana.png', answerId);
  // The resident thinks otherwise: a low rating, "not solved", and a request for review (the supervisors' queue).
  await call(server, citizen, 'PUT', `/my/appeals/${filed.id}/answers/${answerId}/rating`, {
    overall: 2, solved: 'no', clarity: 3, accuracy: 2, onTimeFelt: true, comment: 'Яму засыпали щебнем, через неделю она снова там же.',
  }, 'rating the answer');
  await call(server, citizen, 'POST', `/my/appeals/${filed.id}/answers/${answerId}/review-request`, {
    reason: 'Асфальт не положили, яма вернулась после первого дождя.',
  }, 'requesting a review');

  // A second complaint of the resident, answered and not rated yet: its page shows the rating form.
  const unrated = await fileAppeal(server, citizen, {
    kind: 'complaint', categoryId: categoryByCode(dir, 'roads.sidewalk'), language: 'ru',
    subject: 'Разбитый тротуар на улице Токтогула', body: 'Тротуар у дома 95 по улице Токтогула разбит, плитка вывернута, пройти с коляской нельзя.',
    applicant: { fullName: 'Сапарова Айгуль Бакытовна' }, location: { address: 'улица Токтогула, 95', districtId: district },
  });
  await act(server, executor, unrated.id, 'assign', { executorId });
  await act(server, executor, unrated.id, 'start', {});
  await act(server, executor, unrated.id, 'answer', { body: answers[1] });

  const received = await receptionAppeal(server, operator, {
    channel: 'phone', kind: 'statement', language: 'ky', categoryId: categoryByCode(dir, 'lighting.off'),
    subject: 'Короодо чырак күйбөйт', body: 'Киев көчөсүндөгү 12-үйдүн короосунда эки жумадан бери чырак күйбөйт.',
    applicant: { fullName: 'Осмонова Гүлзат', phone: '+996 700 123 456' }, location: { address: 'Киев көчөсү, 12', districtId: district },
  });
  // Assigned to the service it was routed to: every action form (the answer composer too) is open to the admin.
  const routed = await (await fetch(`${server.baseUrl}/api/v1/m/bishkek/appeals/${received.id}`, { headers: operator.headers })).json() as { serviceId: string };
  await act(server, operator, received.id, 'assign', { serviceId: routed.serviceId });

  // A roads appeal in work whose executor asks for five more working days (the extension queue).
  const slow = await receptionAppeal(server, operator, {
    channel: 'letter', kind: 'proposal', language: 'ru', categoryId: categoryByCode(dir, 'roads.stop'),
    subject: 'Навес на остановке на улице Ахунбаева', body: 'Просим поставить навес на остановке у дома 119 по улице Ахунбаева: в дождь и снег людям негде укрыться.',
    applicant: { fullName: 'Бейшеналиев Руслан', phone: '+996 555 987 654' }, location: { address: 'улица Ахунбаева, 119', districtId: district },
  });
  await act(server, executor, slow.id, 'assign', { executorId });
  await act(server, executor, slow.id, 'start', {});
  await call(server, executor, 'POST', `/appeals/${slow.id}/extension-requests`, {
    days: 5, reason: 'Нужна смета подрядчика на навес, она будет готова через неделю.',
  }, 'requesting an extension');

  // The scorecards are a roll-up a job refreshes seconds after a change: wait until the roads service's figures
  // count what was done above (so the pages show figures, not "no data").
  const roads = await (await fetch(`${server.baseUrl}/api/v1/m/bishkek/appeals/${filed.id}`, { headers: operator.headers })).json() as { serviceId: string };
  await waitForScorecard(server, roads.serviceId, { received: 3, answered: 2, ratings: 1, reviewRequests: 1 });
  // The analytics cube folds changes in every minute; rebuilt now, the analytics pages show the scene at once.
  await call(server, admin, 'POST', '/admin/analytics/rebuild', {}, 'rebuilding the analytics');
  const thisMonth = new Date(Date.now() + 6 * 3_600_000).toISOString().slice(0, 7); // Bishkek's clock: UTC+6
  const systemicId = await plantSystemicProblem(server, admin, [filed.id, unrated.id, slow.id]);

  const land = await plantLand(server, citizen, admin);
  // After the residents' land data: that takes the demo's open announcement, this one adds its own.
  const landStaff = await plantLandStaff(server, citizen, admin);
  const pages: PageSpec[] = [
    { name: 'home', path: '/', who: 'anonymous' },
    { name: 'signin', path: '/signin', who: 'anonymous' },
    { name: 'new-appeal', path: '/bishkek/appeals/new', who: 'citizen' },
    { name: 'my-appeals', path: '/bishkek/my', who: 'citizen' },
    { name: 'appeal', path: `/bishkek/my/${filed.id}`, who: 'citizen', shows: '.r-rating-summary' },
    { name: 'appeal-to-rate', path: `/bishkek/my/${unrated.id}`, who: 'citizen', shows: '.r-rating-form' },
    { name: 'notifications', path: '/notifications', who: 'citizen', shows: '.nt-feed .nt-item' },
    { name: 'scorecards', path: '/bishkek/scorecards', who: 'anonymous', shows: `.sc-table a[href*="/bishkek/scorecards/${roads.serviceId}?"]` },
    { name: 'service-scorecard', path: `/bishkek/scorecards/${roads.serviceId}`, who: 'anonymous', shows: 'main table' },
    { name: 'staff-signin', path: '/staff/signin', who: 'anonymous' },
    { name: 'inbox', path: '/staff/bishkek/inbox', who: 'admin' },
    { name: 'staff-appeal', path: `/staff/bishkek/appeals/${filed.id}`, who: 'admin' },
    { name: 'reception', path: '/staff/bishkek/reception', who: 'admin' },
    { name: 'reviews', path: '/staff/bishkek/reviews', who: 'admin', shows: '.queue .decision' },
    { name: 'extensions', path: '/staff/bishkek/extensions', who: 'admin', shows: '.queue .decision' },
    // The admin is told nothing (no appeal is theirs): the supervisor's feed has the review and extension requests.
    { name: 'staff-notifications', path: '/staff/bishkek/notifications', who: 'supervisor', shows: '.feed .feed-item' },
    { name: 'staff-scorecards', path: '/staff/bishkek/scorecards', who: 'admin', shows: '.figures-table' },
    { name: 'admin', path: '/staff/bishkek/admin', who: 'admin', shows: '.admin-sections a[href$="/admin/outbox"]' },
    ...ADMIN_SECTIONS.map((s) => ({ name: `admin-${s}`, path: `/staff/bishkek/admin/${s}`, who: 'admin' as const })),
    { name: 'admin-outbox', path: '/staff/bishkek/admin/outbox', who: 'admin', shows: '.outbox li' },
    { name: 'dashboard', path: '/bishkek/dashboard', who: 'anonymous', shows: 'table[data-dim=form] tbody tr' },
    { name: 'analytics', path: '/staff/bishkek/analytics', who: 'admin', shows: '.an-headline a[data-drill=headline]' },
    { name: 'analytics-appeals', path: '/staff/bishkek/analytics/appeals', who: 'admin', shows: '.an-drill-table tbody tr' },
    { name: 'analytics-report', path: `/staff/bishkek/analytics/report?month=${thisMonth}`, who: 'admin', shows: '.an-report-headline' },
    { name: 'systemic', path: '/staff/bishkek/systemic', who: 'admin', shows: `.sp-table a[href$="/systemic/${systemicId}"]` },
    { name: 'systemic-problem', path: `/staff/bishkek/systemic/${systemicId}`, who: 'admin', shows: '.sp-members tbody tr' },
    ...land.pages,
    ...landStaff.pages,
  ];
  const missing = PAGE_NAMES.filter((n) => !pages.some((p) => p.name === n));
  if (missing.length) throw new Error(`PAGE_NAMES lists pages the scene has not: ${missing.join(', ')}`);
  const rules = await (await fetch(`${server.baseUrl}/api/v1/m/bishkek/admin/deadline-rules`, { headers: admin.headers })).json() as { items: { note: string | null }[] };
  const dataTexts = [
    ...answers,
    ...dir.categories.flatMap((c) => c.keywords),
    ...rules.items.map((r) => r.note ?? ''),
    SYSTEMIC_NOTE,
    // The demo integrator's API key, named by the demo seed (data, not interface text).
    DEMO_INTEGRATOR_NAME,
    ...land.dataTexts,
    ...landStaff.dataTexts,
  ];
  return {
    dataTexts,
    residentAppealId: filed.id, residentRegistrationNumber: filed.registrationNumber, unratedAppealId: unrated.id,
    receptionAppealId: received.id, extensionAppealId: slow.id, roadsServiceId: roads.serviceId, pages,
    sessions: { citizen, admin, supervisor },
  };
}

const SYSTEMIC_NOTE = 'Включить ремонт дорог квартала в программу 2027 года.';

/**
 * What the admin's integration pages list: an import source with its mapping, and the demo integrator's webhook
 * subscription (its receiver does not answer in tests: the delivery log shows the failed attempts).
 */
async function plantIntegrations(server: E2EServer, admin: Session): Promise<void> {
  await call(server, admin, 'POST', '/admin/imports/sources', {
    code: 'journal-2024', name: 'Журнал приёма 2024', channel: 'in_person', mapping: {
      delimiter: ';', externalId: 'Номер', receivedAt: { column: 'Дата', format: 'DD.MM.YYYY' }, kind: { constant: 'statement' },
      category: { column: 'Категория', values: { 'Ямы': 'roads.pothole' } }, subject: { column: 'Тема' }, body: { column: 'Текст' },
    },
  }, 'creating an import source');
  const res = await fetch(`${server.baseUrl}/api/v1/m/bishkek/integrations/webhooks`, {
    method: 'POST', headers: { 'x-api-key': demoIntegratorKey('bishkek'), 'content-type': 'application/json' },
    // A reserved name (RFC 2606) that never resolves: no test sends anything out.
    body: JSON.stringify({ url: 'https://shaar.example/hooks', events: [] }),
  });
  if (res.status !== 201) throw new Error(`subscribing to webhooks: ${res.status} ${await res.text()}`);
}

/**
 * A systemic problem over the scene's roads appeals, with an analyst's note. Written straight to the database: the
 * detector needs weeks of appeals from many residents, which a scene made in seconds cannot have.
 */
async function plantSystemicProblem(server: E2EServer, admin: Session, appealIds: string[]): Promise<string> {
  const [row] = await server.query<{ id: string }>(`
    insert into systemic_problems (municipality_id, detector_key, kinds, category_id, district_id, cells, appeals, distinct_applicants,
      weeks_active, repeats, score, trend, monthly, first_seen, last_seen, detected_at, updated_at)
    select a.municipality_id, 'e2e|' || a.id, array['spatial', 'repeat'], a.category_id, a.district_id, array['8921b3a2d0bffff'], $2::int, 2, 2, 1,
      0.42, 'rising', jsonb_build_object(to_char(now() - interval '2 months', 'YYYY-MM'), 1, to_char(now(), 'YYYY-MM'), $2::int - 1),
      now() - interval '2 months', now(), now(), now()
    from appeals a where a.id = $1
    returning id`, [appealIds[0], appealIds.length]);
  for (const id of appealIds) {
    await server.query('insert into systemic_problem_members (municipality_id, problem_id, appeal_id) select municipality_id, $1, id from appeals where id = $2', [row!.id, id]);
  }
  await call(server, admin, 'POST', `/systemic-problems/${row!.id}/notes`, { body: SYSTEMIC_NOTE }, 'noting a systemic problem');
  return row!.id;
}

/** A request of the scene on /api/v1/m/bishkek…, which must succeed. */
async function call(server: E2EServer, who: Session, method: string, path: string, body: unknown, what: string): Promise<unknown> {
  const res = await fetch(`${server.baseUrl}/api/v1/m/bishkek${path}`, {
    method, headers: { ...who.headers, 'content-type': 'application/json' }, body: JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${what}: ${res.status} ${text}`);
  return text ? JSON.parse(text) : null;
}

/** A small PNG attached to an appeal (to an answer of it, with `answerId`). */
async function attach(server: E2EServer, who: Session, appealId: string, name: string, answerId?: string): Promise<void> {
  const form = new FormData();
  if (answerId) form.append('answerId', answerId);
  form.append('file', new Blob([new Uint8Array(pngPhoto(96, 64))], { type: 'image/png' }), name);
  const upload = await fetch(`${server.baseUrl}/api/v1/m/bishkek/appeals/${appealId}/attachments`, { method: 'POST', headers: who.headers, body: form });
  if (upload.status !== 201 && upload.status !== 200) throw new Error(`uploading ${name}: ${upload.status} ${await upload.text()}`);
}

/** The newest answer of the resident's appeal. */
async function lastAnswerId(server: E2EServer, citizen: Session, appealId: string): Promise<string> {
  const res = await fetch(`${server.baseUrl}/api/v1/m/bishkek/my/appeals/${appealId}`, { headers: citizen.headers });
  const appeal = await res.json() as { answers?: { id: string }[] };
  const id = appeal.answers?.at(-1)?.id;
  if (!id) throw new Error(`appeal ${appealId} has no answer (${res.status})`);
  return id;
}

type Figures = Record<'received' | 'answered' | 'ratings' | 'reviewRequests', number>;

/** Waits (up to a minute) until the public scorecard of a service counts at least `least`. */
async function waitForScorecard(server: E2EServer, serviceId: string, least: Figures): Promise<void> {
  const deadline = Date.now() + 60_000;
  let seen: unknown = null;
  for (;;) {
    const res = await fetch(`${server.baseUrl}/api/v1/m/bishkek/scorecards/services/${serviceId}`);
    if (res.ok) {
      const body = await res.json() as { service: { figures: Figures } };
      seen = body.service.figures;
      if ((Object.keys(least) as (keyof Figures)[]).every((k) => body.service.figures[k] >= least[k])) return;
    } else {
      seen = `${res.status} ${await res.text()}`;
    }
    if (Date.now() > deadline) throw new Error(`the scorecard of service ${serviceId} never counted ${JSON.stringify(least)}; last seen ${JSON.stringify(seen)}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

async function myId(server: E2EServer, who: Session): Promise<string> {
  const res = await fetch(`${server.baseUrl}/api/v1/auth/me`, { headers: who.headers });
  const me = await res.json() as { id: string };
  return me.id;
}

const blankTile = pngPhoto(1, 1);

/** One browser page per (language, identity), reused from page to page of the app. */
export class Visitors {
  private readonly open = new Map<string, { context: BrowserContext; page: Page; problems: PageProblems }>();

  constructor(private readonly browser: Browser, private readonly server: E2EServer, private readonly scene: Scene) {}

  async get(lang: Lang, who: Who): Promise<{ page: Page; problems: PageProblems }> {
    const key = `${lang}/${who}`;
    let v = this.open.get(key);
    if (!v) {
      const context = await newContext(this.browser, {
        baseUrl: this.server.baseUrl, lang, sessionToken: who === 'anonymous' ? undefined : this.scene.sessions[who].token,
      });
      // Map tiles come from a blank image: no network in tests, and no failed tile in the console.
      await context.route(/^https?:\/\/[^/]*tile\.openstreetmap\.org\//, (route) => route.fulfill({ status: 200, contentType: 'image/png', body: blankTile }));
      const page = await context.newPage();
      const problems = watchProblems(page, who === 'anonymous' ? anonymousMe : undefined);
      v = { context, page, problems };
      this.open.set(key, v);
    }
    return v;
  }

  /** Opens `spec` in `lang` as its visitor, settled, with the problems of any earlier page cleared. */
  async visit(spec: PageSpec, lang: Lang): Promise<{ page: Page; problems: PageProblems }> {
    const v = await this.get(lang, spec.who);
    v.problems.take();
    await v.page.goto(spec.path, { waitUntil: 'load' });
    await settle(v.page);
    if (spec.shows) {
      await v.page.locator(spec.shows).first().waitFor({ state: 'visible', timeout: 10_000 }).catch(() => {
        throw new Error(`${spec.name} (${lang}) at ${spec.path} as ${spec.who} shows nothing of the scene: no visible ${spec.shows}`);
      });
      await settle(v.page);
    }
    return v;
  }

  async close(): Promise<void> {
    for (const v of this.open.values()) await v.context.close().catch(() => {});
    this.open.clear();
  }
}
