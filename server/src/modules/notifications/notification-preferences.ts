/**
 * A person's choices: e-mail and SMS on or off, and events they do not want by e-mail or SMS. The in-app feed keeps
 * every message whatever the choices (it is the person's record of what happened); `inApp` tells clients whether to
 * draw attention to new items. Citizens have one set across cities, staff one per account (a staff account belongs
 * to one city). No row means the defaults: everything on, nothing muted.
 */
import { and, eq } from 'drizzle-orm';
import type { Db, DbOrTx } from '../../platform/db/database.js';
import { notificationPreferences } from '../../platform/db/schema.js';
import { writeAudit, type Actor } from '../../platform/audit.js';
import type { Clock } from '../../platform/clock.js';
import { APPEAL_EVENTS, type AppealEvent } from './appeal-events.js';

export type PreferenceOwner = { kind: 'citizen' | 'staff'; id: string };

export interface Preferences { email: boolean; sms: boolean; inApp: boolean; mutedEvents: AppealEvent[] }

export const DEFAULT_PREFERENCES: Preferences = { email: true, sms: true, inApp: true, mutedEvents: [] };

const ownerIs = (o: PreferenceOwner) => and(eq(notificationPreferences.principalKind, o.kind), eq(notificationPreferences.principalId, o.id));

const toPreferences = (row: typeof notificationPreferences.$inferSelect | undefined): Preferences => row
  ? { email: row.email, sms: row.sms, inApp: row.inApp, mutedEvents: row.mutedEvents.filter((e): e is AppealEvent => (APPEAL_EVENTS as readonly string[]).includes(e)) }
  : { ...DEFAULT_PREFERENCES, mutedEvents: [] };

export async function readPreferences(db: DbOrTx, owner: PreferenceOwner): Promise<Preferences> {
  const [row] = await db.select().from(notificationPreferences).where(ownerIs(owner)).limit(1);
  return toPreferences(row);
}

/** Whether a message of this event may go by this channel (the in-app feed always may). */
export function allows(p: Preferences, channel: 'email' | 'sms' | 'in_app', event: AppealEvent): boolean {
  if (channel === 'in_app') return true;
  if (p.mutedEvents.includes(event)) return false;
  return channel === 'email' ? p.email : p.sms;
}

/**
 * Replaces the preferences and writes the change to the audit log of each municipality it concerns (a citizen's
 * choices apply to every city's messages; a staff member's to their city's).
 */
export async function savePreferences(
  db: Db, clock: Clock, owner: PreferenceOwner, next: Preferences, auditIn: readonly string[], actor: Actor,
): Promise<Preferences> {
  const mutedEvents = APPEAL_EVENTS.filter((e) => next.mutedEvents.includes(e));
  const value = { email: next.email, sms: next.sms, inApp: next.inApp, mutedEvents };
  const now = clock.now();
  return db.transaction(async (tx) => {
    const [row] = await tx.select().from(notificationPreferences).where(ownerIs(owner)).for('update').limit(1);
    const before = toPreferences(row);
    await tx.insert(notificationPreferences)
      .values({ principalKind: owner.kind, principalId: owner.id, ...value, updatedAt: now })
      .onConflictDoUpdate({ target: [notificationPreferences.principalKind, notificationPreferences.principalId], set: { ...value, updatedAt: now } });
    for (const municipalityId of auditIn) {
      await writeAudit(tx, {
        municipalityId, actor, entityType: 'notification_preferences', entityId: owner.id, action: 'update', before, after: value, at: now,
      });
    }
    return value;
  });
}
