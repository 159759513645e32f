/**
 * A resident in the land dialogue, in English through the real browser, by roles and accessible names only: watches
 * a district ("My area"), comments on the demo announcement open for comment, proposes a playground for that plot
 * from its passport (with a sketch), supports the proposal and withdraws the support, replies to and reports a
 * comment, sees a hidden one replaced by the moderator's reason, and registers for a public hearing and cancels.
 * Screenshots: test-results/screenshots/land-resident-*.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { citizenSession, pngPhoto, staffSession } from './support/api.js';
import { eventually, launchBrowser, newContext, open, screenshot, settle, watchProblems, type PageProblems } from './support/browser.js';
import { startE2EServer, type E2EServer } from './support/server.js';

const COMMENT = 'A good place for a summer terrace, if the sidewalk stays free.';
const TITLE = 'Playground in the courtyard';
const AUTHOR = 'Aigul S.';
const DESCRIPTION = 'There is no playground nearby: children play in the car park. Swings and a slide would do.';

let server: E2EServer;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let problems: PageProblems;
let announcementPath = '';

beforeAll(async () => {
  server = await startE2EServer();
  browser = await launchBrowser();
  const session = await citizenSession(server, 'land.resident@example.org');
  context = await newContext(browser, { baseUrl: server.baseUrl, lang: 'en', sessionToken: session.token });
  // Map tiles come from a blank image: no network in tests.
  const blankTile = pngPhoto(1, 1);
  await context.route(/^https?:\/\/[^/]*tile\.openstreetmap\.org\//, (route) => route.fulfill({ status: 200, contentType: 'image/png', body: blankTile }));
  page = await context.newPage();
  // The one expected refusal: the proposal sent before the resident gave a public name.
  problems = watchProblems(page, (url, status) => status === 400 && new URL(url).pathname === '/api/v1/m/bishkek/land/proposals');
}, 300_000);

afterAll(async () => {
  await context?.close().catch(() => {});
  await browser?.close().catch(() => {});
  await server?.stop();
}, 60_000);

describe('a resident in the land dialogue (en)', () => {
  it('finds the land pages from the menu and watches a district', async () => {
    await open(page, '/bishkek/my');
    await page.getByRole('navigation', { name: 'Main menu' }).getByRole('link', { name: 'Land' }).click();
    await settle(page);
    await eventually(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Municipal land');
    await page.getByRole('link', { name: 'My area: notifications' }).click();
    await settle(page);
    await page.getByRole('combobox', { name: 'District' }).selectOption({ index: 1 });
    await page.getByRole('button', { name: 'Watch this district' }).click();
    await expect.poll(() => page.getByRole('listitem').filter({ hasText: /^District: / }).count()).toBe(1);
    await screenshot(page, 'land-resident-01-my-area');
  }, 60_000);

  it('comments on the announcement open for comment', async () => {
    await open(page, '/bishkek/land');
    await page.getByRole('region', { name: 'Open for comment' }).getByRole('link').first().click();
    await settle(page);
    await expect.poll(() => page.getByRole('status').filter({ hasText: 'Comment now until' }).count()).toBeGreaterThan(0);
    await page.getByRole('textbox', { name: 'Your comment' }).fill(COMMENT);
    await page.getByRole('textbox', { name: 'Your public name' }).fill(AUTHOR);
    await page.getByRole('button', { name: 'Send comment' }).click();
    await page.getByRole('article', { name: `Comment by ${AUTHOR}` }).getByText(COMMENT).waitFor();
    announcementPath = new URL(page.url()).pathname;
    await screenshot(page, 'land-resident-02-commented');
  }, 60_000);

  it('proposes a use from the plot passport', async () => {
    await page.getByRole('definition').getByRole('link').first().click();
    await settle(page);
    await page.getByRole('link', { name: 'Propose a use for this plot' }).click();
    await settle(page);
    await page.getByRole('combobox', { name: 'Proposed use' }).selectOption({ label: 'Playground' });
    await page.getByRole('textbox', { name: 'Title' }).fill(TITLE);
    await page.getByRole('textbox', { name: 'Description' }).fill(DESCRIPTION);
    // The account has no name: the server asks for a public name, and the form says so beside that field.
    await page.getByRole('button', { name: 'Send the proposal' }).click();
    const name = page.getByRole('textbox', { name: 'Your public name' });
    await expect.poll(() => name.getAttribute('aria-invalid')).toBe('true');
    const describedBy = (await name.getAttribute('aria-describedby')) ?? '';
    expect(await page.locator(`[id="${describedBy.split(' ').at(-1)}"]`).textContent()).toMatch(/your account has no name/);
    await name.fill(AUTHOR);
    await page.getByLabel('Sketches or photos (optional)').setInputFiles({ name: 'sketch.png', mimeType: 'image/png', buffer: pngPhoto(120, 80) });
    await page.getByRole('button', { name: 'Send the proposal' }).click();
    await page.getByText('Your proposal is published.').waitFor();
    // The sketch was uploaded once the proposal existed.
    await page.getByRole('img', { name: 'Attachment sketch.png' }).waitFor();
    await eventually(() => page.getByRole('heading', { level: 1 }).textContent()).toBe(TITLE);
    await screenshot(page, 'land-resident-03-proposed');
  }, 60_000);

  it('proposes for another place without the map: a plot nearby gives the coordinates', async () => {
    const url = page.url();
    await open(page, '/bishkek/land/proposals/new');
    await page.getByRole('radio', { name: 'Another place' }).check();
    await page.getByRole('textbox', { name: 'The place in words' }).fill('The yard behind house 12');
    await page.getByRole('combobox', { name: 'Or: the centre of a plot nearby' }).selectOption({ index: 1 });
    await page.getByRole('button', { name: "Use the plot's centre" }).click();
    await expect.poll(() => page.getByRole('textbox', { name: 'Latitude' }).inputValue()).toMatch(/^42\.\d+$/);
    await page.getByRole('combobox', { name: 'Proposed use' }).selectOption({ label: 'Green area' });
    await page.getByRole('textbox', { name: 'Title' }).fill('Trees along the yard');
    await page.getByRole('textbox', { name: 'Description' }).fill('A row of elms would shade the yard in summer.');
    await page.getByRole('textbox', { name: 'Your public name' }).fill(AUTHOR);
    await page.getByRole('button', { name: 'Send the proposal' }).click();
    await page.getByText('Your proposal is published.').waitFor();
    await page.getByText(/^latitude 42\.\d+, longitude 74\.\d+$/).waitFor();
    await page.getByText('Place: The yard behind house 12').waitFor();
    await open(page, new URL(url).pathname);
  }, 60_000);

  it('supports the proposal and withdraws the support', async () => {
    await page.getByRole('button', { name: 'Support this proposal' }).click();
    await page.getByText('You support this').waitFor();
    await expect.poll(() => page.getByRole('status').filter({ hasText: /^1 of \d+ supports/ }).count()).toBe(1);
    await page.getByRole('button', { name: 'Withdraw my support' }).click();
    await page.getByRole('button', { name: 'Support this proposal' }).waitFor();
    await expect.poll(() => page.getByRole('status').filter({ hasText: /^0 of \d+ supports/ }).count()).toBe(1);
    await screenshot(page, 'land-resident-04-supported');
  }, 60_000);

  it('replies, reports a comment, and sees a hidden one replaced by the moderator\'s reason', async () => {
    await open(page, announcementPath);
    const comment = page.getByRole('article', { name: `Comment by ${AUTHOR}` }).first();
    await comment.getByRole('button', { name: 'Reply' }).click();
    await page.getByRole('textbox', { name: 'Your reply' }).fill('And a bench, please.');
    await page.getByRole('button', { name: 'Send reply' }).click();
    await expect.poll(() => page.getByRole('article', { name: `Comment by ${AUTHOR}` }).count()).toBe(2);
    await page.getByRole('article', { name: `Comment by ${AUTHOR}` }).first().getByRole('button', { name: 'Report' }).click();
    await page.getByRole('textbox', { name: 'Why should moderators look at this comment?' }).fill('Testing the report form');
    await page.getByRole('button', { name: 'Send report' }).click();
    await page.getByText('Thank you: the moderators will look at the comment.').waitFor();

    // A moderator hides the first comment: the page keeps its place in the thread and shows only the reason.
    const admin = await staffSession(server, 'admin');
    const id = announcementPath.split('/').at(-1)!;
    const list = await (await fetch(`${server.baseUrl}/api/v1/m/bishkek/land/announcements/${id}/comments`)).json() as { items: { id: string; body: string | null }[] };
    const target = list.items.find((c) => c.body === COMMENT)!;
    const hide = await fetch(`${server.baseUrl}/api/v1/m/bishkek/admin/land/comments/${target.id}/hide`, {
      method: 'POST', headers: { ...admin.headers, 'content-type': 'application/json' }, body: JSON.stringify({ reason: 'Off topic' }),
    });
    expect(hide.status).toBe(200);
    await open(page, announcementPath);
    await page.getByText('Hidden by a moderator: Off topic').waitFor();
    expect(await page.getByText(COMMENT).count()).toBe(0);
    await screenshot(page, 'land-resident-05-hidden');
  }, 60_000);

  it('registers for a public hearing and cancels the registration', async () => {
    const admin = await staffSession(server, 'admin');
    const res = await fetch(`${server.baseUrl}/api/v1/m/bishkek/admin/land/hearings`, {
      method: 'POST', headers: { ...admin.headers, 'content-type': 'application/json' },
      body: JSON.stringify({ announcementId: announcementPath.split('/').at(-1), title: 'Hearing on the terrace', place: 'City hall, room 2', capacity: 50,
        startsAt: new Date(Date.now() + 3 * 86_400_000).toISOString() }),
    });
    expect(res.status).toBe(201);
    const hearing = await res.json() as { id: string };
    await open(page, `/bishkek/land/hearings/${hearing.id}`);
    await page.getByRole('button', { name: 'Register for the hearing' }).click();
    await page.getByText('You are registered.').waitFor();
    await page.getByText('1 of 50 places').waitFor();
    await page.getByRole('button', { name: 'Cancel my registration' }).click();
    await page.getByRole('button', { name: 'Register for the hearing' }).waitFor();
    await page.getByText('0 of 50 places').waitFor();
    expect(problems.take()).toEqual([]);
  }, 60_000);
});
