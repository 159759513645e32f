/**
 * The open dataset of each city: the daily refresh job (and an admin's on-demand refresh), and the public API's
 * pages read live from the registry with the same fields.
 */
import { eq } from 'drizzle-orm';
import type { Services } from '../../app.js';
import { municipalities } from '../../platform/db/schema.js';
import { enqueueJob } from '../../platform/jobs/job-queue.js';
import type { OpenDataRow } from './open-data.fields.js';
import { writeOpenData, type RefreshResult } from './open-data.files.js';
import { readOpenDataBatch, type OpenDataCity, type OpenDataFilters, type OpenDataKey } from './open-data.queries.js';
import { loadOpenDataSecrets, type OpenDataSecrets } from './open-data.secrets.js';

export const OPEN_DATA_REFRESH_JOB = 'open-data.refresh';
export const OPEN_DATA_REFRESH_EVERY_MS = 24 * 3600_000;

type Deps = Pick<Services, 'database' | 'clock' | 'config' | 'jobs'>;

export class OpenDataService {
  private secretsPromise: Promise<OpenDataSecrets> | null = null;
  constructor(private readonly deps: Deps) {}

  secrets(): Promise<OpenDataSecrets> {
    this.secretsPromise ??= loadOpenDataSecrets(this.deps.config.openDataSalt, this.deps.config.dataDir);
    return this.secretsPromise;
  }

  /** Rewrites a city's files from the registry; null when the city no longer exists. */
  async refresh(municipalityId: string): Promise<RefreshResult | null> {
    const db = this.deps.database.db;
    const [m] = await db.select().from(municipalities).where(eq(municipalities.id, municipalityId)).limit(1);
    if (!m) return null;
    const source = `${this.deps.config.publicUrl}/api/v1/m/${m.slug}/open-data/appeals`;
    return writeOpenData(db, m, await this.secrets(), this.deps.config.dataDir, this.deps.clock.now(), source);
  }

  /** Queues a refresh now (an admin's button): durable, and run by whichever process claims it. */
  async requestRefresh(municipalityId: string): Promise<void> {
    const now = this.deps.clock.now();
    await enqueueJob(this.deps.database.db, {
      municipalityId, kind: OPEN_DATA_REFRESH_JOB, runAt: now, dedupeKey: `${OPEN_DATA_REFRESH_JOB}:manual:${now.getTime()}`, maxAttempts: 3,
    });
  }

  /** One page of the public API; the cursor is sealed, so it reveals nothing of the internal ids. */
  async page(city: OpenDataCity, filters: OpenDataFilters, cursor: string | undefined, limit: number): Promise<{ items: OpenDataRow[]; nextCursor: string | null } | 'bad_cursor'> {
    const secrets = await this.secrets();
    let after: OpenDataKey | null = null;
    if (cursor) {
      const key = secrets.unseal(cursor) as Partial<OpenDataKey> & { m?: string } | null;
      if (!key || typeof key.at !== 'string' || typeof key.id !== 'string' || key.m !== city.id) return 'bad_cursor';
      after = { at: key.at, id: key.id };
    }
    // One row more than asked tells whether there is a next page.
    const batch = await readOpenDataBatch(this.deps.database.db, city, secrets, filters, after, limit + 1);
    if (batch.rows.length <= limit) return { items: batch.rows, nextCursor: null };
    return { items: batch.rows.slice(0, limit), nextCursor: secrets.seal({ ...batch.keys[limit - 1]!, m: city.id }) };
  }

  register(): void {
    this.deps.jobs.register(OPEN_DATA_REFRESH_JOB, async (job) => { await this.refresh(job.municipalityId); })
      .every(OPEN_DATA_REFRESH_JOB, OPEN_DATA_REFRESH_EVERY_MS);
  }
}
