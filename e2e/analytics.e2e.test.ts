/**
 * Issue 5's acceptance in the browser: an analyst filters the analytics dashboard, drills down from a figure to the
 * appeals behind it, exports them as CSV; the public dashboard renders in Kyrgyz, Russian and English.
 *
 * The data: the built server in demo mode on a fresh PostgreSQL database, then about 2,000 synthetic appeals of
 * Bishkek over the last twelve months written straight into that database (server/src/synthetic), then the admin's
 * "rebuild the analytics now" — so the cube holds every one of them before the browser opens a page. Every figure
 * the pages show is checked against the API's own answer for the same selection, and the drill-down's count against
 * the rows of the list and of the exported file. Map tiles are answered with a blank image (no network in tests).
 * Screenshots: test-results/screenshots/analytics-*.png.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { createPostgresDatabase, startServer } from '../server/test/support/server-process.js';
import { openDatabase } from '../server/src/platform/db/database.js';
import { generateSynthetic } from '../server/src/synthetic/generate.js';
import { loadReference, writeSynthetic } from '../server/src/synthetic/write.js';
import { pngPhoto, staffSession, type Session } from './support/api.js';
import {
  anonymousMe, describeViolations, eventually, launchBrowser, LANGUAGES, newContext, screenshot, seriousViolations, settle, staffSignIn, watchProblems,
} from './support/browser.js';
import { buildIndex, findOffenders, readableText } from './support/i18n.js';
import { DEFAULT_PG_ADMIN_URL, ensureBuilt, outboxReader, type E2EServer } from './support/server.js';

const APPEALS = 2000;
const CITY = 'bishkek';

let server: E2EServer;
let browser: Browser;
let analyst: Session;
const contexts: BrowserContext[] = [];
const blankTile = pngPhoto(1, 1);

/** Months as YYYY-MM on Bishkek's clock (UTC+6, no daylight saving). */
const bishkekDate = (d: Date) => new Date(d.getTime() + 6 * 3_600_000).toISOString().slice(0, 10);

/** The built server on a new PostgreSQL database, with the synthetic appeals written and the cube rebuilt. */
async function startWithAppeals(): Promise<E2EServer> {
  ensureBuilt();
  const adminUrl = process.env.DATABASE_URL || process.env.CI_PG_ADMIN_URL || DEFAULT_PG_ADMIN_URL;
  const database = await createPostgresDatabase(adminUrl, 'shaar_e2e');
  const dataDir = await mkdtemp(join(tmpdir(), 'shaar-e2e-analytics-'));
  const proc = await startServer({
    dataDir, databaseUrl: database.url,
    env: { DEMO_MODE: 'true', LOG_LEVEL: 'warn', RATE_LIMIT_AUTH_PER_MINUTE: '10000' },
  }).catch(async (err: unknown) => { await database.drop().catch(() => {}); await rm(dataDir, { recursive: true, force: true }); throw err; });

  // The server has migrated and seeded the demo cities; the synthetic appeals go into the same database.
  const db = await openDatabase({ databaseUrl: database.url, poolMax: 4 });
  try {
    const ref = await loadReference(db.db, CITY);
    if (!ref) throw new Error(`the demo has no ${CITY}`);
    const now = new Date();
    const today = bishkekDate(now);
    // From the 1st of the month eleven months back: the dashboard's default period (twelve months) holds them all.
    const [y, m] = today.split('-').map(Number) as [number, number];
    const first = y * 12 + (m - 1) - 11;
    const from = `${Math.floor(first / 12)}-${String((first % 12) + 1).padStart(2, '0')}-01`;
    const data = generateSynthetic(ref, { appeals: APPEALS, seed: 505, from, to: today, now, planted: 2 });
    await writeSynthetic(db.db, ref, data, { source: 'synthetic:e2e', concurrency: 2 });
  } finally {
    await db.close();
  }

  const pool = new pg.Pool({ connectionString: database.url, max: 2 });
  const s: E2EServer = {
    baseUrl: proc.baseUrl, server: proc, ...outboxReader(pool),
    async stop() {
      await pool.end().catch(() => {});
      await Promise.race([proc.kill('SIGTERM').catch(() => {}), new Promise((r) => setTimeout(r, 10_000))]);
      if (!proc.exited) await proc.kill('SIGKILL').catch(() => {});
      await database.drop().catch((err: unknown) => console.error('dropping the e2e database failed:', err));
      await rm(dataDir, { recursive: true, force: true });
    },
  };
  // Bulk rows carry their own past times, which the minute job's incremental refresh does not look for: rebuild now.
  const admin = await staffSession(s, 'admin');
  const rebuilt = await fetch(`${s.baseUrl}/api/v1/m/${CITY}/admin/analytics/rebuild`, { method: 'POST', headers: admin.headers });
  if (rebuilt.status !== 200) throw new Error(`rebuilding the analytics: ${rebuilt.status} ${await rebuilt.text()}`);
  return s;
}

/** A GET of the analytics API as the analyst (or anyone, for the public route). */
async function apiGet<T>(path: string, query: URLSearchParams | string = '', who?: Session): Promise<T> {
  const q = query.toString();
  const res = await fetch(`${server.baseUrl}/api/v1/m/${CITY}${path}${q ? `?${q}` : ''}`, { headers: who?.headers ?? {} });
  if (res.status !== 200) throw new Error(`GET ${path}?${q}: ${res.status} ${await res.text()}`);
  return res.json() as Promise<T>;
}

/** The digits of a formatted number ("1 234", "1,234", "1 234"). */
const digits = (s: string | null) => Number((s ?? '').replace(/\D/g, ''));

async function headlineAppeals(page: Page): Promise<number> {
  return digits(await page.locator('.an-headline [data-figure=appeals] .sc-tile-value').textContent());
}

/** Map tiles come from a blank image: the tests need no network, and the map must work without real tiles. */
async function blankTiles(context: BrowserContext): Promise<void> {
  await context.route(/^https?:\/\/[^/]*tile\.openstreetmap\.org\//, (route) => route.fulfill({ status: 200, contentType: 'image/png', body: blankTile }));
}

/** RFC 4180 rows of a CSV text (quoted fields may hold commas, quotes and line breaks). */
function csvRows(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { field += '"'; i++; } else if (c === '"') quoted = false; else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') { row.push(field); field = ''; } else if (c === '\n') { row.push(field.replace(/\r$/, '')); rows.push(row); row = []; field = ''; } else field += c;
  }
  if (field || row.length) { row.push(field); rows.push(row); }
  return rows;
}

beforeAll(async () => {
  server = await startWithAppeals();
  browser = await launchBrowser();
  analyst = await staffSession(server, 'analyst');
}, 300_000);

afterAll(async () => {
  for (const c of contexts) await c.close().catch(() => {});
  await browser?.close().catch(() => {});
  await server?.stop();
}, 60_000);

type Summary = { period: { from: string; to: string }; figures: { appeals: number } };
type Breakdown = { rows: { key: string; figures: { appeals: number } }[] };

describe('the analytics dashboard: filter, drill down, export (ru)', () => {
  let page: Page;
  let filtered = 0;
  let drillUrl = '';

  it('an analyst opens the dashboard from the staff menu and sees the period\'s figures', async () => {
    const signedIn = await staffSignIn(browser, server.baseUrl, 'analyst@bishkek.example');
    contexts.push(signedIn.context);
    await blankTiles(signedIn.context);
    page = signedIn.page;
    await page.getByRole('navigation').getByRole('link', { name: 'Аналитика' }).click();
    await page.waitForURL('**/staff/bishkek/analytics');
    await settle(page);
    await page.locator('.an-headline').waitFor();
    const all = await apiGet<Summary>('/analytics/summary', '', analyst);
    expect(all.figures.appeals).toBeGreaterThanOrEqual(APPEALS);
    expect(await headlineAppeals(page)).toBe(all.figures.appeals);
    // The breakdown by category group opens with a row per group, the busiest a link to its appeals.
    await expect.poll(() => page.locator('table[data-by=category_group] tbody tr').count()).toBeGreaterThan(3);
    // The heat map draws its hexagons (tiles or not).
    await eventually(() => page.locator('.an-map .leaflet-interactive').count()).toBeGreaterThan(10);
    await screenshot(page, 'analytics-dashboard');
    const violations = await seriousViolations(page);
    expect(violations, describeViolations(violations)).toEqual([]);
    expect(signedIn.problems.take()).toEqual([]);
  }, 120_000);

  it('filters by a district and a category group: the figures change to the API\'s for that selection', async () => {
    const before = await headlineAppeals(page);
    // The busiest district, and in it the busiest category group: a selection with appeals, smaller than the whole.
    const byDistrict = await apiGet<Breakdown>('/analytics/breakdown', 'by=district', analyst);
    const district = byDistrict.rows.filter((r) => r.key !== 'none').sort((a, b) => b.figures.appeals - a.figures.appeals)[0]!.key;
    const byGroup = await apiGet<Breakdown>('/analytics/breakdown', `by=category_group&district=${district}`, analyst);
    const group = byGroup.rows.filter((r) => r.key !== 'none').sort((a, b) => b.figures.appeals - a.figures.appeals)[0]!.key;
    const expected = await apiGet<Summary>('/analytics/summary', `district=${district}&category=${group}`, analyst);
    expect(expected.figures.appeals).toBeGreaterThan(0);
    expect(expected.figures.appeals).toBeLessThan(before);

    const form = page.locator('form.an-filters');
    await form.getByLabel('Район', { exact: true }).selectOption(district);
    await form.getByLabel('Категория', { exact: true }).selectOption(group);
    await form.locator('button[type=submit]').click();
    await page.waitForURL((url) => url.searchParams.get('district') === district && url.searchParams.get('category') === group);
    await settle(page);
    await eventually(() => headlineAppeals(page)).toBe(expected.figures.appeals);
    filtered = expected.figures.appeals;
    // The filters are chips that can be removed one by one.
    await eventually(() => page.locator('.an-chips .an-chip').count()).toBe(2);
    await screenshot(page, 'analytics-filtered');
  }, 60_000);

  it('drills down from the figure to its appeals: the count shown is the list\'s total, row for row', async () => {
    await page.locator('.an-headline a[data-drill=headline]').click();
    await page.waitForURL('**/staff/bishkek/analytics/appeals?**');
    await settle(page);
    drillUrl = page.url();
    const url = new URL(drillUrl);
    expect(url.searchParams.get('district')).toBeTruthy();
    expect(url.searchParams.get('category')).toBeTruthy();
    await eventually(() => page.locator('.an-chips .an-chip').count()).toBe(2);
    await eventually(async () => digits((await page.locator('.an-total').textContent())?.split(';')[0] ?? '')).toBe(filtered);
    // "Show more" until the list is whole: as many rows as the figure said.
    for (let i = 0; i < 20 && await page.getByRole('button', { name: 'Показать ещё' }).isVisible(); i++) {
      const rows = await page.locator('.an-drill-table tbody tr').count();
      await page.getByRole('button', { name: 'Показать ещё' }).click();
      await eventually(() => page.locator('.an-drill-table tbody tr').count()).toBeGreaterThan(rows);
    }
    await eventually(() => page.locator('.an-drill-table tbody tr').count()).toBe(filtered);
    // Each row opens its appeal.
    const first = page.locator('.an-drill-table tbody tr th a').first();
    expect(await first.getAttribute('href')).toMatch(/^\/staff\/bishkek\/appeals\/[0-9a-f-]{36}$/);
    await screenshot(page, 'analytics-drill-down');
  }, 60_000);

  it('exports the list as CSV: a file with a header and one line per appeal', async () => {
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.locator('.an-export a[data-format=csv]').first().click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/\.csv$/);
    const text = await readFile((await download.path())!, 'utf8');
    const rows = csvRows(text.replace(/^\uFEFF/, '')).filter((r) => r.some((c) => c !== ''));
    expect(rows.length - 1).toBe(filtered);
    // Every line is an appeal of Bishkek's registry, by its registration number.
    expect(rows.slice(1).every((r) => r.some((c) => /^BSK-\d{4}-\d{6}$/.test(c)))).toBe(true);
  }, 60_000);

  it('removing a chip widens the selection again', async () => {
    await page.locator('.an-chip[data-filter=category] .an-chip-remove').click();
    await page.waitForURL((url) => !url.searchParams.has('category') && url.searchParams.has('district'));
    await settle(page);
    const district = new URL(page.url()).searchParams.get('district')!;
    const wider = await apiGet<{ total: number }>('/analytics/appeals', `district=${district}&limit=1`, analyst);
    expect(wider.total).toBeGreaterThan(filtered);
    await eventually(async () => digits((await page.locator('.an-total').textContent())?.split(';')[0] ?? '')).toBe(wider.total);
  }, 60_000);

  it('the monthly report shows the month against the month before', async () => {
    const summary = await apiGet<Summary>('/analytics/summary', '', analyst);
    const month = summary.period.to;
    const report = await apiGet<{ figures: { appeals: number } }>('/analytics/report', `month=${month}`, analyst);
    await page.goto(`/staff/bishkek/analytics/report?month=${month}`);
    await settle(page);
    const row = page.locator('.an-report-headline tr[data-figure=appeals] td').first();
    expect(digits(await row.textContent())).toBe(report.figures.appeals);
    await screenshot(page, 'analytics-report');
    const violations = await seriousViolations(page);
    expect(violations, describeViolations(violations)).toEqual([]);
  }, 60_000);

  it('the dashboard with its figures reads in Kyrgyz and in English: no raw key, placeholder or leftover English', async () => {
    const index = buildIndex();
    await page.goto('/staff/bishkek/analytics?xr=channel&xc=age_band');
    await settle(page);
    for (const [lang, button] of [['ky', 'Кыргызча'], ['en', 'English']] as const) {
      await page.getByRole('button', { name: button, exact: true }).click();
      await eventually(() => page.locator('html').getAttribute('lang')).toBe(lang);
      await settle(page);
      await page.locator('table[data-by=category_group] tbody tr').first().waitFor();
      await screenshot(page, `analytics-dashboard-${lang}`);
      expect(findOffenders(await readableText(page), lang, index)).toEqual([]);
    }
    await page.getByRole('button', { name: 'Русский', exact: true }).click();
  }, 60_000);
});

describe('the public dashboard, in every language', () => {
  const index = buildIndex();
  for (const lang of LANGUAGES) {
    it(`renders the headline figures and the map in ${lang}, with no raw key or leftover English`, async () => {
      const context = await newContext(browser, { baseUrl: server.baseUrl, lang });
      contexts.push(context);
      await blankTiles(context);
      const page = await context.newPage();
      const problems = watchProblems(page, anonymousMe);
      await page.goto('/bishkek/dashboard');
      await settle(page);
      const expected = await apiGet<{ figures: { appeals: number } }>('/public/analytics');
      expect(expected.figures.appeals).toBeGreaterThanOrEqual(APPEALS);
      const shown = page.locator('[data-figure=appeals] .sc-tile-value');
      await expect.poll(() => shown.isVisible()).toBe(true);
      expect(digits(await shown.textContent())).toBe(expected.figures.appeals);
      expect(await page.locator('html').getAttribute('lang')).toBe(lang);
      await eventually(() => page.locator('.an-map .leaflet-interactive').count()).toBeGreaterThan(10);
      // The forms of the law are named and explained; the open data is linked.
      await eventually(() => page.locator('table[data-dim=form] tbody tr').count()).toBe(3);
      expect(await page.locator('a[href="/api/v1/m/bishkek/open-data"]').count()).toBe(1);
      await screenshot(page, `analytics-public-${lang}`);
      expect(findOffenders(await readableText(page), lang, index)).toEqual([]);
      const violations = await seriousViolations(page);
      expect(violations, describeViolations(violations)).toEqual([]);
      expect(problems.take()).toEqual([]);
    }, 60_000);
  }
});
