/** The systemic-problems rules, thresholds, clustering and incremental runs, on hand-made appeals without a database. */
import { cellToLatLng, gridDisk, latLngToCell } from 'h3-js';
import { describe, expect, it } from 'vitest';
import { createDetectorState, detectSystemicProblems, updateDetector } from './systemic-detector.js';
import { applicantKeyOf, defaultSystemicParams, type AppealRecord, type SystemicBaseline } from './systemic-params.js';

const DAY = 86_400_000;
const ASOF = Date.parse('2026-11-20T06:00:00Z');
/** A cell in central Bishkek, one of its neighbours, and cells two and four rings away. */
const HOME = latLngToCell(42.8746, 74.6122, 9);
const ring = (k: number) => gridDisk(HOME, k).filter((c) => !gridDisk(HOME, k - 1).includes(c)).sort();
const NEXT = ring(1)[0]!;
const TWO_AWAY = ring(2)[0]!;
const FAR = ring(4)[0]!;

let seq = 0;
function appeal(cell: string, daysAgo: number, o: Partial<AppealRecord> = {}): AppealRecord {
  const [lat, lon] = cellToLatLng(cell);
  const id = `a${++seq}`;
  return { id, categoryId: 'roads', lat, lon, registeredAt: new Date(ASOF - daysAgo * DAY), closedAt: null, applicantKey: `r:${id}`, repeatOfId: null, ...o };
}
/** n appeals from n residents, one per week. */
const weekly = (cell: string, n: number, o: Partial<AppealRecord> = {}) => Array.from({ length: n }, (_, i) => appeal(cell, 2 + 7 * i, o));
/** Without a baseline the rules' own thresholds alone decide; the stand-out test has its own cases below. */
const detect = (recs: AppealRecord[], baseline: SystemicBaseline | null = null) => detectSystemicProblems(recs, {}, new Date(ASOF), baseline);
const uniform = (ids: string[]): SystemicBaseline => new Map(ids.map((id) => [id, [1, 1, 1, 1].map(() => 1 / ids.length) as [number, number, number, number]]));

describe('spatial clusters (rule a)', () => {
  const { minApplicants: K, minWeeks: W } = defaultSystemicParams;

  it('needs K distinct applicants: K − 1 is nothing, K is a problem', () => {
    expect(detect(weekly(HOME, K - 1))).toEqual([]);
    const [problem, ...rest] = detect(weekly(HOME, K));
    expect(rest).toEqual([]);
    expect(problem).toMatchObject({ kinds: ['spatial'], categoryId: 'roads', cells: [HOME], distinctApplicants: K });
    expect(problem!.memberIds).toHaveLength(K);
    expect(problem!.score).toBeGreaterThan(0);
    expect(problem!.score).toBeLessThan(1);
  });

  it('needs W distinct weeks: the same K residents on one day are not systemic', () => {
    const sameWeek = Array.from({ length: K + 3 }, (_, i) => appeal(HOME, 3 + (i % (W - 1))));
    expect(detect(sameWeek)).toEqual([]);
    const spread = Array.from({ length: K + 3 }, (_, i) => appeal(HOME, 3 + 7 * (i % W)));
    expect(detect(spread)).toHaveLength(1);
  });

  it('counts a resident once however often they file', () => {
    const noisy = Array.from({ length: 20 }, (_, i) => appeal(HOME, 1 + 4 * i, { applicantKey: 'p:555123456' }));
    expect(detect(noisy)).toEqual([]);
    expect(detect([...noisy, ...weekly(HOME, K - 2)])).toEqual([]);
  });

  it('leaves out a neighbouring cell that has no excess of its own', () => {
    // A problem in HOME; NEXT is a busy block whose one roads appeal is what the usual mix predicts there.
    const busy = Array.from({ length: 40 }, (_, i) => appeal(NEXT, 1 + (i % 80), { categoryId: `other${i % 4}` }));
    const stray = appeal(NEXT, 10);
    const mix: SystemicBaseline = new Map([['roads', [0.02, 0.02, 0.02, 0.02]], ...[0, 1, 2, 3].map((i) => [`other${i}`, [0.245, 0.245, 0.245, 0.245]] as const)]);
    const problems = detect([...weekly(HOME, K), ...busy, stray], mix);
    expect(problems).toHaveLength(1);
    expect(problems[0]!.cells).toEqual([HOME]);
    expect(problems[0]!.memberIds).not.toContain(stray.id);
  });

  it('expects more of a category where it has always been common (local baseline)', () => {
    // Roads are 2% of the city's appeals but half of this block's history: K road appeals among 2K are usual here.
    const city: SystemicBaseline = new Map([['roads', [0.02, 0.02, 0.02, 0.02]], ['other', [0.98, 0.98, 0.98, 0.98]]]);
    const history = Array.from({ length: 400 }, (_, i) => appeal(HOME, 200 + (i % 1000), { categoryId: i % 2 ? 'roads' : 'other' }));
    const now = [...weekly(HOME, K), ...Array.from({ length: K }, (_, i) => appeal(HOME, 3 + 7 * i, { categoryId: 'other' }))];
    expect(detect(now, city).filter((q) => q.categoryId === 'roads')).toHaveLength(1);
    expect(detect([...history, ...now], city).filter((q) => q.categoryId === 'roads' && q.kinds.includes('spatial'))).toEqual([]);
  });

  it('joins appeals in adjacent cells but not in cells two rings apart', () => {
    const split = [...weekly(HOME, 3), ...weekly(NEXT, K - 3)];
    const problems = detect(split);
    expect(problems).toHaveLength(1);
    expect(problems[0]!.cells).toEqual([HOME, NEXT].sort());
    expect(problems[0]!.memberIds).toHaveLength(K);
    expect(detect([...weekly(HOME, 3), ...weekly(TWO_AWAY, K - 3)])).toEqual([]);
  });

  it('merges adjacent flagged cells into one problem and keeps distant ones apart', () => {
    const problems = detect([...weekly(HOME, K), ...weekly(NEXT, K), ...weekly(FAR, K)]);
    expect(problems).toHaveLength(2);
    const merged = problems.find((p) => p.cells.includes(HOME))!;
    expect(merged.cells).toEqual([HOME, NEXT].sort());
    expect(merged.distinctApplicants).toBe(2 * K);
    expect(problems.find((p) => p.cells.includes(FAR))!.distinctApplicants).toBe(K);
  });

  it('keeps categories apart', () => {
    expect(detect([...weekly(HOME, K - 2), ...weekly(HOME, 2, { categoryId: 'lighting' })])).toEqual([]);
  });

  it('ignores a busy place where no category stands out from the city mix, and finds one that does', () => {
    const ids = Array.from({ length: 12 }, (_, c) => `cat${c}`);
    const busy = ids.flatMap((id) => weekly(HOME, K, { categoryId: id }));
    expect(detect(busy)).toHaveLength(12); // thresholds alone: every category passes
    expect(detect(busy, uniform(ids))).toEqual([]);
    const standing = [...busy, ...Array.from({ length: 30 }, (_, i) => appeal(HOME, 1 + (i % 80), { categoryId: 'cat0' }))];
    expect(detect(standing, uniform(ids)).map((p) => p.categoryId)).toEqual(['cat0']);
  });

  it('forgets appeals older than the spatial window', () => {
    const old = weekly(HOME, K).map((r) => ({ ...r, registeredAt: new Date(r.registeredAt.getTime() - 200 * DAY) }));
    expect(detect(old)).toEqual([]);
  });
});

describe('repeats after closure (rule b)', () => {
  /** Episodes of one appeal each, closed after ten days, one month apart, from alternating residents. */
  const episodes = (n: number) => Array.from({ length: n }, (_, i) =>
    appeal(HOME, 300 - 40 * i, { applicantKey: `r:${i % 3}`, closedAt: new Date(ASOF - (290 - 40 * i) * DAY) }));

  it('needs R returns after a closure', () => {
    const R = defaultSystemicParams.minRepeats;
    expect(detect(episodes(R))).toEqual([]); // R appeals are R − 1 returns
    const [problem] = detect(episodes(R + 1));
    expect(problem).toMatchObject({ kinds: ['repeat'], repeats: R });
  });

  it('does not count appeals filed while the first was still open', () => {
    const overlapping = Array.from({ length: 4 }, (_, i) =>
      appeal(HOME, 200 - i, { applicantKey: `r:${i}`, closedAt: new Date(ASOF - 150 * DAY) }));
    expect(detect(overlapping)).toEqual([]);
  });

  it('follows an explicit repeat_of link, also for an appeal without a place', () => {
    const first = appeal(HOME, 250, { applicantKey: 'r:1', closedAt: new Date(ASOF - 240 * DAY) });
    const open = appeal(HOME, 245, { applicantKey: 'r:9' }); // keeps the place's episode open
    const again = appeal(HOME, 200, { applicantKey: 'r:2', repeatOfId: first.id, closedAt: new Date(ASOF - 190 * DAY) });
    const third = { ...appeal(HOME, 100, { applicantKey: 'r:3', repeatOfId: again.id }), lat: null, lon: null };
    const [problem] = detect([first, open, again, third]);
    expect(problem).toMatchObject({ kinds: ['repeat'], repeats: 2, cells: [HOME] });
    expect(problem!.memberIds).toContain(third.id);
    expect(detect([first, open, { ...again, repeatOfId: null }, { ...third, repeatOfId: null }])).toEqual([]);
  });

  it('needs the returns from R different residents, not one resident refiling', () => {
    const others = [1, 2].map((i) => appeal(HOME, 330, { applicantKey: `r:x${i}`, closedAt: new Date(ASOF - 320 * DAY) }));
    const refiled = episodes(4).slice(1).map((r) => ({ ...r, applicantKey: 'r:0' }));
    expect(detect([...others, ...refiled])).toEqual([]);
    expect(detect([...others, ...refiled.map((r, i) => (i === 0 ? { ...r, applicantKey: 'r:1' } : r))])).toHaveLength(1);
  });

  it('needs each closure to hold minReturnGapDays before a report counts as a return', () => {
    const gap = defaultSystemicParams.minReturnGapDays;
    // Three residents, each filing `after` days after the previous appeal was closed (closed 10 days after filing).
    const chain = (after: number) => [0, 1, 2].map((i) => appeal(HOME, 300 - i * (10 + after),
      { applicantKey: `r:${i}`, closedAt: new Date(ASOF - (300 - i * (10 + after) - 10) * DAY) }));
    expect(detect(chain(gap - 1))).toEqual([]);
    expect(detect(chain(gap))).toMatchObject([{ kinds: ['repeat'], repeats: 2 }]);
  });

  it('takes R explicit repeat_of returns as enough even where the category is common', () => {
    const mix: SystemicBaseline = new Map([['roads', [0.5, 0.5, 0.5, 0.5]], ['other', [0.5, 0.5, 0.5, 0.5]]]);
    // Half the city's appeals are roads, and this block has thirty other appeals a year: three road appeals are usual.
    const others = Array.from({ length: 30 }, (_, i) => appeal(HOME, 5 + 10 * i, { categoryId: 'other', closedAt: new Date(ASOF - (2 + 10 * i) * DAY) }));
    const first = appeal(HOME, 300, { applicantKey: 'r:1', closedAt: new Date(ASOF - 290 * DAY) });
    const second = appeal(HOME, 200, { applicantKey: 'r:2', repeatOfId: first.id, closedAt: new Date(ASOF - 190 * DAY) });
    const third = appeal(HOME, 100, { applicantKey: 'r:3', repeatOfId: second.id, closedAt: new Date(ASOF - 90 * DAY) });
    const kindsOfRoads = (recs: AppealRecord[]) => detect(recs, mix).filter((q) => q.categoryId === 'roads').flatMap((q) => q.kinds);
    expect(kindsOfRoads([...others, first, second, third])).toContain('repeat');
    // The same returns with only one of them linked: nothing stands out, so no repeat problem.
    expect(kindsOfRoads([...others, first, second, { ...third, repeatOfId: null }])).not.toContain('repeat');
  });

  it('one resident reopening the same complaint is not systemic', () => {
    const alone = episodes(6).map((r) => ({ ...r, applicantKey: 'r:0' }));
    expect(detect(alone)).toEqual([]);
  });
});

describe('seasonal recurrence (rule c)', () => {
  const n = defaultSystemicParams.minSeasonAppeals;
  /** n heating appeals each January of the given years (by rotating residents), as of late November 2026. */
  const winters = (years: number[], perYear = n) => years.flatMap((y, i) => Array.from({ length: perYear }, (_, j) =>
    ({ ...appeal(HOME, 0, { categoryId: 'heating', applicantKey: `r:${(i + j) % 5}` }), registeredAt: new Date(Date.UTC(y, 0, 3 + 3 * j)) })));

  it('needs the same season in S different years', () => {
    expect(detect(winters([2024, 2025]))).toEqual([]);
    expect(detect(winters([2023, 2024, 2025], n - 1))).toEqual([]);
    const [problem] = detect(winters([2023, 2024, 2025]));
    expect(problem).toMatchObject({ kinds: ['seasonal'], categoryId: 'heating', seasonalYears: 3 });
    expect(problem!.memberIds).toHaveLength(3 * n);
  });

  it('counts December in the winter of the following January', () => {
    const decemberJanuary = [2023, 2024, 2025].flatMap((y) => Array.from({ length: n }, (_, j) =>
      ({ ...appeal(HOME, 0, { categoryId: 'heating', applicantKey: `r:${j}` }), registeredAt: new Date(j % 2 ? Date.UTC(y - 1, 11, 20 + j) : Date.UTC(y, 0, 20 + j)) })));
    expect(detect(decemberJanuary)[0]).toMatchObject({ seasonalYears: 3 });
  });

  it('is not seasonal when the category is there all year round', () => {
    const allYear = [2023, 2024, 2025].flatMap((y) => [0, 3, 6, 9].flatMap((m) => Array.from({ length: n }, (_, j) =>
      ({ ...appeal(HOME, 0, { categoryId: 'heating', applicantKey: `r:${j}` }), registeredAt: new Date(Date.UTC(y, m, 5 + 7 * j)) }))));
    expect(detect(allYear).filter((p) => p.kinds.includes('seasonal'))).toEqual([]);
  });
});

describe('trend', () => {
  const { minApplicants: K } = defaultSystemicParams;
  it('rises, falls or holds with the last four weeks against the eight before', () => {
    const at = (daysAgo: number[]) => daysAgo.map((d, i) => appeal(HOME, d, { applicantKey: `r:${i}` }));
    expect(detect(at([1, 3, 8, 10, 15, 20, 40]))[0]!.trend).toBe('rising');
    expect(detect(at([2, 30, 33, 38, 45, 60, 62, 70]))[0]!.trend).toBe('falling');
    expect(detect(at([2, 9, 16, 30, 37, 44, 60, 70, 80].slice(0, K + 4)))[0]!.trend).toBe('steady');
  });
});

describe('incremental runs', () => {
  /** A seeded mix of every rule plus scatter, over three years around HOME. */
  function history(seed: number): AppealRecord[] {
    let s = seed;
    const random = () => { s = (s * 1103515245 + 12345) % 2 ** 31; return s / 2 ** 31; };
    const cells = gridDisk(HOME, 6);
    const out: AppealRecord[] = [];
    for (let i = 0; i < 3000; i++) {
      const cell = cells[Math.floor(random() * (random() < 0.5 ? 19 : cells.length))]!;
      const daysAgo = Math.floor(random() * 1100);
      const closed = random() < 0.8 ? new Date(ASOF - (daysAgo - 5 - Math.floor(random() * 15)) * DAY) : null;
      const prev = out.length > 0 && random() < 0.05 ? out[Math.floor(random() * out.length)]! : undefined;
      out.push(appeal(cell, daysAgo, {
        categoryId: `c${Math.floor(random() * 4)}`, applicantKey: `r:${Math.floor(random() * 400)}`, closedAt: closed,
        repeatOfId: prev && prev.registeredAt.getTime() < ASOF - daysAgo * DAY ? prev.id : null,
      }));
    }
    return out.sort((a, b) => a.registeredAt.getTime() - b.registeredAt.getTime());
  }
  const normalise = (ps: ReturnType<typeof detect>) => ps.map((p) => ({ ...p, memberIds: [...p.memberIds].sort() })).sort((a, b) => (a.id < b.id ? -1 : 1));

  /** Small shares, so that the stand-out test is on and depends on the neighbours' totals. */
  const baseline: SystemicBaseline = new Map(['c0', 'c1', 'c2', 'c3'].map((id) => [id, [0.02, 0.03, 0.02, 0.05]]));

  it('gives the batch result after adding appeals in steps as the clock moves', () => {
    for (const seed of [1, 2, 3]) {
      const all = history(seed);
      const batch = normalise(detect(all, baseline));
      expect(batch.length).toBeGreaterThan(0);
      const state = createDetectorState({}, baseline);
      const steps = [0.6, 0.8, 0.9, 0.97, 1].map((f) => Math.floor(all.length * f));
      let from = 0;
      let last: ReturnType<typeof detect> = [];
      for (const to of steps) {
        const chunk = all.slice(from, to);
        const clock = to === all.length ? new Date(ASOF) : chunk[chunk.length - 1]!.registeredAt;
        last = updateDetector(state, chunk, clock);
        expect(normalise(last)).toEqual(normalise(detectSystemicProblems(all.slice(0, to), {}, clock, baseline)));
        from = to;
      }
      expect(normalise(last)).toEqual(batch);
    }
  });

  it('replaces an appeal given again (read twice, or changed) instead of counting it twice', () => {
    const all = history(4);
    const state = createDetectorState({}, baseline);
    updateDetector(state, all, new Date(ASOF));
    // The same appeals again, some closed meanwhile, some moved to another category or place, one taken out.
    const changed = all.slice(-400).map((r, i) => (i % 4 === 0 ? { ...r, closedAt: new Date(ASOF - DAY) }
      : i % 4 === 1 ? { ...r, categoryId: 'c0' } : i % 4 === 2 ? { ...r, lat: r.lat! + 0.004 } : { ...r }));
    const gone = { ...all[all.length - 401]!, lat: null, lon: null, repeatOfId: null };
    const final = [...all.slice(0, -401), ...changed];
    expect(normalise(updateDetector(state, [...changed, gone], new Date(ASOF)))).toEqual(normalise(detect(final, baseline)));
  });

  it('moves the clock alone: problems age out of the window', () => {
    const state = createDetectorState();
    expect(updateDetector(state, weekly(HOME, 6), new Date(ASOF))).toHaveLength(1);
    expect(updateDetector(state, [], new Date(ASOF + 120 * DAY))).toEqual([]);
  });
});

describe('applicantKeyOf', () => {
  it('recognises one resident by phone in any format, then e-mail, then account, else the appeal', () => {
    const a = applicantKeyOf({ phone: '+996 555 123 456', appealId: 'x' });
    expect(applicantKeyOf({ phone: '0555-12-34-56', email: 'other@example.kg', appealId: 'y' })).toBe(a);
    expect(applicantKeyOf({ email: ' Aigul@Example.KG ', appealId: 'x' })).toBe(applicantKeyOf({ email: 'aigul@example.kg', appealId: 'y' }));
    expect(applicantKeyOf({ citizenId: 'u1', appealId: 'x' })).toBe('c:u1');
    expect(applicantKeyOf({ appealId: 'x' })).not.toBe(applicantKeyOf({ appealId: 'y' }));
  });
});
