/**
 * Open data over HTTP, all public and without sign-in except the admin's refresh: the data package (the index),
 * the files of the last daily refresh, and a paginated JSON API with the same fields read live.
 */
import { createReadStream } from 'node:fs';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { RouteOptions } from '../../app.js';
import { commonErrors, MunicipalityParams } from '../../platform/http/schemas.js';
import { AppError, errors } from '../../platform/http/errors.js';
import { requireStaff } from '../auth/principal.js';
import { OPEN_DATA_FILES, publishedFile, readDataPackage } from './open-data.files.js';
import { DataPackageOut, OpenDataPageOut, OpenDataQuery, RefreshQueuedOut } from './open-data.schemas.js';
import type { OpenDataService } from './open-data.service.js';

// The files change once a day; the API reads live rows, so it is cached briefly.
const FILE_CACHE = 'public, max-age=3600';
const API_CACHE = 'public, max-age=300';
const notPublished = () => new AppError(404, 'not_found', 'error.not_found', {}, { what: 'open data (not yet published)' });

export const openDataRoutes: FastifyPluginAsyncZod<RouteOptions & { openData: OpenDataService }> = async (app, { services, openData }) => {
  const { municipalities, config } = services;
  const base = '/api/v1/m/:municipality/open-data';

  app.get(base, {
    schema: {
      tags: ['open data'], summary: 'The data package of the anonymised appeals dataset, its resources as full URLs (public, CC BY 4.0)',
      params: MunicipalityParams, response: { 200: DataPackageOut, ...commonErrors },
    },
  }, async (req, reply) => {
    const m = await municipalities.bySlug(req.params.municipality);
    const pkg = await readDataPackage(config.dataDir, m.slug);
    if (!pkg) throw notPublished();
    const root = `${config.publicUrl}/api/v1/m/${m.slug}/open-data/`;
    const resources = (pkg.resources as Array<Record<string, unknown>>).map((r) => ({ ...r, path: root + String(r.path) }));
    reply.header('cache-control', FILE_CACHE);
    return DataPackageOut.parse({ ...pkg, resources });
  });

  const files = [
    { name: OPEN_DATA_FILES.package, type: 'application/json; charset=utf-8', summary: 'datapackage.json with paths relative to it' },
    { name: OPEN_DATA_FILES.csv, type: 'text/csv; charset=utf-8', summary: 'The anonymised appeals as CSV (last daily refresh)' },
    { name: OPEN_DATA_FILES.json, type: 'application/json; charset=utf-8', summary: 'The anonymised appeals as a JSON array (last daily refresh)' },
  ];
  for (const f of files) {
    app.get(`${base}/${f.name}`, {
      schema: {
        tags: ['open data'], summary: `${f.summary} (public)`, params: MunicipalityParams,
        response: { 200: z.string().describe(f.type), ...commonErrors },
      },
    }, async (req, reply) => {
      const m = await municipalities.bySlug(req.params.municipality);
      const file = await publishedFile(config.dataDir, m.slug, f.name);
      if (!file) throw notPublished();
      reply.header('content-type', f.type).header('cache-control', FILE_CACHE)
        .header('last-modified', file.mtime.toUTCString()).header('content-length', file.size);
      // A stream skips the serializer (the 200 schema only documents the type).
      return reply.send(createReadStream(file.path) as never);
    });
  }

  app.get(`${base}/appeals`, {
    schema: {
      tags: ['open data'], summary: 'The anonymised appeals, filtered and paginated, oldest first (public; same fields as the files)',
      params: MunicipalityParams, querystring: OpenDataQuery, response: { 200: OpenDataPageOut, ...commonErrors },
    },
  }, async (req, reply) => {
    const m = await municipalities.bySlug(req.params.municipality);
    const { cursor, limit, ...filters } = req.query;
    const page = await openData.page(m, filters, cursor, limit);
    if (page === 'bad_cursor') throw errors.invalidReference('cursor');
    reply.header('cache-control', API_CACHE);
    return page;
  });

  app.post('/api/v1/m/:municipality/admin/open-data/refresh', {
    schema: {
      tags: ['open data'], summary: 'Queue a refresh of the open-data files now (admins)',
      security: [{ session: [] }], params: MunicipalityParams, response: { 202: RefreshQueuedOut, ...commonErrors },
    },
  }, async (req, reply) => {
    const m = await municipalities.bySlug(req.params.municipality);
    requireStaff(req, m.id, ['admin']);
    await openData.requestRefresh(m.id);
    return reply.code(202).send({ queued: true as const });
  });
};
