/**
 * Municipalities are the top scope of all data. Looked up by slug on nearly every request, so kept in a small
 * cache; a new city appears within the cache's lifetime.
 */
import { eq } from 'drizzle-orm';
import type { Db } from '../../platform/db/database.js';
import { municipalities } from '../../platform/db/schema.js';
import { AppError } from '../../platform/http/errors.js';

export type Municipality = typeof municipalities.$inferSelect;

const CACHE_MS = 60_000;

export class MunicipalityDirectory {
  private cache = new Map<string, { m: Municipality | null; until: number }>();
  constructor(private readonly db: Db) {}

  async bySlug(slug: string): Promise<Municipality> {
    const hit = this.cache.get(slug);
    if (hit && hit.until > Date.now()) {
      if (!hit.m) throw notFound();
      return hit.m;
    }
    const [m] = await this.db.select().from(municipalities).where(eq(municipalities.slug, slug)).limit(1);
    // Only real cities are cached: random slugs must not grow memory.
    if (!m) throw notFound();
    this.cache.set(slug, { m, until: Date.now() + CACHE_MS });
    return m;
  }

  async list(): Promise<Municipality[]> {
    return this.db.select().from(municipalities).orderBy(municipalities.slug);
  }

  forget() { this.cache.clear(); }
}

const notFound = () => new AppError(404, 'municipality_not_found', 'error.municipality_not_found');
