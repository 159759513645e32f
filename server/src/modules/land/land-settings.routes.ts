/**
 * The land dialogue's settings per city: the support threshold that puts a proposal on the commission's agenda,
 * the default comment period of announcements, and the discussion rules shown beside every comment form.
 * Public to read (residents should know the rules and the threshold); admins change them.
 */
import { z } from 'zod';
import { eq } from 'drizzle-orm';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { RouteOptions } from '../../app.js';
import type { DbOrTx } from '../../platform/db/database.js';
import { landSettings, type LocalizedText } from '../../platform/db/schema.js';
import { commonErrors, MunicipalityParams } from '../../platform/http/schemas.js';
import { writeAudit } from '../../platform/audit.js';
import { actorOf, requireStaff } from '../auth/principal.js';

/** The schema's defaults, for a city that has not saved its settings. */
export const DEFAULT_LAND_SETTINGS = { supportThreshold: 100, commentPeriodDays: 14 } as const;

/** Shown until the city writes its own rules. */
export const DEFAULT_DISCUSSION_RULES: LocalizedText = {
  ky: 'Талкуунун эрежелери: бири-бириңизди урматтаңыз; темадан чыкпаңыз; башка адамдардын жеке маалыматтарын (дареги, телефону, документтери) жарыялабаңыз; жарнама жазбаңыз. Бул эрежелерди бузган пикирлерди модераторлор себебин ачык көрсөтүп жашырат.',
  ru: 'Правила обсуждения: уважайте друг друга; пишите по теме; не публикуйте личные данные других людей (адреса, телефоны, документы); не размещайте рекламу. Комментарии, нарушающие эти правила, модераторы скрывают с публичным указанием причины.',
  en: 'Discussion rules: be respectful; stay on topic; do not publish other people\'s personal data (addresses, phone numbers, documents); no advertising. Moderators hide comments that break these rules and state the reason publicly.',
};

export interface LandSettings { supportThreshold: number; commentPeriodDays: number; discussionRules: LocalizedText; rulesAreDefault: boolean }

export async function readLandSettings(db: DbOrTx, municipalityId: string): Promise<LandSettings> {
  const [row] = await db.select().from(landSettings).where(eq(landSettings.municipalityId, municipalityId)).limit(1);
  return {
    supportThreshold: row?.supportThreshold ?? DEFAULT_LAND_SETTINGS.supportThreshold,
    commentPeriodDays: row?.commentPeriodDays ?? DEFAULT_LAND_SETTINGS.commentPeriodDays,
    discussionRules: row?.discussionRules ?? DEFAULT_DISCUSSION_RULES,
    rulesAreDefault: !row?.discussionRules,
  };
}

const Rules = z.object({ ky: z.string().trim().min(1).max(5000), ru: z.string().trim().min(1).max(5000), en: z.string().trim().min(1).max(5000) });
const SettingsOut = z.object({
  supportThreshold: z.number().int().describe('Supports that put a proposal on the commission\'s agenda'),
  commentPeriodDays: z.number().int().describe('Default comment period of an announcement, in days'),
  discussionRules: Rules,
  rulesAreDefault: z.boolean().describe('True while the city has not written its own rules'),
});
const SettingsBody = z.object({
  supportThreshold: z.number().int().min(1).max(1_000_000).optional(),
  commentPeriodDays: z.number().int().min(1).max(365).optional(),
  discussionRules: Rules.nullable().optional().describe('null goes back to the default rules'),
}).strict();

export const landSettingsRoutes: FastifyPluginAsyncZod<RouteOptions> = async (app, { services }) => {
  const { municipalities, database, clock } = services;
  const db = database.db;

  app.get('/api/v1/m/:municipality/land/settings', {
    schema: { tags: ['land'], summary: 'The land dialogue\'s support threshold, default comment period and discussion rules (public)', params: MunicipalityParams,
      response: { 200: SettingsOut, ...commonErrors } },
  }, async (req) => {
    const m = await municipalities.bySlug(req.params.municipality);
    return readLandSettings(db, m.id);
  });

  app.put('/api/v1/m/:municipality/admin/land/settings', {
    schema: { tags: ['land admin'], summary: 'Change the land dialogue\'s settings (admin); only the fields given change', params: MunicipalityParams, body: SettingsBody,
      response: { 200: SettingsOut, ...commonErrors } },
  }, async (req) => {
    const m = await municipalities.bySlug(req.params.municipality);
    const staff = requireStaff(req, m.id, ['admin']);
    const now = clock.now();
    await db.transaction(async (tx) => {
      const before = await readLandSettings(tx, m.id);
      const next = {
        supportThreshold: req.body.supportThreshold ?? before.supportThreshold,
        commentPeriodDays: req.body.commentPeriodDays ?? before.commentPeriodDays,
        discussionRules: req.body.discussionRules !== undefined ? req.body.discussionRules : before.rulesAreDefault ? null : before.discussionRules,
      };
      await tx.insert(landSettings).values({ municipalityId: m.id, ...next, updatedAt: now })
        .onConflictDoUpdate({ target: landSettings.municipalityId, set: { ...next, updatedAt: now } });
      await writeAudit(tx, { municipalityId: m.id, actor: actorOf(staff), entityType: 'land_settings', entityId: m.id, action: 'update', at: now,
        before: { supportThreshold: before.supportThreshold, commentPeriodDays: before.commentPeriodDays, rulesAreDefault: before.rulesAreDefault },
        after: { supportThreshold: next.supportThreshold, commentPeriodDays: next.commentPeriodDays, rulesAreDefault: next.discussionRules === null } });
    });
    return readLandSettings(db, m.id);
  });
};
