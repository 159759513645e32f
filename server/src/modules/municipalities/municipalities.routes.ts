/**
 * Public reference data a resident's form needs: the cities, and each city's districts, categories and services.
 */
import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { RouteOptions } from '../../app.js';
import { commonErrors, LocalizedText, MunicipalityParams } from '../../platform/http/schemas.js';

const MunicipalityOut = z.object({
  slug: z.string(), code: z.string(), name: LocalizedText, timezone: z.string(), defaultLocale: z.string(),
  center: z.object({ lat: z.number(), lon: z.number() }).nullable(),
});

export const municipalityRoutes: FastifyPluginAsyncZod<RouteOptions> = async (app, { services }) => {
  const { municipalities, directory } = services;
  const present = (m: Awaited<ReturnType<typeof municipalities.bySlug>>) => ({
    slug: m.slug, code: m.code, name: m.name, timezone: m.timezone, defaultLocale: m.defaultLocale,
    center: m.centerLat !== null && m.centerLon !== null ? { lat: m.centerLat, lon: m.centerLon } : null,
  });

  app.get('/api/v1/municipalities', {
    schema: { tags: ['reference'], summary: 'The cities on this platform', response: { 200: z.object({ items: z.array(MunicipalityOut) }) } },
  }, async () => ({ items: (await municipalities.list()).map(present) }));

  app.get('/api/v1/m/:municipality', {
    schema: {
      tags: ['reference'], summary: "A city's active districts, categories (two levels) and services, for forms",
      params: MunicipalityParams,
      response: {
        200: MunicipalityOut.extend({
          districts: z.array(z.object({ id: z.uuid(), code: z.string(), name: LocalizedText, kind: z.string(), hasBoundary: z.boolean() })),
          categories: z.array(z.object({ id: z.uuid(), parentId: z.uuid().nullable(), code: z.string(), name: LocalizedText, keywords: z.array(z.string()) })),
          services: z.array(z.object({ id: z.uuid(), code: z.string(), name: LocalizedText, kind: z.string() })),
        }),
        ...commonErrors,
      },
    },
  }, async (req) => {
    const m = await municipalities.bySlug(req.params.municipality);
    const dir = await directory.get(m.id);
    return {
      ...present(m),
      districts: [...dir.districts.values()].filter((d) => d.active).sort((a, b) => a.code.localeCompare(b.code))
        .map((d) => ({ id: d.id, code: d.code, name: d.name, kind: d.kind, hasBoundary: d.boundary !== null })),
      categories: [...dir.categories.values()].filter((c) => c.active).sort((a, b) => a.sortOrder - b.sortOrder || a.code.localeCompare(b.code))
        .map((c) => ({ id: c.id, parentId: c.parentId, code: c.code, name: c.name, keywords: c.keywords })),
      services: [...dir.services.values()].filter((s) => s.active).sort((a, b) => a.code.localeCompare(b.code))
        .map((s) => ({ id: s.id, code: s.code, name: s.name, kind: s.kind })),
    };
  });
};
