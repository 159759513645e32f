/**
 * The API of deadlines, notifications, ratings and scorecards as staff pages use it: extension and review requests,
 * the staff feed and its preferences, what an appeal's people were told, and the staff scorecards. The types come
 * from the generated OpenAPI types; none is written by hand.
 */
import { useEffect, useState } from 'react';
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
