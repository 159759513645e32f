/** Request and response shapes of the systemic-problem routes (they make the OpenAPI document). */
import { z } from 'zod';
import { LOCALES } from '@shaar/contracts';
import { IdParams } from '../../platform/http/schemas.js';
import { ExportFormatSchema } from '../../platform/export/table-export.js';

export const SYSTEMIC_STATUSES = ['new', 'confirmed', 'dismissed', 'merged'] as const;
export const SYSTEMIC_KINDS = ['spatial', 'repeat', 'seasonal'] as const;

const count = z.number().int();

export const SystemicFilters = z.object({
  status: z.enum(SYSTEMIC_STATUSES).optional().describe('Default: every status'),
  kind: z.enum(SYSTEMIC_KINDS).optional().describe('Problems that met this rule'),
  categoryId: z.uuid().optional().describe('A subcategory, or a category with all its subcategories'),
  districtId: z.uuid().optional().describe('The district most of its appeals are in'),
  active: z.enum(['true', 'false']).optional().describe('true: the detector still finds it; false: no longer found'),
  minScore: z.coerce.number().min(0).max(1).optional().describe('Score at least this (0–1)'),
});

export const SystemicListQuery = SystemicFilters.extend({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).max(100_000).default(0),
}).strict();

export const SystemicExportQuery = SystemicFilters.extend({
  format: ExportFormatSchema.default('csv'),
  lang: z.enum(LOCALES).optional().describe("The file's language (a download link cannot set Accept-Language); default: the request's"),
}).strict();

export const SystemicProblemOut = z.object({
  id: z.uuid(),
  kinds: z.array(z.enum(SYSTEMIC_KINDS)).describe('The rules it met: spatial cluster, repeat after closure, seasonal'),
  categoryId: z.uuid().nullable(),
  districtId: z.uuid().nullable().describe('The district most of its appeals are in'),
  cells: z.array(z.string()).describe('H3 cells (resolution 9) holding its appeals'),
  appeals: count,
  distinctApplicants: count.describe('Residents behind the appeals (a resident filing twice counts once)'),
  weeksActive: count,
  repeats: count.describe('Returns after a closure'),
  seasonalYears: count.describe('Years in which one season carried it'),
  score: z.number().describe('0–1: applicants × weeks × recurrence, 0.5 at the score half-point'),
  trend: z.enum(['rising', 'steady', 'falling']),
  firstSeen: z.string(), lastSeen: z.string(),
  active: z.boolean().describe('The detector still finds it'),
  status: z.enum(SYSTEMIC_STATUSES),
  mergedIntoId: z.uuid().nullable(),
  statusReason: z.string().nullable(),
  decidedById: z.uuid().nullable(),
  decidedAt: z.string().nullable(),
  detectedAt: z.string(),
  updatedAt: z.string(),
  version: count.describe('Changes with every decision: send it as If-Match to avoid overwriting a colleague'),
});

export const SystemicListOut = z.object({
  items: z.array(SystemicProblemOut), total: count, limit: count, offset: count,
});

export const SystemicMemberOut = z.object({
  appealId: z.uuid(), registrationNumber: z.string(), registeredAt: z.string(), status: z.string(),
  categoryId: z.uuid().nullable(), districtId: z.uuid().nullable(),
});
export const SystemicNoteOut = z.object({
  id: z.uuid(), authorId: z.uuid(), authorName: z.string().nullable(), body: z.string(), createdAt: z.string(),
});

export const SystemicDetailOut = SystemicProblemOut.extend({
  members: z.array(SystemicMemberOut).describe('Oldest first; no personal data'),
  monthly: z.array(z.object({ month: z.string().describe('YYYY-MM'), appeals: count })).describe('Every month from the first to the last appeal'),
  notes: z.array(SystemicNoteOut).describe('Oldest first'),
  mergedFrom: z.array(z.object({ id: z.uuid(), appeals: count, categoryId: z.uuid().nullable() })).describe('Problems merged into this one'),
});

export const SystemicParams = IdParams;
export const IfMatchHeaders = z.object({
  'if-match': z.string().regex(/^"?\d+"?$/).optional().describe('The version you saw; 409 if the problem changed since'),
});

const Reason = z.string().trim().min(1).max(2000);
export const ConfirmBody = z.object({ reason: Reason.optional() }).strict();
export const DismissBody = z.object({ reason: Reason.describe('Why it is not a systemic problem (required)') }).strict();
export const MergeBody = z.object({ intoId: z.uuid().describe('The problem this one joins') }).strict();
export const NoteBody = z.object({ body: z.string().trim().min(1).max(4000) }).strict();

export const DetectOut = z.object({
  mode: z.enum(['batch', 'incremental']), appeals: count.describe('Appeals fed to the detector'),
  problems: count, created: count, updated: count, deactivated: count, durationMs: count,
});
