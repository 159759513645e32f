/**
 * Presenters are the only boundary between stored rows and what clients see. The resident's view never carries
 * staff names, internal notes or other residents' data; the staff view adds the applicant, notes and actions.
 */
import { allowedActions, isOpen, type AppealStatus, type StaffRole } from '@shaar/contracts';
import type { AppealRow, loadAppealRecord } from './appeals.queries.js';
import { presentResidentAnswerRating, presentStaffAnswerRating } from '../ratings/ratings.presenter.js';
import { latestAnswerIdOf } from '../ratings/ratings.queries.js';

type AppealRecord = Awaited<ReturnType<typeof loadAppealRecord>>;

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export function isOverdue(row: Pick<AppealRow, 'status' | 'dueDate'>, today: string): boolean {
  return isOpen(row.status as AppealStatus) && row.dueDate < today;
}

export function presentSummary(row: AppealRow, today: string) {
  return {
    id: row.id,
    registrationNumber: row.registrationNumber,
    kind: row.kind as never,
    channel: row.channel as never,
    status: row.status as AppealStatus,
    subject: row.subject,
    language: row.language as never,
    categoryId: row.categoryId,
    districtId: row.districtId,
    serviceId: row.serviceId,
    executorId: row.executorId,
    isCollective: row.isCollective,
    cosignersCount: row.cosignersCount,
    registeredAt: row.registeredAt.toISOString(),
    dueDate: row.dueDate,
    overdue: isOverdue(row, today),
    answeredAt: iso(row.answeredAt),
    closedAt: iso(row.closedAt),
  };
}

/** What a resident may see of an audit entry: the step, the new status, the public reason and due date. */
const PUBLIC_DETAIL_KEYS = ['registrationNumber', 'dueDate', 'days', 'redirectedTo', 'serviceId', 'noConsiderationGround', 'answerId'];

function pick(obj: unknown, keys: readonly string[]): Record<string, unknown> | null {
  if (!obj || typeof obj !== 'object') return null;
  const out: Record<string, unknown> = {};
  for (const k of keys) if (k in obj) out[k] = (obj as Record<string, unknown>)[k];
  return Object.keys(out).length ? out : null;
}

function attachmentUrl(municipalitySlug: string, id: string) {
  return `/api/v1/m/${municipalitySlug}/attachments/${id}`;
}

function presentBase(slug: string, row: AppealRow, rec: AppealRecord, today: string) {
  const files = rec.files.map((f) => ({
    id: f.id, fileName: f.fileName, contentType: f.contentType, sizeBytes: f.sizeBytes, answerId: f.answerId, url: attachmentUrl(slug, f.id),
  }));
  return {
    ...presentSummary(row, today),
    body: row.body,
    location: { lat: row.lat, lon: row.lon, address: row.address },
    receivedAt: row.receivedAt.toISOString(),
    registrationDueDate: row.registrationDueDate,
    originalDueDate: row.originalDueDate,
    extensionDays: row.extensionDays,
    duplicateOfId: row.duplicateOfId,
    repeatOfId: row.repeatOfId,
    redirectedTo: row.redirectedTo,
    noConsiderationGround: row.noConsiderationGround,
    source: row.source,
    answers: rec.answers.map((a) => ({
      id: a.id, body: a.body, language: a.language, createdAt: a.createdAt.toISOString(), serviceId: a.serviceId,
      attachments: files.filter((f) => f.answerId === a.id),
    })),
    attachments: files.filter((f) => f.answerId === null),
  };
}

/** Each answer's rating and review request, for the resident (what they gave, what they may do next) or for staff. */
function ratingsOf(rec: AppealRecord) {
  const rating = new Map(rec.ratings.map((r) => [r.answerId, r]));
  const review = new Map(rec.reviews.map((r) => [r.answerId, r]));
  const latest = latestAnswerIdOf(rec.audit.map(({ entry }) => entry), rec.answers);
  return { rating: (id: string) => rating.get(id) ?? null, review: (id: string) => review.get(id) ?? null, latest };
}

export function presentForResident(slug: string, row: AppealRow, rec: AppealRecord, today: string, ratingEditDays: number, now: Date) {
  const base = presentBase(slug, row, rec, today);
  const r = ratingsOf(rec);
  return {
    ...base,
    answers: base.answers.map((a) => ({ ...a, ...presentResidentAnswerRating({
      rating: r.rating(a.id), review: r.review(a.id), isLatestAnswer: a.id === r.latest, appealStatus: row.status, ratingEditDays, now,
    }) })),
    timeline: rec.audit.filter((e) => e.entry.isPublic).map(({ entry }) => ({
      at: entry.occurredAt.toISOString(),
      action: entry.action,
      status: statusOf(entry.after),
      reason: entry.reason,
      details: pick(entry.after, PUBLIC_DETAIL_KEYS),
    })),
  };
}

export function presentForStaff(slug: string, row: AppealRow, rec: AppealRecord, today: string, roles: readonly StaffRole[]) {
  const a = rec.applicant;
  const base = presentBase(slug, row, rec, today);
  const r = ratingsOf(rec);
  return {
    ...base,
    answers: base.answers.map((x) => ({ ...x, ...presentStaffAnswerRating(r.rating(x.id), r.review(x.id)) })),
    timeline: rec.audit.map(({ entry, actorName }) => ({
      at: entry.occurredAt.toISOString(),
      action: entry.action,
      status: statusOf(entry.after),
      reason: entry.reason,
      details: (entry.after as Record<string, unknown> | null) ?? null,
      actor: { kind: entry.actorKind, id: entry.actorId, name: actorName },
    })),
    applicant: a ? { fullName: a.fullName, email: a.email, phone: a.phone, address: a.address, organization: a.organization, cosigners: a.cosigners } : null,
    notes: rec.notes.map(({ note, authorName }) => ({ id: note.id, authorId: note.authorId, authorName, body: note.body, createdAt: note.createdAt.toISOString() })),
    allowedActions: allowedActions(row.status as AppealStatus, roles),
    version: row.version,
  };
}

function statusOf(after: unknown): string | null {
  return after && typeof after === 'object' && 'status' in after ? String((after as { status: unknown }).status) : null;
}
