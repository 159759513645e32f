/**
 * Scorecard arithmetic on the monthly roll-up, without any database: sum rows into tallies, turn a tally into the
 * figures people read, and rank services. Pure functions, so the rules are easy to test and to explain.
 */

/** The counts of one roll-up row (scorecard_months), or of many summed. */
export interface Tally {
  received: number;
  answered: number;
  answeredOnTime: number;
  /** index = working days to answer; the last cell (HISTOGRAM_CAP) = that many or more. */
  histogram: number[];
  ratings: number;
  ratingSum: number;
  solvedYes: number;
  solvedPartly: number;
  solvedNo: number;
  reviewRequests: number;
  reopenings: number;
}

/** Working days are counted exactly up to 59; 60 stands for "60 or more" (refresh SQL uses the same cap). */
export const HISTOGRAM_CAP = 60;

/** A tally to add into: its histogram is dense, with every cell, so sums stay on V8's fast path. */
export function emptyTally(): Tally {
  return {
    received: 0, answered: 0, answeredOnTime: 0, histogram: new Array<number>(HISTOGRAM_CAP + 1).fill(0), ratings: 0, ratingSum: 0,
    solvedYes: 0, solvedPartly: 0, solvedNo: 0, reviewRequests: 0, reopenings: 0,
  };
}

/** Adds `row` into `into` (histograms cell by cell) and returns `into`. */
export function addTally(into: Tally, row: Tally): Tally {
  into.received += row.received;
  into.answered += row.answered;
  into.answeredOnTime += row.answeredOnTime;
  const from = row.histogram;
  const to = into.histogram;
  // A plain loop: a period of a big city adds thousands of rows into several tallies each.
  for (let days = 0; days < from.length; days++) {
    const n = from[days]!;
    if (n !== 0) to[days] = (to[days] ?? 0) + n;
  }
  into.ratings += row.ratings;
  into.ratingSum += row.ratingSum;
  into.solvedYes += row.solvedYes;
  into.solvedPartly += row.solvedPartly;
  into.solvedNo += row.solvedNo;
  into.reviewRequests += row.reviewRequests;
  into.reopenings += row.reopenings;
  return into;
}

/**
 * The p-quantile (0…1) of the working days in a histogram, exactly as PostgreSQL's percentile_cont would give it
 * over the individual answers: the value at position p·(N−1) of the sorted list, interpolated between neighbours.
 * So the median of 3 and 10 days is 6.5. Null without answers.
 */
export function percentile(histogram: readonly number[], p: number): number | null {
  const n = histogram.reduce((s, c) => s + (c ?? 0), 0);
  if (n === 0) return null;
  const position = p * (n - 1);
  const lower = Math.floor(position);
  const a = valueAt(histogram, lower);
  const b = valueAt(histogram, Math.ceil(position));
  return round(a + (b - a) * (position - lower), 1);
}

/** The k-th (0-based) value of the sorted list the histogram stands for. */
function valueAt(histogram: readonly number[], k: number): number {
  let seen = 0;
  for (let days = 0; days < histogram.length; days++) {
    seen += histogram[days] ?? 0;
    if (seen > k) return days;
  }
  return histogram.length - 1;
}

const round = (x: number, digits: number) => Math.round(x * 10 ** digits) / 10 ** digits;
const pct = (part: number, whole: number) => (whole === 0 ? null : round((100 * part) / whole, 1));

/** What a scorecard shows for one service, executor, month or the whole city. */
export interface Figures {
  received: number;
  answered: number;
  answeredOnTime: number;
  /** answeredOnTime / answered, in percent with one decimal; null without answers. */
  onTimePct: number | null;
  /** Working days from registration (or the last reopening) to the answer; 60 means 60 or more. */
  medianDays: number | null;
  p90Days: number | null;
  ratings: number;
  /** The residents' overall verdict, 1–5, two decimals; null without ratings. */
  averageRating: number | null;
  solvedYes: number;
  solvedPartly: number;
  solvedNo: number;
  /** Ratings saying 'solved' (and 'partly solved'), in percent of ratings. */
  solvedPct: number | null;
  partlySolvedPct: number | null;
  reviewRequests: number;
  reopenings: number;
}

export function figuresOf(t: Tally): Figures {
  return {
    received: t.received,
    answered: t.answered,
    answeredOnTime: t.answeredOnTime,
    onTimePct: pct(t.answeredOnTime, t.answered),
    medianDays: percentile(t.histogram, 0.5),
    p90Days: percentile(t.histogram, 0.9),
    ratings: t.ratings,
    averageRating: t.ratings === 0 ? null : round(t.ratingSum / t.ratings, 2),
    solvedYes: t.solvedYes,
    solvedPartly: t.solvedPartly,
    solvedNo: t.solvedNo,
    solvedPct: pct(t.solvedYes, t.ratings),
    partlySolvedPct: pct(t.solvedPartly, t.ratings),
    reviewRequests: t.reviewRequests,
    reopenings: t.reopenings,
  };
}

/**
 * A service is ranked only with at least this many answers in the period: one answer given on time would
 * otherwise put a service that hardly works at the top. Below it the service is listed, unranked.
 */
export const MIN_ANSWERS_TO_RANK = 5;

/**
 * The ranking, best first: the share of answers given on time (the law's test), then the residents' average
 * rating (no ratings counts below any rating), then the faster median, then more answers, then the code — so the
 * order is total and the same on every request. Returns each service's rank (1…), or null when unranked.
 */
export function rankServices<T extends { code: string; figures: Figures }>(items: readonly T[]): Map<T, number | null> {
  const ranked = items.filter((i) => i.figures.answered >= MIN_ANSWERS_TO_RANK);
  const desc = (a: number | null, b: number | null) => (b ?? -1) - (a ?? -1);
  const asc = (a: number | null, b: number | null) => (a ?? Infinity) - (b ?? Infinity);
  ranked.sort((a, b) => desc(a.figures.onTimePct, b.figures.onTimePct)
    || desc(a.figures.averageRating, b.figures.averageRating)
    || asc(a.figures.medianDays, b.figures.medianDays)
    || b.figures.answered - a.figures.answered
    || a.code.localeCompare(b.code));
  const ranks = new Map<T, number | null>(items.map((i) => [i, null]));
  ranked.forEach((item, index) => ranks.set(item, index + 1));
  return ranks;
}
