/**
 * Every page of the app in Kyrgyz, Russian and English: it loads without console errors or uncaught exceptions,
 * <html lang> is the language, axe-core finds no WCAG 2.1 A/AA violation of impact serious or critical, and a
 * screenshot is saved to test-results/screenshots/pages-<lang>-<page>.png.
 */
import { afterAll, beforeAll, describe, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { describeViolations, launchBrowser, LANGUAGES, screenshot, seriousViolations } from './support/browser.js';
import { buildScene, PAGE_NAMES, Visitors, type PageSpec, type Scene } from './support/scene.js';
import { startE2EServer, type E2EServer } from './support/server.js';

let server: E2EServer;
let browser: Browser;
let scene: Scene;
let visitors: Visitors;

beforeAll(async () => {
  server = await startE2EServer();
  browser = await launchBrowser();
  scene = await buildScene(server);
  visitors = new Visitors(browser, server, scene);
}, 300_000);

afterAll(async () => {
  await visitors?.close();
  await browser?.close().catch(() => {});
  await server?.stop();
}, 60_000);

// The tests are named from the scene's page list, known before the scene exists; the addresses (some with the
// scene's ids) are taken from the scene when each test runs.
function spec(name: string): PageSpec {
  const found = scene.pages.find((p) => p.name === name);
  if (!found) throw new Error(`no page ${name} in the scene (it has ${scene.pages.map((p) => p.name).join(', ')})`);
  return found;
}

for (const lang of LANGUAGES) {
  describe(`every page in ${lang}`, () => {
    for (const name of PAGE_NAMES) {
      it(`${name} loads cleanly, in ${lang}, with no serious accessibility violation`, async () => {
        const page = spec(name);
        const { page: tab, problems } = await visitors.visit(page, lang);
        await screenshot(tab, `pages-${lang}-${name}`);
        const issues: string[] = [];

        const htmlLang = await tab.locator('html').getAttribute('lang');
        if (htmlLang !== lang) issues.push(`<html lang> is "${htmlLang}", not "${lang}"`);

        const violations = await seriousViolations(tab);
        if (violations.length) issues.push(`axe-core: ${violations.length} serious/critical violation(s):\n${describeViolations(violations)}`);

        // Console errors last: axe and the screenshot ran in the page too.
        const errors = problems.take();
        if (errors.length) issues.push(`console errors and uncaught exceptions:\n${errors.map((e) => `  ${e}`).join('\n')}`);

        if (issues.length) throw new Error(`${name} (${lang}) at ${page.path} as ${page.who}:\n${issues.join('\n')}`);
      }, 60_000);
    }
  });
}
