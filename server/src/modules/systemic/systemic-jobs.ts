/**
 * Runs the systemic-problems detector over the registry (docs/systemic-problems.md §4) and saves its problems as
 * records (systemic-store.ts). A durable job does it every ten minutes per city, incrementally: each process keeps the
 * detector's state per city and feeds it the appeals changed since its last run (appeals.updated_at, less an overlap
 * for transactions that committed late). Without a state — a new process, a day-old state whose frozen baseline is
 * due for renewal — it loads the history the rules look at and runs a batch. An analyst may ask for a batch over all
 * history (POST …/systemic-problems/detect).
 *
 * The state stays correct whichever process ran last: each process reads every change since its own last run, and
 * each run saves the whole current set of problems. Memory: the state holds the loaded history (the longest window,
 * five years by default) as small records; it is rebuilt daily.
 */
import { eq, sql } from 'drizzle-orm';
import type { Services } from '../../app.js';
import { writeAudit, type Actor } from '../../platform/audit.js';
import type { Clock } from '../../platform/clock.js';
import type { Db } from '../../platform/db/database.js';
import { queryRows } from '../../platform/db/database.js';
import { municipalities } from '../../platform/db/schema.js';
import { createDetectorState, updateDetector, type DetectorState } from './systemic-detector.js';
import { applicantKeyOf, defaultSystemicParams, type AppealRecord, type SystemicParams } from './systemic-params.js';
import { baselineOf } from './systemic-rules.js';
import { saveDetection, type SaveResult } from './systemic-store.js';

export const SYSTEMIC_DETECT_JOB = 'systemic.detect';
export const SYSTEMIC_DETECT_EVERY_MS = 10 * 60_000;
/** Transactions in flight when a run starts may commit with an earlier updated_at: read back this far. */
const OVERLAP_MS = 2 * 60_000;
/** A state older than this is rebuilt by a batch, which also renews its frozen baseline (the usual category mix). */
const REBUILD_AFTER_MS = 24 * 3_600_000;
const PAGE = 20_000;
const DAY = 86_400_000;

export interface DetectionResult extends SaveResult { mode: 'batch' | 'incremental'; appeals: number; durationMs: number }

interface CityState { state: DetectorState; watermark: number; builtAt: number }

interface AppealRow {
  id: string; category_id: string | null; lat: number | null; lon: number | null; registered_at: Date | string; at_text: string;
  closed_at: Date | string | null; repeat_of_id: string | null; duplicate_of_id: string | null; citizen_id: string | null;
  phone: string | null; email: string | null;
}

/** The detector's view of an appeal, or null for one it must not count (no category, or a marked duplicate). */
function recordOf(r: AppealRow): AppealRecord | null {
  if (!r.category_id || r.duplicate_of_id) return null;
  return {
    id: r.id, categoryId: r.category_id, lat: r.lat, lon: r.lon, registeredAt: new Date(r.registered_at),
    closedAt: r.closed_at ? new Date(r.closed_at) : null,
    // Personal data is reduced here to the opaque key; nothing else of it is kept.
    applicantKey: applicantKeyOf({ phone: r.phone, email: r.email, citizenId: r.citizen_id, appealId: r.id }),
    repeatOfId: r.repeat_of_id,
  };
}

const SELECT = sql`select a.id, a.category_id, a.lat, a.lon, a.registered_at, a.registered_at::text as at_text, a.closed_at,
    a.repeat_of_id, a.duplicate_of_id, a.citizen_id, ap.phone, ap.email
  from appeals a left join appeal_applicants ap on ap.municipality_id = a.municipality_id and ap.appeal_id = a.id`;

/** Every appeal registered from `from` on (all of them without), page by page in registration order. */
async function loadHistory(db: Db, municipalityId: string, from: Date | null): Promise<AppealRecord[]> {
  const out: AppealRecord[] = [];
  let after: { at: string; id: string } | null = null;
  for (;;) {
    const rows: AppealRow[] = await queryRows<AppealRow>(db, sql`${SELECT}
      where a.municipality_id = ${municipalityId}
        ${from ? sql`and a.registered_at >= ${from.toISOString()}` : sql``}
        ${after ? sql`and (a.registered_at, a.id) > (${after.at}::timestamptz, ${after.id}::uuid)` : sql``}
      order by a.registered_at, a.id limit ${PAGE}`);
    for (const r of rows) { const rec = recordOf(r); if (rec) out.push(rec); }
    if (rows.length < PAGE) return out;
    const last = rows[rows.length - 1]!;
    after = { at: last.at_text, id: last.id };
  }
}

const sameRecord = (a: AppealRecord, b: AppealRecord) => a.categoryId === b.categoryId && a.lat === b.lat && a.lon === b.lon
  && a.registeredAt.getTime() === b.registeredAt.getTime() && a.closedAt?.getTime() === b.closedAt?.getTime()
  && a.applicantKey === b.applicantKey && a.repeatOfId === b.repeatOfId;

/** The days of history the rules look back over (the longest window). */
export function historyDays(p: SystemicParams): number {
  return Math.max(p.spatialWindowDays, p.repeatWindowDays, Math.ceil(p.seasonalYearsBack * 365.25));
}

export class SystemicDetection {
  private readonly cities = new Map<string, CityState>();
  /** Runs of one city in this process, one after another (the job and an analyst's batch may coincide). */
  private readonly running = new Map<string, Promise<unknown>>();

  private readonly rebuildAfterMs: number;

  constructor(private readonly db: Db, private readonly clock: Clock, options: { rebuildAfterMs?: number } = {}) {
    this.rebuildAfterMs = options.rebuildAfterMs ?? REBUILD_AFTER_MS;
  }

  /** The detector's parameters for a city: the defaults until per-city overrides are stored. */
  paramsFor(_municipalityId: string): SystemicParams {
    return defaultSystemicParams;
  }

  /** One run for a city: incremental when this process holds a fresh state, else a batch over the rules' history. */
  run(municipalityId: string, timezone: string, options: { allHistory?: boolean; audit?: { actor: Actor } } = {}): Promise<DetectionResult> {
    const previous = this.running.get(municipalityId) ?? Promise.resolve();
    const next = previous.catch(() => {}).then(() => this.runNow(municipalityId, timezone, options.allHistory === true, options.audit?.actor));
    this.running.set(municipalityId, next);
    void next.finally(() => { if (this.running.get(municipalityId) === next) this.running.delete(municipalityId); }).catch(() => {});
    return next;
  }

  private async runNow(municipalityId: string, timezone: string, allHistory: boolean, actor?: Actor): Promise<DetectionResult> {
    const started = performance.now();
    const now = this.clock.now();
    const p = this.paramsFor(municipalityId);
    const city = this.cities.get(municipalityId);
    let mode: DetectionResult['mode'];
    let fed: number;
    let problems;
    if (!allHistory && city && now.getTime() - city.builtAt < this.rebuildAfterMs && now.getTime() >= city.watermark) {
      mode = 'incremental';
      const rows = await queryRows<AppealRow>(this.db, sql`${SELECT}
        where a.municipality_id = ${municipalityId} and a.updated_at >= ${new Date(city.watermark - OVERLAP_MS).toISOString()}`);
      const changed: AppealRecord[] = [];
      for (const r of rows) {
        const rec = recordOf(r);
        const known = city.state.byId.get(r.id);
        if (rec && known && sameRecord(rec, known)) continue; // read again through the overlap, unchanged
        if (rec) changed.push(rec);
        // No longer counted (category removed, marked a duplicate): a copy without a place takes it out of its cell.
        else if (known) changed.push({ ...known, lat: null, lon: null, repeatOfId: null });
      }
      problems = updateDetector(city.state, changed, now);
      city.watermark = now.getTime();
      fed = changed.length;
    } else {
      mode = 'batch';
      const records = await loadHistory(this.db, municipalityId, allHistory ? null : new Date(now.getTime() - historyDays(p) * DAY));
      const state = createDetectorState(p, baselineOf(records, p));
      problems = updateDetector(state, records, now);
      this.cities.set(municipalityId, { state, watermark: now.getTime(), builtAt: now.getTime() });
      fed = records.length;
    }
    const saved = await saveDetection(this.db, municipalityId, timezone, problems, p, now, actor && (async (tx, result) => {
      await writeAudit(tx, {
        municipalityId, actor, entityType: 'systemic_problems', entityId: municipalityId, action: 'detect',
        after: { mode, appeals: fed, ...result }, at: now,
      });
    }));
    return { mode, appeals: fed, ...saved, durationMs: Math.round(performance.now() - started) };
  }

  /** Forgets a city's state (tests; a change of parameters). */
  forget(municipalityId: string): void {
    this.cities.delete(municipalityId);
  }
}

export function registerSystemicJobs(services: Pick<Services, 'jobs' | 'database' | 'clock'>): SystemicDetection {
  const db = services.database.db;
  const detection = new SystemicDetection(db, services.clock);
  services.jobs.register(SYSTEMIC_DETECT_JOB, async (job) => {
    const [m] = await db.select({ timezone: municipalities.timezone }).from(municipalities).where(eq(municipalities.id, job.municipalityId)).limit(1);
    if (!m) return; // the city is gone
    await detection.run(job.municipalityId, m.timezone);
  }).every(SYSTEMIC_DETECT_JOB, SYSTEMIC_DETECT_EVERY_MS);
  return detection;
}
