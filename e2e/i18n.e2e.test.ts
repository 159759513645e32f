/**
 * Every page in Kyrgyz and Russian, as it first shows and in the states a user gets to (validation messages, the
 * server's errors, the code step of sign-in, each action form of an appeal and the answer composer's warnings, the
 * resident's rating form, each decision form of the review and extension queues, each admin form and dialog), must show
 * no raw message key, no unfilled {{placeholder}}, no raw enum value, no English left over from the English
 * catalogs, and — in Kyrgyz — no date written the Russian way. Offenders are reported with the page and the text.
 */
import { afterAll, beforeAll, describe, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, screenshot, settle, type Lang } from './support/browser.js';
import { buildIndex, findOffenders, readableText, type I18nIndex, type Offender } from './support/i18n.js';
import { ADMIN_SECTIONS, buildScene, PAGE_NAMES, Visitors, type PageSpec, type Scene } from './support/scene.js';
import { startE2EServer, type E2EServer } from './support/server.js';

const LANGS: Lang[] = ['ky', 'ru'];

let server: E2EServer;
let browser: Browser;
let scene: Scene;
let visitors: Visitors;
let index: I18nIndex;

beforeAll(async () => {
  index = buildIndex();
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

function spec(name: string): PageSpec {
  const found = scene.pages.find((p) => p.name === name);
  if (!found) throw new Error(`no page ${name} in the scene`);
  return found;
}

/** Collects the offenders of each state of a page, and fails once at the end with all of them. */
class Findings {
  private readonly lines: string[] = [];
  constructor(private readonly lang: Lang) {}

  async scan(page: Page, state: string): Promise<void> {
    await screenshot(page, `i18n-${this.lang}-${state}`);
    const offenders = findOffenders(await readableText(page, scene.dataTexts), this.lang, index);
    if (offenders.length) this.lines.push(`${state} (${new URL(page.url()).pathname}):\n${offenders.map(line).join('\n')}`);
  }

  assert(): void {
    if (this.lines.length) throw new Error(`in ${this.lang}:\n${this.lines.join('\n')}`);
  }
}

const line = (o: Offender) => `  ${o.kind}: "${o.text}"  …${o.context}…`;

/**
 * Empties a form's fields (text, numbers, dates, and selects that have an empty choice) so that submitting it shows
 * its validation messages and changes nothing.
 */
async function emptyFields(page: Page, form: string): Promise<void> {
  for (const input of await page.locator(`${form} input:not([type=checkbox]):not([type=radio]):not([type=file]):not([type=hidden]), ${form} textarea`).all()) {
    if (await input.isEditable()) await input.fill('');
  }
  for (const select of await page.locator(`${form} select`).all()) {
    if (await select.locator('option[value=""]').count()) await select.selectOption('');
  }
}

/** Clicks and waits until the page has settled again (requests done, no "Loading…"). */
async function press(page: Page, selector: string, nth = 0): Promise<void> {
  await page.locator(selector).nth(nth).click();
  await settle(page);
}

for (const lang of LANGS) {
  describe(`${lang}: every page as it opens`, () => {
    for (const name of PAGE_NAMES) {
      it(`${name} has no raw key or leftover English in ${lang}`, async () => {
        const findings = new Findings(lang);
        const { page } = await visitors.visit(spec(name), lang);
        await findings.scan(page, name);
        findings.assert();
      }, 60_000);
    }
  });

  describe(`${lang}: the states users get to`, () => {
    it(`sign-in: an empty field, the code step, a wrong code (${lang})`, async () => {
      const findings = new Findings(lang);
      const { page } = await visitors.visit(spec('signin'), lang);
      await press(page, 'main form button[type=submit]');
      await page.locator('main .error-text').first().waitFor();
      await findings.scan(page, 'signin-empty');
      await page.locator('input[name=destination]').fill(`i18n.${lang}@example.org`);
      await press(page, 'main form button[type=submit]');
      await page.locator('input[name=code]').waitFor();
      await findings.scan(page, 'signin-code-step');
      await page.locator('input[name=code]').fill('000000');
      await press(page, 'main form button[type=submit]');
      await page.locator('main .error-text').first().waitFor();
      await findings.scan(page, 'signin-wrong-code');
      findings.assert();
    }, 60_000);

    it(`new appeal: the error summary and the map (${lang})`, async () => {
      const findings = new Findings(lang);
      const { page } = await visitors.visit(spec('new-appeal'), lang);
      await press(page, 'main form .r-submit button[type=submit]');
      await page.locator('.r-error-summary').waitFor();
      await findings.scan(page, 'new-appeal-errors');
      await page.locator('#f-subject input').fill('Тест');
      await page.locator('#f-location button[aria-expanded]').click();
      await page.locator('.leaflet-control-zoom').waitFor();
      await findings.scan(page, 'new-appeal-map');
      findings.assert();
    }, 60_000);

    it(`staff sign-in: a wrong password (${lang})`, async () => {
      const findings = new Findings(lang);
      const { page } = await visitors.visit(spec('staff-signin'), lang);
      await press(page, 'main form button[type=submit]');
      await page.locator('main [role=alert]').first().waitFor();
      await findings.scan(page, 'staff-signin-empty');
      await page.locator('input[type=email]').fill('admin@bishkek.example');
      await page.locator('input[type=password]').fill('not-the-password');
      await press(page, 'main form button[type=submit]');
      await page.locator('main [role=alert]').first().waitFor();
      await findings.scan(page, 'staff-signin-wrong-password');
      findings.assert();
    }, 60_000);

    it(`inbox: bulk assignment without a target, a saved filter without a name (${lang})`, async () => {
      const findings = new Findings(lang);
      const { page } = await visitors.visit(spec('inbox'), lang);
      await page.locator('.inbox-table thead input[type=checkbox]').check();
      await press(page, '.bulk-bar button[type=submit]');
      await page.locator('.bulk-bar .alert').waitFor();
      await press(page, '.saved-filters button[type=submit]');
      await page.locator('.saved-filters .error-text').waitFor();
      await findings.scan(page, 'inbox-bulk-and-filter-errors');
      findings.assert();
    }, 60_000);

    it(`reception: the errors, a letter, duplicate hints (${lang})`, async () => {
      const findings = new Findings(lang);
      const { page } = await visitors.visit(spec('reception'), lang);
      await press(page, '.reception-form button[type=submit]');
      await page.locator('.reception-form .error-text').first().waitFor();
      await findings.scan(page, 'reception-errors');
      await page.locator('.reception-form select').first().selectOption('letter');
      await page.locator('.reception-form input[type=tel]').fill('+996 700 123 456');
      await page.locator('.hints-panel .hint-list').first().waitFor();
      await findings.scan(page, 'reception-letter-and-hints');
      findings.assert();
    }, 60_000);

    it(`staff appeal: every action form, with its validation messages; notes (${lang})`, async () => {
      const findings = new Findings(lang);
      const { page } = await visitors.visit({ name: 'staff-appeal-assigned', path: `/staff/bishkek/appeals/${scene.receptionAppealId}`, who: 'admin' }, lang);
      await findings.scan(page, 'staff-appeal-assigned');
      await press(page, '.note-form button[type=submit]');
      await page.locator('.note-form .error-text').waitFor();
      await findings.scan(page, 'staff-appeal-note-empty');
      const formsOf = async (label: string) => {
        const actions = await page.locator('.action-buttons button[data-action]').evaluateAll((els) => els.map((e) => e.getAttribute('data-action')!));
        for (const action of actions) {
          await page.locator(`.action-buttons button[data-action="${action}"]`).click();
          await page.locator('#action-form form').waitFor();
          // Actions with nothing required would be carried out by an empty submit: those are only opened.
          if (!['start', 'close'].includes(action)) {
            await emptyFields(page, '#action-form form');
            await press(page, '#action-form button[type=submit]');
            await page.locator('#action-form .error-text').first().waitFor();
          }
          await findings.scan(page, `${label}-${action}`);
          if (action === 'answer') {
            // An answer long enough for the form but not for the answer check (and, for a street light, without the
            // photo of the result): the composer's warnings, before anything is sent.
            await page.locator('#action-form textarea').fill('Фонарь заменили, спасибо.');
            await press(page, '#action-form button[type=submit]');
            await page.locator('#answer-warnings li').first().waitFor();
            await findings.scan(page, `${label}-answer-warnings`);
          }
        }
        return actions;
      };
      const first = await formsOf('staff-appeal-assigned');
      if (!first.includes('answer')) throw new Error(`the assigned appeal offers no answer action to the admin (only ${first.join(', ')})`);
      await visitors.visit(spec('staff-appeal'), lang);
      await formsOf('staff-appeal-answered');
      findings.assert();
    }, 120_000);

    it(`the resident's rating: the empty form's messages, changing a rating (${lang})`, async () => {
      const findings = new Findings(lang);
      const { page } = await visitors.visit(spec('appeal-to-rate'), lang);
      await press(page, '.r-rating-form button[type=submit]');
      await page.locator('.r-rating-form .error-text').first().waitFor();
      await findings.scan(page, 'rating-empty');
      await visitors.visit(spec('appeal'), lang);
      // The rated answer: "Change the rating" opens the form with the rating in it (not saved here).
      await press(page, '.r-rating .r-row button');
      await page.locator('.r-rating-form').waitFor();
      await findings.scan(page, 'rating-change');
      findings.assert();
    }, 60_000);

    for (const queue of ['reviews', 'extensions'] as const) {
      it(`${queue}: each decision's form, with its message when a reason is required (${lang})`, async () => {
        const findings = new Findings(lang);
        const { page } = await visitors.visit(spec(queue), lang);
        const buttons = page.locator('.queue .decision .row-actions button');
        const count = await buttons.count();
        if (count < 2) throw new Error(`the ${queue} queue offers ${count} decision button(s); the scene should have put a request in it`);
        for (let n = 0; n < count; n++) {
          await buttons.nth(n).click();
          await page.locator('.decision-form').waitFor();
          // A decision without a required reason (approving an extension) would be taken by an empty submit: opened only.
          if (await page.locator('.decision-form textarea[required]').count()) {
            await press(page, '.decision-form button[type=submit]');
            await page.locator('.decision-form .error-text').waitFor();
          }
          await findings.scan(page, `${queue}-decision-${n}`);
        }
        findings.assert();
      }, 60_000);
    }

    it(`systemic problems: a wrong score filter; each decision's form, the merge form, an empty note (${lang})`, async () => {
      const findings = new Findings(lang);
      const { page } = await visitors.visit(spec('systemic'), lang);
      await page.locator('.sp-filters input').fill('7');
      await press(page, '.sp-filters button[type=submit]');
      await page.locator('.sp-filters .error-text').waitFor();
      await findings.scan(page, 'systemic-score-error');
      await visitors.visit(spec('systemic-problem'), lang);
      const buttons = page.locator('.decision .row-actions button');
      const count = await buttons.count();
      if (count < 3) throw new Error(`the systemic problem offers ${count} decision button(s): confirm, dismiss and merge expected`);
      for (let n = 0; n < count; n++) {
        await buttons.nth(n).click();
        await page.locator('.decision-form').first().waitFor();
        // Confirming needs no reason (an empty submit would confirm): opened only. The others show their messages.
        if (await page.locator('.decision-form textarea[required], .decision-form select').count()) {
          await press(page, '.decision-form button[type=submit]');
          await page.locator('.decision-form .error-text').first().waitFor();
        }
        await findings.scan(page, `systemic-decision-${n}`);
        await buttons.nth(n).click();
      }
      await press(page, '.sp-section form[aria-label] button[type=submit]');
      await page.locator('.sp-section form[aria-label] .error-text').waitFor();
      await findings.scan(page, 'systemic-note-empty');
      findings.assert();
    }, 60_000);

    it(`admin outbox: refreshed (${lang})`, async () => {
      const findings = new Findings(lang);
      const { page } = await visitors.visit(spec('admin-outbox'), lang);
      await press(page, '.section-head button');
      await page.locator('.admin .alert-success').waitFor();
      await findings.scan(page, 'admin-outbox-refreshed');
      findings.assert();
    }, 60_000);

    it(`land staff: each form with its messages (${lang})`, async () => {
      const findings = new Findings(lang);
      // Every submit below is refused in the browser (empty or missing fields): nothing in the scene changes.
      const states: { page: string; open?: string; form: string; empty?: boolean }[] = [
        { page: 'land-staff-plots', form: 'main form' },
        { page: 'land-staff-plot', form: 'main form[aria-label]', empty: true },
        { page: 'land-staff-plot', open: '.queue .ls-item button', form: '.queue .ls-item form' },
        { page: 'land-staff-announce', form: 'main form', empty: true },
        { page: 'land-staff-moderation', open: '.ls-report-card .btn-danger', form: '.ls-report-card form' },
        { page: 'land-staff-commission', form: 'section[aria-labelledby=lc-new] form' },
        { page: 'land-staff-meeting', form: '.ls-decision-form' },
        { page: 'land-staff-settings', form: 'main form', empty: true },
        { page: 'land-staff-hearings', form: 'section[aria-labelledby=lh-new] form' },
        { page: 'land-staff-hearing', form: 'section[aria-labelledby=lh-held] form' },
      ];
      for (const [n, state] of states.entries()) {
        const { page } = await visitors.visit(spec(state.page), lang);
        if (state.open) await press(page, state.open);
        if (state.empty) await emptyFields(page, state.form);
        await press(page, `${state.form} button[type=submit]`);
        await page.locator(`${state.form} .error-text, ${state.form} .alert-error`).first().waitFor();
        await findings.scan(page, `${state.page}-messages-${n}`);
      }
      findings.assert();
    }, 120_000);

    for (const section of ADMIN_SECTIONS) {
      it(`admin ${section}: its forms (empty, with their messages) and dialogs (${lang})`, async () => {
        const findings = new Findings(lang);
        const target = spec(`admin-${section}`);
        const { page } = await visitors.visit(target, lang);
        // The "add" buttons beside each list's heading, and the buttons of the first row that has any (edit, delete…).
        const firstRow = () => page.locator('tbody tr').filter({ has: page.locator('.btn-small') }).first().locator('.btn-small');
        const adds = await page.locator('.section-head button').count();
        const rowButtons = await firstRow().count();
        const triggers: { button: () => ReturnType<Page['locator']>; submit: boolean }[] = [
          ...Array.from({ length: adds }, (_, nth) => ({ button: () => page.locator('.section-head button').nth(nth), submit: true })),
          ...Array.from({ length: rowButtons }, (_, nth) => ({ button: () => firstRow().nth(nth), submit: false })),
        ];
        for (const [n, trigger] of triggers.entries()) {
          if (n > 0) await visitors.visit(target, lang);
          await trigger.button().click();
          await settle(page);
          const panel = page.locator('.form-panel form');
          if (trigger.submit && await panel.count()) {
            await emptyFields(page, '.form-panel form');
            await panel.locator('button[type=submit]').first().click();
            await page.locator('.form-panel .error-text, .form-panel .alert-error').first().waitFor();
          }
          await findings.scan(page, `admin-${section}-${trigger.submit ? 'add' : 'row'}-${n}`);
        }
        findings.assert();
      }, 120_000);
    }
  });
}
