/**
 * Errors the API answers with: `{error: {code, message, details}}`, the message in the request's language.
 * Domain code throws AppError with a message key; the error handler translates it.
 */
import type { MessageKey, MessageParams } from '../i18n/messages.js';

export class AppError extends Error {
  constructor(
    readonly status: number,
    /** Stable, machine-readable: clients branch on this, never on the message. */
    readonly code: string,
    readonly messageKey: MessageKey,
    readonly params: MessageParams = {},
    readonly details?: unknown,
  ) {
    super(code);
  }
}

export const errors = {
  notFound: (what = 'resource') => new AppError(404, 'not_found', 'error.not_found', {}, { what }),
  unauthorized: () => new AppError(401, 'unauthorized', 'error.unauthorized'),
  forbidden: () => new AppError(403, 'forbidden', 'error.forbidden'),
  conflict: (what: string) => new AppError(409, 'conflict', 'error.conflict', { what }),
  invalidReference: (field: string) =>
    new AppError(400, 'invalid_reference', 'error.invalid_reference', { field }, [{ path: field, code: 'invalid_reference' }]),
};
