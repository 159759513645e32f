/**
 * The admin pages for integrations, in Russian, through the real browser. Imports: the admin creates a source by
 * choosing columns from a small CSV's header line (four fictional Bishkek journal rows, one with a category the
 * mapping does not know), checks the file (the counts, the bad row's number and reason, the CSV report), imports it,
 * and imports it again — everything is already there. Webhooks: an integrator (an API key made through the admin
 * API) subscribes with a receiver in this test; the admin sees the subscription and its delivery log, sends a failed
 * delivery again (the receiver gets the same delivery id) and revokes the subscription.
 * Screenshots: test-results/screenshots/integrations-*.png.
 */
import { createServer, type Server } from 'node:http';
import { mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { categoryByCode, directory, receptionAppeal, staffSession, type Session } from './support/api.js';
import { describeViolations, eventually, launchBrowser, screenshot, seriousViolations, settle, staffSignIn, type PageProblems } from './support/browser.js';
import { DEFAULT_PG_ADMIN_URL, ensureBuilt, outboxReader, type E2EServer } from './support/server.js';
import { createPostgresDatabase, startServer } from '../server/test/support/server-process.js';

const SOURCE = 'Журнал приёма 2025';
const JOURNAL = [
  'Номер;Дата поступления;Категория;Тема;Текст;Адрес',
  'Ж-101;03.02.2025;Ямы;Яма на улице Киевской;Глубокая яма у дома 44 на улице Киевской.;ул. Киевская, 44',
  'Ж-102;10.02.2025;Освещение;Не горит фонарь;Во дворе дома 12 по улице Абдрахманова не горит фонарь.;ул. Абдрахманова, 12',
  'Ж-103;11.02.2025;Мусор;Мусор во дворе;Мусор во дворе не вывозят неделю.;мкр. Джал, 15',
  'Ж-104;14.02.2025;Ямы;Яма у остановки;Яма у остановки «Филармония».;пр. Чуй, 253',
].join('\r\n');
const journalFile = { name: 'journal-2025.csv', mimeType: 'text/csv', buffer: Buffer.from(JOURNAL, 'utf8') };

let server: E2EServer;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let problems: PageProblems;
let admin: Session;

/** The test's webhook receiver: answers 503 to a delivery the first time, 200 after; remembers what it got. */
const received: { delivery: string; event: string }[] = [];
let receiver: Server;
let receiverUrl = '';

/**
 * The e2e server (demo mode, production settings, a fresh PostgreSQL database) with plain-http webhooks to loopback
 * allowed: the receiver is this test's own http server on 127.0.0.1.
 */
async function startWithLocalWebhooks(): Promise<E2EServer> {
  ensureBuilt();
  const database = await createPostgresDatabase(process.env.DATABASE_URL || process.env.CI_PG_ADMIN_URL || DEFAULT_PG_ADMIN_URL, 'shaar_e2e');
  const dataDir = await mkdtemp(join(tmpdir(), 'shaar-e2e-integrations-'));
  const proc = await startServer({
    dataDir, databaseUrl: database.url,
    env: { DEMO_MODE: 'true', LOG_LEVEL: 'warn', RATE_LIMIT_AUTH_PER_MINUTE: '10000', WEBHOOKS_ALLOW_HTTP: 'true', WEBHOOKS_ALLOW_PRIVATE_NETWORKS: 'true' },
  }).catch(async (err: unknown) => { await database.drop().catch(() => {}); await rm(dataDir, { recursive: true, force: true }); throw err; });
  const pool = new pg.Pool({ connectionString: database.url, max: 2 });
  return {
    baseUrl: proc.baseUrl, server: proc, ...outboxReader(pool),
    async stop() {
      await pool.end().catch(() => {});
      await Promise.race([proc.kill('SIGTERM').catch(() => {}), new Promise((r) => setTimeout(r, 10_000))]);
      if (!proc.exited) await proc.kill('SIGKILL').catch(() => {});
      await database.drop().catch((err: unknown) => console.error('dropping the e2e database failed:', err));
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

beforeAll(async () => {
  receiver = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      const delivery = String(req.headers['x-shaar-delivery'] ?? '');
      const seen = received.some((r) => r.delivery === delivery);
      received.push({ delivery, event: String(req.headers['x-shaar-event'] ?? '') });
      res.statusCode = seen ? 200 : 503;
      res.end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/shaar-hooks`;
  server = await startWithLocalWebhooks();
  browser = await launchBrowser();
  admin = await staffSession(server, 'admin');
}, 300_000);

afterAll(async () => {
  await context?.close().catch(() => {});
  await browser?.close().catch(() => {});
  await server?.stop();
  await new Promise((resolve) => receiver?.close(resolve));
}, 60_000);

/** A row's button: its label and, for screen readers, the row's item ("Revoke: host"; Chromium hears " : "). */
const rowButton = (label: string, item: string) => new RegExp(`^${label}\\s*:\\s*${item.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);

/** axe-core finds no serious or critical WCAG violation in the page as it is now (forms and panels open). */
async function accessible(state: string) {
  const violations = await seriousViolations(page);
  expect(violations, `${state}:\n${describeViolations(violations)}`).toEqual([]);
}

/** A count in the run's result, by its label. */
const count = (label: string) => page.locator('.import-result .fact').filter({ has: page.getByText(label, { exact: true }) }).locator('dd').textContent();

async function openSection(name: string) {
  await page.goto('/staff/bishkek/admin');
  await settle(page);
  await page.getByRole('link', { name }).first().click();
  await settle(page);
  await eventually(() => page.getByRole('heading', { level: 1 }).textContent()).toBe(name);
}

describe('admin: import of past appeals (ru)', () => {
  it('creates a source by choosing columns from a sample file\'s header', async () => {
    // Signed in through the page (the sign-in helper checks its steps with expect, so it runs inside a test).
    ({ context, page, problems } = await staffSignIn(browser, server.baseUrl, 'admin@bishkek.example'));
    await openSection('Импорт прошлых обращений');
    await page.getByRole('button', { name: 'Добавить источник' }).click();
    await page.getByRole('heading', { name: 'Новый источник' }).waitFor();
    await page.getByLabel(/^Код/).fill('journal-2025');
    await page.getByLabel(/^Название/).fill(SOURCE);
    await page.getByLabel(/^Как поступили обращения/).selectOption('letter');
    await page.getByLabel('Образец файла (CSV)').setInputFiles(journalFile);
    // The header was read in the browser and the semicolon guessed: the column fields are now choices.
    await page.getByText('Найдено 6 столбцов: Номер, Дата поступления, Категория, Тема, Текст, Адрес.').waitFor();
    expect(await page.getByLabel('Разделитель столбцов').inputValue()).toBe(';');
    await page.getByLabel(/^Ключ строки/).selectOption('Номер');
    await page.getByLabel(/^Поступило/).selectOption('Дата поступления');
    expect(await page.getByLabel(/^Формат даты/).inputValue()).toBe('DD.MM.YYYY');
    await page.getByLabel(/^Вид всех строк/).selectOption('complaint');
    await page.locator('select[name="mapping.category.column"]').selectOption('Категория');
    for (const [value, code] of [['Ямы', 'roads.pothole'], ['Освещение', 'lighting.off']] as const) {
      await page.getByRole('button', { name: 'Добавить значение' }).first().click();
      await page.locator('input[name^="mapping.category.rows."]').last().fill(value);
      await page.locator('select[name^="mapping.category.rows."]').last().selectOption(code);
    }
    await page.locator('select[name="mapping.subject.column"]').selectOption('Тема');
    await page.locator('select[name="mapping.body.column"]').selectOption('Текст');
    await page.locator('select[name="mapping.address.column"]').selectOption('Адрес');
    await screenshot(page, 'integrations-01-mapping');
    await accessible('the mapping form');
    await page.getByRole('button', { name: 'Создать источник' }).click();
    await page.getByText(`Источник «${SOURCE}» создан. Теперь импортируйте по нему файл.`).waitFor();
    await page.getByRole('row', { name: new RegExp(SOURCE) }).getByText('journal-2025').waitFor();
    expect(problems.take()).toEqual([]);
  }, 60_000);

  it('checks the file: the counts, the rejected row with its reason, the report; then imports it, twice', async () => {
    await page.getByRole('button', { name: rowButton('Импортировать файл', SOURCE) }).click();
    await page.getByRole('heading', { name: `Импорт в «${SOURCE}»` }).waitFor();
    await page.getByLabel(/^Файл для импорта/).setInputFiles(journalFile);
    await page.getByRole('button', { name: 'Проверить (без записи)' }).click();
    await page.getByRole('heading', { name: 'Результат проверки: ничего не записано' }).waitFor();
    expect(await count('Строк в файле')).toBe('4');
    expect(await count('Будет импортировано')).toBe('3');
    expect(await count('Уже есть')).toBe('0');
    expect(await count('Отклонено')).toBe('1');
    const rejected = page.getByRole('table', { name: /^Отклонённые строки: 1 из 1/ });
    const row = rejected.locator('tbody tr');
    await expect.poll(() => row.count()).toBe(1);
    expect(await row.locator('th').textContent()).toBe('3');
    expect(await row.locator('td').nth(0).textContent()).toBe('Категория');
    expect(await row.locator('td').nth(1).textContent()).toBe('Столбец «Категория»: для значения «Мусор» нет соответствия в сопоставлении.');
    const report = await page.getByRole('link', { name: 'Скачать отчёт (CSV)' }).getAttribute('href');
    const csv = await page.evaluate(async (href) => (await fetch(href!)).text(), report);
    expect(csv).toContain('3,Категория,unknown_value');
    await screenshot(page, 'integrations-02-checked');
    await accessible('the result of the check');

    await page.getByRole('button', { name: 'Импортировать', exact: true }).click();
    await page.getByRole('heading', { name: 'Результат импорта' }).waitFor();
    expect(await count('Импортировано')).toBe('3');
    expect(await count('Отклонено')).toBe('1');

    // The same file again: every good row is already there, nothing is added.
    await page.getByRole('button', { name: 'Импортировать', exact: true }).click();
    await eventually(() => count('Уже есть')).toBe('3');
    expect(await count('Импортировано')).toBe('0');
    const history = page.getByRole('table', { name: `Запуски по «${SOURCE}», сначала новые` }).locator('tbody tr');
    await expect.poll(() => history.count()).toBe(3);
    expect(await history.first().locator('td').nth(1).textContent()).toBe('Импорт');
    expect(await history.last().locator('td').nth(1).textContent()).toBe('Проверка');
    await screenshot(page, 'integrations-03-reimported');
    const [imported] = await server.query<{ n: number }>("select count(*)::int as n from appeals where source = 'journal-2025'");
    expect(imported?.n).toBe(3);
    expect(problems.take()).toEqual([]);
  }, 60_000);
});

describe('admin: webhooks (ru)', () => {
  it('lists an integrator\'s subscription and its delivery log; a failed delivery is sent again; revoking', async () => {
    // The integrator: a key made by the admin, a subscription made with the key.
    const keyRes = await fetch(`${server.baseUrl}/api/v1/m/bishkek/admin/api-keys`, {
      method: 'POST', headers: { ...admin.headers, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Диспетчерская служба', scopes: ['appeals:read'] }),
    });
    expect(keyRes.status).toBe(201);
    const { key } = await keyRes.json() as { key: string };
    const subRes = await fetch(`${server.baseUrl}/api/v1/m/bishkek/integrations/webhooks`, {
      method: 'POST', headers: { 'x-api-key': key, 'content-type': 'application/json' }, body: JSON.stringify({ url: receiverUrl, events: ['registered'] }),
    });
    expect(subRes.status, await subRes.clone().text()).toBe(201);
    const subscription = await subRes.json() as { id: string };

    // An appeal is registered; the receiver answers its delivery with 503.
    const dir = await directory(server);
    const operator = await staffSession(server, 'operator');
    const appeal = await receptionAppeal(server, operator, {
      channel: 'phone', kind: 'statement', language: 'ru', categoryId: categoryByCode(dir, 'lighting.off'),
      subject: 'Не горит фонарь на улице Токтогула', body: 'Третий день не горит фонарь у дома 120 на улице Токтогула.',
      applicant: { fullName: 'Тестова Жылдыз', phone: '+996 700 555 111' }, location: { address: 'улица Токтогула, 120' },
    });
    await eventually(() => received.length).toBeGreaterThanOrEqual(1);
    const delivery = received[0]!.delivery;
    // Every retry used up (hours, in real life): the queue gives the job up and the delivery is failed.
    await eventually(async () => (await server.query<{ status: string }>(
      "select status from jobs where dedupe_key = $1 and attempts >= 1", [`webhook:${delivery}`]))[0]?.status).toBe('queued');
    await server.query("update jobs set status = 'dead', finished_at = now() where dedupe_key = $1 and status = 'queued'", [`webhook:${delivery}`]);
    await server.query("update webhook_deliveries set status = 'failed' where id = $1", [delivery]);

    await openSection('Вебхуки');
    const host = new URL(receiverUrl).host;
    const subscriptionRow = page.getByRole('row').filter({ hasText: host });
    await subscriptionRow.getByText('Диспетчерская служба').waitFor();
    await subscriptionRow.getByText('Обращение зарегистрировано').waitFor();
    await subscriptionRow.getByText('Действует').waitFor();
    await subscriptionRow.getByRole('button', { name: rowButton('Журнал доставок', host) }).click();
    const log = page.getByRole('table', { name: `Доставки на ${host}` });
    const entry = log.locator('tbody tr').filter({ hasText: appeal.registrationNumber });
    await entry.getByText('Не доставлено').waitFor();
    await entry.getByText('HTTP 503').waitFor();
    expect(await entry.locator('td').nth(3).textContent()).toBe('1');
    await screenshot(page, 'integrations-04-delivery-log');
    await accessible('the delivery log');

    await entry.getByRole('button', { name: /^Отправить снова/ }).click();
    await page.getByText('«Обращение зарегистрировано» скоро будет отправлено снова.').waitFor();
    // The receiver gets the same delivery again (same id: its idempotency key) and takes it this time.
    await eventually(() => received.filter((r) => r.delivery === delivery).length).toBe(2);
    await eventually(async () => {
      await page.getByRole('region', { name: `Доставки на ${host}`, exact: true }).getByRole('button', { name: 'Обновить' }).click();
      await settle(page);
      return entry.locator('.badge').textContent();
    }).toBe('Доставлено');
    expect(await entry.getByRole('button', { name: /^Отправить снова/ }).count()).toBe(0);
    await screenshot(page, 'integrations-05-resent');

    await subscriptionRow.getByRole('button', { name: rowButton('Отозвать', host) }).click();
    await page.getByRole('dialog', { name: 'Отозвать эту подписку?' }).getByRole('button', { name: 'Отозвать' }).click();
    await page.getByText(`Подписка ${host} отозвана.`).waitFor();
    await subscriptionRow.getByText(/^Отозвана /).waitFor();
    const [sub] = await server.query<{ revoked: boolean }>('select revoked_at is not null as revoked from webhook_subscriptions where id = $1', [subscription.id]);
    expect(sub!.revoked).toBe(true);
    expect(problems.take()).toEqual([]);
  }, 60_000);
});
