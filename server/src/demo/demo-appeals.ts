/**
 * Demo registry: on a demo install's first start, a few thousand fictional appeals of Bishkek over the last two
 * years (the synthetic generator, with planted systemic problems), so the dashboards, maps and scorecards have
 * something to show. Written once: a registry holding synthetic appeals already is left alone.
 */
import { sql } from 'drizzle-orm';
import { queryRows, type Db } from '../platform/db/database.js';
import { generateSynthetic } from '../synthetic/generate.js';
import { loadReference, writeSynthetic } from '../synthetic/write.js';

export async function seedDemoAppeals(db: Db, appeals: number, now: Date): Promise<number> {
  if (appeals <= 0) return 0;
  const ref = await loadReference(db, 'bishkek');
  if (!ref) return 0;
  const [present] = await queryRows<{ n: number }>(db, sql`
    select count(*)::int as n from appeals where municipality_id = ${ref.municipality.id} and source like 'synthetic:%'`);
  if (Number(present?.n ?? 0) > 0) return 0;
  const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
  const data = generateSynthetic(ref, {
    appeals, seed: 2026, from: day(now.getTime() - 730 * 86_400_000), to: day(now.getTime() - 86_400_000), now, planted: 4,
  });
  await writeSynthetic(db, ref, data, { source: 'synthetic:2026' });
  // Their times are in the past, where no incremental refresh looks: the analytics job builds the cube whole.
  await db.execute(sql`delete from analytics_refresh_state where municipality_id = ${ref.municipality.id}`);
  return data.appeals.length;
}
