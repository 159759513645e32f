/**
 * The scene that the page-by-page tests visit: a resident with an answered complaint (a photo, a place on the map, a
 * timeline), an appeal registered at reception, and a browser context per language for each of: nobody signed in,
 * the resident, the city's admin. Then the list of every page of the app, with who looks at it.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { act, categoryByCode, citizenSession, directory, fileAppeal, pngPhoto, receptionAppeal, staffSession, type Session } from './api.js';
import { anonymousMe, newContext, settle, watchProblems, type Lang, type PageProblems } from './browser.js';
import type { E2EServer } from './server.js';

export type Who = 'anonymous' | 'citizen' | 'admin';

export interface PageSpec {
  /** A short name, for messages and screenshot files. */
  name: string;
  path: string;
  who: Who;
}

/** Admin sections, as web/src/modules/admin/common.tsx lists them (SECTIONS). */
export const ADMIN_SECTIONS = ['districts', 'categories', 'services', 'routing', 'calendar', 'users', 'api-keys'] as const;

export interface Scene {
  residentAppealId: string;
  residentRegistrationNumber: string;
  receptionAppealId: string;
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

  const filed = await fileAppeal(server, citizen, {
    kind: 'complaint', categoryId: categoryByCode(dir, 'roads.pothole'), language: 'ru',
    subject: 'Яма у остановки на проспекте Чуй', body: 'Третью неделю глубокая яма у остановки, машины объезжают её по встречной.',
    applicant: { fullName: 'Сапарова Айгуль Бакытовна' },
    location: { address: 'проспект Чуй, 253', districtId: district, lat: 42.8766, lon: 74.6040 },
  });
  const form = new FormData();
  form.append('file', new Blob([new Uint8Array(pngPhoto(96, 64))], { type: 'image/png' }), 'yama.png');
  const upload = await fetch(`${server.baseUrl}/api/v1/m/bishkek/appeals/${filed.id}/attachments`, { method: 'POST', headers: citizen.headers, body: form });
  if (upload.status !== 201 && upload.status !== 200) throw new Error(`photo upload: ${upload.status} ${await upload.text()}`);
  await act(server, executor, filed.id, 'assign', { executorId: await myId(server, executor) });
  await act(server, executor, filed.id, 'answer', { body: 'Яма заделана бригадой МП. Спасибо за обращение.' });

  const received = await receptionAppeal(server, operator, {
    channel: 'phone', kind: 'statement', language: 'ky', categoryId: categoryByCode(dir, 'lighting.off'),
    subject: 'Короодо чырак күйбөйт', body: 'Киев көчөсүндөгү 12-үйдүн короосунда эки жумадан бери чырак күйбөйт.',
    applicant: { fullName: 'Осмонова Гүлзат', phone: '+996 700 123 456' }, location: { address: 'Киев көчөсү, 12', districtId: district },
  });
  // Assigned to the service it was routed to: every action form (the answer composer too) is open to the admin.
  const routed = await (await fetch(`${server.baseUrl}/api/v1/m/bishkek/appeals/${received.id}`, { headers: operator.headers })).json() as { serviceId: string };
  await act(server, operator, received.id, 'assign', { serviceId: routed.serviceId });

  const pages: PageSpec[] = [
    { name: 'home', path: '/', who: 'anonymous' },
    { name: 'signin', path: '/signin', who: 'anonymous' },
    { name: 'new-appeal', path: '/bishkek/appeals/new', who: 'citizen' },
    { name: 'my-appeals', path: '/bishkek/my', who: 'citizen' },
    { name: 'appeal', path: `/bishkek/my/${filed.id}`, who: 'citizen' },
    { name: 'staff-signin', path: '/staff/signin', who: 'anonymous' },
    { name: 'inbox', path: '/staff/bishkek/inbox', who: 'admin' },
    { name: 'staff-appeal', path: `/staff/bishkek/appeals/${filed.id}`, who: 'admin' },
    { name: 'reception', path: '/staff/bishkek/reception', who: 'admin' },
    { name: 'admin', path: '/staff/bishkek/admin', who: 'admin' },
    ...ADMIN_SECTIONS.map((s) => ({ name: `admin-${s}`, path: `/staff/bishkek/admin/${s}`, who: 'admin' as const })),
  ];
  const rules = await (await fetch(`${server.baseUrl}/api/v1/m/bishkek/admin/deadline-rules`, { headers: admin.headers })).json() as { items: { note: string | null }[] };
  const dataTexts = [
    ...dir.categories.flatMap((c) => c.keywords),
    ...rules.items.map((r) => r.note ?? ''),
  ];
  return {
    dataTexts,
    residentAppealId: filed.id, residentRegistrationNumber: filed.registrationNumber, receptionAppealId: received.id, pages,
    sessions: { citizen, admin },
  };
}

async function myId(server: E2EServer, who: Session): Promise<string> {
  const res = await fetch(`${server.baseUrl}/api/v1/auth/me`, { headers: who.headers });
  const me = await res.json() as { id: string };
  return me.id;
}

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
    return v;
  }

  async close(): Promise<void> {
    for (const v of this.open.values()) await v.context.close().catch(() => {});
    this.open.clear();
  }
}
