/**
 * The durable job queue on a real database (PGlite, and PostgreSQL when DATABASE_URL is set), with the clock moved
 * by hand: a job runs once; a dedupe key enqueues once; a failing job is retried after its backoff and ends dead; a
 * job whose process died is claimed again when its lease runs out, while a slow job's lease is renewed; several
 * runners draining one queue never run a job twice at once and run each exactly once; recurring jobs are enqueued
 * once per municipality per window however many runners schedule them.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { and, eq, sql } from 'drizzle-orm';
import { createLogger } from '../logger.js';
import { ManualClock } from '../clock.js';
import { jobs, municipalities } from '../db/schema.js';
import { queryRows, type Database } from '../db/database.js';
import { openTestDatabase, onPostgres } from '../../test-support/test-database.js';
import { backoffMs, enqueueJob, JobRunner, type ClaimedJob, type JobRunnerOptions } from './job-queue.js';

let database: Database;
let clock: ManualClock;
let cityA: string;
let cityB: string;
const logger = createLogger('silent');

const runner = (workerId: string, over: Partial<JobRunnerOptions> = {}) => new JobRunner({ db: database.db, clock, logger, workerId, ...over });
const jobRow = async (id: number) => (await database.db.select().from(jobs).where(eq(jobs.id, id)))[0]!;
const jobByKey = async (key: string) => (await database.db.select().from(jobs).where(and(eq(jobs.municipalityId, cityA), eq(jobs.dedupeKey, key))))[0]!;
const now = () => clock.now();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

beforeAll(async () => {
  database = await openTestDatabase();
  clock = new ManualClock(new Date('2026-04-27T04:00:00Z'));
  const rows = await database.db.insert(municipalities).values([
    { slug: 'alpha', code: 'ALP', name: { ky: 'Альфа', ru: 'Альфа', en: 'Alpha' } },
    { slug: 'beta', code: 'BET', name: { ky: 'Бета', ru: 'Бета', en: 'Beta' } },
  ]).returning({ id: municipalities.id, slug: municipalities.slug });
  cityA = rows.find((r) => r.slug === 'alpha')!.id;
  cityB = rows.find((r) => r.slug === 'beta')!.id;
});
afterAll(async () => { await database?.close(); });
// Each test starts from an empty queue, so one test's leftovers never run in another's handlers.
beforeEach(async () => { await database.db.delete(jobs); });

describe('one runner', () => {
  it('runs a due job once, and a job due later only when its time comes', async () => {
    const seen: ClaimedJob[] = [];
    const r = runner('w1').register('test.once', async (j) => { seen.push(j); });
    await enqueueJob(database.db, { municipalityId: cityA, kind: 'test.once', payload: { n: 1 }, runAt: now(), dedupeKey: 'once-1' });
    await enqueueJob(database.db, { municipalityId: cityA, kind: 'test.once', payload: { n: 2 }, runAt: new Date(now().getTime() + 60_000), dedupeKey: 'once-2' });

    expect(await r.runDue()).toBe(1);
    expect(seen.map((j) => j.payload)).toEqual([{ n: 1 }]);
    expect(seen[0]).toMatchObject({ municipalityId: cityA, kind: 'test.once', attempt: 1, maxAttempts: 8, dedupeKey: 'once-1' });
    expect(await jobByKey('once-1')).toMatchObject({ status: 'done', attempts: 1, lockedBy: null, lockedUntil: null });
    expect(await r.runDue()).toBe(0);

    clock.advance(60_000);
    expect(await r.runDue()).toBe(1);
    expect(seen.map((j) => j.payload)).toEqual([{ n: 1 }, { n: 2 }]);
    expect(await r.runDue()).toBe(0);
  });

  it('enqueues a job with a dedupe key at most once, even after it has run', async () => {
    let runs = 0;
    const r = runner('w1').register('test.dedupe', async () => { runs++; });
    const spec = { municipalityId: cityA, kind: 'test.dedupe', runAt: now(), dedupeKey: 'event:registered:x' };
    expect(await enqueueJob(database.db, spec)).toBe(true);
    expect(await enqueueJob(database.db, spec)).toBe(false);
    await r.runDue();
    expect(await enqueueJob(database.db, spec)).toBe(false);
    // The key is per municipality: another city's job with the same key is its own.
    expect(await enqueueJob(database.db, { ...spec, municipalityId: cityB })).toBe(true);
    await r.runDue();
    expect(runs).toBe(2);
    // Jobs without a key are never deduplicated.
    expect(await enqueueJob(database.db, { municipalityId: cityA, kind: 'test.dedupe', runAt: now() })).toBe(true);
    expect(await enqueueJob(database.db, { municipalityId: cityA, kind: 'test.dedupe', runAt: now() })).toBe(true);
    expect(await r.runDue()).toBe(2);
  });

  it('retries a failing job after its backoff and marks it dead after the last attempt', async () => {
    const attempts: number[] = [];
    const r = runner('w1').register('test.failing', async (j) => { attempts.push(j.attempt); throw new Error(`gateway down (attempt ${j.attempt})`); });
    await enqueueJob(database.db, { municipalityId: cityA, kind: 'test.failing', runAt: now(), dedupeKey: 'failing', maxAttempts: 3 });

    expect(await r.runDue()).toBe(1);
    let row = await jobByKey('failing');
    expect(row).toMatchObject({ status: 'queued', attempts: 1, lastError: 'gateway down (attempt 1)', lockedBy: null });
    expect(row.runAt.getTime() - now().getTime()).toBe(backoffMs(1));
    expect(backoffMs(1)).toBe(30_000);

    // Not before the backoff has passed.
    clock.advance(29_000);
    expect(await r.runDue()).toBe(0);
    clock.advance(1_000);
    expect(await r.runDue()).toBe(1);
    row = await jobByKey('failing');
    expect(row).toMatchObject({ status: 'queued', attempts: 2 });
    expect(row.runAt.getTime() - now().getTime()).toBe(60_000);

    clock.advance(60_000);
    expect(await r.runDue()).toBe(1);
    row = await jobByKey('failing');
    expect(row).toMatchObject({ status: 'dead', attempts: 3, lastError: 'gateway down (attempt 3)', lockedBy: null });
    expect(row.finishedAt?.getTime()).toBe(now().getTime());

    clock.advance(3_600_000);
    expect(await r.runDue()).toBe(0);
    expect(attempts).toEqual([1, 2, 3]);
  });

  it('caps the backoff at an hour', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 8, 20].map(backoffMs)).toEqual([30_000, 60_000, 120_000, 240_000, 480_000, 960_000, 1_920_000, 3_600_000, 3_600_000]);
  });

  it('marks a job of an unknown kind dead at once instead of retrying it forever', async () => {
    const r = runner('w1');
    await enqueueJob(database.db, { municipalityId: cityA, kind: 'test.nobody', runAt: now(), dedupeKey: 'nobody' });
    expect(await r.runDue()).toBe(1);
    expect(await jobByKey('nobody')).toMatchObject({ status: 'dead', lastError: 'no handler for job kind test.nobody' });
  });
});

describe('leases', () => {
  it('gives a job whose process died to another runner when its lease runs out, and ignores the dead one if it wakes', async () => {
    const ranBy: string[] = [];
    const dying = runner('dying', { leaseMs: 60_000 }).register('test.lease', async () => { ranBy.push('dying'); });
    const survivor = runner('survivor', { leaseMs: 60_000 }).register('test.lease', async () => { ranBy.push('survivor'); });
    await enqueueJob(database.db, { municipalityId: cityA, kind: 'test.lease', runAt: now(), dedupeKey: 'lease' });

    // The first runner claims the job and "dies": it never runs or finishes it.
    const [claimed] = await dying.claim();
    expect(claimed).toMatchObject({ attempt: 1 });
    expect(await jobByKey('lease')).toMatchObject({ status: 'running', lockedBy: 'dying' });

    // While the lease holds, nobody else may take it.
    clock.advance(59_000);
    expect(await survivor.claim()).toEqual([]);

    clock.advance(2_000);
    expect(await survivor.runDue()).toBe(1);
    expect(ranBy).toEqual(['survivor']);
    expect(await jobByKey('lease')).toMatchObject({ status: 'done', attempts: 2, lockedBy: null });

    // The "dead" runner comes back and finishes its stale claim: the job's record is not touched by it.
    await dying.execute(claimed!);
    expect(await jobByKey('lease')).toMatchObject({ status: 'done', attempts: 2 });
  });

  it('renews the lease of a job while its handler runs, so a slow job is not taken over alive', async () => {
    let release!: () => void;
    const released = new Promise<void>((resolve) => { release = resolve; });
    let started = 0;
    const slow = runner('slow', { leaseMs: 300 }).register('test.slow', async () => { started++; await released; });
    const other = runner('other', { leaseMs: 300 }).register('test.slow', async () => { started++; });
    await enqueueJob(database.db, { municipalityId: cityA, kind: 'test.slow', runAt: now(), dedupeKey: 'slow' });

    const running = slow.runDue();
    while (started === 0) await sleep(5);
    // Far past the first lease; the renewal (every 100 ms of real time) moves it from the clock's new now.
    clock.advance(10_000);
    await sleep(250);
    expect(await other.claim()).toEqual([]);
    const row = await jobByKey('slow');
    expect(row.lockedBy).toBe('slow');
    expect(row.lockedUntil!.getTime()).toBeGreaterThan(now().getTime());

    release();
    expect(await running).toBe(1);
    expect(started).toBe(1);
    expect(await jobByKey('slow')).toMatchObject({ status: 'done', attempts: 1 });
  });

  it('marks dead a job whose process died during its last attempt, and tells its kind once', async () => {
    const given: string[] = [];
    const r = runner('w2', { leaseMs: 1_000 }).register('test.lastgasp', async () => { throw new Error('must not run'); },
      { onDead: async (j, error) => { given.push(`${j.dedupeKey}: ${error}`); } });
    await enqueueJob(database.db, { municipalityId: cityA, kind: 'test.lastgasp', runAt: now(), dedupeKey: 'lastgasp', maxAttempts: 1 });
    expect(await r.claim()).toHaveLength(1);
    clock.advance(2_000);
    expect(await r.runDue()).toBe(1);
    expect(await jobByKey('lastgasp')).toMatchObject({ status: 'dead', attempts: 2, lastError: 'attempts exhausted (the process died while running it)' });
    expect(given).toEqual(['lastgasp: attempts exhausted (the process died while running it)']);
    expect(await r.runDue()).toBe(0);
    expect(given).toHaveLength(1);
  });

  it('puts jobs left running back in the queue at start when it owns the database (PGlite)', async () => {
    const dead = runner('dead-process', { leaseMs: 3_600_000 });
    await enqueueJob(database.db, { municipalityId: cityA, kind: 'test.orphan', runAt: now(), dedupeKey: 'orphan' });
    expect(await dead.claim()).toHaveLength(1);
    const ran: number[] = [];
    const owner = runner('owner', { exclusive: true, pollMs: 20 }).register('test.orphan', async (j) => { ran.push(j.attempt); });
    owner.start();
    try {
      for (let i = 0; i < 200 && ran.length === 0; i++) await sleep(20);
    } finally {
      await owner.stop();
    }
    // Long before the hour-long lease would have run out.
    expect(ran).toEqual([2]);
    expect(await jobByKey('orphan')).toMatchObject({ status: 'done' });
  });
});

describe('several runners', () => {
  it(`run each of 300 jobs exactly once and never one job twice at once (${onPostgres ? 'PostgreSQL' : 'PGlite'})`, async () => {
    const JOBS = 300;
    const runs: { id: number; worker: string; start: number; end: number }[] = [];
    const inHand = new Set<number>();
    const overlaps: number[] = [];
    const handlerFor = (worker: string) => async (j: ClaimedJob) => {
      if (inHand.has(j.id)) overlaps.push(j.id);
      inHand.add(j.id);
      const start = performance.now();
      // A little work with a real await, so that runners interleave.
      await sleep(1 + (j.id % 4));
      inHand.delete(j.id);
      runs.push({ id: j.id, worker, start, end: performance.now() });
    };
    const runners = ['r1', 'r2', 'r3'].map((w) => runner(w, { batchSize: 7 }).register('test.drain', handlerFor(w)));
    for (let i = 0; i < JOBS; i += 100) {
      await database.db.insert(jobs).values(Array.from({ length: 100 }, (_, k) => ({
        municipalityId: k % 2 ? cityA : cityB, kind: 'test.drain', payload: { n: i + k }, runAt: now(), createdAt: now(),
      })));
    }

    const counts = await Promise.all(runners.map((r) => r.runDue()));

    expect(counts.reduce((a, b) => a + b, 0)).toBe(JOBS);
    expect(overlaps).toEqual([]);
    const byJob = new Map<number, number>();
    for (const r of runs) byJob.set(r.id, (byJob.get(r.id) ?? 0) + 1);
    expect(byJob.size).toBe(JOBS);
    expect([...byJob.values()].every((n) => n === 1)).toBe(true);
    // Every runner took a share: the drain really was concurrent.
    expect(counts.every((n) => n > 0)).toBe(true);
    const [left] = await queryRows<{ n: number }>(database.db, sql`select count(*)::int as n from jobs where kind = 'test.drain' and status <> 'done'`);
    expect(left!.n).toBe(0);
    const [attempts] = await queryRows<{ n: number }>(database.db, sql`select count(*)::int as n from jobs where kind = 'test.drain' and attempts <> 1`);
    expect(attempts!.n).toBe(0);
  }, 60_000);

  it('enqueue a recurring job once per municipality per window, however many runners schedule it', async () => {
    const ran: string[] = [];
    const make = (w: string) => runner(w).every('test.sweep', 60_000).register('test.sweep', async (j) => { ran.push(j.municipalityId); });
    const [r1, r2] = [make('r1'), make('r2')];
    clock.set('2026-04-27T05:00:10Z');

    await Promise.all([r1.runDue({ includeRecurring: true }), r2.runDue({ includeRecurring: true })]);
    expect(ran.sort()).toEqual([cityA, cityB].sort());

    // Later in the same window: nothing new.
    clock.advance(30_000);
    await Promise.all([r1.runDue({ includeRecurring: true }), r2.runDue({ includeRecurring: true }), r1.runDue({ includeRecurring: true })]);
    expect(ran).toHaveLength(2);

    // The next window: once more per municipality. A fresh runner (another process) adds nothing either.
    clock.advance(30_000);
    const r3 = make('r3');
    await Promise.all([r1.runDue({ includeRecurring: true }), r2.runDue({ includeRecurring: true }), r3.runDue({ includeRecurring: true })]);
    expect(ran).toHaveLength(4);
    const [row] = await queryRows<{ n: number; windows: number }>(database.db,
      sql`select count(*)::int as n, count(distinct dedupe_key)::int as windows from jobs where kind = 'test.sweep'`);
    expect(row).toEqual({ n: 4, windows: 2 });
  });
});
