/** Request and response shapes of the staff workspace API; the OpenAPI document is generated from these. */
import { z } from 'zod';
import { APPEAL_STATUSES, LOCALES, STAFF_ROLES } from '@shaar/contracts';
import { IsoDate, Uuid } from '../../platform/http/schemas.js';
import { AppealListQuery } from '../appeals/appeals.schemas.js';

// ---- staff for pickers ---------------------------------------------------------------------------------------

export const StaffQuery = z.object({
  role: z.enum(STAFF_ROLES).optional().describe('Only staff with this role (e.g. executor)'),
  serviceId: Uuid.optional().describe('Only staff of this service'),
}).strict();

export const StaffMemberOut = z.object({
  id: z.uuid(), fullName: z.string(), roles: z.array(z.enum(STAFF_ROLES)), serviceId: z.uuid().nullable(),
}).describe('A staff member as an assignment picker shows them (no e-mail, nothing else)');

// ---- answer templates ----------------------------------------------------------------------------------------

const templateText = (max: number) => z.string().trim().min(1).max(max);
/** A text in one or more of ky, ru, en. */
const PartialText = (max: number) => z.object({
  ky: templateText(max).optional(), ru: templateText(max).optional(), en: templateText(max).optional(),
}).strict();

const TemplateTitle = PartialText(200).describe('The title in each language the template is written in');
const TemplateBody = PartialText(20_000).describe('The answer text in each language the template is written in');

const languagesMatch = (t: { title?: Record<string, unknown> | undefined; body?: Record<string, unknown> | undefined }) => {
  if (!t.title || !t.body) return true;
  return LOCALES.every((l) => (t.title![l] === undefined) === (t.body![l] === undefined))
    && LOCALES.some((l) => t.title![l] !== undefined);
};
const languagesIssue = { message: 'title and body in the same languages, at least one', path: ['body'] };

export const AnswerTemplateCreate = z.object({
  title: TemplateTitle,
  body: TemplateBody,
  serviceId: Uuid.nullable().optional().describe('Only for appeals of this service; none: any service'),
  categoryId: Uuid.nullable().optional().describe('Only for this category (a top-level one covers its subcategories); none: any'),
}).strict().refine(languagesMatch, languagesIssue);

export const AnswerTemplatePatch = z.object({
  title: TemplateTitle, body: TemplateBody, serviceId: Uuid.nullable(), categoryId: Uuid.nullable(),
}).partial().strict()
  .refine((p) => (p.title === undefined) === (p.body === undefined), { message: 'title and body are changed together', path: ['body'] })
  .refine(languagesMatch, languagesIssue);

export const AnswerTemplateQuery = z.object({
  language: z.enum(LOCALES).optional().describe('Only templates written in this language'),
  serviceId: Uuid.optional().describe("Only templates that apply to this service's appeals (its own and those for any service)"),
  categoryId: Uuid.optional().describe('Only templates that apply to this category (its own, its group\'s, and those for any category)'),
}).strict();

export const AnswerTemplateOut = z.object({
  id: z.uuid(), serviceId: z.uuid().nullable(), categoryId: z.uuid().nullable(),
  title: PartialText(200), body: PartialText(20_000),
  languages: z.array(z.enum(LOCALES)).describe('The languages it is written in'),
  createdAt: z.string(), updatedAt: z.string(),
});

// ---- saved filters -------------------------------------------------------------------------------------------

/** The inbox filters a saved filter may hold: the inbox's own query parameters, without paging. */
export const InboxFilter = AppealListQuery.omit({ cursor: true, limit: true });
export const INBOX_FILTER_KEYS = Object.keys(InboxFilter.shape) as (keyof z.infer<typeof InboxFilter>)[];

export const SavedFilterCreate = z.object({
  name: z.string().trim().min(1).max(80),
  query: z.string().trim().max(2000).describe('The inbox query string, e.g. status=registered&serviceId=…; unknown parameters are refused'),
}).strict();

export const SavedFilterOut = z.object({
  id: z.uuid(), name: z.string(), query: z.string().describe('Normalised: known parameters only, in a stable order'), createdAt: z.string(),
});

// ---- bulk assignment -----------------------------------------------------------------------------------------

export const BulkAssignBody = z.object({
  appealIds: z.array(Uuid).min(1).max(100),
  serviceId: Uuid.optional(),
  executorId: Uuid.optional(),
  reason: z.string().trim().max(2000).optional(),
}).strict().refine((b) => b.serviceId || b.executorId, { message: 'serviceId or executorId', path: ['executorId'] });

export const BulkAssignResult = z.object({
  results: z.array(z.union([
    z.object({ id: z.uuid(), ok: z.literal(true), status: z.enum(APPEAL_STATUSES), version: z.number().int() }),
    z.object({ id: z.uuid(), ok: z.literal(false), code: z.string().describe('The error code a single assignment would give'), message: z.string() }),
  ])).describe('One result per distinct appeal, in the order given'),
  assigned: z.number().int(),
  failed: z.number().int(),
});

// ---- duplicate hints -----------------------------------------------------------------------------------------

export const DuplicateHintsQuery = z.object({
  phone: z.string().trim().max(40).optional().describe('The applicant\'s phone as typed; compared normalised (+996…)'),
  email: z.string().trim().max(200).optional().describe('Compared lower-cased'),
  categoryId: Uuid.optional(),
  lat: z.coerce.number().min(-90).max(90).optional(),
  lon: z.coerce.number().min(-180).max(180).optional(),
  districtId: Uuid.optional(),
}).strict().refine((q) => (q.lat === undefined) === (q.lon === undefined), { message: 'lat and lon go together', path: ['lat'] });

const HintOut = z.object({
  id: z.uuid(), registrationNumber: z.string(), subject: z.string(), status: z.enum(APPEAL_STATUSES), registeredAt: z.string(),
  dueDate: IsoDate,
});

export const DuplicateHintsOut = z.object({
  sameApplicant: z.array(HintOut.extend({ matchedBy: z.array(z.enum(['phone', 'email'])) }))
    .describe('Open appeals of the same applicant (same phone or e-mail), newest first, at most 10'),
  nearby: z.array(HintOut.extend({ distanceMeters: z.number().int().nullable().describe('When lat/lon were given') }))
    .describe('Open appeals of the same category within about 300 m (or in the same district without a point), at most 10; no personal data'),
  nearbyBy: z.enum(['point', 'district', 'none']).describe('How "nearby" was decided'),
});
