/**
 * Residents' proposals for a plot or any place in the city, and their supports. A support and the count it adds are
 * written in one transaction; the proposal's row lock (taken by the count's UPDATE) orders concurrent supports, and
 * the switch to 'on_agenda' is a conditional UPDATE, so the threshold puts a proposal on the agenda exactly once.
 * The author may support their own proposal (as in Decidim): a support is "I want this", and the author does.
 */
import { and, asc, desc, eq, inArray, sql, type SQL } from 'drizzle-orm';
import type { Readable } from 'node:stream';
import type { Db, DbOrTx, Tx } from '../../platform/db/database.js';
import {
  commissionAgendaItems, commissionMeetings, landFiles, landPlots, landProposals, landProposalSupports, landSettings,
} from '../../platform/db/schema.js';
import { writeAudit, type Actor } from '../../platform/audit.js';
import { AppError, errors } from '../../platform/http/errors.js';
import type { Clock } from '../../platform/clock.js';
import type { FileStorage } from '../../platform/files/file-storage.js';
import { storeCheckedUpload } from './land-files.js';
import type { Municipality } from '../municipalities/municipalities.service.js';
import type { CitizenPrincipal } from '../auth/principal.js';
import { districtOfPoint, type DirectoryCache } from '../directory/directory.cache.js';
import { recordPlotEvent } from './plot-events.js';
import { queueLandNotice } from './land-notify.js';
import { DEFAULT_LAND_SETTINGS } from './land-settings.routes.js';

export const USE_KINDS = ['playground', 'recreation', 'sidewalk', 'sports_ground', 'green_area', 'parking', 'other'] as const;
export type UseKind = (typeof USE_KINDS)[number];
export const PROPOSAL_STATUSES = ['open', 'on_agenda', 'decided', 'withdrawn'] as const;
export type ProposalStatus = (typeof PROPOSAL_STATUSES)[number];
/** The schema's default, for a city without a land_settings row. */
export const DEFAULT_SUPPORT_THRESHOLD = DEFAULT_LAND_SETTINGS.supportThreshold;
/** A proposal off any plot must lie within this distance of the city's centre (a rough "inside the city"). */
export const CITY_RADIUS_KM = 50;
export const PROPOSAL_FILE_TYPES = ['image/jpeg', 'image/png', 'application/pdf'];
export const MAX_PROPOSAL_FILES = 3;

export interface ProposalDeps { db: Db; clock: Clock; directory: DirectoryCache; storage: FileStorage; uploadMaxBytes: number }

export type ProposalRow = typeof landProposals.$inferSelect;
export type PlotRow = typeof landPlots.$inferSelect;

export async function supportThreshold(db: DbOrTx, municipalityId: string): Promise<number> {
  const [row] = await db.select({ t: landSettings.supportThreshold }).from(landSettings).where(eq(landSettings.municipalityId, municipalityId));
  return row?.t ?? DEFAULT_SUPPORT_THRESHOLD;
}

export async function loadPlot(db: DbOrTx, municipalityId: string, plotId: string): Promise<PlotRow | null> {
  const [row] = await db.select().from(landPlots).where(and(eq(landPlots.municipalityId, municipalityId), eq(landPlots.id, plotId))).limit(1);
  return row ?? null;
}

export async function loadProposal(db: DbOrTx, municipalityId: string, id: string, lock = false): Promise<ProposalRow | null> {
  const q = db.select().from(landProposals).where(and(eq(landProposals.municipalityId, municipalityId), eq(landProposals.id, id))).limit(1);
  const [row] = lock ? await q.for('update') : await q;
  return row ?? null;
}

/** Great-circle distance in km. */
export function distanceKm(lat1: number, lon1: number, lat2: number, lon2: number): number {
  const rad = Math.PI / 180;
  const a = Math.sin(((lat2 - lat1) * rad) / 2) ** 2 + Math.cos(lat1 * rad) * Math.cos(lat2 * rad) * Math.sin(((lon2 - lon1) * rad) / 2) ** 2;
  return 2 * 6371 * Math.asin(Math.sqrt(a));
}

export const proposalLink = (m: Municipality, id: string) => `/${m.slug}/land/proposals/${id}`;

export interface NewProposal {
  plotId?: string | undefined; lat?: number | undefined; lon?: number | undefined;
  useKind: UseKind; title: string; description: string; beneficiaries?: string | undefined; authorName?: string | undefined; language: string;
}

export async function submitProposal(deps: ProposalDeps, m: Municipality, citizen: CitizenPrincipal, input: NewProposal): Promise<string> {
  const authorName = input.authorName?.trim() || citizen.fullName?.trim();
  if (!authorName) throw new AppError(400, 'author_name_required', 'error.land_author_name_required', {}, [{ in: 'body', path: 'authorName', code: 'required' }]);
  let plot: PlotRow | null = null;
  let lat: number; let lon: number; let districtId: string | null;
  if (input.plotId) {
    plot = await loadPlot(deps.db, m.id, input.plotId);
    if (!plot) throw errors.invalidReference('plotId');
    lat = plot.centerLat; lon = plot.centerLon; districtId = plot.districtId;
  } else {
    if (input.lat === undefined || input.lon === undefined) {
      throw new AppError(400, 'validation_failed', 'error.validation_failed', {}, [{ in: 'body', path: 'plotId', code: 'required' }]);
    }
    lat = input.lat; lon = input.lon;
    if (m.centerLat !== null && m.centerLon !== null && distanceKm(lat, lon, m.centerLat, m.centerLon) > CITY_RADIUS_KM) {
      throw new AppError(400, 'outside_city', 'error.land_outside_city', { km: CITY_RADIUS_KM }, [{ in: 'body', path: 'lat', code: 'outside_city' }]);
    }
    // Reference data before the transaction (the cache reads through `db`).
    districtId = districtOfPoint(await deps.directory.get(m.id), lat, lon);
  }
  const now = deps.clock.now();
  return deps.db.transaction(async (tx) => {
    const [row] = await tx.insert(landProposals).values({
      municipalityId: m.id, plotId: plot?.id ?? null, lat, lon, districtId, useKind: input.useKind, title: input.title, description: input.description,
      beneficiaries: input.beneficiaries ?? null, language: input.language, authorCitizenId: citizen.id, authorName, createdAt: now, updatedAt: now,
    }).returning();
    const p = row!;
    if (plot) {
      await recordPlotEvent(tx, { municipalityId: m.id, plotId: plot.id, kind: 'proposal_submitted', details: { proposalId: p.id, title: p.title, useKind: p.useKind },
        ref: { type: 'proposal', id: p.id }, at: now });
    }
    await writeAudit(tx, { municipalityId: m.id, actor: { kind: 'citizen', id: citizen.id }, entityType: 'land_proposal', entityId: p.id, action: 'submit',
      after: { status: 'open', plotId: p.plotId, useKind: p.useKind, title: p.title }, at: now });
    return p.id;
  });
}

export async function withdrawProposal(deps: ProposalDeps, m: Municipality, citizen: CitizenPrincipal, id: string): Promise<void> {
  const now = deps.clock.now();
  await deps.db.transaction(async (tx) => {
    const p = await loadProposal(tx, m.id, id, true);
    if (!p || p.authorCitizenId !== citizen.id) throw p ? errors.forbidden() : errors.notFound('proposal');
    if (p.status !== 'open') throw new AppError(409, 'proposal_not_open', 'error.land_proposal_not_open', {}, { status: p.status });
    await tx.update(landProposals).set({ status: 'withdrawn', updatedAt: now }).where(and(eq(landProposals.municipalityId, m.id), eq(landProposals.id, id)));
    await writeAudit(tx, { municipalityId: m.id, actor: { kind: 'citizen', id: citizen.id }, entityType: 'land_proposal', entityId: id, action: 'withdraw',
      before: { status: 'open' }, after: { status: 'withdrawn' }, at: now });
  });
}

export interface SupportResult { supportCount: number; status: ProposalStatus; supported: boolean }

/**
 * One support per account (the primary key): a second is 409 already_supported and changes nothing. Open and
 * on-agenda proposals may be supported (the count keeps showing the demand); decided and withdrawn ones not.
 */
export async function support(deps: ProposalDeps, m: Municipality, citizen: CitizenPrincipal, id: string): Promise<SupportResult> {
  const now = deps.clock.now();
  return deps.db.transaction(async (tx) => {
    const exists = await loadProposal(tx, m.id, id);
    if (!exists) throw errors.notFound('proposal');
    const threshold = await supportThreshold(tx, m.id);
    const inserted = await tx.insert(landProposalSupports).values({ municipalityId: m.id, proposalId: id, citizenId: citizen.id, createdAt: now })
      .onConflictDoNothing().returning({ id: landProposalSupports.citizenId });
    if (inserted.length === 0) throw new AppError(409, 'already_supported', 'error.land_already_supported');
    // The row lock this UPDATE takes orders concurrent supports: each sees the count the one before it left.
    const [counted] = await tx.update(landProposals).set({ supportCount: sql`${landProposals.supportCount} + 1`, updatedAt: now })
      .where(and(eq(landProposals.municipalityId, m.id), eq(landProposals.id, id), inArray(landProposals.status, ['open', 'on_agenda'])))
      .returning();
    if (!counted) throw new AppError(409, 'proposal_closed', 'error.land_proposal_closed', {}, { status: exists.status });
    await writeAudit(tx, { municipalityId: m.id, actor: { kind: 'citizen', id: citizen.id }, entityType: 'land_proposal', entityId: id, action: 'support',
      after: { supportCount: counted.supportCount }, at: now });
    let status = counted.status as ProposalStatus;
    if (status === 'open' && counted.supportCount >= threshold) {
      if (await putOnAgenda(tx, m, counted, threshold, now)) status = 'on_agenda';
    }
    return { supportCount: counted.supportCount, status, supported: true };
  });
}

/** The threshold reached: on the agenda, once (the WHERE status = 'open' makes a second attempt a no-op). */
async function putOnAgenda(tx: Tx, m: Municipality, p: ProposalRow, threshold: number, now: Date): Promise<boolean> {
  const [moved] = await tx.update(landProposals).set({ status: 'on_agenda', onAgendaAt: now, updatedAt: now })
    .where(and(eq(landProposals.municipalityId, m.id), eq(landProposals.id, p.id), eq(landProposals.status, 'open'))).returning({ id: landProposals.id });
  if (!moved) return false;
  const [item] = await tx.insert(commissionAgendaItems).values({
    municipalityId: m.id, subjectType: 'proposal', subjectId: p.id, plotId: p.plotId, addedBy: 'threshold', createdAt: now,
  }).returning({ id: commissionAgendaItems.id });
  let plot: PlotRow | null = null;
  if (p.plotId) {
    plot = await loadPlot(tx, m.id, p.plotId);
    await recordPlotEvent(tx, { municipalityId: m.id, plotId: p.plotId, kind: 'proposal_on_agenda',
      details: { proposalId: p.id, title: p.title, supportCount: p.supportCount, threshold }, ref: { type: 'proposal', id: p.id }, at: now });
  }
  await writeAudit(tx, { municipalityId: m.id, actor: { kind: 'system', id: null }, entityType: 'land_proposal', entityId: p.id, action: 'on_agenda',
    before: { status: 'open' }, after: { status: 'on_agenda', agendaItemId: item!.id, supportCount: p.supportCount, threshold }, at: now });
  await queueLandNotice(tx, {
    municipalityId: m.id, event: 'land_proposal_on_agenda', audience: { kind: 'proposal', proposalId: p.id },
    params: { title: p.title, supports: p.supportCount, ...(plot ? { plot: plot.cadastralNumber, ...(plot.address ? { address: plot.address } : {}) } : {}) },
    link: proposalLink(m, p.id), key: `proposal_on_agenda:${p.id}`, now,
  });
  return true;
}

/** Withdraws the caller's support while the proposal is open (once on the agenda, the count that put it there stays). */
export async function withdrawSupport(deps: ProposalDeps, m: Municipality, citizen: CitizenPrincipal, id: string): Promise<SupportResult> {
  const now = deps.clock.now();
  return deps.db.transaction(async (tx) => {
    const p = await loadProposal(tx, m.id, id, true);
    if (!p) throw errors.notFound('proposal');
    if (p.status !== 'open') throw new AppError(409, 'proposal_not_open', 'error.land_proposal_not_open', {}, { status: p.status });
    const removed = await tx.delete(landProposalSupports).where(and(eq(landProposalSupports.municipalityId, m.id),
      eq(landProposalSupports.proposalId, id), eq(landProposalSupports.citizenId, citizen.id))).returning({ id: landProposalSupports.citizenId });
    if (removed.length === 0) throw new AppError(409, 'not_supported', 'error.land_not_supported');
    const [counted] = await tx.update(landProposals).set({ supportCount: sql`${landProposals.supportCount} - 1`, updatedAt: now })
      .where(and(eq(landProposals.municipalityId, m.id), eq(landProposals.id, id))).returning();
    await writeAudit(tx, { municipalityId: m.id, actor: { kind: 'citizen', id: citizen.id }, entityType: 'land_proposal', entityId: id, action: 'unsupport',
      after: { supportCount: counted!.supportCount }, at: now });
    return { supportCount: counted!.supportCount, status: 'open', supported: false };
  });
}

// ---- files ------------------------------------------------------------------------------------------------

export type LandFileRow = typeof landFiles.$inferSelect;

/** A sketch or photo of the proposal (author only, at most MAX_PROPOSAL_FILES). The bytes must match the type. */
export async function attachProposalFile(
  deps: ProposalDeps, m: Municipality, citizen: CitizenPrincipal, proposalId: string, file: { fileName: string; contentType: string; stream: Readable },
): Promise<LandFileRow> {
  const refuse = (err: AppError) => { file.stream.resume(); return err; };
  const typeError = () => new AppError(415, 'file_type_not_allowed', 'error.file_type_not_allowed', { allowed: PROPOSAL_FILE_TYPES.join(', ') });
  if (!PROPOSAL_FILE_TYPES.includes(file.contentType)) throw refuse(typeError());
  const p = await loadProposal(deps.db, m.id, proposalId);
  if (!p) throw refuse(errors.notFound('proposal'));
  if (p.authorCitizenId !== citizen.id) throw refuse(errors.forbidden());
  if ((await proposalFiles(deps.db, m.id, [proposalId])).length >= MAX_PROPOSAL_FILES) {
    throw refuse(new AppError(409, 'too_many_files', 'error.land_too_many_files', { max: MAX_PROPOSAL_FILES }));
  }
  const stored = await storeCheckedUpload(deps.storage, file.stream, file.contentType, deps.uploadMaxBytes, typeError);
  const now = deps.clock.now();
  try {
    return await deps.db.transaction(async (tx) => {
      // Counted again under the proposal's lock: two uploads at once cannot make a fourth file.
      await loadProposal(tx, m.id, proposalId, true);
      if ((await proposalFiles(tx, m.id, [proposalId])).length >= MAX_PROPOSAL_FILES) {
        throw new AppError(409, 'too_many_files', 'error.land_too_many_files', { max: MAX_PROPOSAL_FILES });
      }
      const [row] = await tx.insert(landFiles).values({
        municipalityId: m.id, ownerType: 'proposal', ownerId: proposalId, fileName: file.fileName.slice(0, 200), contentType: file.contentType,
        sizeBytes: stored.sizeBytes, sha256: stored.sha256, storageKey: stored.key, uploadedByKind: 'citizen', uploadedById: citizen.id, createdAt: now,
      }).returning();
      const actor: Actor = { kind: 'citizen', id: citizen.id };
      await writeAudit(tx, { municipalityId: m.id, actor, entityType: 'land_proposal', entityId: proposalId, action: 'attach',
        after: { fileId: row!.id, contentType: file.contentType, sizeBytes: stored.sizeBytes }, at: now });
      return row!;
    });
  } catch (err) {
    await deps.storage.remove(stored.key);
    throw err;
  }
}

export async function proposalFile(db: DbOrTx, municipalityId: string, id: string): Promise<LandFileRow | null> {
  const [row] = await db.select().from(landFiles).where(and(eq(landFiles.municipalityId, municipalityId), eq(landFiles.ownerType, 'proposal'), eq(landFiles.id, id))).limit(1);
  return row ?? null;
}

export async function proposalFiles(db: DbOrTx, municipalityId: string, proposalIds: string[]): Promise<LandFileRow[]> {
  if (proposalIds.length === 0) return [];
  return db.select().from(landFiles).where(and(eq(landFiles.municipalityId, municipalityId), eq(landFiles.ownerType, 'proposal'),
    inArray(landFiles.ownerId, proposalIds))).orderBy(asc(landFiles.createdAt), asc(landFiles.id));
}

// ---- reading ----------------------------------------------------------------------------------------------

export interface ProposalFilter {
  status?: ProposalStatus | undefined; plotId?: string | undefined; useKind?: UseKind | undefined;
  sort: 'newest' | 'most_supported'; limit: number; offset: number;
}

export async function listProposals(db: Db, municipalityId: string, f: ProposalFilter): Promise<{ rows: ProposalRow[]; total: number }> {
  const where: SQL[] = [eq(landProposals.municipalityId, municipalityId)];
  if (f.status) where.push(eq(landProposals.status, f.status));
  if (f.plotId) where.push(eq(landProposals.plotId, f.plotId));
  if (f.useKind) where.push(eq(landProposals.useKind, f.useKind));
  const order = f.sort === 'most_supported'
    ? [desc(landProposals.supportCount), desc(landProposals.createdAt), desc(landProposals.id)]
    : [desc(landProposals.createdAt), desc(landProposals.id)];
  const [rows, [count]] = await Promise.all([
    db.select().from(landProposals).where(and(...where)).orderBy(...order).limit(f.limit).offset(f.offset),
    db.select({ n: sql<number>`count(*)::int` }).from(landProposals).where(and(...where)),
  ]);
  return { rows, total: count?.n ?? 0 };
}

export async function hasSupported(db: Db, municipalityId: string, proposalId: string, citizenId: string): Promise<boolean> {
  const [row] = await db.select({ id: landProposalSupports.citizenId }).from(landProposalSupports).where(and(eq(landProposalSupports.municipalityId, municipalityId),
    eq(landProposalSupports.proposalId, proposalId), eq(landProposalSupports.citizenId, citizenId))).limit(1);
  return !!row;
}

/** The commission items of a subject (proposal or announcement), with their meeting, oldest first. */
export async function agendaOf(db: Db, municipalityId: string, subjectType: 'proposal' | 'announcement', subjectId: string) {
  return db.select({ item: commissionAgendaItems, meeting: { id: commissionMeetings.id, title: commissionMeetings.title, startsAt: commissionMeetings.startsAt, status: commissionMeetings.status } })
    .from(commissionAgendaItems)
    .leftJoin(commissionMeetings, and(eq(commissionMeetings.municipalityId, commissionAgendaItems.municipalityId), eq(commissionMeetings.id, commissionAgendaItems.meetingId)))
    .where(and(eq(commissionAgendaItems.municipalityId, municipalityId), eq(commissionAgendaItems.subjectType, subjectType), eq(commissionAgendaItems.subjectId, subjectId)))
    .orderBy(asc(commissionAgendaItems.createdAt), asc(commissionAgendaItems.id));
}
