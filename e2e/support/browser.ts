/**
 * The browser side of the end-to-end tests: Debian's Chromium driven by playwright-core (no browser download), one
 * context per language and identity, console-error capture, waiting for a page to settle, screenshots under
 * test-results/screenshots/, and axe-core accessibility checks.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { expect } from 'vitest';
import { repoRoot } from './server.js';

export const CHROMIUM = '/usr/bin/chromium';
export const LANGUAGES = ['ky', 'ru', 'en'] as const;
export type Lang = (typeof LANGUAGES)[number];
export const SCREENSHOT_DIR = join(repoRoot, 'test-results', 'screenshots');

const BROWSER_LOCALE: Record<Lang, string> = { ky: 'ky-KG', ru: 'ru-RU', en: 'en-US' };

export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`The end-to-end tests drive Debian's Chromium at ${CHROMIUM}, which is not installed: apt-get install -y chromium`);
  }
  // A fresh temporary profile per launch (playwright's default), no background traffic.
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

export interface ContextOptions {
  baseUrl: string;
  lang: Lang;
  /** A session token (citizen or staff) to start signed in. */
  sessionToken?: string | undefined;
}

/** A new, empty browser context in `lang` (the app's remembered choice), optionally signed in. */
export async function newContext(browser: Browser, { baseUrl, lang, sessionToken }: ContextOptions): Promise<BrowserContext> {
  const context = await browser.newContext({
    baseURL: baseUrl, locale: BROWSER_LOCALE[lang], viewport: { width: 1280, height: 900 }, bypassCSP: true,
    timezoneId: 'Asia/Bishkek',
  });
  context.setDefaultTimeout(15_000);
  context.setDefaultNavigationTimeout(30_000);
  await context.addInitScript((l: string) => {
    try { if (!localStorage.getItem('shaar.language')) localStorage.setItem('shaar.language', l); } catch { /* about:blank */ }
  }, lang);
  if (sessionToken) {
    await context.addCookies([{ name: 'shaar_session', value: sessionToken, url: baseUrl, httpOnly: true, sameSite: 'Lax' }]);
  }
  return context;
}

/** What went wrong in a page: console errors, uncaught exceptions, failed requests. */
export interface PageProblems {
  /** Everything collected since the last take(), as lines. */
  take(): string[];
}

/**
 * Collects console errors and uncaught exceptions of a page. `allowed(url, status)` exempts an expected failed
 * request (e.g. the 401 of /api/v1/auth/me that tells the app nobody is signed in).
 */
export function watchProblems(page: Page, allowed: (url: string, status: number) => boolean = () => false): PageProblems {
  let lines: string[] = [];
  const statuses = new Map<string, number>();
  page.on('response', (res) => { if (res.status() >= 400) statuses.set(res.url(), res.status()); });
  page.on('console', (msg) => {
    if (msg.type() !== 'error') return;
    const url = msg.location().url;
    const status = statuses.get(url) ?? Number(/status of (\d{3})/.exec(msg.text())?.[1] ?? 0);
    if (/^Failed to load resource/.test(msg.text()) && allowed(url, status)) return;
    lines.push(`console.error: ${msg.text()}${url ? ` (${url})` : ''}`);
  });
  page.on('pageerror', (err) => { lines.push(`uncaught: ${err.name}: ${err.message}`); });
  return {
    take() { const out = lines; lines = []; return out; },
  };
}

/** The 401 of /api/v1/auth/me: how the app learns that nobody is signed in (expected on anonymous pages). */
export const anonymousMe = (url: string, status: number) => status === 401 && new URL(url).pathname === '/api/v1/auth/me';

/**
 * Waits until the page has settled: no requests in flight, an <h1>, and no "Loading…" placeholder left. `ready`
 * may add a page-specific condition (a locator that must be visible).
 */
export async function settle(page: Page): Promise<void> {
  await page.waitForLoadState('networkidle');
  await page.locator('h1').first().waitFor({ state: 'visible' });
  await page.waitForFunction(() => !document.querySelector('.loading'), undefined, { timeout: 15_000 });
  await page.waitForLoadState('networkidle');
}

/** Opens a path of the app and waits for it to settle. */
export async function open(page: Page, path: string): Promise<void> {
  await page.goto(path, { waitUntil: 'load' });
  await settle(page);
}

/** A full-page screenshot test-results/screenshots/<name>.png. */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const path = join(SCREENSHOT_DIR, `${name.replace(/[^\w.-]+/g, '_')}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

// ---- axe-core ------------------------------------------------------------------------------------------------

const AXE_PATH = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  helpUrl: string;
  nodes: { target: string[]; html: string; failureSummary: string }[];
}

/** axe-core's WCAG 2.0/2.1 A and AA violations of the page as it is now, with impact serious or critical. */
export async function seriousViolations(page: Page): Promise<AxeViolation[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.addScriptTag({ path: AXE_PATH });
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (ctx: unknown, opts: unknown) => Promise<{ violations: unknown[] }> } }).axe;
    const result = await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] }, resultTypes: ['violations'] });
    return result.violations as {
      id: string; impact: string | null; help: string; helpUrl: string;
      nodes: { target: unknown[]; html: string; failureSummary?: string }[];
    }[];
  });
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => ({
      id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
      nodes: v.nodes.map((n) => ({ target: n.target.map(String), html: n.html, failureSummary: n.failureSummary ?? '' })),
    }));
}

/** Violations as readable lines: rule, impact, help, and each offending element. */
export function describeViolations(violations: AxeViolation[]): string {
  return violations.map((v) => [
    `  [${v.impact}] ${v.id}: ${v.help} (${v.helpUrl})`,
    ...v.nodes.slice(0, 8).map((n) => `      at ${n.target.join(' ')}: ${n.html.slice(0, 200)}\n        ${n.failureSummary.replace(/\n/g, '\n        ')}`),
    ...(v.nodes.length > 8 ? [`      … and ${v.nodes.length - 8} more`] : []),
  ].join('\n')).join('\n');
}

/** expect.poll with room for a slow machine: retries `fn` for up to 15 s. */
export function eventually<T>(fn: () => T | Promise<T>) {
  return expect.poll(fn, { timeout: 15_000, interval: 100 });
}

/** A demo staff member of Bishkek signs in through the Russian sign-in page and lands in the inbox. */
export async function staffSignIn(browser: Browser, baseUrl: string, email: string): Promise<{ context: BrowserContext; page: Page; problems: PageProblems }> {
  const context = await newContext(browser, { baseUrl, lang: 'ru' });
  const page = await context.newPage();
  const problems = watchProblems(page, anonymousMe);
  await page.goto('/staff/signin');
  await settle(page);
  await eventually(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Вход для сотрудников');
  await page.getByLabel(/^Город/).selectOption('bishkek');
  await page.getByLabel(/^E-mail/).fill(email);
  await page.getByLabel(/^Пароль/).fill('shaar-demo-2026');
  await page.getByRole('button', { name: 'Войти' }).click();
  await page.waitForURL('**/staff/bishkek/inbox');
  await settle(page);
  return { context, page, problems };
}
