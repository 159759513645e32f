/**
 * Reading and marking the in-app feed (a citizen's across cities, a staff member's in their city), what an appeal's
 * people were told, and the dev outbox. Every query is scoped to its owner: a feed never shows another person's items.
 */
import { and, desc, eq, gt, inArray, isNull, lt, or, sql, type SQL } from 'drizzle-orm';
import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { Db } from '../../platform/db/database.js';
import { devOutbox, municipalities, notifications } from '../../platform/db/schema.js';
import { writeAudit, type Actor } from '../../platform/audit.js';
import type { Clock } from '../../platform/clock.js';
import { decodeCursor, encodeCursor } from '../../platform/http/schemas.js';
import { AppError } from '../../platform/http/errors.js';

/** Whose feed: a citizen's (every city), or a staff member's (their city only). */
export type FeedOwner = { kind: 'citizen'; id: string } | { kind: 'staff'; id: string; municipalityId: string };

const ownedBy = (o: FeedOwner): SQL => and(
  eq(notifications.recipientKind, o.kind), eq(notifications.recipientId, o.id), eq(notifications.channel, 'in_app'),
  ...(o.kind === 'staff' ? [eq(notifications.municipalityId, o.municipalityId)] : []),
)!;

const FeedCursor = z.object({ at: z.iso.datetime(), id: z.uuid() });

export interface FeedItem {
  id: string; event: string; subject: string; body: string; link: string | null; appealId: string | null;
  municipality: string; createdAt: string; readAt: string | null;
}

export async function listFeed(db: Db, owner: FeedOwner, q: { cursor?: string | undefined; limit: number; since?: string | undefined }) {
  const after = decodeCursor(q.cursor, FeedCursor);
  if (q.cursor && !after) throw new AppError(400, 'validation_failed', 'error.validation_failed', {}, [{ in: 'querystring', path: 'cursor', code: 'invalid' }]);
  const where = [ownedBy(owner)];
  // Apps polling for what is new: only items created after this instant.
  if (q.since) where.push(gt(notifications.createdAt, new Date(q.since)));
  if (after) {
    const at = new Date(after.at);
    where.push(or(lt(notifications.createdAt, at), and(eq(notifications.createdAt, at), lt(notifications.id, after.id)))!);
  }
  const rows = await db.select({ n: notifications, slug: municipalities.slug }).from(notifications)
    .innerJoin(municipalities, eq(municipalities.id, notifications.municipalityId))
    .where(and(...where)).orderBy(desc(notifications.createdAt), desc(notifications.id)).limit(q.limit + 1);
  const page = rows.slice(0, q.limit);
  const last = page.at(-1);
  const items: FeedItem[] = page.map(({ n, slug }) => ({
    id: n.id, event: n.event, subject: n.subject, body: n.body, link: n.link, appealId: n.appealId, municipality: slug,
    createdAt: n.createdAt.toISOString(), readAt: n.readAt?.toISOString() ?? null,
  }));
  return {
    items,
    nextCursor: rows.length > q.limit && last ? encodeCursor({ at: last.n.createdAt.toISOString(), id: last.n.id }) : null,
    unreadCount: await unreadCount(db, owner),
  };
}

export async function unreadCount(db: Db, owner: FeedOwner): Promise<number> {
  const [row] = await db.select({ n: sql<number>`count(*)::int` }).from(notifications).where(and(ownedBy(owner), isNull(notifications.readAt)));
  return row?.n ?? 0;
}

/**
 * A short fingerprint of the owner's whole feed (how many items, how many unread, the newest item, the latest
 * read mark), from one aggregate query: polling apps send it back as If-None-Match and get 304 while it holds.
 */
export async function feedVersion(db: Db, owner: FeedOwner): Promise<string> {
  const [row] = await db.select({
    total: sql<number>`count(*)::int`,
    unread: sql<number>`(count(*) filter (where ${notifications.readAt} is null))::int`,
    newest: sql<string | null>`max(${notifications.createdAt})::text`,
    lastRead: sql<string | null>`max(${notifications.readAt})::text`,
    maxId: sql<string | null>`max(${notifications.id}::text)`,
  }).from(notifications).where(ownedBy(owner));
  return createHash('sha256').update(JSON.stringify([owner.kind, owner.id, row])).digest('base64url').slice(0, 22);
}

/**
 * Marks the owner's items read (the listed ones, or all). Another person's ids are ignored, not an error. The audit
 * log of each city concerned records how many were marked.
 */
export async function markRead(db: Db, clock: Clock, owner: FeedOwner, which: { ids?: string[] | undefined; all?: boolean | undefined }, actor: Actor) {
  const now = clock.now();
  const updated = await db.transaction(async (tx) => {
    const rows = await tx.update(notifications).set({ readAt: now })
      .where(and(ownedBy(owner), isNull(notifications.readAt), ...(which.all ? [] : [inArray(notifications.id, which.ids ?? [])])))
      .returning({ municipalityId: notifications.municipalityId, id: notifications.id });
    const perCity = new Map<string, string[]>();
    for (const r of rows) perCity.set(r.municipalityId, [...(perCity.get(r.municipalityId) ?? []), r.id]);
    for (const [municipalityId, ids] of perCity) {
      await writeAudit(tx, {
        municipalityId, actor, entityType: 'notification_feed', entityId: owner.id, action: 'mark_read',
        after: { count: ids.length, ids: ids.slice(0, 50) }, at: now,
      });
    }
    return rows.length;
  });
  return { updated, unreadCount: await unreadCount(db, owner) };
}

/** Every message about one appeal, oldest first, for staff (addresses are masked by the route). */
export async function listAppealNotifications(db: Db, municipalityId: string, appealId: string) {
  return db.select().from(notifications)
    .where(and(eq(notifications.municipalityId, municipalityId), eq(notifications.appealId, appealId)))
    .orderBy(notifications.createdAt, notifications.id).limit(1000);
}

export async function latestOutbox(db: Db, limit: number) {
  return db.select().from(devOutbox).orderBy(desc(devOutbox.id)).limit(limit);
}
