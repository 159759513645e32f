/**
 * HTTP routes of the plot registry: the public list (the non-map alternative), the map's GeoJSON and the plot
 * passport; staff (admin, land_commission) create and edit plots, add documents and import plots.
 * Public outputs carry no personal data: no uploader, no author, no staff name.
 */
import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { RouteOptions } from '../../app.js';
import type { LocalizedText } from '../../platform/db/schema.js';
import { commonErrors, ErrorResponse, IdParams, IsoDate, MunicipalityParams, Uuid } from '../../platform/http/schemas.js';
import { AppError, errors } from '../../platform/http/errors.js';
import { safeFileName } from '../../platform/files/file-name.js';
import { actorOf, requireStaff } from '../auth/principal.js';
import type { Municipality } from '../municipalities/municipalities.service.js';
import { plotHistory, PLOT_EVENT_KINDS } from './plot-events.js';
import {
  attachPlotDocument, CADASTRAL_PATTERN, createPlot, LAND_ADMIN_ROLES, loadPlot, PLOT_FILE_TYPES, PLOT_STATUSES, plotFiles, TEXT_LIMITS, updatePlot,
  type LandFileRow, type PlotDeps, type PlotRow,
} from './plots.service.js';
import { agendaOfPlot, announcementsOfPlot, hearingsOfPlot, listPlots, plotsForMap, proposalsOfPlot, type PlotFilters } from './plots.queries.js';
import { importPlots, rawFromCsv, rawFromGeoJson } from './plot-import.js';
import { ANNOUNCEMENT_KINDS, ANNOUNCEMENT_STATUSES, commentWindowOpen } from './announcements.service.js';
import { sendLandFile } from './land-files.js';

/** The map gets at most this many plots per request; `truncated` says when more matched (zoom in or filter). */
export const MAP_CAP = 2000;
const IMPORT_BODY_LIMIT = 30 * 1024 * 1024;

const Text = (max: number) => z.string().trim().min(1).max(max);
const GeometryIn = z.object({ type: z.enum(['Polygon', 'MultiPolygon']), coordinates: z.array(z.unknown()) }).passthrough()
  .describe('GeoJSON Polygon or MultiPolygon, WGS 84 [lon, lat]; closed rings of at least 4 and at most 10 000 positions in all');
const PlotBody = z.object({
  cadastralNumber: z.string().trim().regex(CADASTRAL_PATTERN).describe('Unique in the city, e.g. 1-02-03-0004-0005'),
  address: Text(TEXT_LIMITS.address).nullable().optional(),
  districtId: Uuid.nullable().optional().describe('When absent: the district holding the centre, if the districts have boundaries'),
  areaM2: z.number().positive().max(1e9).nullable().optional().describe('When absent: computed from the outline'),
  zoning: Text(TEXT_LIMITS.zoning).nullable().optional(),
  permittedUse: Text(TEXT_LIMITS.permittedUse).nullable().optional(),
  currentUse: Text(TEXT_LIMITS.currentUse).nullable().optional(),
  status: z.enum(PLOT_STATUSES).optional(),
  leasedUntil: IsoDate.nullable().optional().describe('Required for, and only for, status leased_temporarily'),
  geometry: GeometryIn,
}).strict();
const PlotPatch = PlotBody.partial().strict();

const Point = z.object({ lat: z.number(), lon: z.number() });
const PlotSummary = z.object({
  id: z.uuid(), cadastralNumber: z.string(), address: z.string().nullable(), districtId: z.uuid().nullable(), areaM2: z.number().nullable(),
  zoning: z.string().nullable(), permittedUse: z.string().nullable(), currentUse: z.string().nullable(),
  status: z.enum(PLOT_STATUSES), leasedUntil: z.string().nullable(), center: Point,
  bbox: z.tuple([z.number(), z.number(), z.number(), z.number()]).describe('[minLon, minLat, maxLon, maxLat]'), updatedAt: z.string(),
});
const Geometry = z.object({ type: z.enum(['Polygon', 'MultiPolygon']), coordinates: z.array(z.unknown()) });
const FileOut = z.object({ id: z.uuid(), title: z.string().nullable(), fileName: z.string(), contentType: z.string(), sizeBytes: z.number().int(), addedAt: z.string(), url: z.string() });
const Localized = z.object({ ky: z.string(), ru: z.string(), en: z.string() });
export const AnnouncementOut = z.object({
  id: z.uuid(), plotId: z.uuid(), kind: z.enum(ANNOUNCEMENT_KINDS), title: Localized, description: Localized, proposedUse: z.string().nullable(),
  leaseUntil: z.string().nullable(), commentOpensAt: z.string(), commentClosesAt: z.string().describe('The first instant comments are refused'),
  commentsOpen: z.boolean(), status: z.enum(ANNOUNCEMENT_STATUSES), publishedAt: z.string(),
});
const Passport = PlotSummary.extend({
  geometry: Geometry,
  documents: z.array(FileOut),
  announcements: z.array(AnnouncementOut).describe('All, newest first'),
  proposals: z.array(z.object({ id: z.uuid(), title: z.string(), useKind: z.string(), status: z.string(), supportCount: z.number().int(), createdAt: z.string() })),
  decisions: z.array(z.object({
    itemId: z.uuid(), subjectType: z.string(), subjectId: z.uuid(), addedBy: z.string(),
    meeting: z.object({ id: z.uuid(), title: z.string(), startsAt: z.string(), status: z.string() }).nullable(),
    decision: z.enum(['approved', 'rejected', 'postponed']).nullable(), reasons: z.string().nullable(),
    votes: z.object({ for: z.number().int(), against: z.number().int(), abstained: z.number().int() }).nullable(), decidedAt: z.string().nullable(),
  })).describe("The commission's items concerning the plot, oldest first: waiting, scheduled and decided"),
  hearings: z.array(z.object({ id: z.uuid(), title: z.string(), startsAt: z.string(), place: z.string(), status: z.string(), summary: z.string().nullable(), attendedCount: z.number().int().nullable() })),
  history: z.array(z.object({ id: z.uuid(), kind: z.enum(PLOT_EVENT_KINDS), details: z.record(z.string(), z.unknown()), refType: z.string().nullable(), refId: z.uuid().nullable(), occurredAt: z.string() }))
    .describe('The passport: every line in the order it happened'),
});
const BBoxParam = z.string().regex(/^-?\d+(\.\d+)?(,-?\d+(\.\d+)?){3}$/).transform((s) => s.split(',').map(Number) as [number, number, number, number])
  .refine(([a, b, c, d]) => a >= -180 && c <= 180 && b >= -90 && d <= 90 && a <= c && b <= d, { message: 'minLon,minLat,maxLon,maxLat within WGS 84' })
  .describe('minLon,minLat,maxLon,maxLat');
const Filters = z.object({
  status: z.enum(PLOT_STATUSES).optional(),
  district: z.string().min(1).max(60).optional().describe('District id or code'),
  q: z.string().trim().min(1).max(100).optional().describe('Part of the cadastral number or of the address'),
  bbox: BBoxParam.optional(),
});
const ListQuery = Filters.extend({
  limit: z.coerce.number().int().min(1).max(200).default(50), offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
}).strict();
const FeatureCollection = z.object({
  type: z.literal('FeatureCollection'),
  features: z.array(z.object({ type: z.literal('Feature'), id: z.uuid(), geometry: Geometry, properties: z.object({
    cadastralNumber: z.string(), address: z.string().nullable(), status: z.enum(PLOT_STATUSES), leasedUntil: z.string().nullable(), areaM2: z.number().nullable(),
    districtId: z.uuid().nullable(), center: Point }) })),
  truncated: z.boolean().describe(`More than ${MAP_CAP} plots matched: zoom in or filter`),
});
const ImportQuery = z.object({ dryRun: z.enum(['true', 'false']).default('true').transform((v) => v === 'true') }).strict();
const ImportReport = z.object({
  dryRun: z.boolean(), format: z.enum(['geojson', 'csv']), total: z.number().int(), created: z.number().int(), updated: z.number().int(),
  unchanged: z.number().int(), failed: z.number().int(),
  issues: z.array(z.object({ number: z.number().int().describe('Feature position (from 1) or CSV line (the header is 1)'), field: z.string(), code: z.string(), message: z.string() })),
});
const FileParams = IdParams.extend({ fileId: Uuid });

const tag = <S extends object>(summary: string, schema: S) => ({ tags: ['land plots'], summary, ...schema });
const staffOnly: Record<string, string[]>[] = [{ session: [] }, { bearer: [] }];

export const presentPlot = (p: PlotRow) => ({
  id: p.id, cadastralNumber: p.cadastralNumber, address: p.address, districtId: p.districtId, areaM2: p.areaM2, zoning: p.zoning, permittedUse: p.permittedUse,
  currentUse: p.currentUse, status: p.status as (typeof PLOT_STATUSES)[number], leasedUntil: p.leasedUntil, center: { lat: p.centerLat, lon: p.centerLon },
  bbox: [p.minLon, p.minLat, p.maxLon, p.maxLat] as [number, number, number, number], updatedAt: p.updatedAt.toISOString(),
});

export const presentAnnouncement = (a: { id: string; plotId: string; kind: string; title: LocalizedText; description: LocalizedText; proposedUse: string | null;
  leaseUntil: string | null; commentOpensAt: Date; commentClosesAt: Date; status: string; publishedAt: Date }, now: Date) => ({
  id: a.id, plotId: a.plotId, kind: a.kind as (typeof ANNOUNCEMENT_KINDS)[number], title: a.title, description: a.description, proposedUse: a.proposedUse,
  leaseUntil: a.leaseUntil, commentOpensAt: a.commentOpensAt.toISOString(), commentClosesAt: a.commentClosesAt.toISOString(),
  commentsOpen: commentWindowOpen(a, now), status: a.status as (typeof ANNOUNCEMENT_STATUSES)[number], publishedAt: a.publishedAt.toISOString(),
});

const presentFile = (m: Municipality, f: LandFileRow) => ({
  id: f.id, title: f.title, fileName: f.fileName, contentType: f.contentType, sizeBytes: f.sizeBytes, addedAt: f.createdAt.toISOString(),
  url: `/api/v1/m/${m.slug}/land/plots/${f.ownerId}/documents/${f.id}`,
});

export const plotRoutes: FastifyPluginAsyncZod<RouteOptions> = async (app, { services }) => {
  const { municipalities, database, clock, directory, storage, config } = services;
  const db = database.db;
  const deps: PlotDeps = { db, clock, directory, storage, uploadMaxBytes: config.uploadMaxBytes };

  // Import bodies: a GeoJSON document or CSV text (also accepted as a multipart file).
  app.addContentTypeParser(['application/geo+json'], { parseAs: 'string' }, (_req, body, done) => {
    try { done(null, JSON.parse(body as string)); } catch { done(new AppError(400, 'import_format', 'error.land_import_format'), undefined); }
  });
  app.addContentTypeParser(['text/csv', 'text/plain'], { parseAs: 'string' }, (_req, body, done) => done(null, body));

  const filtersOf = async (m: Municipality, q: z.infer<typeof Filters>): Promise<PlotFilters> => {
    let districtId: string | undefined;
    if (q.district) {
      const ds = [...(await directory.get(m.id)).districts.values()];
      // An unknown district matches nothing rather than everything.
      districtId = ds.find((d) => d.id === q.district || d.code === q.district)?.id ?? '00000000-0000-0000-0000-000000000000';
    }
    return { status: q.status, districtId, q: q.q, bbox: q.bbox ? { minLon: q.bbox[0], minLat: q.bbox[1], maxLon: q.bbox[2], maxLat: q.bbox[3] } : undefined };
  };

  const passport = async (m: Municipality, plot: PlotRow) => {
    const now = clock.now();
    const [files, anns, props, agenda, hearings, history] = await Promise.all([
      plotFiles(db, m.id, plot.id), announcementsOfPlot(db, m.id, plot.id), proposalsOfPlot(db, m.id, plot.id),
      agendaOfPlot(db, m.id, plot.id), hearingsOfPlot(db, m.id, plot.id), plotHistory(db, m.id, plot.id),
    ]);
    return {
      ...presentPlot(plot),
      geometry: plot.geometry as z.infer<typeof Geometry>,
      documents: files.map((f) => presentFile(m, f)),
      announcements: anns.map((a) => presentAnnouncement(a, now)),
      proposals: props.map((p) => ({ ...p, createdAt: p.createdAt.toISOString() })),
      decisions: agenda.map(({ item: i, meeting }) => ({
        itemId: i.id, subjectType: i.subjectType, subjectId: i.subjectId, addedBy: i.addedBy,
        meeting: meeting ? { id: meeting.id, title: meeting.title, startsAt: meeting.startsAt.toISOString(), status: meeting.status } : null,
        decision: i.decision as 'approved' | 'rejected' | 'postponed' | null, reasons: i.reasons,
        votes: i.decision ? { for: i.votesFor ?? 0, against: i.votesAgainst ?? 0, abstained: i.votesAbstained ?? 0 } : null,
        decidedAt: i.decidedAt?.toISOString() ?? null,
      })),
      hearings: hearings.map((h) => ({ id: h.id, title: h.title, startsAt: h.startsAt.toISOString(), place: h.place, status: h.status, summary: h.summary, attendedCount: h.attendedCount })),
      history,
    };
  };

  app.get('/api/v1/m/:municipality/land/plots', {
    schema: tag('Plots (public): the list, with filters — the non-map alternative of the map', {
      params: MunicipalityParams, querystring: ListQuery,
      response: { 200: z.object({ items: z.array(PlotSummary), total: z.number().int() }), ...commonErrors },
    }),
  }, async (req) => {
    const m = await municipalities.bySlug(req.params.municipality);
    const { rows, total } = await listPlots(db, m.id, { ...await filtersOf(m, req.query), limit: req.query.limit, offset: req.query.offset });
    return { items: rows.map(presentPlot), total };
  });

  app.get('/api/v1/m/:municipality/land/plots.geojson', {
    schema: tag(`Plots for the map (public): a GeoJSON FeatureCollection, the same filters, at most ${MAP_CAP}`, {
      params: MunicipalityParams, querystring: Filters.strict(), response: { 200: FeatureCollection, ...commonErrors },
    }),
  }, async (req, reply) => {
    const m = await municipalities.bySlug(req.params.municipality);
    const { rows, truncated } = await plotsForMap(db, m.id, await filtersOf(m, req.query), MAP_CAP);
    reply.header('content-type', 'application/geo+json; charset=utf-8');
    return {
      type: 'FeatureCollection' as const, truncated,
      features: rows.map((p) => ({ type: 'Feature' as const, id: p.id, geometry: p.geometry as z.infer<typeof Geometry>, properties: {
        cadastralNumber: p.cadastralNumber, address: p.address, status: p.status as (typeof PLOT_STATUSES)[number], leasedUntil: p.leasedUntil, areaM2: p.areaM2,
        districtId: p.districtId, center: { lat: p.centerLat, lon: p.centerLon } } })),
    };
  });

  app.get('/api/v1/m/:municipality/land/plots/:id', {
    schema: tag('The plot passport (public): the plot, its outline, documents, announcements, proposals, commission items, hearings and history', {
      params: IdParams, response: { 200: Passport, ...commonErrors },
    }),
  }, async (req) => {
    const m = await municipalities.bySlug(req.params.municipality);
    const plot = await loadPlot(db, m.id, req.params.id);
    if (!plot) throw errors.notFound('plot');
    return passport(m, plot);
  });

  app.get('/api/v1/m/:municipality/land/plots/:id/documents/:fileId', {
    schema: tag("Download a plot's document (public)", {
      params: FileParams,
      response: { 200: { description: 'The file', content: Object.fromEntries(PLOT_FILE_TYPES.map((type) => [type, { schema: z.string().describe('binary') }])) }, ...commonErrors },
    }),
  }, async (req, reply) => {
    const m = await municipalities.bySlug(req.params.municipality);
    const file = (await plotFiles(db, m.id, req.params.id)).find((f) => f.id === req.params.fileId);
    if (!file) throw errors.notFound('file');
    return sendLandFile(reply, storage, file);
  });

  app.post('/api/v1/m/:municipality/admin/land/plots', {
    schema: tag('Add a plot (admin, land commission); the passport gets its first line', {
      security: staffOnly, params: MunicipalityParams, body: PlotBody, response: { 201: Passport, ...commonErrors },
    }),
  }, async (req, reply) => {
    const m = await municipalities.bySlug(req.params.municipality);
    const staff = requireStaff(req, m.id, LAND_ADMIN_ROLES);
    const plot = await createPlot(deps, m, actorOf(staff), req.body);
    return reply.status(201).send(await passport(m, plot));
  });

  app.patch('/api/v1/m/:municipality/admin/land/plots/:id', {
    schema: tag('Edit a plot (admin, land commission): only the fields given change; a status change and the other edits get passport lines', {
      security: staffOnly, params: IdParams, body: PlotPatch, response: { 200: Passport, ...commonErrors },
    }),
  }, async (req) => {
    const m = await municipalities.bySlug(req.params.municipality);
    const staff = requireStaff(req, m.id, LAND_ADMIN_ROLES);
    const plot = await updatePlot(deps, m, actorOf(staff), req.params.id, req.body);
    return passport(m, plot);
  });

  app.post('/api/v1/m/:municipality/admin/land/plots/:id/documents', {
    schema: tag(`Add a document to a plot (admin, land commission; multipart: optional field "title" first, then "file"; ${PLOT_FILE_TYPES.join(', ')})`, {
      consumes: ['multipart/form-data'], security: staffOnly, params: IdParams,
      response: { 201: FileOut, ...commonErrors, 413: ErrorResponse, 415: ErrorResponse },
    }),
  }, async (req, reply) => {
    const m = await municipalities.bySlug(req.params.municipality);
    const staff = requireStaff(req, m.id, LAND_ADMIN_ROLES);
    if (!req.isMultipart()) throw new AppError(415, 'unsupported_media_type', 'error.unsupported_media_type');
    const file = await req.file().catch((err: unknown) => { throw asClientUploadError(err) ?? err; });
    if (!file) throw new AppError(400, 'validation_failed', 'error.validation_failed', {}, [{ in: 'body', path: 'file', code: 'invalid_type' }]);
    const titleField = file.fields.title;
    const rawTitle = titleField && !Array.isArray(titleField) && titleField.type === 'field' ? String(titleField.value).trim() : '';
    const saved = await attachPlotDocument(deps, m, actorOf(staff), req.params.id,
      { fileName: safeFileName(file.filename, file.mimetype), title: rawTitle ? rawTitle.slice(0, 200) : null, contentType: file.mimetype, stream: file.file })
      .catch((err: unknown) => { throw (file.file.errored && asClientUploadError(err)) || err; });
    return reply.status(201).send(presentFile(m, saved));
  });

  // A file of up to 30 MB comes as multipart (streamed to the parser); a JSON or CSV body keeps the API's usual body
  // limit, like every other route, so a big body to a small route is refused the same way everywhere.
  app.post('/api/v1/m/:municipality/admin/land/plots/import', {
    schema: tag('Import plots (admin, land commission) from a GeoJSON FeatureCollection or CSV: a multipart field "file" (up to 30 MB), '
      + 'or a small body (application/json, application/geo+json, text/csv); dryRun=true (the default) only checks. Idempotent by cadastral number', {
      consumes: ['application/json', 'application/geo+json', 'text/csv', 'multipart/form-data'], security: staffOnly, params: MunicipalityParams, querystring: ImportQuery,
      response: { 200: ImportReport, ...commonErrors, 413: ErrorResponse, 415: ErrorResponse },
    }),
  }, async (req) => {
    const m = await municipalities.bySlug(req.params.municipality);
    const staff = requireStaff(req, m.id, LAND_ADMIN_ROLES);
    let format: 'geojson' | 'csv';
    let body: unknown = req.body;
    if (req.isMultipart()) {
      const file = await req.file({ limits: { fileSize: IMPORT_BODY_LIMIT } }).catch((err: unknown) => { throw asClientUploadError(err) ?? err; });
      if (!file) throw new AppError(400, 'import_format', 'error.land_import_format');
      const buf = await file.toBuffer().catch((err: unknown) => {
        if ((err as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE') throw new AppError(413, 'file_too_large', 'error.file_too_large', { limit: IMPORT_BODY_LIMIT });
        throw asClientUploadError(err) ?? err;
      });
      const text = buf.toString('utf8');
      const looksJson = /\.(geo)?json$/i.test(file.filename) || /json/.test(file.mimetype) || /^\s*[{[]/.test(text.replace(/^\uFEFF/, ''));
      format = looksJson ? 'geojson' : 'csv';
      if (looksJson) {
        try { body = JSON.parse(text.replace(/^\uFEFF/, '')); } catch { throw new AppError(400, 'import_format', 'error.land_import_format'); }
      } else body = text;
    } else {
      format = typeof body === 'string' ? 'csv' : 'geojson';
    }
    const raw = format === 'csv' ? rawFromCsv(body as string) : rawFromGeoJson(body);
    return importPlots(deps, m, actorOf(staff), raw, { dryRun: req.query.dryRun, format, locale: req.locale });
  });
};

/** A multipart body the client broke (no boundary, cut short): busboy throws plain Errors without a code. */
function asClientUploadError(err: unknown): AppError | null {
  if (!(err instanceof Error) || err instanceof AppError) return null;
  if ((err as { code?: unknown }).code !== undefined || (err as { statusCode?: unknown }).statusCode !== undefined) return null;
  return new AppError(400, 'validation_failed', 'error.validation_failed', {}, [{ in: 'body', path: 'file', code: 'malformed_multipart' }]);
}
