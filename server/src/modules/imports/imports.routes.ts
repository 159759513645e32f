/**
 * Import of past appeals (admins): sources with their column mapping, runs (dry or real) of an uploaded CSV or XLSX
 * file streamed through the mapping, each run's counts and its rejected rows (paged, or as a CSV report).
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { and, asc, desc, eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { RouteOptions } from '../../app.js';
import { commonErrors, ErrorResponse, IdParams, MunicipalityParams } from '../../platform/http/schemas.js';
import { AppError, errors } from '../../platform/http/errors.js';
import { importRowErrors, importRuns, importSources } from '../../platform/db/schema.js';
import { writeAudit } from '../../platform/audit.js';
import { ExportFileOut, sendTable } from '../../platform/export/table-export.js';
import { actorOf, requireStaff } from '../auth/principal.js';
import type { Directory } from '../directory/directory.cache.js';
import { ImportChannel, ImportMapping } from './import-mapping.js';
import { MissingColumnsError, runImport } from './import-run.js';
import { XlsxFormatError } from './xlsx-stream.js';

/** Imports stream: a file far over the API's body and upload limits is fine (1M rows ≈ 250 MB). */
export const IMPORT_MAX_BYTES = 4 * 1024 ** 3;

const SourceCode = z.string().regex(/^[a-z0-9][a-z0-9._:-]{1,59}$/).describe('Also the appeals\' source: journal-2019');
const SourceIn = z.object({ code: SourceCode, name: z.string().trim().min(1).max(200), channel: ImportChannel, mapping: ImportMapping }).strict();
const SourcePatch = z.object({ name: z.string().trim().min(1).max(200).optional(), channel: ImportChannel.optional(), mapping: ImportMapping.optional() }).strict();
const SourceOut = z.object({
  id: z.uuid(), code: z.string(), name: z.string(), channel: z.string(), mapping: z.record(z.string(), z.unknown()), createdAt: z.string(), updatedAt: z.string(),
});
const RunOut = z.object({
  id: z.uuid(), sourceId: z.uuid(), fileName: z.string(), dryRun: z.boolean(), status: z.string(),
  rowsTotal: z.number().int(), rowsImported: z.number().int().describe('In a dry run: the rows a real run would import'),
  rowsExisting: z.number().int(), rowsRejected: z.number().int(), failure: z.string().nullable(),
  startedAt: z.string(), finishedAt: z.string().nullable(),
});
const RunQuery = z.object({ dryRun: z.enum(['true', 'false']).default('true').describe('true: validate and count only') });
const ErrorsQuery = z.object({
  limit: z.coerce.number().int().min(1).max(1000).default(100), offset: z.coerce.number().int().min(0).default(0),
  format: z.enum(['json', 'csv']).default('json'),
});
const RowErrorOut = z.object({
  rowNumber: z.number().int().describe('1 = the first data row under the header. CSV: data records counted (blank lines are none); XLSX: the sheet\'s row number minus the header\'s (empty rows skipped but not renumbered)'), column: z.string().nullable(), code: z.string(), message: z.string() });
const ErrorsOut = z.object({ items: z.array(RowErrorOut), total: z.number().int() });

type SourceRow = typeof importSources.$inferSelect;
type RunRow = typeof importRuns.$inferSelect;
const sourceOut = (s: SourceRow) => ({
  id: s.id, code: s.code, name: s.name, channel: s.channel, mapping: s.mapping, createdAt: s.createdAt.toISOString(), updatedAt: s.updatedAt.toISOString(),
});
const runOut = (r: RunRow) => ({
  id: r.id, sourceId: r.sourceId, fileName: r.fileName, dryRun: r.dryRun, status: r.status, rowsTotal: r.rowsTotal, rowsImported: r.rowsImported,
  rowsExisting: r.rowsExisting, rowsRejected: r.rowsRejected, failure: r.failure, startedAt: r.startedAt.toISOString(), finishedAt: r.finishedAt?.toISOString() ?? null,
});

/** Every category and district code the mapping names must exist in the city's directory. */
function checkCodes(mapping: ImportMapping, dir: Directory) {
  const cats = new Set([...dir.categories.values()].map((c) => c.code));
  const dists = new Set([...dir.districts.values()].map((d) => d.code));
  for (const [v, code] of Object.entries(mapping.category.values)) if (!cats.has(code)) throw errors.invalidReference(`mapping.category.values.${v}`);
  if (mapping.category.default && !cats.has(mapping.category.default)) throw errors.invalidReference('mapping.category.default');
  for (const [v, code] of Object.entries(mapping.district?.values ?? {})) if (!dists.has(code)) throw errors.invalidReference(`mapping.district.values.${v}`);
}

export const importRoutes: FastifyPluginAsyncZod<RouteOptions> = async (app, { services }) => {
  const { municipalities, database, clock, directory, workingTime } = services;
  const db = database.db;
  const base = '/api/v1/m/:municipality/admin/imports';
  const security = [{ session: [] }];

  const loadSource = async (mid: string, id: string) => {
    const [s] = await db.select().from(importSources).where(and(eq(importSources.municipalityId, mid), eq(importSources.id, id)));
    if (!s) throw errors.notFound('import_source');
    return s;
  };

  app.post(`${base}/sources`, {
    schema: { tags: ['imports'], summary: 'Create an import source with its column mapping (admins); audited', security, params: MunicipalityParams, body: SourceIn, response: { 201: SourceOut, ...commonErrors } },
  }, async (req, reply) => {
    const m = await municipalities.bySlug(req.params.municipality);
    const staff = requireStaff(req, m.id, ['admin']);
    checkCodes(req.body.mapping, await directory.get(m.id));
    const created = await db.transaction(async (tx) => {
      const [row] = await tx.insert(importSources).values({
        municipalityId: m.id, code: req.body.code, name: req.body.name, channel: req.body.channel, mapping: req.body.mapping, createdById: staff.id,
      }).onConflictDoNothing().returning();
      if (!row) throw errors.conflict('code');
      await writeAudit(tx, { municipalityId: m.id, actor: actorOf(staff), entityType: 'import_source', entityId: row.id, action: 'create', after: { code: row.code, channel: row.channel } });
      return row;
    });
    return reply.status(201).send(sourceOut(created));
  });

  app.get(`${base}/sources`, {
    schema: { tags: ['imports'], summary: 'The import sources (admins)', security, params: MunicipalityParams, response: { 200: z.object({ items: z.array(SourceOut) }), ...commonErrors } },
  }, async (req) => {
    const m = await municipalities.bySlug(req.params.municipality);
    requireStaff(req, m.id, ['admin']);
    const rows = await db.select().from(importSources).where(eq(importSources.municipalityId, m.id)).orderBy(asc(importSources.code));
    return { items: rows.map(sourceOut) };
  });

  app.patch(`${base}/sources/:id`, {
    schema: { tags: ['imports'], summary: 'Change a source\'s name, channel or mapping (admins; the code stays); audited', security, params: IdParams, body: SourcePatch, response: { 200: SourceOut, ...commonErrors } },
  }, async (req) => {
    const m = await municipalities.bySlug(req.params.municipality);
    const staff = requireStaff(req, m.id, ['admin']);
    const before = await loadSource(m.id, req.params.id);
    if (req.body.mapping) checkCodes(req.body.mapping, await directory.get(m.id));
    return sourceOut(await db.transaction(async (tx) => {
      const [row] = await tx.update(importSources).set({
        ...(req.body.name !== undefined ? { name: req.body.name } : {}), ...(req.body.channel ? { channel: req.body.channel } : {}),
        ...(req.body.mapping ? { mapping: req.body.mapping } : {}), updatedAt: clock.now(),
      }).where(and(eq(importSources.municipalityId, m.id), eq(importSources.id, before.id))).returning();
      await writeAudit(tx, {
        municipalityId: m.id, actor: actorOf(staff), entityType: 'import_source', entityId: before.id, action: 'update',
        before: { name: before.name, channel: before.channel, mapping: before.mapping }, after: { name: row!.name, channel: row!.channel, mapping: row!.mapping },
      });
      return row!;
    }));
  });

  app.post(`${base}/sources/:id/runs`, {
    schema: {
      tags: ['imports'], summary: 'Import a CSV or XLSX file (multipart field "file") through the source\'s mapping, or only check it (dryRun=true); audited',
      description: 'XLSX is recognised by its content (a ZIP), an .xlsx name or its type; its first worksheet is read, the first non-empty row is the header. '
        + 'Date cells reach the mapping as text in the format the mapping gives for that column (elsewhere YYYY-MM-DD[ HH:mm:ss]), so real dates and dates typed as text both work. '
        + 'An XLSX that cannot be read, has no worksheet, or an Excel 97–2003 .xls is refused with 400 and nothing is recorded.',
      consumes: ['multipart/form-data'], security, params: IdParams, querystring: RunQuery,
      response: { 201: RunOut, ...commonErrors, 413: ErrorResponse, 415: ErrorResponse },
    },
  }, async (req, reply) => {
    const m = await municipalities.bySlug(req.params.municipality);
    const staff = requireStaff(req, m.id, ['admin']);
    const source = await loadSource(m.id, req.params.id);
    if (!req.isMultipart()) throw new AppError(415, 'unsupported_media_type', 'error.unsupported_media_type');
    const file = await req.file({ limits: { fileSize: IMPORT_MAX_BYTES, files: 1 } }).catch((err: unknown) => {
      if (err instanceof AppError || (err as { statusCode?: number }).statusCode !== undefined) throw err;
      throw new AppError(400, 'validation_failed', 'error.validation_failed', {}, [{ in: 'body', path: 'file', code: 'malformed_multipart' }]);
    });
    if (!file) throw new AppError(400, 'validation_failed', 'error.validation_failed', {}, [{ in: 'body', path: 'file', code: 'invalid_type' }]);
    const [dir, snapshot] = await Promise.all([directory.get(m.id), workingTime.snapshot(m.id)]);
    const summary = await runImport({
      db, municipalityId: m.id, municipalityCode: m.code, timezone: m.timezone, clock, directory: dir,
      calendar: snapshot.calendar, rules: snapshot.rules, source: { id: source.id, code: source.code, channel: source.channel, mapping: ImportMapping.parse(source.mapping) },
      actor: actorOf(staff), locale: req.locale, dryRun: req.query.dryRun === 'true', fileName: file.filename || 'upload.csv', file: file.file,
      mimeType: file.mimetype,
    }).catch((err: unknown) => {
      if (err instanceof MissingColumnsError) {
        file.file.resume();
        throw new AppError(400, 'validation_failed', 'error.validation_failed', {}, err.columns.map((c) => ({ in: 'body', path: 'file', code: 'missing_column', column: c })));
      }
      if (err instanceof XlsxFormatError) {
        file.file.resume();
        const key = err.problem === 'legacy_xls' ? 'error.import_xls_unsupported' : err.problem === 'no_worksheet' ? 'error.import_xlsx_no_sheet' : 'error.import_xlsx_unreadable';
        throw new AppError(400, 'invalid_file', key, {}, [{ in: 'body', path: 'file', code: `xlsx_${err.problem}` }]);
      }
      throw err;
    });
    const [row] = await db.select().from(importRuns).where(and(eq(importRuns.municipalityId, m.id), eq(importRuns.id, summary.id)));
    return reply.status(201).send(runOut(row!));
  });

  app.get(`${base}/sources/:id/runs`, {
    schema: { tags: ['imports'], summary: 'A source\'s runs, newest first (admins)', security, params: IdParams, response: { 200: z.object({ items: z.array(RunOut) }), ...commonErrors } },
  }, async (req) => {
    const m = await municipalities.bySlug(req.params.municipality);
    requireStaff(req, m.id, ['admin']);
    await loadSource(m.id, req.params.id);
    const rows = await db.select().from(importRuns).where(and(eq(importRuns.municipalityId, m.id), eq(importRuns.sourceId, req.params.id)))
      .orderBy(desc(importRuns.startedAt)).limit(200);
    return { items: rows.map(runOut) };
  });

  const loadRun = async (mid: string, id: string) => {
    const [r] = await db.select().from(importRuns).where(and(eq(importRuns.municipalityId, mid), eq(importRuns.id, id)));
    if (!r) throw errors.notFound('import_run');
    return r;
  };

  app.get(`${base}/runs/:id`, {
    schema: { tags: ['imports'], summary: 'A run\'s status and counts (admins)', security, params: IdParams, response: { 200: RunOut, ...commonErrors } },
  }, async (req) => {
    const m = await municipalities.bySlug(req.params.municipality);
    requireStaff(req, m.id, ['admin']);
    return runOut(await loadRun(m.id, req.params.id));
  });

  app.get(`${base}/runs/:id/errors`, {
    schema: {
      tags: ['imports'], summary: 'A run\'s rejected rows in file order, paged; format=csv downloads them all as a report (admins)',
      security, params: IdParams, querystring: ErrorsQuery, response: { 200: ErrorsOut.or(ExportFileOut), ...commonErrors },
    },
  }, async (req, reply) => {
    const m = await municipalities.bySlug(req.params.municipality);
    requireStaff(req, m.id, ['admin']);
    const run = await loadRun(m.id, req.params.id);
    const where = and(eq(importRowErrors.municipalityId, m.id), eq(importRowErrors.runId, run.id));
    const order = [asc(importRowErrors.rowNumber), asc(importRowErrors.code)];
    const select = { rowNumber: importRowErrors.rowNumber, column: importRowErrors.column, code: importRowErrors.code, message: importRowErrors.message };
    if (req.query.format === 'csv') {
      const rows = await db.select(select).from(importRowErrors).where(where).orderBy(...order);
      return sendTable(reply, 'csv', `import-errors-${run.id.slice(0, 8)}`, [
        { key: 'rowNumber', header: 'row' }, { key: 'column', header: 'column' }, { key: 'code', header: 'code' }, { key: 'message', header: 'message' },
      ], rows);
    }
    const [items, [count]] = await Promise.all([
      db.select(select).from(importRowErrors).where(where).orderBy(...order).limit(req.query.limit).offset(req.query.offset),
      db.select({ n: sql<number>`count(*)::int` }).from(importRowErrors).where(where),
    ]);
    return { items, total: Number(count?.n ?? 0) };
  });
};
