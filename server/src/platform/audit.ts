/**
 * Every state change writes an audit entry in the same transaction as the change itself, so the log can never
 * miss a change nor record one that was rolled back. Entries marked public form the resident's timeline.
 */
import type { DbOrTx } from './db/database.js';
import { auditLog } from './db/schema.js';

export type ActorKind = 'staff' | 'citizen' | 'integrator' | 'system';
export interface Actor { kind: ActorKind; id: string | null }
export const SYSTEM_ACTOR: Actor = { kind: 'system', id: null };

export interface AuditEntry {
  municipalityId: string;
  actor: Actor;
  entityType: string;
  entityId: string;
  action: string;
  before?: unknown;
  after?: unknown;
  reason?: string | null;
  isPublic?: boolean;
  at?: Date;
}

export async function writeAudit(tx: DbOrTx, e: AuditEntry): Promise<void> {
  await tx.insert(auditLog).values({
    municipalityId: e.municipalityId,
    actorKind: e.actor.kind,
    actorId: e.actor.id,
    entityType: e.entityType,
    entityId: e.entityId,
    action: e.action,
    before: e.before ?? null,
    after: e.after ?? null,
    reason: e.reason ?? null,
    isPublic: e.isPublic ?? false,
    ...(e.at ? { occurredAt: e.at } : {}),
  });
}

/** The fields that differ between two versions of a row, for a compact before/after. */
export function changedFields<T extends Record<string, unknown>>(before: T, after: Partial<T>) {
  const b: Record<string, unknown> = {};
  const a: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(after)) {
    if (JSON.stringify(before[k]) !== JSON.stringify(v)) { b[k] = before[k] ?? null; a[k] = v ?? null; }
  }
  return { before: b, after: a };
}
