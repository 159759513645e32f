/**
 * HTTP routes of residents' proposals: submit, read (public, no personal data — the author's chosen public name
 * only), withdraw, support and withdraw a support, sketches and photos.
 */
import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { LOCALES } from '@shaar/contracts';
import type { RouteOptions } from '../../app.js';
import { commonErrors, ErrorResponse, IdParams, MunicipalityParams, Uuid } from '../../platform/http/schemas.js';
import { AppError, errors } from '../../platform/http/errors.js';
import { safeFileName } from '../../platform/files/file-name.js';
import { requireCitizen } from '../auth/principal.js';
import type { Municipality } from '../municipalities/municipalities.service.js';
import {
  agendaOf, attachProposalFile, hasSupported, listProposals, loadPlot, loadProposal, MAX_PROPOSAL_FILES, PROPOSAL_FILE_TYPES, PROPOSAL_STATUSES,
  proposalFile, proposalFiles, submitProposal, support, USE_KINDS, withdrawProposal, withdrawSupport, type LandFileRow, type ProposalDeps, type ProposalRow,
} from './proposals.service.js';
import { sendLandFile } from './land-files.js';

const ProposalBody = z.object({
  plotId: Uuid.optional().describe('The plot proposed for; or give lat and lon of any place in the city'),
  lat: z.number().min(-90).max(90).optional(),
  lon: z.number().min(-180).max(180).optional(),
  useKind: z.enum(USE_KINDS),
  title: z.string().trim().min(3).max(150),
  description: z.string().trim().min(10).max(5000),
  beneficiaries: z.string().trim().max(1000).optional().describe('Who gains: the children of the micro-district, …'),
  authorName: z.string().trim().min(2).max(120).optional().describe("Shown publicly; defaults to the account's full name (required when it has none)"),
  language: z.enum(LOCALES),
}).strict().refine((b) => b.plotId !== undefined || (b.lat !== undefined && b.lon !== undefined), { message: 'plotId or lat and lon', path: ['plotId'] });

const FileOut = z.object({ id: z.uuid(), fileName: z.string(), contentType: z.string(), sizeBytes: z.number().int(), url: z.string() });
const PlotRef = z.object({ id: z.uuid(), cadastralNumber: z.string(), address: z.string().nullable(), status: z.string() });
const ProposalSummary = z.object({
  id: z.uuid(), plotId: z.uuid().nullable(), lat: z.number(), lon: z.number(), districtId: z.uuid().nullable(),
  useKind: z.enum(USE_KINDS), title: z.string(), description: z.string(), beneficiaries: z.string().nullable(), language: z.string(),
  authorName: z.string().describe('The public name the author chose'), status: z.enum(PROPOSAL_STATUSES), supportCount: z.number().int(),
  onAgendaAt: z.string().nullable(), createdAt: z.string(),
});
const AgendaOut = z.object({
  itemId: z.uuid(), addedBy: z.string(),
  meeting: z.object({ id: z.uuid(), title: z.string(), startsAt: z.string(), status: z.string() }).nullable(),
  decision: z.enum(['approved', 'rejected', 'postponed']).nullable(), reasons: z.string().nullable(),
  votes: z.object({ for: z.number().int(), against: z.number().int(), abstained: z.number().int() }).nullable(), decidedAt: z.string().nullable(),
});
const ProposalDetail = ProposalSummary.extend({
  plot: PlotRef.nullable(),
  supportedByMe: z.boolean().nullable().describe('Whether the signed-in resident supports it; null when not signed in as a resident'),
  isMine: z.boolean(),
  files: z.array(FileOut),
  agenda: z.array(AgendaOut).describe("The proposal's commission items, oldest first, with decisions"),
});
const ListQuery = z.object({
  status: z.enum(PROPOSAL_STATUSES).optional(), plotId: Uuid.optional(), useKind: z.enum(USE_KINDS).optional(),
  sort: z.enum(['newest', 'most_supported']).default('newest'),
  limit: z.coerce.number().int().min(1).max(100).default(20), offset: z.coerce.number().int().min(0).max(100_000).default(0),
}).strict();
const SupportOut = z.object({ supportCount: z.number().int(), status: z.enum(PROPOSAL_STATUSES), supported: z.boolean() });

const tag = <S extends object>(summary: string, schema: S) => ({ tags: ['land proposals'], summary, ...schema });
const citizenOnly: Array<Record<string, string[]>> = [{ session: [] }, { bearer: [] }];

export const presentProposal = (p: ProposalRow) => ({
  id: p.id, plotId: p.plotId, lat: p.lat, lon: p.lon, districtId: p.districtId, useKind: p.useKind as (typeof USE_KINDS)[number], title: p.title,
  description: p.description, beneficiaries: p.beneficiaries, language: p.language, authorName: p.authorName,
  status: p.status as (typeof PROPOSAL_STATUSES)[number], supportCount: p.supportCount, onAgendaAt: p.onAgendaAt?.toISOString() ?? null, createdAt: p.createdAt.toISOString(),
});
const presentFile = (m: Municipality, f: LandFileRow) => ({
  id: f.id, fileName: f.fileName, contentType: f.contentType, sizeBytes: f.sizeBytes, url: `/api/v1/m/${m.slug}/land/proposal-files/${f.id}`,
});

export const proposalRoutes: FastifyPluginAsyncZod<RouteOptions> = async (app, { services }) => {
  const { municipalities, database, clock, directory, storage, config } = services;
  const db = database.db;
  const deps: ProposalDeps = { db, clock, directory, storage, uploadMaxBytes: config.uploadMaxBytes };

  const detail = async (m: Municipality, p: ProposalRow, viewer: { kind: string; id: string } | null) => {
    const [plot, files, agenda, mine] = await Promise.all([
      p.plotId ? loadPlot(db, m.id, p.plotId) : null,
      proposalFiles(db, m.id, [p.id]),
      agendaOf(db, m.id, 'proposal', p.id),
      viewer?.kind === 'citizen' ? hasSupported(db, m.id, p.id, viewer.id) : null,
    ]);
    return {
      ...presentProposal(p),
      plot: plot ? { id: plot.id, cadastralNumber: plot.cadastralNumber, address: plot.address, status: plot.status } : null,
      supportedByMe: mine, isMine: viewer?.kind === 'citizen' && viewer.id === p.authorCitizenId,
      files: files.map((f) => presentFile(m, f)),
      agenda: agenda.map(({ item: i, meeting }) => ({
        itemId: i.id, addedBy: i.addedBy,
        meeting: meeting ? { id: meeting.id, title: meeting.title, startsAt: meeting.startsAt.toISOString(), status: meeting.status } : null,
        decision: i.decision as 'approved' | 'rejected' | 'postponed' | null, reasons: i.reasons,
        votes: i.decision ? { for: i.votesFor ?? 0, against: i.votesAgainst ?? 0, abstained: i.votesAbstained ?? 0 } : null,
        decidedAt: i.decidedAt?.toISOString() ?? null,
      })),
    };
  };
  const one = async (m: Municipality, id: string, viewer: { kind: string; id: string } | null) => {
    const p = await loadProposal(db, m.id, id);
    if (!p) throw errors.notFound('proposal');
    return detail(m, p, viewer);
  };

  app.post('/api/v1/m/:municipality/land/proposals', {
    schema: tag('Propose a use for a plot or a place (signed-in resident)', {
      security: citizenOnly, params: MunicipalityParams, body: ProposalBody, response: { 201: ProposalDetail, ...commonErrors },
    }),
  }, async (req, reply) => {
    const m = await municipalities.bySlug(req.params.municipality);
    const citizen = requireCitizen(req);
    const id = await submitProposal(deps, m, citizen, req.body);
    return reply.status(201).send(await one(m, id, citizen));
  });

  app.get('/api/v1/m/:municipality/land/proposals', {
    schema: tag('Proposals (public), newest or most supported first', {
      params: MunicipalityParams, querystring: ListQuery,
      response: { 200: z.object({ items: z.array(ProposalSummary), total: z.number().int() }), ...commonErrors },
    }),
  }, async (req) => {
    const m = await municipalities.bySlug(req.params.municipality);
    const { rows, total } = await listProposals(db, m.id, req.query);
    return { items: rows.map(presentProposal), total };
  });

  app.get('/api/v1/m/:municipality/land/proposals/:id', {
    schema: tag('A proposal (public): supports, files, its commission items and decisions', { params: IdParams, response: { 200: ProposalDetail, ...commonErrors } }),
  }, async (req) => {
    const m = await municipalities.bySlug(req.params.municipality);
    return one(m, req.params.id, req.principal);
  });

  app.post('/api/v1/m/:municipality/land/proposals/:id/withdraw', {
    schema: tag('Withdraw one\'s own proposal while it is open', { security: citizenOnly, params: IdParams, response: { 200: ProposalDetail, ...commonErrors } }),
  }, async (req) => {
    const m = await municipalities.bySlug(req.params.municipality);
    const citizen = requireCitizen(req);
    await withdrawProposal(deps, m, citizen, req.params.id);
    return one(m, req.params.id, citizen);
  });

  app.post('/api/v1/m/:municipality/land/proposals/:id/support', {
    schema: tag('Support a proposal: one support per account (a second is 409 already_supported); the threshold puts it on the commission\'s agenda', {
      security: citizenOnly, params: IdParams, response: { 200: SupportOut, ...commonErrors },
    }),
  }, async (req) => {
    const m = await municipalities.bySlug(req.params.municipality);
    return support(deps, m, requireCitizen(req), req.params.id);
  });

  app.delete('/api/v1/m/:municipality/land/proposals/:id/support', {
    schema: tag('Withdraw one\'s support while the proposal is open', { security: citizenOnly, params: IdParams, response: { 200: SupportOut, ...commonErrors } }),
  }, async (req) => {
    const m = await municipalities.bySlug(req.params.municipality);
    return withdrawSupport(deps, m, requireCitizen(req), req.params.id);
  });

  app.post('/api/v1/m/:municipality/land/proposals/:id/files', {
    schema: tag(`Attach a sketch or photo (the author; multipart field "file"; ${PROPOSAL_FILE_TYPES.join(', ')}; at most ${MAX_PROPOSAL_FILES})`, {
      consumes: ['multipart/form-data'], security: citizenOnly, params: IdParams,
      response: { 201: FileOut, ...commonErrors, 413: ErrorResponse, 415: ErrorResponse },
    }),
  }, async (req, reply) => {
    const m = await municipalities.bySlug(req.params.municipality);
    const citizen = requireCitizen(req);
    if (!req.isMultipart()) throw new AppError(415, 'unsupported_media_type', 'error.unsupported_media_type');
    const file = await req.file().catch((err: unknown) => { throw asClientUploadError(err) ?? err; });
    if (!file) throw new AppError(400, 'validation_failed', 'error.validation_failed', {}, [{ in: 'body', path: 'file', code: 'invalid_type' }]);
    const saved = await attachProposalFile(deps, m, citizen, req.params.id,
      { fileName: safeFileName(file.filename, file.mimetype), contentType: file.mimetype, stream: file.file })
      .catch((err: unknown) => { throw (file.file.errored && asClientUploadError(err)) || err; });
    return reply.status(201).send(presentFile(m, saved));
  });

  app.get('/api/v1/m/:municipality/land/proposal-files/:id', {
    schema: tag("Download a proposal's sketch or photo (public)", {
      params: IdParams,
      response: {
        200: { description: 'The file', content: Object.fromEntries(PROPOSAL_FILE_TYPES.map((type) => [type, { schema: z.string().describe('binary') }])) },
        ...commonErrors,
      },
    }),
  }, async (req, reply) => {
    const m = await municipalities.bySlug(req.params.municipality);
    const file = await proposalFile(db, m.id, req.params.id);
    if (!file) throw errors.notFound('file');
    return sendLandFile(reply, storage, file);
  });
};

/** A multipart body the client broke (no boundary, cut short): busboy throws plain Errors without a code. */
function asClientUploadError(err: unknown): AppError | null {
  if (!(err instanceof Error) || err instanceof AppError) return null;
  if ((err as { code?: unknown }).code !== undefined || (err as { statusCode?: unknown }).statusCode !== undefined) return null;
  return new AppError(400, 'validation_failed', 'error.validation_failed', {}, [{ in: 'body', path: 'file', code: 'malformed_multipart' }]);
}
