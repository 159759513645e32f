/**
 * The import tried on real data: 10,000 San Francisco 311 cases (../shared/data/sf311-sample, DataSF, PDDL) mapped
 * into a city's registry (Category → our categories, Source → channel, Opened/Closed, Point → lat/lon, CaseID →
 * external id), then the analytics cube rebuilt and the analytics API asked for appeals per channel: the counts
 * must equal the file's cases per mapped source, rejected rows excluded.
 *
 * The points lie in San Francisco, not Bishkek: the import keeps them; no district boundary contains them, so the
 * appeals have no district (the maps' district layer leaves them out; the point layer would show them far away).
 * The file's local times are read as the city's local times.
 */
import { createReadStream, existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq, sql } from 'drizzle-orm';
import { createTestApp, json, type Session, type TestApp } from '../../test-support/test-app.js';
import { appeals } from '../../platform/db/schema.js';
import { refreshAnalytics } from '../analytics/analytics-refresh.js';
import { csvRecords } from './csv-stream.js';
import { multipartFile } from './import-test-support.js';

const FILE = fileURLToPath(new URL('../../../../../shared/data/sf311-sample/cases_sample_10000.csv', import.meta.url));
const present = existsSync(FILE);
if (!present) console.warn(`sf311 import test skipped: ${FILE} is absent (it lives beside the repository in ../shared/data)`);

const CHANNELS: Record<string, string> = { 'Voice In': 'phone', 'Web Self Service': 'web', 'Open311': 'open311' };
const CATEGORIES: Record<string, string> = {
  'Street and Sidewalk Cleaning': 'cleaning.street', 'Graffiti Public Property': 'cleaning.street', 'Graffiti Private Property': 'cleaning.street',
  'Illegal Postings': 'cleaning.street', 'Litter Receptacles': 'cleaning.rubbish', 'Abandoned Vehicle': 'roads.parking',
  'Street Defects': 'roads.pothole', 'Sidewalk or Curb': 'roads.sidewalk', 'Blocked Street or SideWalk': 'roads.sidewalk', 'Sign Repair': 'roads.stop',
  'Sewer Issues': 'water.sewer', 'Catch Basin Maintenance': 'water.manhole', 'Streetlights': 'lighting.off', 'Tree Maintenance': 'greenery.tree',
  'Rec and Park Requests': 'parks.playground', 'MUNI Feedback': 'transport.driver',
};

describe.skipIf(!present)('the sf311 sample imported and analysed', () => {
  let t: TestApp;
  let admin: Session;
  beforeAll(async () => {
    t = await createTestApp();
    admin = await t.staff('admin');
  });
  afterAll(async () => { await t?.close(); });

  it('imports the cases with their channels and the analytics count them per channel', async () => {
    const base = '/api/v1/m/bishkek/admin/imports';
    const created = await t.app.inject({ method: 'POST', url: `${base}/sources`, headers: admin.headers, payload: {
      code: 'sf311', name: 'SF311 sample', channel: 'import',
      mapping: {
        language: 'en', externalId: 'CaseID',
        receivedAt: { column: 'Opened', format: 'MM/DD/YYYY hh:mm:ss A' },
        closedAt: { column: 'Closed', format: 'MM/DD/YYYY hh:mm:ss A' },
        kind: { constant: 'statement' },
        category: { column: 'Category', values: CATEGORIES, default: 'building' },
        channel: { column: 'Source', values: CHANNELS },
        address: { column: 'Address' },
        location: { point: 'Point' },
        subject: { template: '{Category}: {Request.Type}' },
        body: { template: '{Request.Type} — {Request.Details}. {Address}' },
      },
    } });
    expect(created.statusCode, created.body).toBe(201);
    const upload = multipartFile(await readFile(FILE), 'cases_sample_10000.csv');
    const res = await t.app.inject({
      method: 'POST', url: `${base}/sources/${json(created).id}/runs?dryRun=false`, payload: upload.payload, headers: { ...admin.headers, ...upload.headers },
    });
    expect(res.statusCode, res.body).toBe(201);
    const run = json(res);
    expect(run.status).toBe('done');

    // The file's own counts, read independently of the mapping: data rows, and per source without the rejected.
    const errors = json(await t.app.inject({ method: 'GET', url: `${base}/runs/${run.id}/errors?limit=1000`, headers: admin.headers }));
    const rejected = new Set<number>(errors.items.map((e: { rowNumber: number }) => e.rowNumber));
    expect(rejected.size).toBe(run.rowsRejected);
    const expected = new Map<string, number>();
    let rows = 0;
    let header: string[] | null = null;
    for await (const group of csvRecords(createReadStream(FILE))) {
      for (const rec of group) {
        if (!header) { header = rec; continue; }
        rows++;
        if (rejected.has(rows)) continue;
        const channel = CHANNELS[rec[header.indexOf('Source')]!] ?? 'import';
        expected.set(channel, (expected.get(channel) ?? 0) + 1);
      }
    }
    expect(run.rowsTotal).toBe(rows);
    expect(rows).toBeGreaterThan(9000);
    // Real data has a few bad rows; each is reported with its reason, and they are few.
    expect(run.rowsRejected).toBeLessThan(rows * 0.02);
    for (const e of errors.items) expect(e.message.length).toBeGreaterThan(10);
    expect(run.rowsImported).toBe(rows - run.rowsRejected);

    const mid = (await t.ids()).municipalityId;
    const db = t.services.database.db;
    const [outside] = await db.select({ n: sql<number>`count(*)::int`, withPoint: sql<number>`count(lat)::int`, withDistrict: sql<number>`count(district_id)::int` })
      .from(appeals).where(and(eq(appeals.municipalityId, mid), eq(appeals.source, 'sf311')));
    expect(Number(outside!.n)).toBe(run.rowsImported);
    expect(Number(outside!.withPoint)).toBeGreaterThan(Number(outside!.n) * 0.9);
    expect(Number(outside!.withDistrict)).toBe(0);

    await refreshAnalytics(db, t.clock, mid, 'Asia/Bishkek', { full: true });
    const analyst = await t.staff('analyst');
    const br = await t.app.inject({ method: 'GET', url: '/api/v1/m/bishkek/analytics/breakdown?by=channel&from=2008-01&to=2016-12', headers: analyst.headers });
    expect(br.statusCode, br.body).toBe(200);
    const got = new Map<string, number>(json(br).rows.map((r: { key: string; figures: { appeals: number } }) => [r.key, r.figures.appeals]));
    for (const [channel, n] of got) if (n === 0) got.delete(channel);
    expect(Object.fromEntries(got)).toEqual(Object.fromEntries(expected));
    expect(json(br).total.appeals).toBe(run.rowsImported);
  }, 180_000);
});
