/** Request and response shapes of the appeals API; the OpenAPI document is generated from these. */
import { z } from 'zod';
import {
  AGE_BANDS, APPEAL_ACTIONS, APPEAL_KINDS, APPEAL_STATUSES, CHANNELS, GENDERS, LOCALES, NO_CONSIDERATION_GROUNDS, SOCIAL_GROUPS,
} from '@shaar/contracts';
import { IsoDate } from '../../platform/http/schemas.js';
import { ResidentAnswerRating, StaffAnswerRating } from '../ratings/ratings.schemas.js';

const text = (max: number) => z.string().trim().max(max);

export const ApplicantInput = z.object({
  fullName: text(200).min(2).describe("The applicant's full name (the law requires it)"),
  email: z.email().max(200).optional(),
  phone: z.string().trim().regex(/^\+?[\d\s()-]{7,20}$/, 'phone').optional(),
  address: text(300).optional().describe('Postal address for a written answer'),
  organization: text(200).optional().describe('When an organisation files on behalf of citizens'),
}).strict();

export const DemographicsInput = z.object({
  consent: z.literal(true).describe('The applicant agreed that this profile be used, without their name, for statistics'),
  ageBand: z.enum(AGE_BANDS).optional(),
  gender: z.enum(GENDERS).optional(),
  socialGroup: z.enum(SOCIAL_GROUPS).optional(),
}).strict().describe('Optional and voluntary; kept apart from the appeal');

export const LocationInput = z.object({
  lat: z.number().min(-90).max(90).optional(),
  lon: z.number().min(-180).max(180).optional(),
  address: text(300).optional(),
  districtId: z.uuid().optional().describe('Chosen from the list when there is no map (district boundaries are optional)'),
}).strict().refine((l) => (l.lat === undefined) === (l.lon === undefined), { message: 'lat and lon go together', path: ['lat'] });

const appealCore = {
  kind: z.enum(APPEAL_KINDS).describe('proposal, statement or complaint (Law No. 67, Art. 1)'),
  categoryId: z.uuid(),
  subject: text(200).min(3),
  body: text(10_000).min(10).describe('The substance of the appeal'),
  language: z.enum(LOCALES).optional().describe('The language of the appeal; the answer goes in it. Defaults to the request language'),
  location: LocationInput.optional(),
  cosigners: z.array(text(200).min(2)).max(10_000).optional().describe('Names of co-signers: a collective appeal'),
  demographics: DemographicsInput.optional(),
};

/** Filed electronically: by a signed-in citizen (web, app) or an integrator's system. */
export const SubmitAppealBody = z.object({
  ...appealCore,
  channel: z.enum(['web', 'mobile_app', 'tunduk', 'open311', 'email']).optional().describe('Integrators say which; citizens default to web'),
  applicant: ApplicantInput.optional().describe("Required from integrators; a citizen's account fills what is missing"),
}).strict();

/** Registered by a reception operator: received in person, by phone or by letter. */
export const ReceptionAppealBody = z.object({
  ...appealCore,
  channel: z.enum(['in_person', 'phone', 'letter', 'email']),
  applicant: ApplicantInput,
  receivedAt: z.iso.datetime({ offset: true }).optional().describe('When the letter arrived; defaults to now'),
  serviceId: z.uuid().optional().describe('Overrides the routing rule'),
}).strict();

export const AppealListQuery = z.object({
  status: z.union([z.enum(APPEAL_STATUSES), z.string().regex(/^[a-z_,]+$/)]).optional().describe('One status or a comma list'),
  kind: z.enum(APPEAL_KINDS).optional(),
  channel: z.enum(CHANNELS).optional(),
  categoryId: z.uuid().optional().describe('A category or a top-level group (includes its subcategories)'),
  districtId: z.uuid().optional(),
  serviceId: z.uuid().optional(),
  executorId: z.uuid().optional(),
  overdue: z.enum(['true', 'false']).optional().describe('Open appeals past their due date'),
  dueWithinDays: z.coerce.number().int().min(0).max(60).optional().describe('Open appeals due within N working days'),
  from: IsoDate.optional().describe('Registered on or after'),
  to: IsoDate.optional().describe('Registered on or before'),
  q: z.string().trim().min(1).max(200).optional().describe('Free text: registration number, subject, text, address'),
  cursor: z.string().max(500).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
}).strict();

export const AppealSummary = z.object({
  id: z.uuid(),
  registrationNumber: z.string(),
  kind: z.enum(APPEAL_KINDS),
  channel: z.enum(CHANNELS),
  status: z.enum(APPEAL_STATUSES),
  subject: z.string(),
  language: z.enum(LOCALES),
  categoryId: z.uuid().nullable(),
  districtId: z.uuid().nullable(),
  serviceId: z.uuid().nullable(),
  executorId: z.uuid().nullable(),
  isCollective: z.boolean(),
  cosignersCount: z.number().int(),
  registeredAt: z.string(),
  dueDate: IsoDate,
  overdue: z.boolean(),
  answeredAt: z.string().nullable(),
  closedAt: z.string().nullable(),
});

export const TimelineEntry = z.object({
  at: z.string(),
  action: z.string(),
  status: z.string().nullable(),
  reason: z.string().nullable(),
  details: z.record(z.string(), z.unknown()).nullable(),
  actor: z.object({ kind: z.string(), id: z.string().nullable(), name: z.string().nullable() }).optional(),
});

export const AttachmentOut = z.object({
  id: z.uuid(), fileName: z.string(), contentType: z.string(), sizeBytes: z.number().int(), answerId: z.uuid().nullable(),
  url: z.string(),
});

export const AnswerOut = z.object({
  id: z.uuid(), body: z.string(), language: z.string(), createdAt: z.string(), serviceId: z.uuid().nullable(),
  attachments: z.array(AttachmentOut),
});

export const AppealDetail = AppealSummary.extend({
  body: z.string(),
  location: z.object({ lat: z.number().nullable(), lon: z.number().nullable(), address: z.string().nullable() }),
  receivedAt: z.string(),
  registrationDueDate: IsoDate,
  originalDueDate: IsoDate,
  extensionDays: z.number().int(),
  duplicateOfId: z.uuid().nullable(),
  repeatOfId: z.uuid().nullable(),
  redirectedTo: z.string().nullable(),
  noConsiderationGround: z.string().nullable(),
  source: z.string().nullable(),
  answers: z.array(AnswerOut.extend(ResidentAnswerRating.shape).describe("An answer with the resident's rating of it and what they may do next")),
  attachments: z.array(AttachmentOut),
  timeline: z.array(TimelineEntry),
});

export const StaffAppealDetail = AppealDetail.extend({
  answers: z.array(AnswerOut.extend(StaffAnswerRating.shape).describe("An answer with the resident's rating and review request (read-only)")),
  applicant: z.object({
    fullName: z.string(), email: z.string().nullable(), phone: z.string().nullable(), address: z.string().nullable(),
    organization: z.string().nullable(), cosigners: z.array(z.string()),
  }).nullable(),
  notes: z.array(z.object({ id: z.uuid(), authorId: z.uuid(), authorName: z.string().nullable(), body: z.string(), createdAt: z.string() })),
  allowedActions: z.array(z.enum(APPEAL_ACTIONS)),
  version: z.number().int(),
});

export const Page = <T extends z.ZodType>(item: T) => z.object({ items: z.array(item), nextCursor: z.string().nullable() });

// Actions ----------------------------------------------------------------------------------------------------

const reason = text(2000);
export const AssignBody = z.object({
  serviceId: z.uuid().optional(), executorId: z.uuid().optional(), reason: reason.optional(),
}).strict().refine((b) => b.serviceId || b.executorId, { message: 'serviceId or executorId', path: ['executorId'] });
export const StartBody = z.object({ reason: reason.optional() }).strict();
export const RedirectBody = z.object({
  serviceId: z.uuid().optional().describe('Another service of the city'),
  externalBody: text(300).min(2).optional().describe('An outside body (a ministry, another city…)'),
  reason: reason.min(3),
}).strict().refine((b) => Boolean(b.serviceId) !== Boolean(b.externalBody), { message: 'serviceId or externalBody, one of them', path: ['serviceId'] });
export const ExtendBody = z.object({ days: z.number().int().min(1).max(60), reason: reason.min(3) }).strict();
export const AnswerBody = z.object({
  body: text(20_000).min(10), language: z.enum(LOCALES).optional().describe("Defaults to the appeal's language"),
}).strict();
export const CloseBody = z.object({ reason: reason.optional() }).strict();
export const ReopenBody = z.object({ reason: reason.min(3) }).strict();
export const LeaveBody = z.object({ ground: z.enum(NO_CONSIDERATION_GROUNDS), reason: reason.min(3) }).strict();
export const LinkBody = z.object({
  duplicateOfId: z.uuid().nullable().optional(), repeatOfId: z.uuid().nullable().optional(),
}).strict();
export const NoteBody = z.object({ body: text(5000).min(1) }).strict();
