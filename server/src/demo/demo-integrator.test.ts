/** The demo integrator's key: printed at start, it must authenticate as an integrator of its city, once per city. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { createTestApp, type TestApp } from '../test-support/test-app.js';
import { queryRows } from '../platform/db/database.js';
import { demoIntegratorKey, seedDemoIntegrators } from './demo-integrator.js';

let t: TestApp;
beforeAll(async () => { t = await createTestApp(); });
afterAll(async () => { await t.close(); });

describe('the demo integrator', () => {
  it('gets one key per city, which signs in as that city\'s integrator with write and read scopes', async () => {
    const printed = await seedDemoIntegrators(t.services.database.db, ['bishkek', 'osh']);
    await seedDemoIntegrators(t.services.database.db, ['bishkek', 'osh']); // a second start adds nothing
    expect(printed.map((p) => p.key)).toEqual([demoIntegratorKey('bishkek'), demoIntegratorKey('osh')]);
    const [rows] = await queryRows<{ n: number }>(t.services.database.db, sql`select count(*)::int as n from api_keys where prefix like 'demo%'`);
    expect(rows!.n).toBe(2);
    const { municipalityId } = await t.ids('bishkek');
    const principal = await t.services.auth.principalFromApiKey(printed[0]!.key);
    expect(principal).toMatchObject({ kind: 'integrator', municipalityId, scopes: ['appeals:write', 'appeals:read'] });
    expect(await t.services.auth.principalFromApiKey(`${printed[0]!.key}x`)).toBeNull();
  });
});
