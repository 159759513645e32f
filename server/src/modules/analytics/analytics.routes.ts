/**
 * Analytics over HTTP. Staff routes (analysts, supervisors, admins): summary, breakdown, cross-tab, groups of
 * residents, the two maps, the drill-down, and each table as a file (`…/export?format=csv|xlsx`, headers in the
 * request's language). The public dashboard route needs no sign-in and carries sums only (HTTP-cacheable for a
 * minute, as the cube itself is refreshed every minute).
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { FastifyReply } from 'fastify';
import type { StaffRole } from '@shaar/contracts';
import type { RouteOptions } from '../../app.js';
import { commonErrors, MunicipalityParams } from '../../platform/http/schemas.js';
import { ExportFileOut, ExportFormatSchema, sendTable } from '../../platform/export/table-export.js';
import { requireStaff } from '../auth/principal.js';
import type { Municipality } from '../municipalities/municipalities.service.js';
import {
  AnalyticsFilters, BreakdownOut, BreakdownQuery, CrosstabOut, CrosstabQuery, DrillDownOut, DrillDownQuery, GroupsOut, GroupsQuery,
  MapCellsOut, MapDistrictsOut, PublicAnalyticsOut, PublicAnalyticsQuery, ReportOut, ReportQuery, SummaryOut, SummaryQuery,
} from './analytics.schemas.js';
import {
  breakdown, crosstab, drillDown, drillDownAll, groupFigures, mapCells, mapDistricts, monthlyReport, periodOf, publicDashboard, summary, type AnalyticsContext,
} from './analytics.service.js';
import { breakdownTable, crosstabTable, drillDownColumns, drillDownRows, groupsTable, type Row } from './analytics-export.js';

/** Who reads the city's analytics. */
export const ANALYTICS_ROLES: readonly StaffRole[] = ['analyst', 'supervisor', 'admin'];
/** The most appeals one drill-down file holds. */
export const DRILL_DOWN_EXPORT_MAX = 100_000;
const PUBLIC_CACHE = 'public, max-age=60';

export const analyticsRoutes: FastifyPluginAsyncZod<RouteOptions> = async (app, { services }) => {
  const { municipalities, directory, database, clock } = services;
  const base = '/api/v1/m/:municipality/analytics';
  const staffOnly = { tags: ['analytics'], security: [{ session: [] }], params: MunicipalityParams };

  const context = async (m: Municipality): Promise<AnalyticsContext> => ({
    db: database.db, municipalityId: m.id, timezone: m.timezone, now: clock.now(), directory: await directory.get(m.id),
  });
  /** The city and its analytics context, for analysts, supervisors and admins only. */
  const staffContext = async (req: { params: { municipality: string } } & Parameters<typeof requireStaff>[0]) => {
    const m = await municipalities.bySlug(req.params.municipality);
    requireStaff(req, m.id, ANALYTICS_ROLES);
    return context(m);
  };
  const privately = (reply: FastifyReply) => reply.header('cache-control', 'private, no-store');

  app.get(`${base}/summary`, {
    schema: {
      ...staffOnly, summary: 'Totals of the filtered appeals over a period, against a comparison period (default: the previous months)',
      querystring: SummaryQuery, response: { 200: SummaryOut, ...commonErrors },
    },
  }, async (req, reply) => {
    const body = await summary(await staffContext(req), req.query);
    privately(reply);
    return body;
  });

  app.get(`${base}/breakdown`, {
    schema: {
      ...staffOnly, summary: 'Figures per value of one dimension with shares of the selection (compare: default none); as a file at …/breakdown/export',
      querystring: BreakdownQuery, response: { 200: BreakdownOut, ...commonErrors },
    },
  }, async (req, reply) => {
    const body = await breakdown(await staffContext(req), req.query);
    privately(reply);
    return body;
  });

  app.get(`${base}/crosstab`, {
    schema: {
      ...staffOnly, summary: 'Appeals (or a ratio) by two dimensions; with a group of residents on an axis: consented profiles only, small cells suppressed, no service or status',
      querystring: CrosstabQuery, response: { 200: CrosstabOut, ...commonErrors },
    },
  }, async (req, reply) => {
    const body = await crosstab(await staffContext(req), req.query);
    privately(reply);
    return body;
  });

  app.get(`${base}/groups`, {
    schema: {
      ...staffOnly, summary: 'Figures by a group of residents (consented profiles only), figures below 5 suppressed; cannot be filtered by service or status',
      querystring: GroupsQuery, response: { 200: GroupsOut, ...commonErrors },
    },
  }, async (req, reply) => {
    const body = await groupFigures(await staffContext(req), req.query);
    privately(reply);
    return body;
  });

  app.get(`${base}/map/cells`, {
    schema: {
      ...staffOnly, summary: 'Appeals per H3 cell (resolution 8) for the heat map; filters: period, category and district only',
      querystring: AnalyticsFilters, response: { 200: MapCellsOut, ...commonErrors },
    },
  }, async (req, reply) => {
    const body = await mapCells(await staffContext(req), req.query);
    privately(reply);
    return body;
  });

  app.get(`${base}/map/districts`, {
    schema: {
      ...staffOnly, summary: 'Appeals per district, and per 10,000 residents where the population is known',
      querystring: AnalyticsFilters, response: { 200: MapDistrictsOut, ...commonErrors },
    },
  }, async (req, reply) => {
    const body = await mapDistricts(await staffContext(req), req.query);
    privately(reply);
    return body;
  });

  app.get(`${base}/appeals`, {
    schema: {
      ...staffOnly, summary: 'Drill-down: the appeals behind a figure (same filters), newest first, by cursor; as a file at …/appeals/export',
      querystring: DrillDownQuery, response: { 200: DrillDownOut, ...commonErrors },
    },
  }, async (req, reply) => {
    const body = await drillDown(await staffContext(req), req.query);
    privately(reply);
    return body;
  });

  app.get(`${base}/report`, {
    schema: {
      ...staffOnly, summary: 'A printable monthly report: the month against the one before, by category group, district, form, top 10 categories and service',
      querystring: ReportQuery, response: { 200: ReportOut, ...commonErrors },
    },
  }, async (req, reply) => {
    const body = await monthlyReport(await staffContext(req), req.query);
    privately(reply);
    return body;
  });

  // Files: the same tables, headers and code names in the request's language.
  const file = (name: string, period: { from: string; to: string }) => `${name}-${period.from}-${period.to}`;

  app.get(`${base}/breakdown/export`, {
    schema: {
      ...staffOnly, summary: 'The breakdown as a CSV or XLSX file, with a total row',
      querystring: BreakdownQuery.extend({ format: ExportFormatSchema }), response: { 200: ExportFileOut, ...commonErrors },
    },
  }, async (req, reply) => {
    const out = await breakdown(await staffContext(req), req.query);
    const t = breakdownTable(req.locale, out);
    return sendTable(reply, req.query.format, file(`analytics-${out.by}`, out.period), t.columns, t.rows);
  });

  app.get(`${base}/crosstab/export`, {
    schema: {
      ...staffOnly, summary: 'The cross-tab as a CSV or XLSX file (suppressed cells empty)',
      querystring: CrosstabQuery.extend({ format: ExportFormatSchema }), response: { 200: ExportFileOut, ...commonErrors },
    },
  }, async (req, reply) => {
    const out = await crosstab(await staffContext(req), req.query);
    const t = crosstabTable(req.locale, out);
    return sendTable(reply, req.query.format, file(`analytics-${out.rows}-${out.cols}`, out.period), t.columns, t.rows);
  });

  app.get(`${base}/groups/export`, {
    schema: {
      ...staffOnly, summary: 'The figures by a group of residents as a CSV or XLSX file (suppressed figures empty)',
      querystring: GroupsQuery.extend({ format: ExportFormatSchema }), response: { 200: ExportFileOut, ...commonErrors },
    },
  }, async (req, reply) => {
    const out = await groupFigures(await staffContext(req), req.query);
    const t = groupsTable(req.locale, out);
    return sendTable(reply, req.query.format, file(`analytics-groups-${out.by}`, out.period), t.columns, t.rows);
  });

  app.get(`${base}/appeals/export`, {
    schema: {
      ...staffOnly,
      summary: `The drill-down's appeals as a CSV or XLSX file, newest first, at most ${DRILL_DOWN_EXPORT_MAX.toLocaleString('en')}: numbers, dates, directory names, status and outcome; no applicant, subject or text`,
      querystring: AnalyticsFilters.extend({ format: ExportFormatSchema }), response: { 200: ExportFileOut, ...commonErrors },
    },
  }, async (req, reply) => {
    const ctx = await staffContext(req);
    const rows: Row[] = [];
    for await (const batch of drillDownAll(ctx, req.query, DRILL_DOWN_EXPORT_MAX)) {
      rows.push(...drillDownRows(req.locale, ctx.directory, ctx.timezone, batch));
    }
    return sendTable(reply, req.query.format, file('appeals', periodOf(ctx, req.query)), drillDownColumns(req.locale), rows);
  });

  app.get('/api/v1/m/:municipality/public/analytics', {
    schema: {
      tags: ['analytics'], summary: "The public dashboard: headline figures, category groups, districts, forms, months and the heat map (public; sums only, no people)",
      params: MunicipalityParams, querystring: PublicAnalyticsQuery, response: { 200: PublicAnalyticsOut, ...commonErrors },
    },
  }, async (req, reply) => {
    const m = await municipalities.bySlug(req.params.municipality);
    const body = await publicDashboard(await context(m), req.query);
    reply.header('cache-control', PUBLIC_CACHE);
    return body;
  });
};
