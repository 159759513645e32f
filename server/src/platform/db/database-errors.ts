/**
 * PostgreSQL errors, the same on both drivers. Drizzle wraps the driver's error in `cause`, so the SQLSTATE
 * code may sit one or more levels down.
 */
export interface DatabaseError { code: string; constraint?: string }

export function databaseErrorOf(err: unknown): DatabaseError | null {
  for (let e = err, depth = 0; e && typeof e === 'object' && depth < 4; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) return e as DatabaseError;
  }
  return null;
}

/** The constraint a unique violation broke ('' when the driver does not say), or null if it was not one. */
export function uniqueViolation(err: unknown): string | null {
  const e = databaseErrorOf(err);
  return e?.code === '23505' ? e.constraint ?? '' : null;
}
