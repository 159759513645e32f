/**
 * The API of deadlines, notifications, ratings and scorecards as staff pages use it: extension and review requests,
 * the staff feed and its preferences, what an appeal's people were told, and the staff scorecards. The types come
 * from the generated OpenAPI types; none is written by hand.
 */
import { useCallback, useEffect, useState } from 'react';
import { api } from '../../api/client.js';
import type { Json200 } from './shared.js';

/** The events staff are told about (the rest are the resident's), in the order the preferences list them. */
export const STAFF_EVENTS = [
  'assigned', 'due_soon', 'due_today', 'overdue', 'low_rating', 'review_requested', 'extension_requested', 'extension_decided',
] as const satisfies readonly Preferences['mutedEvents'][number][];

// ---- notifications -------------------------------------------------------------------------------------------

export type FeedPage = Json200<'/api/v1/m/{municipality}/notifications', 'get'>;
export type FeedItem = FeedPage['items'][number];
export type Preferences = Json200<'/api/v1/m/{municipality}/notification-preferences', 'get'>;
export type SentNotification = Json200<'/api/v1/m/{municipality}/appeals/{id}/notifications', 'get'>['items'][number];

// ---- extension requests, review requests, the answer check, scorecards (generated types) ----------------------

export type ExtensionRequest = Json200<'/api/v1/m/{municipality}/extension-requests', 'get'>['items'][number];
export type ReviewRequest = Json200<'/api/v1/m/{municipality}/review-requests', 'get'>['items'][number];
export type AnswerCheck = Json200<'/api/v1/m/{municipality}/appeals/{id}/answer-check', 'post'>;
export type RatingFigures = NonNullable<ReviewRequest['rating']> & { createdAt?: string; updatedAt?: string };
export type StaffScorecard = Json200<'/api/v1/m/{municipality}/staff-scorecards', 'get'>;
export type ServiceScorecard = Json200<'/api/v1/m/{municipality}/scorecards/services/{id}', 'get'>;
export type Figures = StaffScorecard['services'][number]['figures'];

/**
 * The ids of the city's overdue appeals (those the signed-in staff member may see), for marking queue items whose
 * own data has no overdue flag. The server decides what is overdue on the city's clock and calendar.
 */
export function useOverdueIds(city: string, reloadKey: unknown): Set<string> {
  const [ids, setIds] = useState<Set<string>>(new Set());
  useEffect(() => {
    let live = true;
    api.GET('/api/v1/m/{municipality}/appeals', { params: { path: { municipality: city }, query: { overdue: 'true', limit: 200 } } })
      .then(({ data }) => { if (live && data) setIds(new Set(data.items.map((a) => a.id))); })
      .catch(() => {});
    return () => { live = false; };
  }, [city, reloadKey]);
  return ids;
}

// ---- a decision queue (extension requests, review requests) --------------------------------------------------

type QueuePage<T> = { data?: { items: T[]; nextCursor: string | null }; error?: unknown; response: Response };

/**
 * One page after another of a supervisor's queue: `fetchPage` asks the server for a page (from `cursor`), this keeps
 * the items, the next cursor and the error, and starts over whenever `fetchPage` changes (another tab, another city).
 */
export function useQueue<T extends { id: string }>(
  fetchPage: (cursor?: string) => Promise<QueuePage<T>>,
  messages: { generic: string; offline: string },
  onUnauthorized: () => void,
  describe: (error: unknown, fallback: string) => string,
) {
  const [list, setList] = useState<T[] | null>(null);
  const [nextCursor, setNextCursor] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const load = useCallback(async (cursor?: string) => {
    try {
      const { data, error: err, response } = await fetchPage(cursor);
      if (response.status === 401) { onUnauthorized(); return; }
      if (err || !data) { setError(describe(err, messages.generic)); return; }
      setError(null);
      setList((prev) => (cursor && prev ? [...prev, ...data.items] : data.items));
      setNextCursor(data.nextCursor);
    } catch {
      setError(messages.offline);
    }
    // The messages and callbacks are read as they are now; a new fetchPage is what starts a new list.
  }, [fetchPage]);
  useEffect(() => { setList(null); void load(); }, [load]);
  /** A decided item leaves the queue without a reload. */
  const remove = (id: string) => setList((prev) => prev?.filter((x) => x.id !== id) ?? prev);
  return { list, nextCursor, error, load, remove };
}
