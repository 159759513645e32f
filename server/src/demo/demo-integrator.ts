/**
 * The demo integrator: one API key per demo city (appeals:write and appeals:read), with a fixed, published secret like
 * the demo staff passwords, printed at start so a newcomer can point an Open311 client or a mobile app at the
 * server at once. Demo mode only; a real install creates its keys in the admin (the secret is then shown once).
 */
import { sql } from 'drizzle-orm';
import type { Db } from '../platform/db/database.js';
import { sha256 } from '../modules/auth/secrets.js';

const SECRET = 'shaar-demo-2026-integrator';
/** The demo Tunduk consumer of every city (a fictional state portal), allowed to list a person's appeals by ПИН. */
export const DEMO_XROAD_CLIENT = 'KG/GOV/70000001/portal';
export const DEMO_INTEGRATOR_NAME = 'Demo integrator (Open311, city app)';

/** shk_<prefix>_<secret>: the prefix names the city (letters and digits only). */
export const demoIntegratorKey = (slug: string) => `shk_demo${slug.replace(/[^a-z0-9]/g, '')}_${SECRET}`;

export async function seedDemoIntegrators(db: Db, slugs: readonly string[]): Promise<{ municipality: string; key: string; xroadClient: string }[]> {
  const out: { municipality: string; key: string; xroadClient: string }[] = [];
  for (const slug of slugs) {
    const prefix = `demo${slug.replace(/[^a-z0-9]/g, '')}`;
    await db.execute(sql`
      insert into api_keys (municipality_id, name, prefix, secret_hash, scopes)
      select id, ${DEMO_INTEGRATOR_NAME}, ${prefix}, ${sha256(SECRET)}, '{appeals:write,appeals:read}'::text[] from municipalities where slug = ${slug}
      on conflict (municipality_id, prefix) do nothing`);
    await db.execute(sql`
      insert into xroad_consumers (municipality_id, client_id, api_key_id, may_list_by_personal_number)
      select k.municipality_id, ${DEMO_XROAD_CLIENT}, k.id, true from api_keys k join municipalities m on m.id = k.municipality_id
      where m.slug = ${slug} and k.prefix = ${prefix}
      on conflict (municipality_id, client_id) where revoked_at is null do nothing`);
    out.push({ municipality: slug, key: demoIntegratorKey(slug), xroadClient: DEMO_XROAD_CLIENT });
  }
  return out;
}
