/**
 * Issue 4's acceptance scenario, in Russian, through the real browser: the resident's verdict on an answer.
 *
 * A resident's complaint about a pothole in Bishkek, assigned to the roads executor (set up over HTTP), is answered
 * in the staff appeal page (the composer warns that the result photo is missing: "Send anyway"). The resident signs
 * in with a one-time code, is told of the answer in the app, rates it 2 of 5, "not solved", and asks for a review.
 * Three days later (the server is restarted with its clock moved on: the same database, a later CLOCK_START) the
 * supervisor reopens the appeal from the review queue; the resident sees the new due date — 14 working days from the
 * reopening day on the city's calendar, counted here independently. The executor answers again, with a photo; the
 * resident rates the new answer 5 of 5, "solved". The public scorecards (the city's ranking and the roads service's
 * page) and the staff scorecards (the executor's row) show both verdicts once the roll-up job has run.
 *
 * The server's clock starts on Monday 20 April 2026 and moves to Thursday 23 April: the May holidays fall inside
 * both terms, and everything happens in one month, so the month's roll-up holds all of it.
 * Screenshots: test-results/screenshots/verdict-*.png.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { act, categoryByCode, citizenSession, directory, fileAppeal, pngPhoto, staffSession, type Registered, type Session } from './support/api.js';
import { anonymousMe, describeViolations, eventually, launchBrowser, newContext, screenshot, seriousViolations, settle, watchProblems, type PageProblems, staffSignIn as signInStaff } from './support/browser.js';
import { addWorkingDays, localDayOf, ruDate, startClockedServer, workingDayTest, type ClockedServer } from './support/verdict.js';

/** Monday 20 April 2026, 10:00 in Bishkek: the appeal is filed and first answered. */
const DAY_A = '2026-04-20T10:00:00+06:00';
/** Thursday 23 April 2026, 10:00: the supervisor reopens it and it is answered again. */
const DAY_B = '2026-04-23T10:00:00+06:00';
const ANSWER_DAYS = 14;

const RESIDENT = 'aidai.verdict@example.org';
const SUBJECT = 'Яма на улице Токтогула у школы № 5';
const BODY = 'На улице Токтогула напротив школы № 5 большая яма на проезжей части, дети обходят её по дороге. Прошу заделать.';
const ROADS = 'МП по дорожно-транспортной инфраструктуре';
const EXECUTOR_NAME = 'Бакыт Мамытов';
const ANSWER_1 = 'Ваше обращение рассмотрено. Ремонт покрытия на улице Токтогула включён в план ямочного ремонта на текущий сезон, сроки будут определены позже.';
const ANSWER_2 = 'Яма на улице Токтогула напротив школы № 5 заделана горячим асфальтом бригадой № 3 двадцать третьего апреля. Фотография результата приложена. Если покрытие снова разрушится, сообщите нам.';
const RATING_COMMENT = 'Яму так и не заделали, сроков нет.';
const REVIEW_REASON = 'Ответ ничего не решает: яма на месте, дети ходят по дороге.';
const REOPEN_REASON = 'Ответ не содержит сроков ремонта; служба должна заделать яму и сообщить результат.';

let server: ClockedServer;
let browser: Browser;
const contexts: BrowserContext[] = [];
let resident: Page;
let residentProblems: PageProblems;
let appeal: Registered;
let admin: Session;

/** Signs a staff member in (Russian); the context is closed with the others at the end. */
async function staffSignIn(email: string) {
  const signedIn = await signInStaff(browser, server.baseUrl, email);
  contexts.push(signedIn.context);
  return signedIn;
}

/**
 * An accessible name made of visible text and a visually hidden part ("Открыть повторно" + ": BSK-…"): Chromium
 * computes "Открыть повторно : BSK-…", a space before the colon (the hidden part is positioned, so not inline).
 */
const joined = (visible: string, hidden: string) => new RegExp(`^${escapeRe(visible)} ?${escapeRe(hidden)}$`);
const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** No WCAG 2.1 A/AA violation of impact serious or critical in the page as it is now. */
async function expectAccessible(page: Page, where: string) {
  const violations = await seriousViolations(page);
  expect(violations.length, `${where}:\n${describeViolations(violations)}`).toBe(0);
}

/** Text with every run of white space (non-breaking spaces too) as one space. */
const squash = (s: string | null) => (s ?? '').replace(/\s+/g, ' ').trim();

/** The definition next to the term `term` in a <dl>. */
const definition = (scope: Locator, term: string) => scope.locator(`xpath=.//dt[normalize-space(.)="${term}"]/following-sibling::dd[1]`);

/** A figure tile of a scorecard: its value and the note under it ("2 оценки"). */
async function tile(scope: Locator, term: string): Promise<string[]> {
  const dd = definition(scope, term);
  return [squash(await dd.locator('.sc-tile-value').textContent()), squash(await dd.locator('.sc-tile-note').textContent().catch(() => ''))];
}

/** A table's row as { column heading: cell text }, the row chosen by its row heading (th scope=row). */
async function rowByHeading(table: Locator, rowHeading: string): Promise<Record<string, string>> {
  const heads = (await table.locator('thead th').allTextContents()).map(squash);
  const row = table.locator('tbody tr').filter({ has: table.page().getByRole('rowheader', { name: rowHeading, exact: true }) });
  if (await row.count() !== 1) return {};
  const cells = (await row.locator('th, td').allTextContents()).map(squash);
  return Object.fromEntries(heads.map((h, i) => [h, cells[i] ?? '']));
}

/** The executor answers on the staff appeal page; `photo` attaches a photo of the result. Returns the warnings shown. */
async function answerAppeal(page: Page, text: string, shot: string, photo?: Buffer): Promise<string[]> {
  const actions = page.getByRole('region', { name: 'Действия' });
  await actions.getByRole('button', { name: 'Ответить', exact: true }).click();
  const form = page.locator('#action-form');
  await form.getByRole('textbox', { name: /^Ответ/ }).fill(text);
  if (photo) await form.getByLabel('Приложить файлы к ответу (необязательно)').setInputFiles({ name: 'result.png', mimeType: 'image/png', buffer: photo });
  await form.getByRole('button', { name: 'Отправить ответ' }).click();
  const warnings = form.getByRole('group', { name: 'Проверьте ответ перед отправкой' });
  const done = page.getByText('Выполнено: Ответить.');
  await warnings.or(done).waitFor();
  let shown: string[] = [];
  if (await warnings.isVisible()) {
    shown = (await warnings.getByRole('listitem').allTextContents()).map(squash);
    await screenshot(page, `${shot}-warning`);
    await warnings.getByRole('button', { name: 'Всё равно отправить' }).click();
  }
  await done.waitFor();
  await eventually(() => page.locator('.appeal-status-line').textContent()).toContain('Дан ответ');
  expect(await page.getByRole('region', { name: 'Ответы' }).textContent()).toContain(text);
  await screenshot(page, `${shot}-answered`);
  return shown;
}

/** Fills every group of an answer's rating form (the caller sends it). */
async function rate(article: Locator, r: { overall: string; solved: string; clarity: string; accuracy: string; onTime: string; comment?: string }) {
  const choose = (group: string, value: string) => article.getByRole('group', { name: group, exact: true }).getByRole('radio', { name: value, exact: true }).check();
  await choose('Общая оценка', r.overall);
  await choose('Проблема решена?', r.solved);
  await choose('Насколько понятен ответ?', r.clarity);
  await choose('Насколько точен и полон ответ?', r.accuracy);
  await choose('Ответ пришёл вовремя?', r.onTime);
  if (r.comment) await article.getByRole('textbox', { name: 'Комментарий (необязательно)' }).fill(r.comment);
}

beforeAll(async () => {
  server = await startClockedServer(DAY_A);
  browser = await launchBrowser();

  // The scene, over HTTP: the resident's complaint, routed to the roads service and assigned to its executor.
  const dir = await directory(server);
  const citizen = await citizenSession(server, RESIDENT);
  appeal = await fileAppeal(server, citizen, {
    kind: 'complaint', categoryId: categoryByCode(dir, 'roads.pothole'), language: 'ru', subject: SUBJECT, body: BODY,
    applicant: { fullName: 'Асанова Айдай Маратовна' },
    location: { address: 'улица Токтогула, 98, напротив школы № 5', districtId: dir.districts[0]!.id },
  });
  const executor = await staffSession(server, 'executor.roads');
  const me = await (await fetch(`${server.baseUrl}/api/v1/auth/me`, { headers: executor.headers })).json() as { id: string };
  await act(server, executor, appeal.id, 'assign', { executorId: me.id });
  admin = await staffSession(server, 'admin');
}, 300_000);

afterAll(async () => {
  for (const c of contexts) await c.close().catch(() => {});
  await browser?.close().catch(() => {});
  await server?.stop();
}, 60_000);

describe('the resident rates an answer, asks for a review, and the scorecards count it (ru)', () => {
  it('the registration gave a due date of 14 working days on the city calendar', async () => {
    const isWorking = await workingDayTest(server, admin, [2026]);
    expect(appeal.registrationNumber).toMatch(/^BSK-2026-\d{6}$/);
    // Monday 20 April: the May holidays (1, 4–8 May) are skipped.
    expect(appeal.dueDate).toBe(addWorkingDays(isWorking, localDayOf(DAY_A), ANSWER_DAYS));
  });

  it('the roads executor answers in the appeal page; the composer warns that the result photo is missing', async () => {
    const { page, problems, context } = await staffSignIn('executor.roads@bishkek.example');
    const row = page.getByRole('row').filter({ hasText: appeal.registrationNumber });
    await row.getByRole('link', { name: appeal.registrationNumber }).click();
    await settle(page);
    await eventually(() => page.getByRole('heading', { level: 1 }).textContent()).toContain(appeal.registrationNumber);
    expect(squash(await page.locator('.appeal-status-line').textContent())).toContain('Назначено');
    await screenshot(page, 'verdict-01-executor-appeal');

    const warnings = await answerAppeal(page, ANSWER_1, 'verdict-02-first-answer');
    // The answer is long enough: the only warning is the photo a pothole's answer needs.
    expect(warnings).toEqual(['Для этой категории нужна фотография результата, но она не приложена.']);
    expect(problems.take()).toEqual([]);
    await context.close();
  }, 90_000);

  it('the resident signs in with a one-time code and is told in the app that the answer has arrived', async () => {
    const context = await newContext(browser, { baseUrl: server.baseUrl, lang: 'ru' });
    contexts.push(context);
    resident = await context.newPage();
    residentProblems = watchProblems(resident, anonymousMe);
    await resident.goto('/signin');
    await settle(resident);
    await eventually(() => resident.getByRole('heading', { level: 1 }).textContent()).toBe('Вход');
    const mark = await server.outboxMark();
    await resident.getByLabel(/^Электронная почта или номер телефона/).fill(RESIDENT);
    await resident.getByRole('button', { name: 'Получить код' }).click();
    await resident.getByText(`Мы отправили код из 6 цифр на ${RESIDENT}.`).waitFor();
    await resident.getByLabel(/^Код/).fill(await server.codeFor(RESIDENT, mark));
    await resident.getByRole('button', { name: 'Войти' }).click();
    await resident.waitForURL('**/bishkek/my');
    await settle(resident);

    // The header's bell counts the unread notifications: "registered" and "answered".
    const menu = resident.getByRole('navigation', { name: 'Главное меню' });
    const bell = menu.getByRole('link', { name: /^Уведомления \(\d+ непрочитанн/ });
    await bell.waitFor();
    const unread = Number(/\((\d+) непрочитанн/.exec(squash(await bell.textContent()))![1]);
    expect(unread).toBeGreaterThanOrEqual(2);
    await screenshot(resident, 'verdict-03-resident-bell');
    await bell.click();
    await settle(resident);
    await eventually(() => resident.getByRole('heading', { level: 1 }).textContent()).toBe('Уведомления');
    const feed = resident.getByRole('region', { name: 'Сообщения о ваших обращениях' });
    const answered = feed.getByRole('article', { name: joined('Новое', `: Дан ответ на обращение № ${appeal.registrationNumber}`) });
    await answered.waitFor();
    expect(squash(await answered.textContent())).toContain(`На ваше обращение № ${appeal.registrationNumber} дан ответ. Прочитать его можно в разделе «Мои обращения» → «Ответ».`);
    expect(await feed.getByRole('article', { name: joined('Новое', `: Обращение № ${appeal.registrationNumber} зарегистрировано`) }).count()).toBe(1);
    expect(squash(await feed.getByRole('status').first().textContent())).toContain(`${unread} непрочитанн`);
    await screenshot(resident, 'verdict-04-resident-notifications');
    expect(residentProblems.take()).toEqual([]);
  }, 60_000);

  it('rates the answer 2 of 5, not solved, and asks for a review', async () => {
    await resident.getByRole('navigation', { name: 'Главное меню' }).getByRole('link', { name: 'Мои обращения' }).click();
    await settle(resident);
    const item = resident.getByRole('listitem').filter({ hasText: appeal.registrationNumber });
    await eventually(() => item.textContent()).toContain('Дан ответ');
    await item.getByRole('link', { name: SUBJECT }).click();
    await settle(resident);
    await eventually(() => resident.getByRole('heading', { level: 1 }).textContent()).toContain(`Обращение № ${appeal.registrationNumber}`);

    const summary = resident.getByRole('region', { name: 'Об обращении' });
    expect(squash(await definition(summary, 'Срок').textContent())).toBe(ruDate(appeal.dueDate));
    const response = resident.getByRole('region', { name: 'Ответ', exact: true });
    const answer = response.getByRole('article', { name: /^Ответ от / });
    await eventually(() => answer.textContent()).toContain(ANSWER_1);
    expect(await response.getByRole('article').count()).toBe(1);

    await rate(answer, { overall: '2', solved: 'Нет', clarity: '3', accuracy: '2', onTime: 'Да', comment: RATING_COMMENT });
    await screenshot(resident, 'verdict-05-rating-filled');
    await expectAccessible(resident, 'the rating form, filled');
    await answer.getByRole('button', { name: 'Отправить оценку' }).click();
    await answer.getByText('Спасибо! Ваша оценка сохранена.').waitFor();
    const rating = answer.getByRole('region', { name: 'Ваша оценка ответа' });
    expect(squash(await definition(rating, 'Общая оценка').textContent())).toBe('2 из 5');
    expect(squash(await definition(rating, 'Проблема решена?').textContent())).toBe('Нет');
    expect(squash(await definition(rating, 'Насколько понятен ответ?').textContent())).toBe('3 из 5');
    expect(squash(await definition(rating, 'Ответ пришёл вовремя?').textContent())).toBe('Да');
    expect(squash(await definition(rating, 'Комментарий').textContent())).toBe(RATING_COMMENT);

    // A low rating offers a review.
    await answer.getByRole('button', { name: 'Запросить пересмотр' }).click();
    await answer.getByRole('textbox', { name: 'Почему вы просите пересмотреть ответ? (необязательно)' }).fill(REVIEW_REASON);
    await screenshot(resident, 'verdict-06-review-request');
    await expectAccessible(resident, 'the rating summary with the review request form');
    await answer.getByRole('button', { name: 'Отправить запрос' }).click();
    await answer.getByText('Запрос на пересмотр отправлен. Вам сообщат о решении.').waitFor();
    const review = answer.getByRole('region', { name: 'Пересмотр ответа' });
    expect(squash(await review.textContent())).toContain(`Ваша причина: ${REVIEW_REASON}`);
    expect(squash(await review.textContent())).toContain('Руководитель рассмотрит ваш запрос.');
    expect(await answer.getByRole('button', { name: 'Запросить пересмотр' }).count()).toBe(0);
    await screenshot(resident, 'verdict-07-review-sent');
    expect(residentProblems.take()).toEqual([]);
  }, 60_000);

  it('three days later the supervisor reopens the appeal from the review queue', async () => {
    // Nobody's page is open while the server restarts with its clock on Thursday.
    await resident.goto('about:blank');
    await server.restartAt(DAY_B);

    const { page, problems, context } = await staffSignIn('supervisor@bishkek.example');
    await page.getByRole('navigation', { name: 'Главное меню' }).getByRole('link', { name: 'Пересмотр' }).click();
    await page.waitForURL('**/staff/bishkek/reviews');
    await settle(page);
    await eventually(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Запросы на пересмотр');
    const card = page.getByRole('listitem').filter({ hasText: appeal.registrationNumber });
    await card.waitFor();
    const cardText = squash(await card.textContent());
    expect(cardText).toContain(REVIEW_REASON);
    expect(cardText).toContain(ROADS);
    expect(cardText).toContain(RATING_COMMENT);
    await screenshot(page, 'verdict-08-review-queue');

    await card.getByRole('button', { name: joined('Открыть повторно', `: ${appeal.registrationNumber}`) }).click();
    await card.getByRole('textbox', { name: /^Причина/ }).fill(REOPEN_REASON);
    await screenshot(page, 'verdict-09-reopen-reason');
    await expectAccessible(page, 'the review queue with the reopen form');
    await card.getByRole('button', { name: 'Открыть обращение повторно' }).click();
    await page.getByText(`${appeal.registrationNumber} открыто повторно с новым сроком.`).waitFor();
    await eventually(() => page.getByRole('listitem').filter({ hasText: appeal.registrationNumber }).count()).toBe(0);

    await page.getByRole('navigation', { name: 'Запросы по статусу' }).getByRole('link', { name: 'Открыты повторно' }).click();
    await settle(page);
    const decided = page.getByRole('listitem').filter({ hasText: appeal.registrationNumber });
    await decided.waitFor();
    expect(squash(await decided.textContent())).toContain(REOPEN_REASON);
    expect(squash(await decided.textContent())).toContain('Обращение открыто повторно, Гүлнара Жумабаева');
    await screenshot(page, 'verdict-10-reopened-tab');
    expect(problems.take()).toEqual([]);
    await context.close();
  }, 120_000);

  it('the resident sees the appeal reopened with a new due date, 14 working days from the reopening', async () => {
    const isWorking = await workingDayTest(server, admin, [2026]);
    const newDue = addWorkingDays(isWorking, localDayOf(DAY_B), ANSWER_DAYS);
    expect(newDue > appeal.dueDate).toBe(true);

    await resident.goto(`/bishkek/my/${appeal.id}`);
    await settle(resident);
    const summary = resident.getByRole('region', { name: 'Об обращении' });
    await eventually(() => definition(summary, 'Статус').textContent()).toBe('Открыто повторно');
    expect(squash(await definition(summary, 'Срок').textContent())).toBe(ruDate(newDue));
    const answer = resident.getByRole('region', { name: 'Ответ', exact: true }).getByRole('article', { name: /^Ответ от / });
    const review = answer.getByRole('region', { name: 'Пересмотр ответа' });
    expect(squash(await review.textContent())).toMatch(/Решение от 23 апреля 2026 г\.[^:]*\d\d:\d\d: обращение открыто повторно с новым сроком ответа\./);
    expect(squash(await review.textContent())).toContain(`Причина: ${REOPEN_REASON}`);
    const timeline = resident.getByRole('region', { name: 'Ход рассмотрения' });
    expect(squash(await timeline.textContent())).toContain(`Открыто повторно`);
    expect(squash(await timeline.textContent())).toContain(`Новый срок ответа: ${ruDate(newDue)}`);
    await screenshot(resident, 'verdict-11-resident-reopened');

    // …and the app told them so.
    await resident.getByRole('navigation', { name: 'Главное меню' }).getByRole('link', { name: /^Уведомления/ }).click();
    await settle(resident);
    const told = resident.getByRole('article', { name: joined('Новое', `: Обращение № ${appeal.registrationNumber} открыто повторно по вашей просьбе`) });
    await told.waitFor();
    // Notifications write dates as 21.05.2026.
    expect(squash(await told.textContent())).toContain(`Новый срок ответа: ${newDue.split('-').reverse().join('.')}. Пояснение: ${REOPEN_REASON}`);
    await screenshot(resident, 'verdict-12-resident-notified-reopened');
    expect(residentProblems.take()).toEqual([]);
  }, 60_000);

  it('the executor answers again, with a photo of the result, and the resident rates it 5 of 5, solved', async () => {
    const { page, problems, context } = await staffSignIn('executor.roads@bishkek.example');
    await page.goto(`/staff/bishkek/appeals/${appeal.id}`);
    await settle(page);
    expect(squash(await page.locator('.appeal-status-line').textContent())).toContain('Открыто повторно');
    // With the photo attached and a full text the composer has nothing to warn about.
    const warnings = await answerAppeal(page, ANSWER_2, 'verdict-13-second-answer', pngPhoto(320, 240));
    expect(warnings).toEqual([]);
    expect(problems.take()).toEqual([]);
    await context.close();

    await resident.goto(`/bishkek/my/${appeal.id}`);
    await settle(resident);
    const response = resident.getByRole('region', { name: 'Ответ', exact: true });
    const second = response.getByRole('article', { name: /^Ответ 2 от 23 апреля 2026/ });
    await eventually(() => second.textContent()).toContain(ANSWER_2);
    expect(await second.getByRole('link', { name: /\.(png|jpe?g)$/ }).count()).toBe(1);
    const first = response.getByRole('article', { name: /^Ответ 1 от 20 апреля 2026/ });
    expect(squash(await definition(first.getByRole('region', { name: 'Ваша оценка ответа' }), 'Общая оценка').textContent())).toBe('2 из 5');

    await rate(second, { overall: '5', solved: 'Да', clarity: '5', accuracy: '5', onTime: 'Да' });
    await second.getByRole('button', { name: 'Отправить оценку' }).click();
    await second.getByText('Спасибо! Ваша оценка сохранена.').waitFor();
    const rating = second.getByRole('region', { name: 'Ваша оценка ответа' });
    expect(squash(await definition(rating, 'Общая оценка').textContent())).toBe('5 из 5');
    expect(squash(await definition(rating, 'Проблема решена?').textContent())).toBe('Да');
    // A good verdict offers no review.
    expect(await second.getByRole('button', { name: 'Запросить пересмотр' }).count()).toBe(0);
    await screenshot(resident, 'verdict-14-second-rating');
    await expectAccessible(resident, 'the appeal with two rated answers');

    // The second answer was announced in the app too.
    await resident.getByRole('navigation', { name: 'Главное меню' }).getByRole('link', { name: /^Уведомления/ }).click();
    await settle(resident);
    const answeredItems = resident.getByRole('article', { name: joined('Новое', `: Дан ответ на обращение № ${appeal.registrationNumber}`) });
    await eventually(() => answeredItems.count()).toBe(2);
    expect(residentProblems.take()).toEqual([]);
  }, 120_000);

  it('the public scorecards count both verdicts, the review request and the reopening', async () => {
    // The roll-up job runs within seconds; the public route may be cached by the browser for a minute, so the page
    // is opened once the server has the figures.
    const services = await directory(server);
    const roadsId = services.services.find((s) => s.name.ru === ROADS)!.id;
    await expect.poll(async () => {
      const body = await (await fetch(`${server.baseUrl}/api/v1/m/bishkek/scorecards/services/${roadsId}`)).json() as { service: { figures: { ratings: number } } };
      return body.service.figures.ratings;
    }, { timeout: 30_000, interval: 500 }).toBe(2);

    const context = await newContext(browser, { baseUrl: server.baseUrl, lang: 'ru' });
    contexts.push(context);
    const page = await context.newPage();
    const problems = watchProblems(page, anonymousMe);
    await page.goto('/bishkek/scorecards');
    await settle(page);
    await eventually(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Показатели городских служб — Бишкек');
    expect(squash(await page.locator('.sc-period-shown').textContent())).toBe('Показан период: май 2025 г. – апрель 2026 г.');
    const ranking = page.getByRole('region', { name: /^Службы по местам в рейтинге/ });
    const roads = await rowByHeading(ranking.locator('table'), ROADS);
    expect(roads).toMatchObject({
      'Отвечено': '2', 'Вовремя': '100 %', 'Средняя оценка': '3,5', 'Решено': '50 %',
      'Запросы на пересмотр': '1', 'Открыто повторно': '1', 'Просрочено сейчас': '0',
    });
    const city = page.getByRole('region', { name: 'Весь город' });
    expect(await tile(city, 'Средняя оценка (1–5)')).toEqual(['3,5', '2 оценки']);
    expect(squash(await definition(city, 'Запросы на пересмотр').textContent())).toBe('1');
    expect(squash(await definition(city, 'Открыто повторно').textContent())).toBe('1');
    await screenshot(page, 'verdict-15-public-scorecards');
    await expectAccessible(page, 'the public scorecards');

    await ranking.getByRole('link', { name: ROADS, exact: true }).click();
    await settle(page);
    await eventually(() => page.getByRole('heading', { level: 1 }).textContent()).toContain(ROADS);
    const figures = page.getByRole('region', { name: 'Показатели за период' });
    expect(squash(await definition(figures, 'Поступило обращений').textContent())).toBe('1');
    expect(squash(await definition(figures, 'Дано ответов').textContent())).toBe('2');
    expect(await tile(figures, 'Средняя оценка (1–5)')).toEqual(['3,5', '2 оценки']);
    expect((await tile(figures, 'Проблема решена, по словам жителей'))[0]).toBe('50 %');
    expect(squash(await definition(figures, 'Запросы на пересмотр').textContent())).toBe('1');
    expect(squash(await definition(figures, 'Открыто повторно').textContent())).toBe('1');
    const trend = page.getByRole('region', { name: 'Показатели по месяцам, сначала новые' });
    expect(await rowByHeading(trend.locator('table'), 'апрель 2026 г.')).toMatchObject({
      'Поступило': '1', 'Отвечено': '2', 'Средняя оценка': '3,5', 'Решено': '50 %', 'Запросы на пересмотр': '1', 'Открыто повторно': '1',
    });
    await screenshot(page, 'verdict-16-public-service-scorecard');
    await expectAccessible(page, "the roads service's public scorecard");
    expect(problems.take()).toEqual([]);
  }, 90_000);

  it('the staff scorecards show the executor with both verdicts', async () => {
    const { page, problems } = await staffSignIn('supervisor@bishkek.example');
    await page.getByRole('navigation', { name: 'Главное меню' }).getByRole('link', { name: 'Показатели' }).click();
    await page.waitForURL('**/staff/bishkek/scorecards');
    await settle(page);
    await eventually(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Показатели работы');
    const executors = page.getByRole('region', { name: `Исполнители: ${ROADS}` });
    // With several services' executors listed, each service's table is folded under its name.
    const fold = page.locator('details.executors').filter({ has: page.locator('summary', { hasText: ROADS }) });
    if (await fold.count()) await fold.locator('summary').click();
    const row = await rowByHeading(executors.locator('table'), EXECUTOR_NAME);
    expect(row).toMatchObject({
      'Дано ответов': '2', 'Средняя оценка': '3,5 (2 оценки)', 'Решено': '50 %', 'Запросы на пересмотр': '1', 'Открыто повторно': '1',
    });
    await executors.scrollIntoViewIfNeeded();
    await screenshot(page, 'verdict-17-staff-scorecards');
    await expectAccessible(page, 'the staff scorecards');
    expect(problems.take()).toEqual([]);
  }, 90_000);
});
