/**
 * Seeds Bishkek and Osh: districts, categories, services, routing rules, the 2025–2026 calendars, the deadline
 * rule in force and fictional staff. Runs once: a municipality that exists is left as it is.
 */
import { eq } from 'drizzle-orm';
import type { Db, Tx } from '../platform/db/database.js';
import {
  calendarDays, categories, deadlineRules, districts, municipalities, routingRules, services, staffUsers,
} from '../platform/db/schema.js';
import { hashPassword } from '../modules/auth/secrets.js';
import {
  BISHKEK_DISTRICTS, BISHKEK_ROUTING, RESULT_PHOTO_CATEGORIES, BISHKEK_SERVICES, CATEGORIES, DEMO_STAFF, HOLIDAYS, MUNICIPALITIES, OSH_ROUTING,
  OSH_SERVICES, OSH_TERRITORIES, type ServiceSeed,
} from './demo-reference.js';

export const DEMO_PASSWORD = 'shaar-demo-2026';

export interface DemoLogin { municipality: string; email: string; password: string; roles: readonly string[]; service: string | null }

export async function seedDemo(db: Db): Promise<DemoLogin[]> {
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  const logins: DemoLogin[] = [];
  for (const [slug, routing, svc, districtSeeds] of [
    ['bishkek', BISHKEK_ROUTING, BISHKEK_SERVICES, BISHKEK_DISTRICTS.map((d) => ({ ...d, kind: 'district' }))],
    ['osh', OSH_ROUTING, OSH_SERVICES, OSH_TERRITORIES.map((d) => ({ ...d, population: null }))],
  ] as const) {
    const seed = MUNICIPALITIES[slug];
    const [existing] = await db.select({ id: municipalities.id }).from(municipalities).where(eq(municipalities.slug, slug)).limit(1);
    if (!existing) {
      await db.transaction(async (tx) => {
        await seedMunicipality(tx, seed, routing, svc, districtSeeds, passwordHash);
      });
    }
    for (const s of DEMO_STAFF) {
      logins.push({ municipality: slug, email: demoEmail(s.key, slug), password: DEMO_PASSWORD, roles: s.roles, service: s.service ? routing[s.service] ?? null : null });
    }
  }
  return logins;
}

export const demoEmail = (key: string, slug: string) => `${key}@${slug}.example`;

async function seedMunicipality(
  tx: Tx,
  seed: (typeof MUNICIPALITIES)[keyof typeof MUNICIPALITIES],
  routing: Record<string, string>,
  serviceSeeds: readonly ServiceSeed[],
  districtSeeds: readonly { code: string; kind: string; population: number | null; name: { ky: string; ru: string; en: string } }[],
  passwordHash: string,
) {
  const [m] = await tx.insert(municipalities).values({ ...seed, timezone: 'Asia/Bishkek', defaultLocale: 'ky' }).returning();
  const municipalityId = m!.id;

  const ds = await tx.insert(districts).values(districtSeeds.map((d) => ({ municipalityId, code: d.code, name: d.name, kind: d.kind, population: d.population }))).returning();
  const svc = await tx.insert(services).values(serviceSeeds.map((s) => ({ municipalityId, ...s }))).returning();
  const serviceId = (code: string) => svc.find((s) => s.code === code)!.id;

  const categoryIds = new Map<string, string>();
  let order = 0;
  for (const group of CATEGORIES) {
    const [parent] = await tx.insert(categories).values({ municipalityId, code: group.code, name: group.name, keywords: group.keywords ?? [], sortOrder: order++ }).returning();
    categoryIds.set(group.code, parent!.id);
    const children = await tx.insert(categories).values(group.children.map((c) => ({
      municipalityId, parentId: parent!.id, code: c.code, name: c.name, keywords: c.keywords ?? [], sortOrder: order++,
      requiresResultPhoto: RESULT_PHOTO_CATEGORIES.has(c.code),
    }))).returning();
    for (const c of children) categoryIds.set(c.code, c.id);
  }

  const rules = Object.entries(routing).map(([category, service]) => ({ municipalityId, categoryId: categoryIds.get(category)!, serviceId: serviceId(service), districtId: null as string | null }));
  if (seed.slug === 'bishkek') {
    // Courtyard roads are the district administrations' business: one rule per district.
    const admins = await tx.insert(services).values(ds.map((d) => ({
      municipalityId, code: `admin-${d.code}`, kind: 'district_administration',
      name: { ky: `${d.name.ky} администрациясы`, ru: `Администрация: ${d.name.ru}`, en: `${d.name.en} administration` },
    }))).returning();
    ds.forEach((d, i) => rules.push({ municipalityId, categoryId: categoryIds.get('roads.courtyard')!, districtId: d.id, serviceId: admins[i]!.id }));
  }
  await tx.insert(routingRules).values(rules);

  await tx.insert(calendarDays).values(HOLIDAYS.map((h) => ({ municipalityId, date: h.date, isWorking: false, name: h.name })));
  await tx.insert(deadlineRules).values({
    municipalityId, kind: null, effectiveFrom: '2007-05-04', registerWithinDays: 1, answerWithinDays: 14, maxExtensionDays: 14,
    note: 'Law No. 67 of 2007 as amended: register within 1 working day, answer within 14 working days.',
  });

  await tx.insert(staffUsers).values(DEMO_STAFF.map((s) => ({
    municipalityId, email: demoEmail(s.key, seed.slug), fullName: s.fullName, passwordHash, roles: [...s.roles],
    serviceId: s.service ? serviceId(routing[s.service]!) : null, locale: 'ru',
  })));
}
