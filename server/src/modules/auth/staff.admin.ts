/**
 * Admin use cases for people and systems with access: staff accounts and integrators' API keys, and the read of
 * the audit log. Each change runs in one transaction with its audit entry. Password hashes and API secrets never
 * leave this module, nor enter the audit log.
 */
import { and, desc, eq, lt, type SQL } from 'drizzle-orm';
import { uniqueViolation } from '../../platform/db/database-errors.js';
import { z } from 'zod';
import { API_KEY_SCOPES, LOCALES, SERVICE_ROLES, STAFF_ROLES, type StaffRole } from '@shaar/contracts';
import type { Db, Tx } from '../../platform/db/database.js';
import { apiKeys, auditLog, services, sessions, staffUsers } from '../../platform/db/schema.js';
import { changedFields, writeAudit, type Actor } from '../../platform/audit.js';
import { AppError, errors } from '../../platform/http/errors.js';
import { decodeCursor, encodeCursor, Uuid } from '../../platform/http/schemas.js';
import type { AuthService } from './auth.service.js';
import { hashPassword, PASSWORD_MIN_LENGTH } from './secrets.js';

const Roles = z.array(z.enum(STAFF_ROLES)).min(1).max(STAFF_ROLES.length);
const Password = z.string().min(PASSWORD_MIN_LENGTH).max(200);

export const StaffCreate = z.object({
  email: z.email().max(200).describe('Stored lower-case; the sign-in name'),
  fullName: z.string().trim().min(2).max(200),
  password: Password,
  roles: Roles,
  serviceId: Uuid.nullable().optional().describe('Required for executors, and only for them'),
  locale: z.enum(LOCALES).optional(),
}).strict();

export const StaffPatch = z.object({
  fullName: z.string().trim().min(2).max(200),
  roles: Roles,
  serviceId: Uuid.nullable(),
  active: z.boolean().describe('false also ends all their sessions'),
  locale: z.enum(LOCALES),
  password: Password,
}).partial().strict();

export const ApiKeyCreate = z.object({
  name: z.string().trim().min(2).max(100).describe("Whose system uses it, e.g. 'My City app'"),
  scopes: z.array(z.enum(API_KEY_SCOPES)).min(1).max(API_KEY_SCOPES.length),
}).strict();

export const AuditQuery = z.object({
  entityType: z.string().trim().min(1).max(60).optional().describe('e.g. appeal, district, staff_user, api_key'),
  entityId: z.string().trim().min(1).max(100).optional(),
  cursor: z.string().max(500).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
}).strict();

export type StaffUser = typeof staffUsers.$inferSelect;
export type ApiKey = typeof apiKeys.$inferSelect;

export interface AdminContext { db: Db; municipalityId: string; actor: Actor }

/** A staff account as anyone may see it: without its password hash. */
export const publicStaff = ({ passwordHash: _, municipalityId: __, ...u }: StaffUser) => u;
/** An API key as anyone may see it: without its secret's hash. */
export const publicKey = ({ secretHash: _, municipalityId: __, ...k }: ApiKey) => k;

const audit = (tx: Tx, c: AdminContext, entityType: string, entityId: string, action: string, before: unknown, after: unknown) =>
  writeAudit(tx, { municipalityId: c.municipalityId, actor: c.actor, entityType, entityId, action, before, after });


// ---- staff -----------------------------------------------------------------------------------------------

export const listStaff = (db: Db, municipalityId: string) =>
  db.select().from(staffUsers).where(eq(staffUsers.municipalityId, municipalityId)).orderBy(staffUsers.email);

/** Executors answer for one service; nobody else belongs to one. The service must be this city's. */
async function checkService(tx: Tx, c: AdminContext, roles: readonly StaffRole[], serviceId: string | null) {
  if (roles.some((r) => SERVICE_ROLES.includes(r)) !== (serviceId !== null)) {
    throw new AppError(400, 'executor_service', 'error.executor_service', {}, [{ in: 'body', path: 'serviceId', code: 'invalid' }]);
  }
  if (!serviceId) return;
  const [svc] = await tx.select({ id: services.id }).from(services)
    .where(and(eq(services.municipalityId, c.municipalityId), eq(services.id, serviceId)));
  if (!svc) throw errors.invalidReference('serviceId');
}

export async function createStaff(c: AdminContext, input: z.infer<typeof StaffCreate>): Promise<StaffUser> {
  // Hashing is slow on purpose: done before the transaction, so it holds no connection meanwhile.
  const passwordHash = await hashPassword(input.password);
  const roles = [...new Set(input.roles)];
  try {
    return await c.db.transaction(async (tx) => {
      await checkService(tx, c, roles, input.serviceId ?? null);
      const [row] = await tx.insert(staffUsers).values({
        municipalityId: c.municipalityId, email: input.email.toLowerCase(), fullName: input.fullName, passwordHash, roles,
        serviceId: input.serviceId ?? null, ...(input.locale ? { locale: input.locale } : {}),
      }).returning();
      await audit(tx, c, 'staff_user', row!.id, 'create', null, publicStaff(row!));
      return row!;
    });
  } catch (err) {
    throw uniqueViolation(err) !== null ? new AppError(409, 'email_taken', 'error.email_taken') : err;
  }
}

export async function updateStaff(c: AdminContext, id: string, input: z.infer<typeof StaffPatch>): Promise<StaffUser> {
  const { password, ...patch } = input;
  if (patch.roles) patch.roles = [...new Set(patch.roles)];
  // An admin who could lock themselves out could leave the city without any admin.
  if (id === c.actor.id && (patch.active === false || (patch.roles && !patch.roles.includes('admin')))) {
    throw new AppError(409, 'cannot_lock_self_out', 'error.cannot_lock_self_out');
  }
  const passwordHash = password ? await hashPassword(password) : undefined;
  return c.db.transaction(async (tx) => {
    const key = and(eq(staffUsers.municipalityId, c.municipalityId), eq(staffUsers.id, id));
    const [row] = await tx.select().from(staffUsers).where(key).for('update');
    if (!row) throw errors.notFound('staff user');
    if (patch.roles || patch.serviceId !== undefined) {
      await checkService(tx, c, (patch.roles ?? row.roles) as StaffRole[], patch.serviceId !== undefined ? patch.serviceId : row.serviceId);
    }
    const diff = changedFields(publicStaff(row), patch);
    if (passwordHash) diff.after.password = 'changed';
    if (Object.keys(diff.after).length === 0) return row;
    const [updated] = await tx.update(staffUsers).set({ ...patch, ...(passwordHash ? { passwordHash } : {}) }).where(key).returning();
    // Sessions are checked against the account on every request, but ending them also frees the rows at once.
    if (patch.active === false) {
      await tx.delete(sessions).where(and(eq(sessions.principalKind, 'staff'), eq(sessions.principalId, id)));
    }
    await audit(tx, c, 'staff_user', id, 'update', diff.before, diff.after);
    return updated!;
  });
}

// ---- API keys --------------------------------------------------------------------------------------------

export const listApiKeys = (db: Db, municipalityId: string) =>
  db.select().from(apiKeys).where(eq(apiKeys.municipalityId, municipalityId)).orderBy(desc(apiKeys.createdAt));

/** Creates a key; the full key is returned this once and is never stored. */
export async function createApiKey(c: AdminContext, auth: AuthService, input: z.infer<typeof ApiKeyCreate>) {
  const scopes = [...new Set(input.scopes)];
  return c.db.transaction(async (tx) => {
    const created = await auth.createApiKey(c.municipalityId, input.name, scopes, tx);
    await audit(tx, c, 'api_key', created.row.id, 'create', null, publicKey(created.row));
    return created;
  });
}

/** Revokes a key (again: nothing changes). The cache of keys is cleared after commit, so it stops working at once. */
export async function revokeApiKey(c: AdminContext, auth: AuthService, id: string, now: Date): Promise<ApiKey> {
  const row = await c.db.transaction(async (tx) => {
    const key = and(eq(apiKeys.municipalityId, c.municipalityId), eq(apiKeys.id, id));
    const [before] = await tx.select().from(apiKeys).where(key).for('update');
    if (!before) throw errors.notFound('API key');
    if (before.revokedAt) return before;
    const [after] = await tx.update(apiKeys).set({ revokedAt: now }).where(key).returning();
    await audit(tx, c, 'api_key', id, 'revoke', { revokedAt: null }, { revokedAt: now.toISOString() });
    return after!;
  });
  auth.forgetApiKeys();
  return row;
}

// ---- the audit log ---------------------------------------------------------------------------------------

const Cursor = z.tuple([z.number().int()]);

/** The audit log, newest first, with the name of the staff member who acted. */
export async function listAudit(db: Db, municipalityId: string, q: z.infer<typeof AuditQuery>) {
  const where: SQL[] = [eq(auditLog.municipalityId, municipalityId)];
  if (q.entityType) where.push(eq(auditLog.entityType, q.entityType));
  if (q.entityId) where.push(eq(auditLog.entityId, q.entityId));
  const after = decodeCursor(q.cursor, Cursor);
  if (q.cursor && !after) throw new AppError(400, 'validation_failed', 'error.validation_failed', {}, [{ in: 'querystring', path: 'cursor', code: 'invalid' }]);
  if (after) where.push(lt(auditLog.id, after[0]));
  const rows = await db.select({ entry: auditLog, actorName: staffUsers.fullName }).from(auditLog)
    .leftJoin(staffUsers, and(eq(staffUsers.municipalityId, auditLog.municipalityId), eq(staffUsers.id, auditLog.actorId), eq(auditLog.actorKind, 'staff')))
    .where(and(...where)).orderBy(desc(auditLog.id)).limit(q.limit + 1);
  const page = rows.slice(0, q.limit);
  const last = page[page.length - 1];
  return { items: page, nextCursor: rows.length > q.limit && last ? encodeCursor([last.entry.id]) : null };
}
