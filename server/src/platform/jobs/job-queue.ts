/**
 * Durable jobs in the database. Work that must not be lost (a notification, a reminder, a scorecard refresh) is
 * written as a row in the same transaction as the change that causes it, so either both happen or neither.
 *
 * Several server processes may share one PostgreSQL: a runner claims due jobs with FOR UPDATE SKIP LOCKED and
 * holds each under a lease (locked_until). Two runners never hold one job at once; a job whose process died
 * is claimed again when its lease runs out. While a handler runs, its runner renews the lease, so the lease can
 * be short (a dead process's jobs come back within seconds) without a slow handler being taken over alive.
 * Delivery is therefore at least once, and handlers are written to be idempotent (a notification knows whether it
 * was sent). PGlite runs the same SQL on its one connection; only one process can own its data, so at start every
 * job still marked running belongs to a process that died and is released at once.
 *
 * Time comes from the Clock, never from the database's now(), so tests move time by hand.
 */
import { sql } from 'drizzle-orm';
import type { Logger } from 'pino';
import type { Db, DbOrTx } from '../db/database.js';
import { queryRows } from '../db/database.js';
import { jobs } from '../db/schema.js';
import type { Clock } from '../clock.js';

export interface JobSpec {
  municipalityId: string;
  kind: string;
  payload?: Record<string, unknown>;
  /** When the job may run; pass the clock's now for "as soon as possible". */
  runAt: Date;
  /** A job with a key is enqueued at most once, ever (a second enqueue is a no-op). */
  dedupeKey?: string;
  maxAttempts?: number;
}

/** Adds a job, inside the caller's transaction when given one. Returns false when the dedupe key already existed. */
export async function enqueueJob(db: DbOrTx, spec: JobSpec): Promise<boolean> {
  const rows = await db.insert(jobs).values({
    municipalityId: spec.municipalityId, kind: spec.kind, payload: spec.payload ?? {}, runAt: spec.runAt,
    dedupeKey: spec.dedupeKey ?? null, maxAttempts: spec.maxAttempts ?? 8, createdAt: spec.runAt,
  }).onConflictDoNothing().returning({ id: jobs.id });
  return rows.length > 0;
}

export interface ClaimedJob {
  municipalityId: string;
  id: number;
  kind: string;
  payload: Record<string, unknown>;
  /** 1 on the first run. */
  attempt: number;
  maxAttempts: number;
  dedupeKey: string | null;
}

export type JobHandler = (job: ClaimedJob) => Promise<void>;

export interface JobKindOptions {
  /**
   * Called once when a job of this kind is given up (its last attempt failed, or its process died during it), so
   * the record it works on can say so (a notification becomes 'failed' instead of staying 'pending' for ever).
   */
  onDead?: (job: ClaimedJob, error: string) => Promise<void>;
}

/** A job kind that runs every `everyMs` for each municipality (deadline sweeps, scorecard refreshes). */
export interface RecurringJob { kind: string; everyMs: number }

export interface JobRunnerOptions {
  db: Db;
  clock: Clock;
  logger: Logger;
  /** Names this process in locked_by (host:pid by default). */
  workerId?: string;
  /** How long a claimed job is held without renewal before another runner may take it over (renewed every third). */
  leaseMs?: number;
  /** This process alone uses the database (PGlite): jobs left running at start are orphans, released by start(). */
  exclusive?: boolean;
  pollMs?: number;
  /** Jobs claimed at once (and run concurrently). */
  batchSize?: number;
}

/** Retry after 30 s, 1 min, 2 min, … at most an hour. */
export function backoffMs(attempt: number): number {
  return Math.min(30_000 * 2 ** Math.max(0, attempt - 1), 3_600_000);
}

export class JobRunner {
  private readonly handlers = new Map<string, JobHandler>();
  private readonly kindOptions = new Map<string, JobKindOptions>();
  private readonly recurring: RecurringJob[] = [];
  private readonly workerId: string;
  private readonly leaseMs: number;
  private readonly pollMs: number;
  private readonly batchSize: number;
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<unknown> | null = null;
  private stopped = true;
  /** The last recurring window this process scheduled, per kind: one insert attempt per window, not per tick. */
  private readonly scheduledWindow = new Map<string, number>();

  constructor(private readonly o: JobRunnerOptions) {
    this.workerId = o.workerId ?? `${process.env.HOSTNAME ?? 'host'}:${process.pid}`;
    this.leaseMs = o.leaseMs ?? 30_000;
    this.pollMs = o.pollMs ?? 1000;
    this.batchSize = o.batchSize ?? 10;
  }

  register(kind: string, handler: JobHandler, options: JobKindOptions = {}): this {
    if (this.handlers.has(kind)) throw new Error(`job kind registered twice: ${kind}`);
    this.handlers.set(kind, handler);
    this.kindOptions.set(kind, options);
    return this;
  }

  /** Runs `kind` for every municipality once per `everyMs` window, cluster-wide (the window is the dedupe key). */
  every(kind: string, everyMs: number): this {
    this.recurring.push({ kind, everyMs });
    return this;
  }

  /** Enqueues this window's recurring jobs (idempotent: one per municipality per window across all processes). */
  async scheduleRecurring(): Promise<void> {
    const now = this.o.clock.now();
    const due = this.recurring.filter((r) => this.scheduledWindow.get(r.kind) !== Math.floor(now.getTime() / r.everyMs));
    if (due.length === 0) return;
    const municipalities = await queryRows<{ id: string }>(this.o.db, sql`select id from municipalities`);
    for (const r of due) {
      const window = Math.floor(now.getTime() / r.everyMs);
      this.scheduledWindow.set(r.kind, window);
      for (const m of municipalities) {
        await enqueueJob(this.o.db, { municipalityId: m.id, kind: r.kind, runAt: now, dedupeKey: `${r.kind}:${window}`, maxAttempts: 3 });
      }
    }
  }

  /** Claims up to `limit` due jobs for this process. */
  async claim(limit = this.batchSize): Promise<ClaimedJob[]> {
    const now = this.o.clock.now();
    const until = new Date(now.getTime() + this.leaseMs);
    const rows = await queryRows<{ municipality_id: string; id: string | number; kind: string; payload: Record<string, unknown>; attempts: number; max_attempts: number; dedupe_key: string | null }>(this.o.db, sql`
      update jobs j set status = 'running', attempts = j.attempts + 1, locked_by = ${this.workerId}, locked_until = ${until.toISOString()}::timestamptz
      from (
        select municipality_id, id from jobs
        where status in ('queued', 'running') and run_at <= ${now.toISOString()}::timestamptz
          and (status = 'queued' or locked_until < ${now.toISOString()}::timestamptz)
        order by run_at, id
        limit ${limit}
        for update skip locked
      ) due
      where j.municipality_id = due.municipality_id and j.id = due.id
      returning j.municipality_id, j.id, j.kind, j.payload, j.attempts, j.max_attempts, j.dedupe_key`);
    return rows.map((r) => ({
      municipalityId: r.municipality_id, id: Number(r.id), kind: r.kind, payload: r.payload ?? {},
      attempt: r.attempts, maxAttempts: r.max_attempts, dedupeKey: r.dedupe_key,
    }));
  }

  /** Extends the lease of a job this runner holds (while its handler is still running). */
  private async renewLease(job: ClaimedJob): Promise<void> {
    const until = new Date(this.o.clock.now().getTime() + this.leaseMs);
    await this.o.db.execute(sql`update jobs set locked_until = ${until.toISOString()}::timestamptz
      where municipality_id = ${job.municipalityId} and id = ${job.id} and locked_by = ${this.workerId} and status = 'running'`);
  }

  /** Runs one claimed job and records the outcome: done, queued again after a backoff, or dead. */
  async execute(job: ClaimedJob): Promise<'done' | 'retry' | 'dead'> {
    const handler = this.handlers.get(job.kind);
    let error: unknown = null;
    if (!handler) error = new Error(`no handler for job kind ${job.kind}`);
    else if (job.attempt > job.maxAttempts) error = new Error('attempts exhausted (the process died while running it)');
    else {
      const renewal = setInterval(() => {
        this.renewLease(job).catch((err: unknown) => this.o.logger.warn({ job: job.id, kind: job.kind, err: err instanceof Error ? err.message : String(err) }, 'job lease renewal failed'));
      }, Math.max(10, Math.floor(this.leaseMs / 3)));
      renewal.unref();
      try { await handler(job); } catch (err) { error = err; } finally { clearInterval(renewal); }
    }
    const now = this.o.clock.now();
    const key = sql`municipality_id = ${job.municipalityId} and id = ${job.id} and locked_by = ${this.workerId}`;
    if (!error) {
      await this.o.db.execute(sql`update jobs set status = 'done', finished_at = ${now.toISOString()}::timestamptz, locked_by = null, locked_until = null, last_error = null where ${key}`);
      return 'done';
    }
    const message = (error instanceof Error ? error.message : String(error)).slice(0, 500);
    // Job payloads hold ids, never personal data, so the kind and id are safe to log.
    this.o.logger.warn({ job: job.id, kind: job.kind, attempt: job.attempt, err: message }, 'job failed');
    if (job.attempt >= job.maxAttempts || !handler) {
      await this.o.db.execute(sql`update jobs set status = 'dead', finished_at = ${now.toISOString()}::timestamptz, locked_by = null, locked_until = null, last_error = ${message} where ${key}`);
      await this.kindOptions.get(job.kind)?.onDead?.(job, message).catch((err: unknown) => {
        this.o.logger.error({ job: job.id, kind: job.kind, err: err instanceof Error ? err.message : String(err) }, 'job onDead hook failed');
      });
      return 'dead';
    }
    const retryAt = new Date(now.getTime() + backoffMs(job.attempt));
    await this.o.db.execute(sql`update jobs set status = 'queued', run_at = ${retryAt.toISOString()}::timestamptz, locked_by = null, locked_until = null, last_error = ${message} where ${key}`);
    return 'retry';
  }

  /** Claims and runs due jobs until none is due (tests call this after moving the clock). Returns how many ran. */
  async runDue(options: { includeRecurring?: boolean; maxRounds?: number } = {}): Promise<number> {
    if (options.includeRecurring) await this.scheduleRecurring();
    let ran = 0;
    for (let round = 0; round < (options.maxRounds ?? 1000); round++) {
      const batch = await this.claim();
      if (batch.length === 0) break;
      await Promise.all(batch.map((j) => this.execute(j)));
      ran += batch.length;
    }
    return ran;
  }

  /** Puts jobs left running by a dead process back in the queue (only when this process owns the database). */
  async releaseOrphans(): Promise<number> {
    const rows = await queryRows<{ id: string }>(this.o.db, sql`
      update jobs set status = 'queued', locked_by = null, locked_until = null where status = 'running' returning id`);
    if (rows.length > 0) this.o.logger.warn({ jobs: rows.length }, 'jobs of a stopped process put back in the queue');
    return rows.length;
  }

  /** Starts polling in the background. */
  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    let recovered = !this.o.exclusive;
    const tick = async () => {
      if (this.stopped) return;
      if (!recovered) {
        try { await this.releaseOrphans(); recovered = true; } catch (err) {
          this.o.logger.error({ err: err instanceof Error ? err.message : String(err) }, 'releasing orphaned jobs failed');
        }
      }
      let busy = false;
      try {
        await this.scheduleRecurring();
        const batch = await this.claim();
        busy = batch.length === this.batchSize;
        await Promise.all(batch.map((j) => this.execute(j)));
      } catch (err) {
        this.o.logger.error({ err: err instanceof Error ? err.message : String(err) }, 'job runner tick failed');
      }
      if (!this.stopped) this.timer = setTimeout(() => { this.running = tick(); }, busy ? 0 : this.pollMs);
    };
    this.running = tick();
  }

  /** Stops polling and waits for the jobs in hand to finish. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running?.catch(() => {});
  }
}
