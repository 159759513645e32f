/**
 * The plot registry's writes: create and edit a plot (by hand or by import), and its documents. Every write records
 * its passport line (plot-events.ts) and its audit entry in the same transaction. The outline's centre, box and
 * (unless given) area are computed here, once.
 */
import { and, eq } from 'drizzle-orm';
import type { Readable } from 'node:stream';
import type { Db, DbOrTx, Tx } from '../../platform/db/database.js';
import { landFiles, landPlots } from '../../platform/db/schema.js';
import { writeAudit, type Actor } from '../../platform/audit.js';
import { AppError, errors } from '../../platform/http/errors.js';
import type { Clock } from '../../platform/clock.js';
import { uniqueViolation } from '../../platform/db/database-errors.js';
import type { FileStorage } from '../../platform/files/file-storage.js';
import { storeCheckedUpload } from './land-files.js';
import type { Municipality } from '../municipalities/municipalities.service.js';
import { districtOfPoint, type DirectoryCache } from '../directory/directory.cache.js';
import { recordPlotEvent } from './plot-events.js';
import { derivedOf, MAX_POSITIONS, validatePlotGeometry, type GeometryProblem, type PlotGeometry } from './land-geometry.js';

export const PLOT_STATUSES = ['available', 'proposed_for_lease', 'under_discussion', 'decided', 'leased_temporarily', 'reserved_public'] as const;
export type PlotStatus = (typeof PLOT_STATUSES)[number];
/** Who manages plots and announcements. */
export const LAND_ADMIN_ROLES = ['admin', 'land_commission'] as const;
export const PLOT_FILE_TYPES = ['application/pdf', 'image/jpeg', 'image/png'];
/** Digits and letters, hyphens and colons between them: 1-02-03-0004-0005, 1:02:03:0004. */
export const CADASTRAL_PATTERN = /^[0-9A-Za-z][0-9A-Za-z:-]{1,48}[0-9A-Za-z]$/;
export const TEXT_LIMITS = { address: 300, zoning: 100, permittedUse: 300, currentUse: 300 } as const;

export type PlotRow = typeof landPlots.$inferSelect;
export type LandFileRow = typeof landFiles.$inferSelect;

export interface PlotDeps { db: Db; clock: Clock; directory: DirectoryCache; storage: FileStorage; uploadMaxBytes: number }

/** A plot as written: everything but the derived columns. */
export interface PlotFields {
  cadastralNumber: string;
  address: string | null;
  districtId: string | null;
  areaM2: number;
  zoning: string | null;
  permittedUse: string | null;
  currentUse: string | null;
  status: PlotStatus;
  leasedUntil: string | null;
  geometry: PlotGeometry;
}

export const geometryError = (problem: GeometryProblem, path: string) =>
  new AppError(400, 'invalid_geometry', `land.geometry.${problem}`, { max: MAX_POSITIONS }, [{ in: 'body', path: path ? `geometry.${path}` : 'geometry', code: problem }]);

export function checkedGeometry(input: unknown): PlotGeometry {
  const r = validatePlotGeometry(input);
  if (!r.ok) throw geometryError(r.problem, r.path);
  return r.geometry;
}

/** leasedUntil is required for, and only for, a plot leased temporarily. */
export function checkLease(status: string, leasedUntil: string | null): void {
  if (status === 'leased_temporarily' && !leasedUntil) {
    throw new AppError(400, 'leased_until_required', 'error.land_leased_until_required', {}, [{ in: 'body', path: 'leasedUntil', code: 'required' }]);
  }
  if (status !== 'leased_temporarily' && leasedUntil) {
    throw new AppError(400, 'leased_until_not_allowed', 'error.land_leased_until_only_when_leased', {}, [{ in: 'body', path: 'leasedUntil', code: 'not_allowed' }]);
  }
}

const cadastralTaken = (number: string) => new AppError(409, 'cadastral_taken', 'error.land_cadastral_taken', { number }, [{ in: 'body', path: 'cadastralNumber', code: 'taken' }]);

/** The district a plot's centre lies in, when the city's districts have boundaries. */
export async function districtOfCentre(directory: DirectoryCache, municipalityId: string, g: PlotGeometry): Promise<string | null> {
  const { centerLat, centerLon } = derivedOf(g);
  return districtOfPoint(await directory.get(municipalityId), centerLat, centerLon);
}

export async function loadPlot(db: DbOrTx, municipalityId: string, id: string, lock = false): Promise<PlotRow | null> {
  const q = db.select().from(landPlots).where(and(eq(landPlots.municipalityId, municipalityId), eq(landPlots.id, id))).limit(1);
  const [row] = lock ? await q.for('update') : await q;
  return row ?? null;
}

export async function plotByCadastral(db: DbOrTx, municipalityId: string, cadastralNumber: string): Promise<PlotRow | null> {
  const [row] = await db.select().from(landPlots)
    .where(and(eq(landPlots.municipalityId, municipalityId), eq(landPlots.cadastralNumber, cadastralNumber))).limit(1);
  return row ?? null;
}

const COMPARED = ['cadastralNumber', 'address', 'districtId', 'areaM2', 'zoning', 'permittedUse', 'currentUse', 'status', 'leasedUntil', 'geometry'] as const;

/** The fields that would change (areas compare to the centimetre: a recomputed area may differ in the last bits). */
export function plotChanges(before: PlotRow, next: PlotFields): (typeof COMPARED)[number][] {
  return COMPARED.filter((k) => {
    if (k === 'areaM2') return Math.abs((before.areaM2 ?? -1) - next.areaM2) > 0.005;
    if (k === 'geometry') return JSON.stringify(before.geometry) !== JSON.stringify(next.geometry);
    return (before[k] ?? null) !== (next[k] ?? null);
  });
}

export type SaveOutcome = 'created' | 'updated' | 'unchanged';

/**
 * Writes a plot (new when `before` is null) with its passport lines and audit entry. A status change is its own
 * line (status_changed); other changes are one 'updated' line naming the fields. `via` says where it came from.
 */
export async function savePlot(
  tx: Tx, m: Municipality, actor: Actor, before: PlotRow | null, next: PlotFields, via: 'admin' | 'import', now: Date,
): Promise<{ outcome: SaveOutcome; plot: PlotRow }> {
  const d = derivedOf(next.geometry);
  const row = { ...next, centerLat: d.centerLat, centerLon: d.centerLon, minLat: d.minLat, minLon: d.minLon, maxLat: d.maxLat, maxLon: d.maxLon, updatedAt: now };
  if (!before) {
    const [plot] = await tx.insert(landPlots).values({ municipalityId: m.id, ...row, createdAt: now }).returning();
    await recordPlotEvent(tx, { municipalityId: m.id, plotId: plot!.id, kind: 'imported', at: now,
      details: { via, cadastralNumber: next.cadastralNumber, status: next.status, ...(next.leasedUntil ? { leasedUntil: next.leasedUntil } : {}) } });
    await writeAudit(tx, { municipalityId: m.id, actor, entityType: 'land_plot', entityId: plot!.id, action: via === 'import' ? 'import' : 'create', at: now,
      after: { cadastralNumber: next.cadastralNumber, status: next.status, districtId: next.districtId, areaM2: next.areaM2, leasedUntil: next.leasedUntil } });
    return { outcome: 'created', plot: plot! };
  }
  const changed = plotChanges(before, next);
  if (changed.length === 0) return { outcome: 'unchanged', plot: before };
  const [plot] = await tx.update(landPlots).set(row).where(and(eq(landPlots.municipalityId, m.id), eq(landPlots.id, before.id))).returning();
  const others = changed.filter((k) => k !== 'status' && k !== 'leasedUntil');
  if (others.length > 0) {
    await recordPlotEvent(tx, { municipalityId: m.id, plotId: before.id, kind: 'updated', at: now, details: { via, fields: others } });
  }
  if (changed.includes('status') || changed.includes('leasedUntil')) {
    await recordPlotEvent(tx, { municipalityId: m.id, plotId: before.id, kind: 'status_changed', at: now,
      details: { via, from: before.status, to: next.status, ...(next.leasedUntil ? { leasedUntil: next.leasedUntil } : {}) } });
  }
  const pick = (r: Record<string, unknown>) => Object.fromEntries(changed.map((k) => [k, k === 'geometry' ? '(outline)' : r[k] ?? null]));
  await writeAudit(tx, { municipalityId: m.id, actor, entityType: 'land_plot', entityId: before.id, action: via === 'import' ? 'import_update' : 'update', at: now,
    before: pick(before), after: pick(next as unknown as Record<string, unknown>) });
  return { outcome: 'updated', plot: plot! };
}

export interface PlotInput {
  cadastralNumber: string;
  address?: string | null | undefined;
  districtId?: string | null | undefined;
  areaM2?: number | null | undefined;
  zoning?: string | null | undefined;
  permittedUse?: string | null | undefined;
  currentUse?: string | null | undefined;
  status?: PlotStatus | undefined;
  leasedUntil?: string | null | undefined;
  geometry: unknown;
}

async function checkDistrict(deps: PlotDeps, m: Municipality, districtId: string): Promise<void> {
  if (!(await deps.directory.get(m.id)).districts.has(districtId)) throw errors.invalidReference('districtId');
}

/** Creates a plot by hand. District: given, or the one holding the centre when districts have boundaries. */
export async function createPlot(deps: PlotDeps, m: Municipality, actor: Actor, input: PlotInput): Promise<PlotRow> {
  const geometry = checkedGeometry(input.geometry);
  const status = input.status ?? 'available';
  const leasedUntil = input.leasedUntil ?? null;
  checkLease(status, leasedUntil);
  if (input.districtId) await checkDistrict(deps, m, input.districtId);
  const districtId = input.districtId ?? await districtOfCentre(deps.directory, m.id, geometry);
  const fields: PlotFields = {
    cadastralNumber: input.cadastralNumber, address: input.address ?? null, districtId, areaM2: input.areaM2 ?? derivedOf(geometry).areaM2,
    zoning: input.zoning ?? null, permittedUse: input.permittedUse ?? null, currentUse: input.currentUse ?? null, status, leasedUntil, geometry,
  };
  const now = deps.clock.now();
  try {
    return await deps.db.transaction(async (tx) => {
      if (await plotByCadastral(tx, m.id, input.cadastralNumber)) throw cadastralTaken(input.cadastralNumber);
      return (await savePlot(tx, m, actor, null, fields, 'admin', now)).plot;
    });
  } catch (err) {
    if (uniqueViolation(err) !== null) throw cadastralTaken(input.cadastralNumber);
    throw err;
  }
}

/**
 * Edits a plot: only the fields given change. Moving off 'leased_temporarily' clears the lease date unless one is
 * given (which is then refused); a new outline recomputes the area unless an area is given with it.
 */
export async function updatePlot(deps: PlotDeps, m: Municipality, actor: Actor, id: string, change: Partial<PlotInput>): Promise<PlotRow> {
  const geometry = change.geometry !== undefined ? checkedGeometry(change.geometry) : undefined;
  if (change.districtId) await checkDistrict(deps, m, change.districtId);
  const now = deps.clock.now();
  try {
    return await deps.db.transaction(async (tx) => {
      const before = await loadPlot(tx, m.id, id, true);
      if (!before) throw errors.notFound('plot');
      const status = change.status ?? before.status as PlotStatus;
      const leasedUntil = change.leasedUntil !== undefined ? change.leasedUntil : status === 'leased_temporarily' ? before.leasedUntil : null;
      checkLease(status, leasedUntil);
      if (change.cadastralNumber && change.cadastralNumber !== before.cadastralNumber && await plotByCadastral(tx, m.id, change.cadastralNumber)) {
        throw cadastralTaken(change.cadastralNumber);
      }
      const g = geometry ?? before.geometry as PlotGeometry;
      const next: PlotFields = {
        cadastralNumber: change.cadastralNumber ?? before.cadastralNumber,
        address: change.address !== undefined ? change.address : before.address,
        districtId: change.districtId !== undefined ? change.districtId : before.districtId,
        areaM2: change.areaM2 ?? (geometry ? derivedOf(g).areaM2 : before.areaM2 ?? derivedOf(g).areaM2),
        zoning: change.zoning !== undefined ? change.zoning : before.zoning,
        permittedUse: change.permittedUse !== undefined ? change.permittedUse : before.permittedUse,
        currentUse: change.currentUse !== undefined ? change.currentUse : before.currentUse,
        status, leasedUntil, geometry: g,
      };
      return (await savePlot(tx, m, actor, before, next, 'admin', now)).plot;
    });
  } catch (err) {
    if (uniqueViolation(err) !== null && change.cadastralNumber) throw cadastralTaken(change.cadastralNumber);
    throw err;
  }
}

export async function plotFiles(db: DbOrTx, municipalityId: string, plotId: string): Promise<LandFileRow[]> {
  return db.select().from(landFiles)
    .where(and(eq(landFiles.municipalityId, municipalityId), eq(landFiles.ownerType, 'plot'), eq(landFiles.ownerId, plotId)))
    .orderBy(landFiles.createdAt, landFiles.id);
}

/** Stores a document of a plot (pdf, jpeg, png — the content must match the declared type). */
export async function attachPlotDocument(
  deps: PlotDeps, m: Municipality, actor: Actor, plotId: string, file: { fileName: string; title: string | null; contentType: string; stream: Readable },
): Promise<LandFileRow> {
  const refuse = (err: AppError) => { file.stream.resume(); return err; };
  const typeError = () => new AppError(415, 'file_type_not_allowed', 'error.file_type_not_allowed', { allowed: PLOT_FILE_TYPES.join(', ') });
  if (!PLOT_FILE_TYPES.includes(file.contentType)) throw refuse(typeError());
  if (!(await loadPlot(deps.db, m.id, plotId))) throw refuse(errors.notFound('plot'));
  const stored = await storeCheckedUpload(deps.storage, file.stream, file.contentType, deps.uploadMaxBytes, typeError);
  const now = deps.clock.now();
  try {
    return await deps.db.transaction(async (tx) => {
      const [row] = await tx.insert(landFiles).values({
        municipalityId: m.id, ownerType: 'plot', ownerId: plotId, title: file.title, fileName: file.fileName.slice(0, 200), contentType: file.contentType,
        sizeBytes: stored.sizeBytes, sha256: stored.sha256, storageKey: stored.key, uploadedByKind: actor.kind, uploadedById: actor.id, createdAt: now,
      }).returning();
      await recordPlotEvent(tx, { municipalityId: m.id, plotId, kind: 'document_added', ref: { type: 'file', id: row!.id }, at: now,
        details: { fileId: row!.id, title: file.title, fileName: row!.fileName } });
      await writeAudit(tx, { municipalityId: m.id, actor, entityType: 'land_plot', entityId: plotId, action: 'attach', at: now,
        after: { fileId: row!.id, contentType: file.contentType, sizeBytes: stored.sizeBytes } });
      return row!;
    });
  } catch (err) {
    await deps.storage.remove(stored.key);
    throw err;
  }
}
