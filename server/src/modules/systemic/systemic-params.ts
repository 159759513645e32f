/**
 * Inputs, outputs and parameters of the systemic-problems detector (docs/systemic-problems.md is the specification).
 * Pure data: no database, so the same code runs in a job, in the eval and in tests.
 */

/** One appeal as the detector needs it; personal data is reduced to an opaque applicant key. */
export interface AppealRecord {
  id: string;
  /** The (sub)category the caller chose to group by. */
  categoryId: string;
  lat: number | null;
  lon: number | null;
  registeredAt: Date;
  closedAt: Date | null;
  /** See applicantKeyOf: the same resident filing twice gives the same key. */
  applicantKey: string;
  repeatOfId: string | null;
}

export type SystemicKind = 'spatial' | 'repeat' | 'seasonal';
export type Trend = 'rising' | 'steady' | 'falling';

export interface SystemicProblem {
  /** Stable while the problem keeps its first cell: category and smallest cell. */
  id: string;
  kinds: SystemicKind[];
  categoryId: string;
  /** H3 cells (sorted) holding the members. */
  cells: string[];
  memberIds: string[];
  distinctApplicants: number;
  weeksActive: number;
  /** Problem returned after a closure this many times (rule b), 0 if never. */
  repeats: number;
  /** Most years in which one season carried the problem (rule c), 0 if none. */
  seasonalYears: number;
  firstSeen: Date;
  lastSeen: Date;
  /** 0–1, saturating: see scoreOf. */
  score: number;
  trend: Trend;
}

/** Category → its share of all the city's appeals in winter, spring, summer, autumn (baselineOf). */
export type SystemicBaseline = ReadonlyMap<string, readonly [number, number, number, number]>;

export interface SystemicParams {
  /** H3 resolution of the cells (9 ≈ 0.1 km²). */
  resolution: number;
  /** Rule a: distinct applicants (K) and distinct weeks (W) in a cell's neighbourhood within the spatial window. */
  minApplicants: number;
  minWeeks: number;
  spatialWindowDays: number;
  /**
   * Every rule: the category must reach minLift × what the city's usual mix predicts for the place (the place's
   * appeals of all categories × the category's city-wide share in that season), so a busy square is not one problem.
   */
  minLift: number;
  /** …and be unlikely by chance there: P(Poisson(expected) ≥ observed) at most this. */
  maxPValue: number;
  /** A cell joins a problem only if its own count is at least this × its own expectation (see kindsOf). */
  minCellLift: number;
  /** Pseudo-appeals at the city share that the neighbourhood's own history is blended with (localShare). */
  localPrior: number;
  /** Rule b: returns after closure (R) within the repeat window, from at least minRepeatApplicants people. */
  minRepeats: number;
  repeatWindowDays: number;
  minRepeatApplicants: number;
  /** Rule b: a return counts only if the closure before it held this many days. */
  minReturnGapDays: number;
  /** Rule c: one season in at least S years out of the last seasonalYearsBack, each with minSeasonAppeals. */
  minSeasonYears: number;
  seasonalYearsBack: number;
  minSeasonAppeals: number;
  minSeasonShare: number;
  minSeasonApplicants: number;
  /** Trend: last period against the mean of the two before. */
  trendPeriodDays: number;
  trendRatio: number;
  trendMinChange: number;
  /** Raw score at which the normalised score is 0.5. */
  scoreHalf: number;
  /** Local time of the city for week and season boundaries (Bishkek and Osh: UTC+6). */
  utcOffsetHours: number;
}

export const defaultSystemicParams: SystemicParams = {
  resolution: 9,
  minApplicants: 5,
  minWeeks: 3,
  spatialWindowDays: 90,
  minLift: 3,
  maxPValue: 0.0001,
  minCellLift: 2,
  localPrior: 100,
  minRepeats: 2,
  repeatWindowDays: 365,
  minRepeatApplicants: 3,
  minReturnGapDays: 14,
  minSeasonYears: 3,
  seasonalYearsBack: 5,
  minSeasonAppeals: 4,
  minSeasonShare: 0.5,
  minSeasonApplicants: 2,
  trendPeriodDays: 28,
  trendRatio: 1.5,
  trendMinChange: 2,
  scoreHalf: 100,
  utcOffsetHours: 6,
};

/**
 * The identity of an applicant: normalised phone, else lower-cased e-mail, else citizen account, else the appeal
 * itself (an anonymous appeal counts as its own applicant). Phones keep their last 9 digits so that
 * +996 555 123 456, 0555 123456 and 555123456 are one person.
 */
export function applicantKeyOf(a: { phone?: string | null; email?: string | null; citizenId?: string | null; appealId: string }): string {
  const digits = a.phone?.replace(/\D/g, '') ?? '';
  if (digits.length >= 6) return `p:${digits.slice(-9)}`;
  const email = a.email?.trim().toLowerCase();
  if (email) return `e:${email}`;
  if (a.citizenId) return `c:${a.citizenId}`;
  return `a:${a.appealId}`;
}
