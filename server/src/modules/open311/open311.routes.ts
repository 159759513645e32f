/**
 * Open311 GeoReport v2 under /open311/v2, every resource in .json and .xml: discovery, services, service
 * definitions, posting and reading service requests, tokens, and mySociety's servicerequestupdates extension.
 *
 * jurisdiction_id is the municipality's slug (bishkek, osh). It is required whenever the server holds more than
 * one city (it always does in the demo); with a single city it defaults to that city.
 *
 * What a GET shows is public: never the applicant, never the subject or text (the registry keeps them private,
 * like the open dataset), never the address; the place is coarsened to the centre of its H3 cell (resolution 9,
 * about 0.1 km²), as in the open dataset.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { cellToLatLng, latLngToCell } from 'h3-js';
import { and, DrizzleQueryError, eq } from 'drizzle-orm';
import { isOpen, LOCALES, type AppealStatus, type Locale } from '@shaar/contracts';
import type { RouteOptions, Services } from '../../app.js';
import { AppError } from '../../platform/http/errors.js';
import { databaseErrorOf } from '../../platform/db/database-errors.js';
import { translate, type MessageKey } from '../../platform/i18n/messages.js';
import { appeals, type LocalizedText } from '../../platform/db/schema.js';
import { OPEN_DATA_H3_RESOLUTION } from '../open-data/open-data.fields.js';
import type { Municipality } from '../municipalities/municipalities.service.js';
import type { Category, Directory } from '../directory/directory.cache.js';
import { Open311Error, send, sendError, splitFormat, type Format } from './open311.format.js';
import { o311 } from './open311.messages.js';
import { attributesOf, categoriesWithAttributes, findRequests, findUpdates, type AttributeRow, type RequestRow } from './open311.queries.js';

export const OPEN311_PREFIX = '/open311/v2';
/** When this interface last changed in a way clients should notice (the discovery's changeset). */
const CHANGESET = '2026-11-24T00:00:00Z';
const DAY_MS = 86_400_000;
const MAX_RANGE_DAYS = 90;
const MAX_REQUESTS = 1000;
const DATATYPES = ['string', 'number', 'datetime', 'text', 'singlevaluelist', 'multivaluelist'] as const;
export type Datatype = (typeof DATATYPES)[number];

type Params = Record<string, unknown>;

const text = (t: LocalizedText | null | undefined, locale: Locale) => (t ? t[locale] || t.ru || t.ky : null);

function localeOf(req: FastifyRequest): Locale {
  const q = (req.query as Params | undefined)?.locale;
  return typeof q === 'string' && (LOCALES as readonly string[]).includes(q) ? (q as Locale) : req.locale;
}

function str(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (Array.isArray(v) && v.length > 0) return str(v[0]);
  return undefined;
}

/** "2026-05-10" in Asia/Bishkek, the end of that day, with the zone's offset: 2026-05-10T23:59:59+06:00. */
export function endOfLocalDay(date: string, timeZone: string): string {
  const probe = new Date(`${date}T12:00:00Z`);
  const name = new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'longOffset' }).formatToParts(probe)
    .find((p) => p.type === 'timeZoneName')?.value ?? 'GMT';
  const offset = name === 'GMT' ? '+00:00' : name.slice(3);
  return `${date}T23:59:59${offset}`;
}

/** The centre of the place's H3 cell: the public view never carries the exact point. */
export function coarsen(lat: number | null, lon: number | null): { lat: number | null; long: number | null } {
  if (lat === null || lon === null) return { lat: null, long: null };
  const [cLat, cLon] = cellToLatLng(latLngToCell(lat, lon, OPEN_DATA_H3_RESOLUTION));
  return { lat: Math.round(cLat * 1e6) / 1e6, long: Math.round(cLon * 1e6) / 1e6 };
}

const hasNul = (v: unknown): boolean => (typeof v === 'string' ? v.includes('\u0000')
  : Array.isArray(v) ? v.some(hasNul) : v !== null && typeof v === 'object' ? Object.values(v).some(hasNul) : false);

/** Form bodies: repeated keys (attribute[x][]=a&attribute[x][]=b) become arrays. */
function parseForm(body: string): Params {
  const out: Params = {};
  for (const [k, v] of new URLSearchParams(body)) {
    const prev = out[k];
    out[k] = prev === undefined ? v : Array.isArray(prev) ? [...prev, v] : [prev, v];
  }
  return out;
}

/**
 * The POST's fields: a form or JSON body as parsed, or the fields of a multipart form (some clients send their
 * form that way); files in it are drained, not stored — media come as media_url.
 */
async function bodyOf(req: FastifyRequest): Promise<Params> {
  if (req.isMultipart()) {
    const out: Params = {};
    for await (const part of req.parts()) {
      if (part.type === 'file') { part.file.resume(); continue; }
      const prev = out[part.fieldname];
      const v = str(part.value) ?? '';
      out[part.fieldname] = prev === undefined ? v : Array.isArray(prev) ? [...prev, v] : [prev, v];
    }
    return out;
  }
  return (req.body && typeof req.body === 'object' && !Array.isArray(req.body) ? req.body : {}) as Params;
}

/** attribute[code]=v, attribute[code][]=v (form) or {attribute: {code: v}} (JSON) → {code: v | v[]}. */
export function attributesFrom(body: Params): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  const put = (code: string, v: unknown) => {
    const values = (Array.isArray(v) ? v : [v]).map(str).filter((x): x is string => x !== undefined);
    const prev = out[code];
    const all = prev === undefined ? values : [...(Array.isArray(prev) ? prev : [prev]), ...values];
    out[code] = all.length === 1 ? all[0]! : all;
  };
  for (const [k, v] of Object.entries(body)) {
    const m = /^attribute\[([^\]]+)\](\[\])?$/.exec(k);
    if (m) put(m[1]!, v);
    else if (k === 'attribute' && v && typeof v === 'object' && !Array.isArray(v)) {
      for (const [code, value] of Object.entries(v as Params)) put(code, value);
    }
  }
  return out;
}

export function open311Routes(services: Services) {
  const { municipalities, directory, database, clock, config, auth, appeals: useCases } = services;
  const db = database.db;

  async function jurisdiction(value: unknown, locale: Locale): Promise<Municipality> {
    const slug = str(value)?.trim();
    if (!slug) {
      const all = await municipalities.list();
      if (all.length === 1) return all[0]!;
      throw new Open311Error(400, o311(locale, 'jurisdiction_required', { list: all.map((m) => m.slug).join(', ') }));
    }
    try {
      return await municipalities.bySlug(slug);
    } catch (err) {
      if (err instanceof AppError && err.status === 404) throw new Open311Error(404, o311(locale, 'jurisdiction_unknown', { value: slug.slice(0, 60) }));
      throw err;
    }
  }

  /** The services: active subcategories whose group is active too. */
  function serviceCategories(dir: Directory): { category: Category; group: Category }[] {
    const out: { category: Category; group: Category }[] = [];
    for (const c of dir.categories.values()) {
      const group = c.parentId ? dir.categories.get(c.parentId) : undefined;
      if (c.active && group?.active) out.push({ category: c, group });
    }
    return out.sort((a, b) => a.group.sortOrder - b.group.sortOrder || a.category.sortOrder - b.category.sortOrder || a.category.code.localeCompare(b.category.code));
  }

  async function serviceByCode(m: Municipality, code: string | undefined) {
    const dir = await directory.get(m.id);
    return serviceCategories(dir).find((s) => s.category.code === code) ?? null;
  }

  /** Own attributes after the group's, each list in its own order. */
  async function definitionOf(m: Municipality, s: { category: Category; group: Category }): Promise<AttributeRow[]> {
    const rows = await attributesOf(db, m.id, [s.group.id, s.category.id]);
    return [...rows.filter((r) => r.categoryId === s.group.id), ...rows.filter((r) => r.categoryId === s.category.id)];
  }

  function presentRequest(m: Municipality, r: RequestRow, locale: Locale) {
    const status = r.status as AppealStatus;
    const media = r.attributes?._media_url;
    return {
      service_request_id: r.registrationNumber,
      status: isOpen(status) ? 'open' : 'closed',
      status_notes: translate(locale, `status.${status}` as MessageKey),
      service_name: text(r.categoryName, locale),
      service_code: r.categoryCode ?? '',
      description: null,
      agency_responsible: text(r.serviceName, locale),
      service_notice: null,
      requested_datetime: r.registeredAt.toISOString(),
      updated_datetime: (r.closedAt ?? r.updatedAt).toISOString(),
      expected_datetime: endOfLocalDay(r.dueDate, m.timezone),
      address: null,
      address_id: null,
      zipcode: null,
      ...coarsen(r.lat, r.lon),
      media_url: typeof media === 'string' ? media : null,
    };
  }

  function dateParam(v: unknown, field: string, locale: Locale): Date | undefined {
    const s = str(v);
    if (s === undefined || s === '') return undefined;
    const d = new Date(s);
    if (!/^\d{4}-\d{2}-\d{2}/.test(s) || Number.isNaN(d.getTime())) throw new Open311Error(400, o311(locale, 'date_invalid', { field }));
    return d;
  }

  /** The spec's window: at most 90 days, by default the last 90 days (ending now, or 90 days from start_date). */
  function window(q: Params, locale: Locale): { start: Date; end: Date } {
    const start0 = dateParam(q.start_date, 'start_date', locale);
    const end0 = dateParam(q.end_date, 'end_date', locale);
    const end = end0 ?? (start0 ? new Date(Math.min(start0.getTime() + MAX_RANGE_DAYS * DAY_MS, clock.now().getTime())) : clock.now());
    const start = start0 ?? new Date(end.getTime() - MAX_RANGE_DAYS * DAY_MS);
    if (start > end || end.getTime() - start.getTime() > MAX_RANGE_DAYS * DAY_MS) throw new Open311Error(400, o311(locale, 'date_range'));
    return { start, end };
  }

  const list = (v: unknown) => {
    const s = str(v);
    if (!s) return undefined;
    const items = s.split(',').map((x) => x.trim()).filter(Boolean);
    return items.length ? items.slice(0, MAX_REQUESTS) : undefined;
  };

  // ---- handlers ----------------------------------------------------------------------------------------------

  async function discovery(req: FastifyRequest, reply: FastifyReply, format: Format) {
    const all = await municipalities.list();
    const locale = localeOf(req);
    return send(reply, format, 200, {
      changeset: CHANGESET,
      contact: `${config.publicUrl} — ${all.map((m) => `${text(m.name, locale)} (jurisdiction_id=${m.slug})`).join(', ')}`,
      key_service: 'API keys are issued by the city administration (admin → API keys, scope appeals:write).',
      endpoints: [{
        specification: 'http://wiki.open311.org/GeoReport_v2', url: `${config.publicUrl}${OPEN311_PREFIX}`, changeset: CHANGESET,
        type: 'production', formats: ['text/xml', 'application/json'],
      }],
    }, { root: 'discovery' });
  }

  async function serviceList(req: FastifyRequest, reply: FastifyReply, format: Format) {
    const locale = localeOf(req);
    const m = await jurisdiction((req.query as Params).jurisdiction_id, locale);
    const [dir, withAttributes] = await Promise.all([directory.get(m.id), categoriesWithAttributes(db, m.id)]);
    const body = serviceCategories(dir).map(({ category, group }) => ({
      service_code: category.code,
      service_name: text(category.name, locale)!,
      description: `${text(group.name, locale)}: ${text(category.name, locale)}`,
      metadata: withAttributes.has(category.id) || withAttributes.has(group.id),
      type: 'realtime',
      keywords: category.keywords.length ? category.keywords.join(', ') : null,
      group: text(group.name, locale),
    }));
    return send(reply, format, 200, body, { root: 'services', item: 'service' });
  }

  async function serviceDefinition(req: FastifyRequest, reply: FastifyReply, format: Format, code: string) {
    const locale = localeOf(req);
    const m = await jurisdiction((req.query as Params).jurisdiction_id, locale);
    const s = await serviceByCode(m, code);
    if (!s) throw new Open311Error(404, o311(locale, 'service_code_unknown', { value: code.slice(0, 60) }));
    const attrs = await definitionOf(m, s);
    return send(reply, format, 200, {
      service_code: s.category.code,
      attributes: attrs.map((a, i) => ({
        variable: a.variable, code: a.code, datatype: a.datatype, required: a.required,
        datatype_description: o311(locale, `hint_${a.datatype as Datatype}`), order: i + 1,
        description: text(a.description, locale),
        values: a.values.map((v) => ({ key: v.key, name: text(v.name, locale) ?? v.key })),
      })),
    }, { root: 'service_definition' });
  }

  function validateAttributes(defs: AttributeRow[], given: Record<string, string | string[]>, locale: Locale): string[] {
    const problems: string[] = [];
    const byCode = new Map(defs.filter((d) => d.variable).map((d) => [d.code, d]));
    for (const code of Object.keys(given)) if (!byCode.has(code)) problems.push(o311(locale, 'attribute_unknown', { code: code.slice(0, 60) }));
    for (const d of byCode.values()) {
      const v = given[d.code];
      const values = v === undefined ? [] : (Array.isArray(v) ? v : [v]).map((x) => x.trim()).filter(Boolean);
      if (values.length === 0) {
        if (d.required) problems.push(o311(locale, 'attribute_required', { code: d.code }));
        delete given[d.code];
        continue;
      }
      const keys = new Set(d.values.map((x) => x.key));
      const bad = (ok: boolean) => { if (!ok) problems.push(o311(locale, 'attribute_invalid', { code: d.code, datatype: d.datatype })); };
      switch (d.datatype as Datatype) {
        case 'number': bad(values.length === 1 && /^-?\d+(\.\d+)?$/.test(values[0]!) && Number.isFinite(Number(values[0]))); break;
        case 'datetime': bad(values.length === 1 && /^\d{4}-\d{2}-\d{2}/.test(values[0]!) && !Number.isNaN(Date.parse(values[0]!))); break;
        case 'string': bad(values.length === 1 && values[0]!.length <= 300); break;
        case 'text': bad(values.length === 1 && values[0]!.length <= 4000); break;
        case 'singlevaluelist':
        case 'multivaluelist': {
          if (d.datatype === 'singlevaluelist' && values.length > 1) { bad(false); break; }
          for (const x of values) if (!keys.has(x)) problems.push(o311(locale, 'attribute_value_unknown', { code: d.code, value: x.slice(0, 60) }));
          break;
        }
      }
      given[d.code] = d.datatype === 'multivaluelist' ? values : values[0]!;
    }
    return problems;
  }

  async function postRequest(req: FastifyRequest, reply: FastifyReply, format: Format) {
    const locale = localeOf(req);
    const b = { ...(req.query as Params), ...(await bodyOf(req)) };
    const m = await jurisdiction(b.jurisdiction_id, locale);
    const key = str(b.api_key);
    const p = key ? await auth.principalFromApiKey(key) : null;
    if (!p || p.municipalityId !== m.id || !p.scopes.includes('appeals:write')) throw new Open311Error(403, o311(locale, 'api_key_invalid'));
    services.writeLimits.hitKey(p.id);

    const code = str(b.service_code)?.trim();
    if (!code) throw new Open311Error(400, o311(locale, 'service_code_required'));
    const s = await serviceByCode(m, code);
    if (!s) throw new Open311Error(400, o311(locale, 'service_code_unknown', { value: code.slice(0, 60) }));

    const problems: string[] = [];
    // A NUL byte cannot be stored (and no client means one): refused before a registration number is taken.
    if (hasNul(b)) throw new Open311Error(400, o311(locale, 'body_invalid'));
    const latS = str(b.lat)?.trim(); const lonS = str(b.long)?.trim();
    const address = str(b.address_string)?.trim() || undefined;
    let lat: number | undefined; let lon: number | undefined;
    if (latS || lonS) {
      lat = Number(latS); lon = Number(lonS);
      if (!latS || !lonS || !Number.isFinite(lat) || !Number.isFinite(lon) || Math.abs(lat) > 90 || Math.abs(lon) > 180) problems.push(o311(locale, 'lat_long_invalid'));
    } else if (!address) problems.push(o311(locale, 'location_required'));
    if (address && address.length > 300) problems.push(o311(locale, 'field_too_long', { field: 'address_string', max: 300 }));
    const description = str(b.description)?.trim() || undefined;
    if (description && description.length > 4000) problems.push(o311(locale, 'field_too_long', { field: 'description', max: 4000 }));
    const email = str(b.email)?.trim() || undefined;
    if (email && (email.length > 200 || !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email))) problems.push(o311(locale, 'field_invalid', { field: 'email' }));
    const phone = str(b.phone)?.trim() || undefined;
    if (phone && !/^\+?[\d\s()-]{5,30}$/.test(phone)) problems.push(o311(locale, 'field_invalid', { field: 'phone' }));
    const first = str(b.first_name)?.trim() ?? ''; const last = str(b.last_name)?.trim() ?? '';
    if (first.length > 100 || last.length > 100) problems.push(o311(locale, 'field_too_long', { field: 'first_name / last_name', max: 100 }));
    const mediaUrl = str(b.media_url)?.trim() || undefined;
    if (mediaUrl) {
      let ok = mediaUrl.length <= 2000;
      try { ok &&= ['http:', 'https:'].includes(new URL(mediaUrl).protocol); } catch { ok = false; }
      if (!ok) problems.push(o311(locale, 'field_invalid', { field: 'media_url' }));
    }
    const attributes = attributesFrom(b);
    problems.push(...validateAttributes(await definitionOf(m, s), attributes, locale));
    if (problems.length) throw new Open311Error(400, problems.join('\n'));

    const serviceName = text(s.category.name, locale)!;
    const stored: Record<string, string | string[]> = { ...attributes, ...(mediaUrl ? { _media_url: mediaUrl } : {}) };
    const registered = await useCases.register(m, {
      kind: 'statement',
      channel: 'open311',
      categoryId: s.category.id,
      subject: serviceName.slice(0, 200),
      body: [description ?? serviceName, mediaUrl ? `media_url: ${mediaUrl}` : null].filter(Boolean).join('\n\n'),
      language: locale,
      location: { lat, lon, address },
      // The law does not consider anonymous appeals; the registry records a placeholder, and staff see it as such.
      applicant: { fullName: `${first} ${last}`.trim() || o311(locale, 'placeholder_name'), email, phone },
      source: `open311:${p.name}`,
      // Saved by the registration's one statement: the appeal never exists without its answers.
      attributes: stored,
    }, { kind: 'integrator', id: p.id });
    return send(reply, format, 201, [{
      service_request_id: registered.registrationNumber,
      service_notice: o311(locale, 'notice', { number: registered.registrationNumber, due: registered.dueDate }),
      account_id: null,
      token: registered.id,
    }], { root: 'service_requests', item: 'request' });
  }

  async function requestList(req: FastifyRequest, reply: FastifyReply, format: Format) {
    const locale = localeOf(req);
    const q = req.query as Params;
    const m = await jurisdiction(q.jurisdiction_id, locale);
    const ids = list(q.service_request_id);
    let rows: RequestRow[];
    if (ids) rows = await findRequests(db, m.id, { ids, limit: MAX_REQUESTS });
    else {
      const statuses = list(q.status);
      if (statuses && statuses.some((x) => x !== 'open' && x !== 'closed')) throw new Open311Error(400, o311(locale, 'status_invalid'));
      const { start, end } = window(q, locale);
      rows = await findRequests(db, m.id, { serviceCodes: list(q.service_code), start, end, status: statuses as ('open' | 'closed')[] | undefined, limit: MAX_REQUESTS });
    }
    return send(reply, format, 200, rows.map((r) => presentRequest(m, r, locale)), { root: 'service_requests', item: 'request' });
  }

  async function oneRequest(req: FastifyRequest, reply: FastifyReply, format: Format, id: string) {
    const locale = localeOf(req);
    const m = await jurisdiction((req.query as Params).jurisdiction_id, locale);
    const [row] = await findRequests(db, m.id, { ids: [id], limit: 1 });
    if (!row) throw new Open311Error(404, o311(locale, 'request_not_found', { value: id.slice(0, 60) }));
    return send(reply, format, 200, [presentRequest(m, row, locale)], { root: 'service_requests', item: 'request' });
  }

  async function token(req: FastifyRequest, reply: FastifyReply, format: Format, value: string) {
    const locale = localeOf(req);
    const m = await jurisdiction((req.query as Params).jurisdiction_id, locale);
    const isUuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value);
    const [row] = isUuid ? await findRequests(db, m.id, { appealId: value, limit: 1 }) : [];
    if (!row) throw new Open311Error(404, o311(locale, 'token_not_found', { value: value.slice(0, 60) }));
    return send(reply, format, 200, [{ service_request_id: row.registrationNumber, token: value }], { root: 'service_requests', item: 'request' });
  }

  async function updates(req: FastifyRequest, reply: FastifyReply, format: Format) {
    const locale = localeOf(req);
    const q = req.query as Params;
    const m = await jurisdiction(q.jurisdiction_id, locale);
    const { start, end } = window(q, locale);
    const rows = await findUpdates(db, m.id, start, end, MAX_REQUESTS);
    const body = rows.map((r) => ({
      update_id: r.update_id,
      service_request_id: r.registration_number,
      status: isOpen(r.status as AppealStatus) ? 'open' : 'closed',
      updated_datetime: new Date(r.occurred_at).toISOString(),
      description: translate(locale, `status.${r.status}` as MessageKey),
      media_url: null,
    }));
    return send(reply, format, 200, body, { root: 'service_request_updates', item: 'request_update' });
  }

  return { discovery, serviceList, serviceDefinition, postRequest, requestList, oneRequest, token, updates };
}

export async function open311Plugin(app: FastifyInstance, { services }: RouteOptions) {
  const h = open311Routes(services);
  const formatOf = (url: string): Format => (url.split('?')[0]!.toLowerCase().endsWith('.xml') ? 'xml' : 'json');

  if (!app.hasContentTypeParser('application/x-www-form-urlencoded')) {
    app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_req, body, done) => done(null, parseForm(body as string)));
  }

  app.setErrorHandler((err, req, reply) => {
    const locale = localeOf(req);
    const format = formatOf(req.url);
    if (err instanceof Open311Error) return sendError(reply, format, err.status, err.description.split('\n'));
    // The registry's own refusals (a reference gone, no deadline rule): the spec knows 403, 404 and 400.
    if (err instanceof AppError && err.status < 500) {
      if (err.status === 429 && err.params.seconds) reply.header('retry-after', String(err.params.seconds));
      const status = [403, 404, 429].includes(err.status) ? err.status : 400;
      return sendError(reply, format, status, [translate(locale, err.messageKey, err.params)]);
    }
    // Input the database refused (a NUL byte, a value out of range) is the client's error, not the server's.
    const dbErr = databaseErrorOf(err);
    if (dbErr && /^2[23]/.test(dbErr.code)) return sendError(reply, format, 400, [o311(locale, 'body_invalid')]);
    const status = (err as { statusCode?: number }).statusCode;
    // A rate limit keeps its status (and its Retry-After); every other client error is the spec's 400.
    if (status === 429) return sendError(reply, format, 429, [err instanceof Error ? err.message : 'Too many requests']);
    if (status && status >= 400 && status < 500) return sendError(reply, format, 400, [o311(locale, 'body_invalid')]);
    // A DrizzleQueryError's message carries the query's parameters (names, e-mails, texts): log its cause only.
    const logged = err instanceof DrizzleQueryError && err.cause instanceof Error ? err.cause : err instanceof Error ? err : new Error(String(err));
    req.log.error({ err: { type: logged.name, message: logged.message, code: dbErr?.code } }, 'open311 request failed');
    return sendError(reply, format, 500, [o311(locale, 'internal')]);
  });
  app.setNotFoundHandler((req, reply) => sendError(reply, formatOf(req.url), 404, [o311(localeOf(req), 'not_found')]));

  const notFound = (req: FastifyRequest, reply: FastifyReply) => sendError(reply, formatOf(req.url), 404, [o311(localeOf(req), 'not_found')]);
  const hide = { schema: { hide: true } };

  app.get<{ Params: { file: string } }>('/:file', hide, async (req, reply) => {
    const f = splitFormat(req.params.file);
    if (f?.name === 'discovery') return h.discovery(req, reply, f.format);
    if (f?.name === 'services') return h.serviceList(req, reply, f.format);
    if (f?.name === 'requests') return h.requestList(req, reply, f.format);
    if (f?.name === 'servicerequestupdates') return h.updates(req, reply, f.format);
    return notFound(req, reply);
  });
  app.get<{ Params: { kind: string; file: string } }>('/:kind/:file', hide, async (req, reply) => {
    const f = splitFormat(req.params.file);
    if (!f) return notFound(req, reply);
    if (req.params.kind === 'services') return h.serviceDefinition(req, reply, f.format, f.name);
    if (req.params.kind === 'requests') return h.oneRequest(req, reply, f.format, f.name);
    if (req.params.kind === 'tokens') return h.token(req, reply, f.format, f.name);
    return notFound(req, reply);
  });
  app.post<{ Params: { file: string } }>('/:file', hide, async (req, reply) => {
    const f = splitFormat(req.params.file);
    if (f?.name === 'requests') return h.postRequest(req, reply, f.format);
    return notFound(req, reply);
  });
}
