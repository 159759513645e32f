/**
 * A municipality's reference data — districts, categories, services, routing rules — read on every
 * registration, so kept in a short cache. Admin edits clear it in this process at once; other processes
 * see them within CACHE_MS.
 */
import { eq } from 'drizzle-orm';
import type { Db } from '../../platform/db/database.js';
import { categories, districts, routingRules, services } from '../../platform/db/schema.js';
import { districtContaining } from './geo.js';

export type District = typeof districts.$inferSelect;
export type Category = typeof categories.$inferSelect;
export type Service = typeof services.$inferSelect;
export type RoutingRule = typeof routingRules.$inferSelect;

export interface Directory {
  districts: Map<string, District>;
  categories: Map<string, Category>;
  services: Map<string, Service>;
  rules: RoutingRule[];
}

const CACHE_MS = 30_000;

export class DirectoryCache {
  private cache = new Map<string, { value: Promise<Directory>; until: number }>();
  constructor(private readonly db: Db) {}

  get(municipalityId: string): Promise<Directory> {
    const hit = this.cache.get(municipalityId);
    if (hit && hit.until > Date.now()) return hit.value;
    const value = (async () => {
      const [d, c, s, r] = await Promise.all([
        this.db.select().from(districts).where(eq(districts.municipalityId, municipalityId)),
        this.db.select().from(categories).where(eq(categories.municipalityId, municipalityId)),
        this.db.select().from(services).where(eq(services.municipalityId, municipalityId)),
        this.db.select().from(routingRules).where(eq(routingRules.municipalityId, municipalityId)),
      ]);
      return {
        districts: new Map(d.map((x) => [x.id, x])),
        categories: new Map(c.map((x) => [x.id, x])),
        services: new Map(s.map((x) => [x.id, x])),
        rules: r,
      };
    })();
    value.catch(() => this.cache.delete(municipalityId));
    this.cache.set(municipalityId, { value, until: Date.now() + CACHE_MS });
    return value;
  }

  invalidate(municipalityId: string) { this.cache.delete(municipalityId); }
}

/**
 * The service that answers for a category in a district: the most specific rule wins —
 * (category, district), then (category, any district), then the same for the parent category.
 */
export function routeToService(dir: Directory, categoryId: string, districtId: string | null): string | null {
  const chain: string[] = [];
  for (let c = dir.categories.get(categoryId); c; c = c.parentId ? dir.categories.get(c.parentId) : undefined) {
    chain.push(c.id);
    if (chain.length > 5) break;
  }
  for (const cat of chain) {
    const exact = districtId ? dir.rules.find((r) => r.categoryId === cat && r.districtId === districtId) : undefined;
    const any = dir.rules.find((r) => r.categoryId === cat && r.districtId === null);
    const rule = exact ?? any;
    if (rule && dir.services.get(rule.serviceId)?.active !== false) return rule.serviceId;
  }
  return null;
}

/** The district of a point, when districts have boundaries; null when none contains it or none has one. */
export function districtOfPoint(dir: Directory, lat: number, lon: number): string | null {
  return districtContaining([...dir.districts.values()].filter((d) => d.active), lat, lon);
}
