/** Shapes of the Tunduk services: validation of requests and the OpenAPI description are both made from these. */
import { z } from 'zod';
import { APPEAL_KINDS, APPEAL_STATUSES, LOCALES } from '@shaar/contracts';
import { ApplicantInput, LocationInput } from '../appeals/appeals.schemas.js';

/**
 * ПИН: 1 (female) or 2 (male), the date of birth as DDMMYYYY, then five digits. Checked for a real date, so a
 * mistyped number is refused at once rather than stored where no one will ever find the appeal by it.
 */
export function isPersonalNumber(v: string): boolean {
  const m = /^[12](\d{2})(\d{2})(\d{4})\d{5}$/.exec(v);
  if (!m) return false;
  const [day, month, year] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const d = new Date(Date.UTC(year, month - 1, day));
  return year >= 1900 && d.getUTCFullYear() === year && d.getUTCMonth() === month - 1 && d.getUTCDate() === day;
}

/** The marker of the custom issue; the error handler gives it the localized text. */
export const PERSONAL_NUMBER_ISSUE = 'xroad.personal_number';

export const PersonalNumber = z.string().trim()
  .refine(isPersonalNumber, { message: PERSONAL_NUMBER_ISSUE })
  // The pattern is for the description only: the refinement checks it (and the date) with a message people understand.
  .meta({ description: 'Personal identification number (ПИН): 1 or 2, the date of birth DDMMYYYY, 5 digits', pattern: '^[12][0-9]{13}$', example: '21505199012345' });

const text = (max: number) => z.string().trim().max(max);

export const SubmitAppealRequest = z.object({
  reference: text(100).min(1).optional()
    .describe("The consumer's own id of this appeal. A retry with the same reference (or, without one, the same X-Road-Id) returns the appeal registered first"),
  kind: z.enum(APPEAL_KINDS).default('statement').describe('proposal, statement or complaint (Law No. 67, Art. 1)'),
  category: text(100).min(1).optional().describe("The category's code (e.g. roads.pothole)"),
  categoryText: text(200).min(2).optional().describe('When the code is not known: words naming the problem, matched against the categories'),
  subject: text(200).min(3).optional().describe('A short title; defaults to the category name'),
  description: text(10_000).min(10).describe('The substance of the appeal'),
  location: LocationInput.optional().describe('The place: coordinates (WGS84) and/or an address'),
  applicant: ApplicantInput.extend({ personalNumber: PersonalNumber.optional() }).strict(),
  language: z.enum(LOCALES).optional().describe('The language of the appeal; the answer goes in it. Defaults to Accept-Language'),
}).strict();
export type SubmitAppealRequest = z.infer<typeof SubmitAppealRequest>;

export const SubmitAppealResponse = z.object({
  id: z.uuid(),
  registrationNumber: z.string(),
  status: z.enum(APPEAL_STATUSES),
  dueDate: z.string().describe('The legal due date of the answer (YYYY-MM-DD, working days on the city calendar)'),
  replayed: z.boolean().describe('true when this reference had already been registered: nothing new was registered'),
});

export const AppealStatusResponse = z.object({
  id: z.uuid(),
  registrationNumber: z.string(),
  kind: z.enum(APPEAL_KINDS),
  status: z.enum(APPEAL_STATUSES),
  statusText: z.string().describe('The status in the language of the request'),
  category: z.string().nullable().describe("The category's code"),
  registeredAt: z.string(),
  dueDate: z.string(),
  answered: z.boolean(),
  answeredAt: z.string().nullable(),
  closedAt: z.string().nullable(),
  answer: z.object({ text: z.string(), language: z.string(), at: z.string() }).nullable()
    .describe('The latest official answer; no staff names'),
});

export const ListByPersonalNumberRequest = z.object({ personalNumber: PersonalNumber }).strict();

export const AppealListResponse = z.object({ items: z.array(AppealStatusResponse) });

export const AppealRefParams = z.object({
  municipality: z.string().min(1).max(60),
  ref: z.string().min(1).max(60).describe('The appeal id (UUID) or registration number (BSK-2026-000123)'),
});
export const CityParams = z.object({ municipality: z.string().min(1).max(60) });
