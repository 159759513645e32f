/**
 * The answer composer's checks before sending: too short, a template left unchanged, no photo of the result where
 * the category asks for one. Warnings only (the executor confirms and sends anyway); the rules live in contracts.
 */
import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { ANSWER_WARNINGS, answerWarnings, isServiceScoped, LOCALES } from '@shaar/contracts';
import type { RouteOptions } from '../../app.js';
import { commonErrors, IdParams } from '../../platform/http/schemas.js';
import { errors } from '../../platform/http/errors.js';
import { requireStaff } from '../auth/principal.js';
import type { Directory } from '../directory/directory.cache.js';
import { listAnswerTemplates } from '../workspace/workspace.service.js';
import { loadAppeal } from './appeals.queries.js';
import { canActOn } from './change-appeal-status.js';

const AnswerCheckBody = z.object({
  body: z.string().max(20_000).describe('The answer as typed so far'),
  resultPhotoCount: z.number().int().min(0).max(100).default(0)
    .describe('Images (JPEG, PNG, WebP, HEIC; not PDFs) the composer will attach to this answer once it is sent'),
}).strict();
const AnswerCheckOut = z.object({
  warnings: z.array(z.object({ code: z.enum(ANSWER_WARNINGS) })).describe('Empty: nothing to confirm'),
  requiresResultPhoto: z.boolean().describe("The appeal's category (or its group) wants a photo of the result"),
});

/** A subcategory inherits its group's flag: flagging "Roads" covers every kind of road problem. */
export function requiresResultPhoto(dir: Directory, categoryId: string | null): boolean {
  const category = categoryId ? dir.categories.get(categoryId) : undefined;
  if (!category) return false;
  const parent = category.parentId ? dir.categories.get(category.parentId) : undefined;
  return category.requiresResultPhoto || (parent?.requiresResultPhoto ?? false);
}

export const answerCheckRoutes: FastifyPluginAsyncZod<RouteOptions> = async (app, { services }) => {
  const { municipalities, database, directory } = services;
  const db = database.db;

  app.post('/api/v1/m/:municipality/appeals/:id/answer-check', {
    schema: {
      tags: ['appeal lifecycle'], summary: 'Check an answer before sending it: warnings the executor confirms (nothing is changed)',
      security: [{ session: [] }], params: IdParams, body: AnswerCheckBody, response: { 200: AnswerCheckOut, ...commonErrors },
    },
  }, async (req) => {
    const m = await municipalities.bySlug(req.params.municipality);
    const staff = requireStaff(req, m.id);
    const appeal = await loadAppeal(db, m.id, req.params.id);
    if (!appeal) throw errors.notFound('appeal');
    // Those who may answer it; an executor of another service learns nothing of it.
    if (!canActOn(staff, appeal)) throw isServiceScoped(staff.roles) ? errors.notFound('appeal') : errors.forbidden();
    const dir = await directory.get(m.id);
    const templates = await listAnswerTemplates(db, directory, m.id, {
      ...(appeal.serviceId ? { serviceId: appeal.serviceId } : {}), ...(appeal.categoryId ? { categoryId: appeal.categoryId } : {}),
    });
    // Every language of a template: an answer may be written in any of them.
    const templateBodies = templates.flatMap((t) => LOCALES.map((l) => t.body[l]).filter((b): b is string => typeof b === 'string'));
    const photo = requiresResultPhoto(dir, appeal.categoryId);
    return {
      warnings: answerWarnings({ body: req.body.body, templateBodies, requiresResultPhoto: photo, resultPhotoCount: req.body.resultPhotoCount }),
      requiresResultPhoto: photo,
    };
  });
};
