/**
 * The whole way of an appeal, in Russian, through the real browser: a resident signs in with a one-time code, files a
 * complaint about a pothole with a photo and a place, and sees it in "My appeals"; a reception operator registers an
 * appeal received by phone; the roads executor finds the resident's appeal in the inbox, takes it and answers it —
 * the composer warns that a pothole's answer needs a photo of the result, and the executor attaches one; the
 * resident reads the answer, with the photo, under «Ответ». Screenshots of each step go to test-results/screenshots/journey-*.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { pngPhoto } from './support/api.js';
import { anonymousMe, eventually, launchBrowser, newContext, screenshot, settle, watchProblems, type PageProblems, staffSignIn as signInStaff } from './support/browser.js';
import { startE2EServer, type E2EServer } from './support/server.js';

const RESIDENT = 'aigul.journey@example.org';
const SUBJECT = 'Яма у остановки на проспекте Чуй';
const BODY = 'На проспекте Чуй у остановки «Филармония» третью неделю глубокая яма, машины объезжают её по встречной. Прошу заделать.';
const ADDRESS = 'проспект Чуй, 253, остановка «Филармония»';
const ANSWER = 'Яма на проспекте Чуй у остановки «Филармония» заделана бригадой МП 28 апреля. Спасибо за обращение.';

let server: E2EServer;
let browser: Browser;
const contexts: BrowserContext[] = [];
let resident: Page;
let residentProblems: PageProblems;
let registrationNumber = '';

/** Signs a staff member in (Russian); the context is closed with the others at the end. */
async function staffSignIn(email: string) {
  const signedIn = await signInStaff(browser, server.baseUrl, email);
  contexts.push(signedIn.context);
  return signedIn;
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

describe('an appeal from a resident to an answer (ru)', () => {
  it('the resident signs in with a one-time code from the e-mail', async () => {
    const context = await newContext(browser, { baseUrl: server.baseUrl, lang: 'ru' });
    contexts.push(context);
    resident = await context.newPage();
    residentProblems = watchProblems(resident, anonymousMe);

    await resident.goto('/');
    await settle(resident);
    expect(await resident.locator('html').getAttribute('lang')).toBe('ru');
    await screenshot(resident, 'journey-01-home');
    await resident.getByRole('navigation', { name: 'Главное меню' }).getByRole('link', { name: 'Войти' }).click();
    await settle(resident);
    await eventually(() => resident.getByRole('heading', { level: 1 }).textContent()).toBe('Вход');

    const mark = await server.outboxMark();
    await resident.getByLabel(/^Электронная почта или номер телефона/).fill(RESIDENT);
    await resident.getByRole('button', { name: 'Получить код' }).click();
    await resident.getByText(`Мы отправили код из 6 цифр на ${RESIDENT}.`).waitFor();
    const code = await server.codeFor(RESIDENT, mark);
    await resident.getByLabel(/^Код/).fill(code);
    await screenshot(resident, 'journey-02-code');
    await resident.getByRole('button', { name: 'Войти' }).click();

    await resident.waitForURL('**/bishkek/my');
    await settle(resident);
    await eventually(() => resident.getByRole('heading', { level: 1 }).textContent()).toBe('Мои обращения');
    await resident.getByText('Вы ещё не подавали обращений в этом городе.').waitFor();
    expect(residentProblems.take()).toEqual([]);
  }, 60_000);

  it('files a complaint about a pothole with a photo, an address and a district', async () => {
    await resident.getByRole('navigation', { name: 'Главное меню' }).getByRole('link', { name: 'Новое обращение' }).click();
    await settle(resident);
    await eventually(() => resident.getByRole('heading', { level: 1 }).textContent()).toBe('Новое обращение — Бишкек');

    await resident.getByRole('radio', { name: /^Жалоба/ }).check();
    await resident.getByRole('searchbox', { name: /^Найти категорию/ }).fill('яма');
    await resident.getByRole('radio', { name: /^Яма на дороге/ }).check();
    await eventually(() => resident.locator('.r-chosen').textContent()).toContain('Яма на дороге');
    await resident.getByRole('textbox', { name: /^Тема/ }).fill(SUBJECT);
    await resident.getByRole('textbox', { name: /^Текст обращения/ }).fill(BODY);
    await resident.getByRole('textbox', { name: /^Адрес или ориентир/ }).fill(ADDRESS);
    await resident.getByRole('combobox', { name: /^Район/ }).selectOption({ label: 'Первомайский район' });
    await resident.getByLabel(/^Добавить фотографии/).setInputFiles({ name: 'yama.png', mimeType: 'image/png', buffer: pngPhoto(320, 240) });
    await resident.getByRole('img', { name: 'Фотография 1 к обращению' }).waitFor();
    await resident.getByRole('textbox', { name: /^Фамилия, имя, отчество/ }).fill('Сапарова Айгуль Бакытовна');
    await eventually(() => resident.getByRole('textbox', { name: /^Электронная почта/ }).inputValue()).toBe(RESIDENT);
    await screenshot(resident, 'journey-03-new-appeal-filled');

    await resident.getByRole('button', { name: 'Отправить обращение' }).click();
    await resident.getByRole('heading', { level: 1, name: 'Ваше обращение зарегистрировано' }).waitFor({ timeout: 30_000 });
    await settle(resident);
    registrationNumber = (await resident.locator('.r-regno').first().textContent())?.trim() ?? '';
    expect(registrationNumber).toMatch(/^BSK-\d{4}-\d{6}$/);
    // The photo follows the registration; once it is sent no "photos not sent yet" alert is left.
    await eventually(() => resident.getByRole('alert').allTextContents()).toEqual([]);
    await screenshot(resident, 'journey-04-registered');
    expect(residentProblems.take()).toEqual([]);
  }, 90_000);

  it('sees the complaint in My appeals, registered, with its photo and place', async () => {
    await resident.getByRole('link', { name: 'Мои обращения' }).first().click();
    await settle(resident);
    const item = resident.getByRole('listitem').filter({ hasText: registrationNumber });
    await item.getByRole('link', { name: SUBJECT }).waitFor();
    expect(await item.textContent()).toContain('Зарегистрировано');
    await screenshot(resident, 'journey-05-my-appeals');

    await item.getByRole('link', { name: SUBJECT }).click();
    await settle(resident);
    await eventually(() => resident.getByRole('heading', { level: 1 }).textContent()).toContain(`Обращение № ${registrationNumber}`);
    const summary = resident.getByRole('region', { name: 'Об обращении' });
    await eventually(() => summary.textContent()).toContain('Дороги и транспортная инфраструктура → Яма на дороге');
    const summaryText = await summary.textContent();
    expect(summaryText).toContain('Жалоба');
    expect(summaryText).toContain(ADDRESS);
    expect(summaryText).toContain('Район: Первомайский район');
    expect(summaryText).toContain('МП по дорожно-транспортной инфраструктуре');
    // The photo, made smaller in the browser, is the resident's file on the appeal, and it downloads as a JPEG.
    expect(summaryText).toContain('Ваши фотографии и файлы');
    const photo = summary.getByRole('link', { name: /^photo-[0-9a-f]{8}\.jpg$/ });
    const download = await resident.request.get((await photo.getAttribute('href'))!);
    expect(download.status()).toBe(200);
    expect((await download.body()).subarray(0, 3)).toEqual(Buffer.from([0xff, 0xd8, 0xff]));
    expect(await resident.getByRole('region', { name: 'Ответ', exact: true }).textContent()).toContain('Ответа пока нет.');
    await screenshot(resident, 'journey-06-appeal-before-answer');
    expect(residentProblems.take()).toEqual([]);
  }, 60_000);

  it('a reception operator registers an appeal received by phone', async () => {
    const { page, problems } = await staffSignIn('operator@bishkek.example');
    await page.getByRole('navigation', { name: 'Главное меню' }).getByRole('link', { name: 'Приём' }).click();
    await page.waitForURL('**/staff/bishkek/reception');
    await settle(page);
    await eventually(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Приём обращений');

    await page.getByRole('combobox', { name: /^Поступило/ }).selectOption({ label: 'По телефону' });
    await page.getByRole('combobox', { name: /^Вид/ }).selectOption({ label: 'Заявление' });
    // The category search narrows the list and chooses the first match.
    await page.getByRole('searchbox', { name: /^Найти категорию/ }).fill('фонарь');
    const category = page.getByRole('combobox', { name: /^Категория/ });
    await eventually(() => category.evaluate((s: HTMLSelectElement) => s.selectedOptions[0]?.textContent ?? '')).toBe('Не горит фонарь');
    await page.getByRole('textbox', { name: /^Тема/ }).fill('Не горят фонари во дворе');
    await page.getByRole('textbox', { name: /^Текст обращения/ }).fill('Во дворе дома 12 по улице Киевской вторую неделю не горят фонари, вечером темно.');
    await page.getByRole('textbox', { name: /^ФИО/ }).fill('Осмонова Гүлзат');
    await page.getByRole('textbox', { name: /^Телефон/ }).fill('0700 123 456');
    await page.getByRole('textbox', { name: /^Адрес или ориентир/ }).fill('ул. Киевская, 12');
    await page.getByRole('combobox', { name: /^Район/ }).selectOption({ label: 'Ленинский район' });
    await screenshot(page, 'journey-07-reception-filled');
    await page.getByRole('button', { name: 'Зарегистрировать' }).click();

    const success = page.getByText(/^Зарегистрировано: BSK-\d{4}-\d{6}\. Срок ответа — до /);
    await success.waitFor();
    const number = /BSK-\d{4}-\d{6}/.exec((await success.textContent()) ?? '')![0];
    expect(number).not.toBe(registrationNumber);
    // The form is empty again for the next caller; the channel stays.
    expect(await page.getByRole('textbox', { name: /^Тема/ }).inputValue()).toBe('');
    expect(await page.getByRole('combobox', { name: /^Поступило/ }).inputValue()).toBe('phone');
    await screenshot(page, 'journey-08-reception-registered');

    await page.getByRole('link', { name: `Открыть ${number}` }).click();
    await settle(page);
    const summary = page.getByRole('region', { name: 'Сведения' });
    await eventually(() => summary.textContent()).toContain('По телефону');
    expect(await summary.textContent()).toContain('Уличное освещение › Не горит фонарь');
    expect(await summary.textContent()).toContain('МП «Бишкексвет»');
    expect(await page.getByRole('region', { name: 'Заявитель' }).textContent()).toContain('Осмонова Гүлзат');
    await screenshot(page, 'journey-09-reception-appeal');
    expect(problems.take()).toEqual([]);
  }, 90_000);

  it('the roads executor finds the complaint in the inbox, takes it and answers it with a photo of the result', async () => {
    const { page, problems } = await staffSignIn('executor.roads@bishkek.example');
    await eventually(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Входящие');
    const row = page.getByRole('row').filter({ hasText: registrationNumber });
    await row.getByRole('link', { name: registrationNumber }).waitFor();
    expect(await row.textContent()).toContain(SUBJECT);
    await screenshot(page, 'journey-10-executor-inbox');

    await row.getByRole('link', { name: registrationNumber }).click();
    await settle(page);
    await eventually(() => page.getByRole('heading', { level: 1 }).textContent()).toContain(registrationNumber);
    const actions = page.getByRole('region', { name: 'Действия' });

    // A registered appeal is answered once someone has it: the executor assigns it to themself.
    if (await actions.getByRole('button', { name: 'Ответить' }).count() === 0) {
      await actions.getByRole('button', { name: 'Назначить' }).click();
      const form = page.locator('#action-form');
      await form.getByRole('combobox', { name: /^Исполнитель/ }).selectOption({ label: 'Бакыт Мамытов (я)' });
      await screenshot(page, 'journey-11-assign-to-self');
      await form.getByRole('button', { name: 'Назначить' }).click();
      await page.getByText('Выполнено: Назначить.').waitFor();
      await eventually(() => page.getByRole('region', { name: 'Сведения' }).textContent()).toContain('Бакыт Мамытов');
    }

    await actions.getByRole('button', { name: 'Ответить' }).click();
    const form = page.locator('#action-form');
    // A pothole's answer must show the repaired road: the composer says so before anything is written…
    const files = form.getByLabel(/^Приложить файлы к ответу/);
    expect(await files.getAttribute('aria-describedby')).toBe('answer-file-hint');
    await eventually(() => page.locator('#answer-file-hint').textContent())
      .toContain('Для этой категории нужна фотография результата.');
    await form.getByRole('textbox', { name: /^Ответ/ }).fill(ANSWER);
    await screenshot(page, 'journey-12-answer-composed');
    await form.getByRole('button', { name: 'Отправить ответ' }).click();

    // …and warns when the answer goes without one. Nothing is sent yet.
    const warnings = form.getByRole('group', { name: 'Проверьте ответ перед отправкой' });
    await warnings.waitFor();
    expect(await warnings.getByRole('listitem').allTextContents()).toEqual(['Для этой категории нужна фотография результата, но она не приложена.']);
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('answer-warnings');
    await screenshot(page, 'journey-13-answer-warnings');
    expect(await page.getByRole('region', { name: 'Ответы' }).textContent()).not.toContain(ANSWER);
    expect(await page.locator('.appeal-status-line').textContent()).not.toContain('Дан ответ');

    // The executor goes back (focus lands on the file field), attaches the photo of the patched road and sends.
    await warnings.getByRole('button', { name: 'Вернуться' }).click();
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('answer-file');
    expect(await form.getByRole('textbox', { name: /^Ответ/ }).inputValue()).toBe(ANSWER);
    await files.setInputFiles({ name: 'yama-zadelana.png', mimeType: 'image/png', buffer: pngPhoto(320, 240) });
    await form.getByText('Выбран: yama-zadelana.png').waitFor();
    await form.getByRole('button', { name: 'Отправить ответ' }).click();
    await page.getByText('Выполнено: Ответить.').waitFor();
    expect(await form.count()).toBe(0);
    await eventually(() => page.locator('.appeal-status-line').textContent()).toContain('Дан ответ');
    const answers = page.getByRole('region', { name: 'Ответы' });
    expect(await answers.textContent()).toContain(ANSWER);
    await eventually(() => answers.getByRole('link').allTextContents()).toContain('yama-zadelana.png');
    await screenshot(page, 'journey-14-answered');
    expect(problems.take()).toEqual([]);
  }, 90_000);

  it('the resident opens the appeal and reads the answer under «Ответ»', async () => {
    await resident.goto('/bishkek/my');
    await settle(resident);
    const item = resident.getByRole('listitem').filter({ hasText: registrationNumber });
    await eventually(() => item.textContent()).toContain('Дан ответ');
    await item.getByRole('link', { name: SUBJECT }).click();
    await settle(resident);

    const response = resident.getByRole('region', { name: 'Ответ', exact: true });
    await eventually(() => response.textContent()).toContain(ANSWER);
    expect(await response.textContent()).toContain('От кого: МП по дорожно-транспортной инфраструктуре');
    expect(await response.getByRole('heading', { level: 3 }).first().textContent()).toMatch(/^Ответ от /);
    // The photo of the result comes with the answer, and downloads as the picture it is.
    expect(await response.textContent()).toContain('Файлы к ответу');
    const photo = response.getByRole('link', { name: 'yama-zadelana.png' });
    const download = await resident.request.get((await photo.getAttribute('href'))!);
    expect(download.status()).toBe(200);
    expect((await download.body()).subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    const timeline = resident.getByRole('region', { name: 'Ход рассмотрения' });
    expect(await timeline.textContent()).toContain('Дан ответ');
    await response.scrollIntoViewIfNeeded();
    await screenshot(resident, 'journey-15-resident-reads-answer');
    expect(residentProblems.take()).toEqual([]);
  }, 60_000);
});
