/** zod pieces shared by route schemas. They are also the OpenAPI document's components. */
import { z } from 'zod';

export const LocalizedText = z.object({
  ky: z.string().trim().min(1).max(300),
  ru: z.string().trim().min(1).max(300),
  en: z.string().trim().min(1).max(300),
}).describe('A text in Kyrgyz, Russian and English');

export const ErrorResponse = z.object({
  error: z.object({
    code: z.string().describe('Stable machine-readable code, e.g. validation_failed'),
    message: z.string().describe("Human-readable, in the request's language (Accept-Language: ky, ru, en)"),
    details: z.unknown().optional(),
  }),
}).describe('Every error');

/** Responses every route may give besides its own. */
export const commonErrors = {
  400: ErrorResponse, 401: ErrorResponse, 403: ErrorResponse, 404: ErrorResponse, 409: ErrorResponse,
} as const;

export const Uuid = z.uuid();
/** A calendar date; years outside 1900–2199 are refused (no appeal or holiday lives there, and time zones misbehave). */
export const IsoDate = z.iso.date().refine((d) => d >= '1900-01-01' && d <= '2199-12-31', { message: 'date out of range' }).describe('YYYY-MM-DD');
export const MunicipalityParams = z.object({ municipality: z.string().min(1).max(60).regex(/^[a-z0-9-]+$/).describe('The municipality slug, e.g. bishkek') });
export const IdParams = MunicipalityParams.extend({ id: Uuid });

export const Ok = z.object({ ok: z.literal(true) });

/** Opaque cursors: base64url of JSON. Garbage gives a 400, never a 500. */
export function encodeCursor(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}
export function decodeCursor<T>(cursor: string | undefined, schema: z.ZodType<T>): T | null {
  if (!cursor) return null;
  try {
    const parsed = schema.safeParse(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}
