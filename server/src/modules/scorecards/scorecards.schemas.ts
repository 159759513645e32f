/** Request and response shapes of the scorecard routes (they make the OpenAPI document). */
import { z } from 'zod';
import { LocalizedText } from '../../platform/http/schemas.js';
import { MAX_PERIOD_MONTHS, MONTH_PATTERN } from './scorecard-period.js';

const Month = z.string().regex(MONTH_PATTERN).describe("YYYY-MM: a month on the city's own clock");

export const PeriodQuery = z.object({
  from: Month.optional().describe('First month; default: 11 months before `to`'),
  to: Month.optional().describe(`Last month, included; default: the current month. At most ${MAX_PERIOD_MONTHS} months in all`),
}).strict();

export const StaffScorecardQuery = PeriodQuery.extend({
  serviceId: z.uuid().optional().describe('Only this service (staff of a service see only their own anyway)'),
}).strict();

const count = z.number().int();
const ratio = z.number().nullable();

export const FiguresOut = z.object({
  received: count.describe('Appeals registered in the period'),
  answered: count.describe('Answers given in the period'),
  answeredOnTime: count,
  onTimePct: ratio.describe('Answers given by their due date, % of answers; null without answers'),
  medianDays: ratio.describe('Median working days from registration (or the last reopening) to the answer; 60 = 60 or more'),
  p90Days: ratio.describe('90th percentile of the same'),
  ratings: count.describe("Residents' ratings given in the period"),
  averageRating: ratio.describe('Average overall rating, 1–5'),
  solvedYes: count, solvedPartly: count, solvedNo: count,
  solvedPct: ratio.describe("Ratings saying the problem was solved, % of ratings"),
  partlySolvedPct: ratio.describe("Ratings saying it was partly solved, % of ratings"),
  reviewRequests: count.describe('Residents asking for a review of an answer'),
  reopenings: count.describe('Appeals reopened'),
});
export const CurrentFiguresOut = FiguresOut.extend({
  overdueNow: count.describe('Open appeals past their due date today (live, whatever the period)'),
});

const PeriodOut = {
  from: z.string().describe('YYYY-MM'), to: z.string().describe('YYYY-MM'),
  minAnswersToRank: count.describe('A service is ranked only with at least this many answers in the period'),
  rankedServices: count,
};

export const ServiceScoreOut = z.object({
  rank: z.number().int().nullable().describe('1 = best: on-time % first, then average rating, median days, answers; null = too few answers'),
  serviceId: z.uuid(), code: z.string(), name: LocalizedText, kind: z.string(),
  figures: CurrentFiguresOut,
});

export const CityScorecardOut = z.object({
  ...PeriodOut,
  city: CurrentFiguresOut.describe('The whole city, appeals without a service included'),
  services: z.array(ServiceScoreOut).describe('Ranked services by rank, then the unranked'),
});

export const ServiceScorecardOut = z.object({
  ...PeriodOut,
  service: ServiceScoreOut,
  trend: z.array(z.object({ month: z.string().describe('YYYY-MM'), figures: FiguresOut })).describe('One row per month of the period'),
});

export const StaffScorecardOut = z.object({
  ...PeriodOut,
  services: z.array(ServiceScoreOut.extend({
    executors: z.array(z.object({
      executorId: z.uuid().nullable().describe('null: appeals received while no executor held them'),
      name: z.string().nullable(),
      figures: CurrentFiguresOut,
    })),
  })),
});

export const RebuildOut = z.object({
  from: z.string(), to: z.string(), months: count, rows: count.describe('Roll-up rows written'), durationMs: count,
});
