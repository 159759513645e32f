/**
 * Request and response shapes of the analytics routes (they make the OpenAPI document and the web's typed client).
 * Periods are whole local months (YYYY-MM): the cube (analytics_months) counts appeals in the month they were
 * registered — a cohort view: what became of the appeals registered in the period.
 */
import { z } from 'zod';
import { AGE_BANDS, APPEAL_KINDS, APPEAL_STATUSES, CHANNELS, GENDERS, SOCIAL_GROUPS } from '@shaar/contracts';

export const MONTH_PATTERN = /^\d{4}-(0[1-9]|1[0-2])$/;
const Month = z.string().regex(MONTH_PATTERN).describe("YYYY-MM: a month on the city's own clock");
/** Repeatable filters arrive as `?category=a&category=b` or one value. */
const many = <T extends z.ZodTypeAny>(item: T) => z.union([item, z.array(item)]).optional()
  .transform((v) => (v === undefined ? undefined : Array.isArray(v) ? v : [v]));

export const FORMS = ['oral', 'written', 'electronic'] as const;

/** Filters every analytic route accepts; all are optional and combine with AND (values of one filter with OR). */
export const AnalyticsFilters = z.object({
  from: Month.optional().describe('First month; default: 11 months before `to`'),
  to: Month.optional().describe('Last month, included; default: the current month. At most 120 months in all'),
  category: many(z.uuid()).describe('Category or category group ids (a group includes its subcategories)'),
  district: many(z.uuid()),
  service: many(z.uuid()),
  channel: many(z.enum(CHANNELS)),
  form: many(z.enum(FORMS)).describe("The law's three forms: oral (in person, phone), written (letter), electronic (the rest)"),
  kind: many(z.enum(APPEAL_KINDS)),
  status: many(z.enum(APPEAL_STATUSES)).describe('The current status of the appeals'),
});
export type AnalyticsFilters = z.infer<typeof AnalyticsFilters>;

export const CUBE_DIMENSIONS = ['category', 'category_group', 'district', 'service', 'channel', 'form', 'kind', 'status', 'month'] as const;
export const GROUP_DIMENSIONS = ['age_band', 'gender', 'social_group'] as const;
export const COMPARE = ['previous', 'year_before', 'none'] as const;

const count = z.number().int();
const ratio = z.number().nullable();

/** The figures of any set of appeals (a cell, a row, the whole period). */
export const FiguresOut = z.object({
  appeals: count,
  share: ratio.describe('% of the appeals of the whole selection (the row\'s share of its table)'),
  collective: count, repeats: count.describe('Appeals that repeat an earlier one on the same matter'),
  answered: count, answeredOnTime: count,
  onTimePct: ratio.describe('Answered by the due date, % of answered; null without answers'),
  averageDays: ratio.describe('Average working days to the (latest) answer'),
  ratings: count, averageRating: ratio.describe('1–5'),
  solvedPct: ratio.describe('"Solved" in the ratings, % of ratings'),
  partlySolvedPct: ratio,
});
export type FiguresOut = z.infer<typeof FiguresOut>;

export const PeriodOut = z.object({ from: z.string(), to: z.string(), months: count });
export const FreshnessOut = z.object({
  refreshedAt: z.string().nullable().describe('When the cube last folded in the registry\'s changes (ISO time)'),
});

/** GET …/analytics/summary: the totals of the selection, against a comparison period. */
export const SummaryQuery = AnalyticsFilters.extend({
  compare: z.enum(COMPARE).optional().describe('previous: the same number of months just before; year_before: the same months a year earlier'),
});
export const SummaryOut = z.object({
  period: PeriodOut, comparePeriod: PeriodOut.nullable(),
  figures: FiguresOut, compareFigures: FiguresOut.nullable(),
  ...FreshnessOut.shape,
});

/** GET …/analytics/breakdown: one row per value of a dimension (shares of the selection), with the comparison. */
export const BreakdownQuery = SummaryQuery.extend({ by: z.enum(CUBE_DIMENSIONS) });
export const BreakdownRowOut = z.object({
  key: z.string().describe('The id, code or month of the row (`none` = not set)'),
  label: z.object({ ky: z.string(), ru: z.string(), en: z.string() }).nullable().describe('Names of directory rows; null for codes the client translates'),
  figures: FiguresOut, compareFigures: FiguresOut.nullable(),
});
export const BreakdownOut = z.object({
  period: PeriodOut, comparePeriod: PeriodOut.nullable(), by: z.enum(CUBE_DIMENSIONS),
  total: FiguresOut, rows: z.array(BreakdownRowOut), ...FreshnessOut.shape,
});

/** GET …/analytics/crosstab: appeals by two dimensions (e.g. category × district, channel × age band). */
export const CrosstabQuery = AnalyticsFilters.extend({
  rows: z.enum([...CUBE_DIMENSIONS, ...GROUP_DIMENSIONS]),
  cols: z.enum([...CUBE_DIMENSIONS, ...GROUP_DIMENSIONS]),
  measure: z.enum(['appeals', 'onTimePct', 'averageRating', 'solvedPct']).optional(),
});
export const CrosstabOut = z.object({
  period: PeriodOut, rows: z.enum([...CUBE_DIMENSIONS, ...GROUP_DIMENSIONS]), cols: z.enum([...CUBE_DIMENSIONS, ...GROUP_DIMENSIONS]),
  measure: z.string(),
  rowKeys: z.array(z.object({ key: z.string(), label: BreakdownRowOut.shape.label })),
  colKeys: z.array(z.object({ key: z.string(), label: BreakdownRowOut.shape.label })),
  /** cells[i][j] for rowKeys[i] × colKeys[j]; null where suppressed (groups) or without data for a ratio. */
  cells: z.array(z.array(z.number().nullable())),
  suppressed: count.describe('Cells hidden because they count fewer than the threshold (groups of residents only)'),
  suppressionThreshold: count.nullable(),
  ...FreshnessOut.shape,
});

/** GET …/analytics/groups: figures by a group of residents, from voluntary consented profiles only, suppressed below 5. */
export const GroupsQuery = AnalyticsFilters.extend({ by: z.enum(GROUP_DIMENSIONS) });
export const GroupsOut = z.object({
  period: PeriodOut, by: z.enum(GROUP_DIMENSIONS),
  profiled: z.number().int().nullable().describe('Appeals with a consented profile in the selection (null if below the threshold)'),
  rows: z.array(z.object({
    key: z.string().describe(`A value of ${AGE_BANDS.join('/')}, ${GENDERS.join('/')} or ${SOCIAL_GROUPS.join('/')}; none = not given`),
    appeals: z.number().int().nullable().describe('null: suppressed (fewer than the threshold, or revealing one that is)'),
    onTimePct: ratio, averageRating: ratio, solvedPct: ratio,
  })),
  suppressionThreshold: count,
  ...FreshnessOut.shape,
});

/** GET …/analytics/map/cells: appeals per H3 cell (resolution 8) for the heat map, and its table alternative. */
export const MapCellsOut = z.object({
  period: PeriodOut, resolution: count,
  cells: z.array(z.object({ cell: z.string(), appeals: count })),
  ...FreshnessOut.shape,
});
/** GET …/analytics/map/districts: appeals per district, and per 10,000 residents where the population is known. */
export const MapDistrictsOut = z.object({
  period: PeriodOut,
  districts: z.array(z.object({
    districtId: z.string().nullable(), label: BreakdownRowOut.shape.label, appeals: count, per10k: ratio,
  })),
  ...FreshnessOut.shape,
});

/** GET …/analytics/appeals: drill-down — the appeals behind any figure (same filters), newest first. */
export const DrillDownQuery = AnalyticsFilters.extend({
  cursor: z.string().max(500).optional(), limit: z.coerce.number().int().min(1).max(200).optional(),
});
export const DrillDownOut = z.object({
  items: z.array(z.object({
    id: z.uuid(), registrationNumber: z.string(), registeredAt: z.string(), kind: z.string(), channel: z.string(), status: z.string(),
    categoryId: z.string().nullable(), districtId: z.string().nullable(), serviceId: z.string().nullable(),
    subject: z.string(), dueDate: z.string(), answeredAt: z.string().nullable(), onTime: z.boolean().nullable(), rating: z.number().nullable(),
  })),
  nextCursor: z.string().nullable(),
  total: count.describe('Appeals matching (from the cube)'),
});

/** GET …/public/analytics: the public dashboard's headline figures, categories, districts, forms and the map. */
export const PublicAnalyticsQuery = z.object({ from: Month.optional(), to: Month.optional() }).strict();
export const PublicAnalyticsOut = z.object({
  period: PeriodOut,
  figures: FiguresOut,
  byCategoryGroup: z.array(BreakdownRowOut.pick({ key: true, label: true, figures: true })),
  byDistrict: z.array(BreakdownRowOut.pick({ key: true, label: true, figures: true })),
  byForm: z.array(BreakdownRowOut.pick({ key: true, label: true, figures: true })),
  byMonth: z.array(BreakdownRowOut.pick({ key: true, label: true, figures: true })),
  cells: MapCellsOut.shape.cells,
  ...FreshnessOut.shape,
});

/** GET …/analytics/report: a printable monthly report — the month against the month before, by group, place, form and service. */
export const ReportQuery = z.object({ month: Month.optional().describe('The month reported; default: the last complete month') });
export const ReportOut = z.object({
  month: z.string(), previousMonth: z.string(),
  figures: FiguresOut, compareFigures: FiguresOut,
  byCategoryGroup: z.array(BreakdownRowOut), byDistrict: z.array(BreakdownRowOut), byForm: z.array(BreakdownRowOut),
  topCategories: z.array(BreakdownRowOut).describe('The 10 categories with the most appeals in the month'),
  byService: z.array(BreakdownRowOut).describe('Every service with appeals in either month (on time, ratings), busiest first'),
  ...FreshnessOut.shape,
});
