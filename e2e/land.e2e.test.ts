/**
 * The land-use dialogue end to end (issue 7's acceptance), in Russian, through the real browser: the admin sets the
 * support threshold to 3, imports plots from a GeoJSON file (the check shows the rejected feature and why), and
 * announces a temporary lease of one with a 14-day comment period; a resident who watches the area finds the
 * announcement in the notification feed and comments on it; another resident proposes a playground on the same plot
 * and three residents support it, so it goes onto the commission's agenda by itself; the commission's secretary plans
 * a meeting, puts the proposal on it and decides with reasons and the vote; a supporter is told of the decision; the
 * plot passport shows the import, the announcement, the proposal, the agenda and the decision in that order.
 * Residents sign in with one-time codes from the dev outbox (support/api.ts). Screenshots: test-results/screenshots/land-*.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { citizenSession, pngPhoto, type Session } from './support/api.js';
import { eventually, launchBrowser, newContext, screenshot, settle, staffSignIn, watchProblems, type PageProblems } from './support/browser.js';
import { startE2EServer, type E2EServer } from './support/server.js';

const PLOT = '1-02-07-0311-0021';
const OTHER_PLOT = '1-02-07-0311-0022';
const ANNOUNCEMENT = 'Временная аренда участка у парка «Ата-Тюрк» под сезонное кафе';
const COMMENT = 'Против кафе: здесь гуляют с детьми, лучше оставить участок открытым.';
const PROPOSAL = 'Детская площадка у парка';
const REASONS = 'Во дворах рядом нет ни одной детской площадки; участок свободен и подходит по зонированию.';

let server: E2EServer;
let browser: Browser;
const contexts: BrowserContext[] = [];
let plotId = '';
let proposalId = '';
let announcementId = '';
let meetingPath = '';
let supporter: Session;

/** A square outline of about 40 × 40 m with its south-west corner at (lon, lat). */
function square(lon: number, lat: number) {
  const dLon = 40 / (111_320 * Math.cos((lat * Math.PI) / 180));
  const dLat = 40 / 110_574;
  return { type: 'Polygon', coordinates: [[[lon, lat], [lon, lat + dLat], [lon + dLon, lat + dLat], [lon + dLon, lat], [lon, lat]]] };
}

const GEOJSON = JSON.stringify({
  type: 'FeatureCollection',
  features: [
    { type: 'Feature', properties: { cadastral_number: PLOT, address: 'ул. Ахунбаева, у парка «Ата-Тюрк»', zoning: 'Р-2', permitted_use: 'благоустройство', current_use: 'пустырь' },
      geometry: square(74.6121, 42.8447) },
    { type: 'Feature', properties: { cadastral_number: OTHER_PLOT, address: 'ул. Ахунбаева, 120', current_use: 'пустырь' }, geometry: square(74.6141, 42.8447) },
    // Rejected: a status the registry does not know.
    { type: 'Feature', properties: { cadastral_number: '1-02-07-0311-0023', status: 'sold' }, geometry: square(74.6161, 42.8447) },
  ],
});

async function api<T>(who: Session | null, method: string, path: string, body?: unknown): Promise<T> {
  const res = await fetch(`${server.baseUrl}/api/v1/m/bishkek${path}`, {
    method, headers: { ...(who?.headers ?? {}), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? null : JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text}`);
  return JSON.parse(text) as T;
}

/** A resident's browser page in Russian, signed in with a one-time code from the dev outbox. */
async function residentPage(email: string): Promise<{ page: Page; problems: PageProblems; session: Session }> {
  const session = await citizenSession(server, email);
  const context = await newContext(browser, { baseUrl: server.baseUrl, lang: 'ru', sessionToken: session.token });
  contexts.push(context);
  await context.route(/^https?:\/\/[^/]*tile\.openstreetmap\.org\//, (route) => route.abort());
  const page = await context.newPage();
  return { page, problems: watchProblems(page, (url) => /tile\.openstreetmap\.org/.test(url)), session };
}

/**
 * Opens the notification feed until an item with `text` shows (the server's job delivers it). The texts looked for
 * are the residents' and staff's own words: the notice itself is in the account's language.
 */
async function waitForNotice(page: Page, text: string): Promise<void> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    await page.goto('/notifications');
    await settle(page);
    if (await page.locator('.nt-item').filter({ hasText: text }).count()) return;
    if (Date.now() > deadline) {
      const subjects = await page.locator('.nt-item').allTextContents();
      const jobs = await server.query("select dedupe_key, status, attempts, last_error from jobs where kind = 'land.notify'");
      throw new Error(`no notification about "${text}" in the feed; it has ${JSON.stringify(subjects)}; land.notify jobs: ${JSON.stringify(jobs)}`);
    }
    await page.waitForTimeout(1000);
  }
}

beforeAll(async () => {
  server = await startE2EServer();
  browser = await launchBrowser();
}, 300_000);

afterAll(async () => {
  for (const c of contexts) await c.close().catch(() => {});
  await browser?.close().catch(() => {});
  await server?.stop();
}, 60_000);

describe('a plot from import to the commission\'s decision (ru)', () => {
  let admin: Page;
  let adminProblems: PageProblems;

  it('the admin sets the support threshold to 3 and imports plots from a GeoJSON file', async () => {
    const signedIn = await staffSignIn(browser, server.baseUrl, 'admin@bishkek.example');
    contexts.push(signedIn.context);
    admin = signedIn.page;
    adminProblems = signedIn.problems;

    await admin.getByRole('navigation', { name: 'Главное меню' }).getByRole('link', { name: 'Земельные участки' }).click();
    await admin.waitForURL('**/staff/bishkek/land/plots');
    await settle(admin);
    await eventually(() => admin.getByRole('heading', { level: 1 }).textContent()).toBe('Земельные участки');

    await admin.getByRole('navigation', { name: 'Земельные участки' }).getByRole('link', { name: 'Настройки' }).click();
    await settle(admin);
    await admin.getByRole('spinbutton', { name: /^Порог поддержки/ }).fill('3');
    await admin.getByRole('spinbutton', { name: /^Срок комментариев, дней/ }).fill('14');
    await admin.getByRole('button', { name: 'Сохранить', exact: true }).click();
    await admin.getByText('Настройки сохранены.').waitFor();
    expect((await api<{ supportThreshold: number }>(null, 'GET', '/land/settings')).supportThreshold).toBe(3);

    await admin.getByRole('navigation', { name: 'Земельные участки' }).getByRole('link', { name: 'Участки' }).click();
    await settle(admin);
    await admin.getByLabel(/^Файл GeoJSON или CSV/).setInputFiles({ name: 'plots.geojson', mimeType: 'application/geo+json', buffer: Buffer.from(GEOJSON) });
    await admin.getByRole('button', { name: 'Проверить файл' }).click();
    const report = admin.locator('.ls-report');
    await report.getByRole('heading', { name: 'Результат проверки (ещё ничего не сохранено)' }).waitFor();
    expect(await report.locator('dl').textContent()).toContain('Новых участков2');
    const rejected = report.getByRole('table', { name: 'Отклонённые объекты и строки' }).getByRole('row').nth(1);
    expect(await rejected.getByRole('cell').first().textContent()).toBe('3');
    expect(await rejected.textContent()).toContain('status');
    await screenshot(admin, 'land-01-import-checked');
    // Nothing is saved by the check.
    expect((await api<{ total: number }>(null, 'GET', `/land/plots?q=${PLOT}`)).total).toBe(0);

    await admin.getByRole('button', { name: 'Импортировать 2 участка' }).click();
    await admin.getByText('Импортировано 2 участка.').waitFor();
    const row = admin.getByRole('row').filter({ hasText: PLOT });
    await row.getByRole('link', { name: PLOT, exact: true }).waitFor();
    expect(await row.textContent()).toContain('Свободен');
    await screenshot(admin, 'land-02-imported');
    const found = await api<{ items: { id: string; center: { lat: number; lon: number } }[] }>(null, 'GET', `/land/plots?q=${PLOT}`);
    plotId = found.items[0]!.id;
    expect(adminProblems.take()).toEqual([]);
  }, 90_000);

  let watcher: { page: Page; problems: PageProblems; session: Session };

  it('a resident watches the area; the admin announces a temporary lease with a 14-day comment period', async () => {
    watcher = await residentPage('watcher.land@example.org');
    const { center } = await api<{ center: { lat: number; lon: number } }>(null, 'GET', `/land/plots/${plotId}`);
    await api(watcher.session, 'POST', '/land/subscriptions', { lat: center.lat + 0.001, lon: center.lon, radiusM: 500, label: 'Дом' });

    await admin.getByRole('link', { name: PLOT, exact: true }).click();
    await settle(admin);
    await eventually(() => admin.getByRole('heading', { level: 1 }).textContent()).toBe(`Участок ${PLOT}`);
    await admin.getByRole('link', { name: 'Объявить' }).click();
    await settle(admin);
    await eventually(() => admin.getByRole('heading', { level: 1 }).textContent()).toBe(`Объявление по участку ${PLOT}`);
    await admin.getByRole('combobox', { name: /^Вид/ }).selectOption({ label: 'Временная аренда' });
    await admin.getByRole('group', { name: 'Заголовок (хотя бы на одном языке)' }).getByRole('textbox', { name: 'На русском' }).fill(ANNOUNCEMENT);
    await admin.getByRole('group', { name: 'Описание' }).getByRole('textbox', { name: 'На русском' })
      .fill('Предприниматель просит участок во временную аренду на летний сезон под сезонное кафе.');
    await admin.getByRole('textbox', { name: /^Предполагаемое использование/ }).fill('сезонное кафе');
    await admin.getByLabel(/^Аренда до/).fill('2027-09-30');
    const days = admin.getByRole('spinbutton', { name: /^Дней на комментарии/ });
    expect(await days.inputValue()).toBe('14');
    // The closing is shown as computed: 00:00 after the 14th day from today — today in Bishkek, which is already
    // tomorrow in UTC from 18:00 (the test machine's clock may be in any zone).
    const [y, m, d] = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Bishkek' }).format(new Date()).split('-').map(Number);
    const lastDay = new Date(Date.UTC(y!, m! - 1, d! + 14));
    const lastDayRu = new Intl.DateTimeFormat('ru', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' }).format(lastDay);
    await eventually(() => admin.locator('.ls-closing').textContent()).toContain(`последний день для комментариев — ${lastDayRu}`);
    await screenshot(admin, 'land-03-announce');
    await admin.getByRole('button', { name: 'Опубликовать' }).click();
    await admin.waitForURL(`**/staff/bishkek/land/plots/${plotId}`);
    await settle(admin);
    await admin.getByText('Объявление опубликовано; жителям, следящим за районом, отправляются уведомления.').waitFor();
    const announcements = admin.getByRole('region', { name: 'Объявления' });
    await announcements.getByRole('link', { name: ANNOUNCEMENT }).waitFor();
    expect(await announcements.textContent()).toContain('Открыто для комментариев');
    await screenshot(admin, 'land-04-announced');
    expect(adminProblems.take()).toEqual([]);
  }, 90_000);

  it('the watching resident is notified and comments on the announcement', async () => {
    const { page, problems } = watcher;
    await waitForNotice(page, ANNOUNCEMENT);
    await screenshot(page, 'land-05-notified');
    await page.locator('.nt-item').filter({ hasText: ANNOUNCEMENT }).locator('.nt-subject').getByRole('link').click();
    await page.waitForURL('**/bishkek/land/announcements/**');
    await settle(page);
    announcementId = /announcements\/([0-9a-f-]{36})/.exec(page.url())![1]!;
    await eventually(() => page.getByRole('heading', { level: 1 }).textContent()).toBe(ANNOUNCEMENT);
    await page.getByRole('textbox', { name: /^Ваш комментарий/ }).fill(COMMENT);
    // The account has no name yet: the resident gives the public one.
    await page.getByRole('textbox', { name: /^Ваше публичное имя/ }).fill('Бакыт А.');
    await page.getByRole('button', { name: 'Отправить комментарий' }).click();
    const comment = page.getByRole('article', { name: 'Комментарий: Бакыт А.' });
    await eventually(() => comment.textContent()).toContain(COMMENT);
    await screenshot(page, 'land-06-commented');
    expect(problems.take()).toEqual([]);
  }, 90_000);

  it('another resident proposes a playground on the plot; three residents support it and it goes onto the agenda', async () => {
    const author = await residentPage('author.land@example.org');
    await author.page.goto(`/bishkek/land/proposals/new?plotId=${plotId}`);
    await settle(author.page);
    await author.page.getByRole('combobox', { name: /^Предлагаемое использование/ }).selectOption({ label: 'Детская площадка' });
    await author.page.getByRole('textbox', { name: /^Заголовок/ }).fill(PROPOSAL);
    await author.page.getByRole('textbox', { name: /^Описание/ }).fill('Поставить качели, горку и песочницу, огородить площадку от дороги.');
    await author.page.getByRole('textbox', { name: /^Кому польза/ }).fill('Детям соседних дворов');
    await author.page.getByRole('textbox', { name: /^Ваше публичное имя/ }).fill('Айпери С.');
    await author.page.getByRole('button', { name: 'Отправить предложение' }).click();
    await author.page.waitForURL(/\/bishkek\/land\/proposals\/[0-9a-f-]{36}$/);
    await settle(author.page);
    proposalId = /proposals\/([0-9a-f-]{36})$/.exec(author.page.url())![1]!;
    await screenshot(author.page, 'land-07-proposed');
    expect(author.problems.take()).toEqual([]);

    for (const [n, email] of ['one.support@example.org', 'two.support@example.org', 'three.support@example.org'].entries()) {
      const r = await residentPage(email);
      if (n === 0) supporter = r.session;
      await r.page.goto(`/bishkek/land/proposals/${proposalId}`);
      await settle(r.page);
      await r.page.getByRole('button', { name: 'Поддержать предложение' }).click();
      await r.page.getByText('Вы поддерживаете это предложение').waitFor();
      if (n === 2) await screenshot(r.page, 'land-08-third-support');
      expect(r.problems.take()).toEqual([]);
    }
    const proposal = await api<{ status: string; supportCount: number; agenda: unknown[] }>(null, 'GET', `/land/proposals/${proposalId}`);
    expect(proposal).toMatchObject({ status: 'on_agenda', supportCount: 3 });
    expect(proposal.agenda).toHaveLength(1);
  }, 120_000);

  it('the commission secretary plans a meeting, puts the proposal on it and decides with reasons', async () => {
    const { context, page, problems } = await staffSignIn(browser, server.baseUrl, 'commission@bishkek.example');
    contexts.push(context);
    await page.getByRole('navigation', { name: 'Главное меню' }).getByRole('link', { name: 'Земельные участки' }).click();
    await settle(page);
    await page.getByRole('navigation', { name: 'Земельные участки' }).getByRole('link', { name: 'Комиссия' }).click();
    await settle(page);
    const waiting = page.getByRole('region', { name: 'Ожидают заседания' });
    await eventually(() => waiting.textContent()).toContain(PROPOSAL);
    expect(await waiting.textContent()).toContain('набран порог поддержки');

    const newMeeting = page.getByRole('region', { name: 'Запланировать заседание' });
    await newMeeting.getByRole('textbox', { name: /^Название/ }).fill('Заседание земельной комиссии № 12');
    const at = new Date(Date.now() + 2 * 86_400_000);
    const local = `${at.getFullYear()}-${String(at.getMonth() + 1).padStart(2, '0')}-${String(at.getDate()).padStart(2, '0')}T10:00`;
    await newMeeting.getByLabel(/^Дата и время/).fill(local);
    await newMeeting.getByRole('textbox', { name: /^Место/ }).fill('Мэрия, зал заседаний 305');
    await newMeeting.getByRole('button', { name: 'Запланировать' }).click();
    await page.waitForURL('**/staff/bishkek/land/commission/meetings/**');
    await settle(page);
    await eventually(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Заседание земельной комиссии № 12');
    meetingPath = new URL(page.url()).pathname;

    await page.getByRole('region', { name: 'Ожидающие вопросы' }).getByRole('button', { name: `Включить в повестку: ${PROPOSAL}` }).click();
    await page.getByText('Вопрос включён в повестку.').waitFor();
    const agenda = page.getByRole('region', { name: 'Повестка' });
    await eventually(() => agenda.textContent()).toContain(PROPOSAL);
    await screenshot(page, 'land-09-on-agenda');

    // Reasons are required: an empty form changes nothing.
    const form = agenda.getByRole('form', { name: 'Решение' });
    await form.getByRole('button', { name: 'Записать решение' }).click();
    await form.getByText('Укажите обоснование (не короче 10 символов).').waitFor();
    await form.getByRole('radio', { name: 'Одобрено' }).check();
    await form.getByRole('textbox', { name: /^Обоснование/ }).fill(REASONS);
    await form.getByRole('spinbutton', { name: 'За', exact: true }).fill('5');
    await form.getByRole('spinbutton', { name: 'Против', exact: true }).fill('1');
    await form.getByRole('spinbutton', { name: 'Воздержались', exact: true }).fill('1');
    await form.getByRole('button', { name: 'Записать решение' }).click();
    await page.getByText('Решение записано и опубликовано.').waitFor();
    await eventually(() => agenda.textContent()).toContain('За: 5, против: 1, воздержались: 1');
    expect(await agenda.textContent()).toContain(REASONS);
    await screenshot(page, 'land-10-decided');
    expect(problems.take()).toEqual([]);
  }, 90_000);

  it('a supporter is told of the decision', async () => {
    const context = await newContext(browser, { baseUrl: server.baseUrl, lang: 'ru', sessionToken: supporter.token });
    contexts.push(context);
    const page = await context.newPage();
    const problems = watchProblems(page);
    // The decision's notice carries its reasons; the supporter also heard that the proposal went onto the agenda.
    await waitForNotice(page, REASONS);
    expect(await page.locator('.nt-item').filter({ hasText: REASONS }).textContent()).toContain(PROPOSAL);
    expect(await page.locator('.nt-item').count()).toBe(2);
    await screenshot(page, 'land-11-supporter-notified');
    expect(problems.take()).toEqual([]);
  }, 60_000);

  it('the plot passport shows it all in order', async () => {
    const context = await newContext(browser, { baseUrl: server.baseUrl, lang: 'ru' });
    contexts.push(context);
    await context.route(/^https?:\/\/[^/]*tile\.openstreetmap\.org\//, (route) => route.abort());
    const page = await context.newPage();
    await page.goto(`/bishkek/land/plots/${plotId}`);
    await settle(page);
    await eventually(() => page.getByRole('heading', { level: 1 }).textContent()).toContain(PLOT);
    const lines = await page.getByRole('region', { name: 'История' }).getByRole('listitem').allTextContents();
    const at = (text: string) => lines.findIndex((l) => l.includes(text));
    const order = [
      at('Внесён в реестр'), at(`Опубликовано объявление: ${ANNOUNCEMENT}`), at(`Житель предложил: ${PROPOSAL}`),
      at(`Внесено в повестку комиссии: ${PROPOSAL}`), at('Решение комиссии:'),
    ];
    expect(order.every((i) => i >= 0), `history lines:\n${lines.join('\n')}`).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(lines[order[4]!]).toContain(REASONS);
    await screenshot(page, 'land-12-passport');
  }, 60_000);

  it('the moderator hides a reported comment with a public reason and restores it', async () => {
    const { items } = await api<{ items: { id: string; body: string | null }[] }>(null, 'GET', `/land/announcements/${announcementId}/comments`);
    const commentId = items.find((c) => c.body === COMMENT)!.id;
    await api(supporter, 'POST', `/land/comments/${commentId}/reports`, { reason: 'Не по теме объявления' });

    const { context, page, problems } = await staffSignIn(browser, server.baseUrl, 'moderator@bishkek.example');
    contexts.push(context);
    await page.getByRole('navigation', { name: 'Главное меню' }).getByRole('link', { name: 'Земельные участки' }).click();
    await page.waitForURL('**/staff/bishkek/land/moderation');
    await settle(page);
    const card = page.locator('.ls-report-card').filter({ hasText: COMMENT });
    expect(await card.textContent()).toContain('1 жалоба');
    expect(await card.textContent()).toContain('Не по теме объявления');
    await card.getByRole('button', { name: 'Скрыть' }).click();
    await card.getByRole('textbox', { name: /^Публичная причина/ }).fill('Не относится к объявлению');
    await card.getByRole('button', { name: 'Скрыть комментарий' }).click();
    await page.getByText('Комментарий скрыт.').waitFor();
    const hidden = await api<{ items: { id: string; hidden: boolean; hiddenReason: string | null; body: string | null }[] }>(null, 'GET', `/land/announcements/${announcementId}/comments`);
    expect(hidden.items.find((c) => c.id === commentId)).toMatchObject({ hidden: true, hiddenReason: 'Не относится к объявлению', body: null });

    await page.getByRole('combobox', { name: 'Показать' }).selectOption({ label: 'Рассмотренные жалобы' });
    await settle(page);
    await screenshot(page, 'land-13-moderation-resolved');
    await page.locator('.ls-report-card').filter({ hasText: COMMENT }).getByRole('button', { name: 'Вернуть' }).click();
    await page.getByText('Комментарий снова виден.').waitFor();
    const restored = await api<{ items: { id: string; hidden: boolean }[] }>(null, 'GET', `/land/announcements/${announcementId}/comments`);
    expect(restored.items.find((c) => c.id === commentId)?.hidden).toBe(false);
    expect(problems.take()).toEqual([]);
  }, 60_000);

  it('the admin adds a document, publishes the minutes, runs a hearing and withdraws the announcement', async () => {
    await admin.goto(`/staff/bishkek/land/plots/${plotId}`);
    await settle(admin);
    const documents = admin.getByRole('region', { name: 'Документы' });
    await documents.getByRole('textbox', { name: /^Название документа/ }).fill('Схема участка');
    await documents.getByLabel(/^Файл/).setInputFiles({ name: 'skhema.png', mimeType: 'image/png', buffer: pngPhoto(120, 90) });
    await documents.getByRole('button', { name: 'Загрузить документ' }).click();
    await documents.getByRole('link', { name: 'Схема участка' }).waitFor();

    await admin.goto(meetingPath);
    await settle(admin);
    await admin.getByRole('textbox', { name: /^Текст протокола/ }).fill('Присутствовали 7 членов комиссии. Рассмотрено предложение жителей о детской площадке: одобрено.');
    await admin.getByRole('button', { name: 'Опубликовать протокол' }).click();
    await admin.getByText('Протокол опубликован.').waitFor();
    const meetingId = meetingPath.split('/').at(-1)!;
    expect((await api<{ minutes: string | null }>(null, 'GET', `/land/meetings/${meetingId}`)).minutes).toContain('Присутствовали 7 членов комиссии');

    await admin.goto('/staff/bishkek/land/hearings');
    await settle(admin);
    const plan = admin.getByRole('region', { name: 'Запланировать слушания' });
    await plan.getByRole('combobox', { name: /^Участок/ }).selectOption({ value: plotId });
    await plan.getByRole('combobox', { name: /^Объявление/ }).selectOption({ label: ANNOUNCEMENT });
    await plan.getByRole('textbox', { name: /^Название/ }).fill('Слушания о временной аренде у парка');
    const soon = new Date(Date.now() + 86_400_000);
    await plan.getByLabel(/^Дата и время/).fill(`${soon.getFullYear()}-${String(soon.getMonth() + 1).padStart(2, '0')}-${String(soon.getDate()).padStart(2, '0')}T18:00`);
    await plan.getByRole('textbox', { name: /^Место/ }).fill('Дом культуры, малый зал');
    await plan.getByRole('spinbutton', { name: /^Мест/ }).fill('30');
    await plan.getByRole('button', { name: 'Запланировать' }).click();
    await admin.waitForURL('**/staff/bishkek/land/hearings/**');
    await settle(admin);
    const hearingId = /hearings\/([0-9a-f-]{36})/.exec(admin.url())![1]!;
    await api(watcher.session, 'POST', `/land/hearings/${hearingId}/registration`);
    await admin.reload();
    await settle(admin);
    const people = admin.getByRole('region', { name: 'Записавшиеся жители' });
    await people.getByRole('row').nth(1).waitFor();
    await people.getByRole('button', { name: /^Отметить присутствие/ }).click();
    await admin.getByText('Присутствие отмечено.').waitFor();
    await eventually(() => people.getByRole('row').nth(1).textContent()).toContain('Присутствовал');
    await admin.getByRole('textbox', { name: /^Итоги: прозвучавшие позиции/ }).fill('Жители против кафе, предприниматель готов сократить площадь веранды.');
    await admin.getByRole('button', { name: 'Отметить как проведённые' }).click();
    await admin.getByText('Слушания отмечены как проведённые.').waitFor();
    // Once held, the summary can still be corrected.
    await admin.getByRole('button', { name: 'Сохранить итоги' }).waitFor();
    expect(await api<{ status: string; attendedCount: number | null }>(null, 'GET', `/land/hearings/${hearingId}`)).toMatchObject({ status: 'held', attendedCount: 1 });
    await screenshot(admin, 'land-14-hearing-held');

    await admin.goto(`/staff/bishkek/land/plots/${plotId}`);
    await settle(admin);
    const announcements = admin.getByRole('region', { name: 'Объявления' });
    await announcements.getByRole('button', { name: 'Отозвать' }).click();
    await announcements.getByRole('textbox', { name: /^Причина отзыва/ }).fill('Предприниматель отказался от аренды');
    await announcements.getByRole('button', { name: 'Отозвать объявление' }).click();
    await eventually(() => announcements.textContent()).toContain('Отозвано');
    expect(adminProblems.take()).toEqual([]);
  }, 90_000);
});
