/** Request and response shapes of the notifications API; the OpenAPI document is generated from these. */
import { z } from 'zod';
import { APPEAL_EVENTS } from './appeal-events.js';

export const NotificationEvent = z.enum(APPEAL_EVENTS).describe('What happened: registered, answered, assigned, due_soon, overdue…');

export const FeedQuery = z.object({
  cursor: z.string().max(500).optional().describe('nextCursor of the previous page'),
  limit: z.coerce.number().int().min(1).max(100).default(20),
}).strict();

export const FeedItem = z.object({
  id: z.uuid(),
  event: z.string().describe('One of the appeal events (registered, answered, assigned, due_soon, overdue…)'),
  subject: z.string(),
  body: z.string(),
  link: z.string().nullable().describe('Where in the web app to act on it, e.g. /bishkek/my/<id> or /staff/bishkek/appeals/<id>'),
  appealId: z.uuid().nullable(),
  municipality: z.string().describe('The slug of the city the message is from'),
  createdAt: z.string(),
  readAt: z.string().nullable(),
}).describe('One item of the in-app feed');

export const Feed = z.object({
  items: z.array(FeedItem).describe('Newest first'),
  nextCursor: z.string().nullable(),
  unreadCount: z.number().int().describe('Unread items in the whole feed, not only this page'),
});

export const MarkReadBody = z.object({
  ids: z.array(z.uuid()).min(1).max(200).optional().describe('These items (ids of someone else\'s items are ignored)'),
  all: z.boolean().optional().describe('true: every unread item of the feed'),
}).strict().refine((b) => (b.ids !== undefined) !== (b.all === true), { message: 'either ids or all: true', path: ['ids'] });

export const MarkReadResult = z.object({
  updated: z.number().int().describe('Items newly marked read'),
  unreadCount: z.number().int(),
});

export const PreferencesBody = z.object({
  email: z.boolean().describe('Messages by e-mail'),
  sms: z.boolean().describe('Messages by SMS (citizens; staff get no SMS)'),
  inApp: z.boolean().describe('Draw attention to new feed items (the feed itself keeps every message)'),
  mutedEvents: z.array(NotificationEvent).max(APPEAL_EVENTS.length).describe('Events not wanted by e-mail or SMS'),
}).strict();

export const AppealNotification = z.object({
  id: z.uuid(),
  event: z.string(),
  channel: z.enum(['email', 'sms', 'in_app']),
  recipientKind: z.enum(['citizen', 'applicant', 'staff']),
  recipientStaffId: z.uuid().nullable().describe('The staff member told (staff messages only)'),
  address: z.string().nullable().describe('Masked: a***@example.kg, +996******456; none for in-app'),
  locale: z.string(),
  status: z.enum(['pending', 'sent', 'failed', 'skipped']).describe('skipped: the person switched this channel or event off'),
  attempts: z.number().int(),
  createdAt: z.string(),
  sentAt: z.string().nullable(),
}).describe('One message about the appeal, as staff may see it');

export const OutboxQuery = z.object({ limit: z.coerce.number().int().min(1).max(500).default(50) }).strict();

export const OutboxMessage = z.object({
  id: z.number().int(), channel: z.string(), recipient: z.string(), subject: z.string(), body: z.string(), createdAt: z.string(),
}).describe('A message kept in the dev outbox instead of being sent');
