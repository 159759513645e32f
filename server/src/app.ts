/**
 * Builds the HTTP application from its dependencies. main.ts starts it; tests build it on a fresh database.
 */
import Fastify, { type FastifyBaseLogger, type FastifyInstance, type FastifyRequest } from 'fastify';
import fastifyCookie from '@fastify/cookie';
import fastifyMultipart from '@fastify/multipart';
import fastifyRateLimit from '@fastify/rate-limit';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Logger } from 'pino';
import type { Locale } from '@shaar/contracts';
import type { Config } from './config.js';
import type { Database } from './platform/db/database.js';
import type { Clock } from './platform/clock.js';
import type { Deliverer } from './platform/delivery/delivery.js';
import type { FileStorage } from './platform/files/file-storage.js';
import { negotiateLocale } from './platform/i18n/locale.js';
import { frameworkErrors, registerErrorHandlers } from './platform/http/error-handler.js';
import { AuthService } from './modules/auth/auth.service.js';
import { csrfFailed, type Principal } from './modules/auth/principal.js';
import { MunicipalityDirectory } from './modules/municipalities/municipalities.service.js';
import { DirectoryCache } from './modules/directory/directory.cache.js';
import { WorkingTime } from './modules/deadlines/working-time.js';
import { AppealsService } from './modules/appeals/appeals.service.js';
import { RegistrationNumbers } from './modules/appeals/registration-numbers.js';
import { authRoutes, SESSION_COOKIE } from './modules/auth/auth.routes.js';
import { appAuthRoutes } from './modules/auth/app-auth.routes.js';
import { municipalityRoutes } from './modules/municipalities/municipalities.routes.js';
import { appealRoutes } from './modules/appeals/appeals.routes.js';
import { directoryRoutes } from './modules/directory/directory.routes.js';
import { deadlineRoutes } from './modules/deadlines/deadlines.routes.js';
import { staffRoutes } from './modules/auth/staff.routes.js';
import { workspaceRoutes } from './modules/workspace/workspace.routes.js';
import { ratingRoutes, ratingsDeps } from './modules/ratings/ratings.routes.js';
import { registerFollowUpJob } from './modules/ratings/follow-up.js';
import { scorecardRoutes } from './modules/scorecards/scorecards.routes.js';
import { registerScorecardJobs } from './modules/scorecards/scorecard-jobs.js';
import { registerSystemicJobs } from './modules/systemic/systemic-jobs.js';
import { systemicRoutes } from './modules/systemic/systemic.routes.js';
import { registerDeadlineControl } from './modules/deadlines/deadline-control.js';
import { extensionRequestRoutes } from './modules/deadlines/extension-requests.routes.js';
import { answerCheckRoutes } from './modules/appeals/answer-check.routes.js';
import { notificationRoutes } from './modules/notifications/notifications.routes.js';
import { registerNotificationJobs } from './modules/notifications/notification-jobs.js';
import { openDataRoutes } from './modules/open-data/open-data.routes.js';
import { analyticsAdminRoutes } from './modules/analytics/analytics-admin.routes.js';
import { analyticsRoutes } from './modules/analytics/analytics.routes.js';
import { importRoutes } from './modules/imports/imports.routes.js';
import { registerAnalyticsJobs } from './modules/analytics/analytics-jobs.js';
import { OpenDataService } from './modules/open-data/open-data.service.js';
import { webhookRoutes } from './modules/webhooks/webhooks.routes.js';
import { registerWebhookJobs } from './modules/webhooks/webhook-deliveries.js';
import { JobRunner } from './platform/jobs/job-queue.js';
import { WriteLimits } from './platform/http/write-limits.js';
import { registerLandJobs } from './modules/land/land-jobs.js';
import { plotRoutes } from './modules/land/plots.routes.js';
import { announcementRoutes } from './modules/land/announcements.routes.js';
import { areaSubscriptionRoutes } from './modules/land/area-subscriptions.routes.js';
import { landSettingsRoutes } from './modules/land/land-settings.routes.js';
import { proposalRoutes } from './modules/land/proposals.routes.js';
import { commentRoutes } from './modules/land/comments.routes.js';
import { moderationRoutes } from './modules/land/moderation.routes.js';
import { commissionRoutes } from './modules/land/commission.routes.js';
import { hearingRoutes } from './modules/land/hearings.routes.js';
import { healthRoutes } from './platform/http/health.routes.js';
import { registerWebApp } from './platform/http/web-app.js';
import { open311Plugin, OPEN311_PREFIX } from './modules/open311/open311.routes.js';
import { categoryAttributeRoutes } from './modules/open311/category-attributes.routes.js';
import { xroadPlugin, XROAD_PREFIX } from './modules/xroad/xroad.plugin.js';
import { xroadConsumerRoutes } from './modules/xroad/xroad-consumers.routes.js';

declare module 'fastify' {
  interface FastifyRequest {
    locale: Locale;
    principal: Principal | null;
  }
}

export interface AppDeps {
  config: Config;
  database: Database;
  clock: Clock;
  deliverer: Deliverer;
  storage: FileStorage;
  logger: Logger;
}

/** Everything a route module may use, built once per application. */
export interface Services extends AppDeps {
  auth: AuthService;
  municipalities: MunicipalityDirectory;
  workingTime: WorkingTime;
  directory: DirectoryCache;
  appeals: AppealsService;
  /** Durable jobs: modules register their handlers here; main.ts starts the polling, tests call runDue(). */
  jobs: JobRunner;
  /** Limits on public writes per address and per integrator (429 with Retry-After). */
  writeLimits: WriteLimits;
}

export type App = FastifyInstance;

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
/** Routes that start a session: no session yet, so no CSRF token to check. */
export const CSRF_EXEMPT: ReadonlySet<string> = new Set([
  '/api/v1/auth/staff/login', '/api/v1/auth/code/request', '/api/v1/auth/code/verify',
  // The app's routes carry their own secret (a code, a refresh token) and no cookie of theirs: a WebView that also
  // holds the site's cookie must not be refused for a CSRF token it has no use for.
  '/api/v1/app/auth/code/request', '/api/v1/app/auth/code/verify', '/api/v1/app/auth/refresh',
]);
/**
 * Sign-in routes have their own, stricter limit per address (RATE_LIMIT_AUTH_PER_MINUTE); Tunduk requests all come
 * from the security server's address, so they are limited per consumer subsystem inside their module instead.
 */
const EXEMPT_FROM_WRITE_LIMITS = ['/api/v1/auth/', '/xroad/'];

export async function buildApp(deps: AppDeps): Promise<{ app: App; services: Services }> {
  const { config, database, clock } = deps;
  const db = database.db;
  const municipalities = new MunicipalityDirectory(db);
  const workingTime = new WorkingTime(db);
  const directory = new DirectoryCache(db);
  const auth = new AuthService({ db, clock, deliverer: deps.deliverer, sessionDays: config.sessionDays, otpTtlSeconds: config.otpTtlSeconds });
  const numbers = new RegistrationNumbers(db, config.registrationNumberBlock ?? (database.kind === 'pglite' ? 1 : 20));
  const appeals = new AppealsService({ db, clock, workingTime, directory, storage: deps.storage, uploadMaxBytes: config.uploadMaxBytes, numbers });
  // PGlite belongs to one process: jobs it finds running at start were left by a process that died.
  const jobs = new JobRunner({ db, clock, logger: deps.logger, pollMs: config.jobs.pollMs, exclusive: database.kind === 'pglite' });
  const writeLimits = new WriteLimits(config.writeLimits);
  const services: Services = { ...deps, auth, municipalities, workingTime, directory, appeals, jobs, writeLimits };
  registerNotificationJobs(services);
  registerFollowUpJob(jobs, ratingsDeps(services));
  registerScorecardJobs(services);
  const systemic = registerSystemicJobs(services);
  registerAnalyticsJobs(services);
  registerLandJobs(services);
  registerWebhookJobs(jobs, {
    db, clock,
    // Receivers inside the city's network only when allowed; loopback also outside production (local testing).
    addressPolicy: config.webhooksAllowPrivateNetworks ? 'any' : config.env === 'production' ? 'public-only' : 'public-and-loopback',
  });
  registerDeadlineControl(jobs, { db, clock, workingTime, reminderWorkingDays: config.reminderWorkingDays });
  const openData = new OpenDataService(services);
  openData.register();

  const app = Fastify({
    loggerInstance: deps.logger as FastifyBaseLogger,
    bodyLimit: config.bodyLimitBytes,
    trustProxy: config.trustProxy,
    // Request ids let an operator follow one request through the logs without any personal data.
    genReqId: () => crypto.randomUUID(),
    // Undecodable URLs and over-long path parameters get our error body too, not Fastify's own.
    frameworkErrors,
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  // The web app's build, when there is one (npm run build makes it); the API works without it.
  registerErrorHandlers(app, await registerWebApp(app) ?? undefined);

  app.decorateRequest('locale', 'ky');
  app.decorateRequest('principal', null);

  await app.register(fastifyCookie);
  // Limits are set per route (sign-in, codes); nothing is limited unless a route asks for it.
  await app.register(fastifyRateLimit, { global: false });
  await app.register(fastifyMultipart, { limits: { fileSize: config.uploadMaxBytes, files: 10, fields: 50 } });

  app.addHook('onRequest', async (req) => {
    req.locale = negotiateLocale(req.headers['accept-language']);
    await resolvePrincipal(req);
    // Every public write counts against its address (and key); staff work is not limited here.
    if (UNSAFE.has(req.method) && req.principal?.kind !== 'staff' && !EXEMPT_FROM_WRITE_LIMITS.some((p) => req.url.startsWith(p))) {
      writeLimits.hit(req.ip, req.principal?.kind === 'integrator' ? req.principal.id : null);
    }
  });

  async function resolvePrincipal(req: FastifyRequest) {
    if (!req.url.startsWith('/api/v1/')) return;
    const authz = req.headers.authorization;
    const apiKey = req.headers['x-api-key'];
    if (typeof apiKey === 'string' || authz?.startsWith('ApiKey ')) {
      req.principal = await auth.principalFromApiKey(typeof apiKey === 'string' ? apiKey : authz!.slice(7).trim());
      return;
    }
    if (authz?.startsWith('Bearer ')) {
      req.principal = await auth.principalFromSession(authz.slice(7).trim(), 'bearer');
      return;
    }
    const cookie = req.cookies[SESSION_COOKIE];
    if (cookie) {
      const p = await auth.principalFromSession(cookie, 'cookie');
      // A cookie can be sent by another site's form; a header cannot. Unsafe requests must echo the token.
      if (p && UNSAFE.has(req.method) && !CSRF_EXEMPT.has(req.url.split('?')[0]!) && req.headers['x-csrf-token'] !== p.csrfToken) {
        throw csrfFailed();
      }
      req.principal = p;
    }
  }

  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Shaar API',
        version: '1.0.0',
        description: 'Citizens\' appeals registry of a municipality (Law No. 67 of 2007): intake, routing, deadlines in working days, lifecycle and audit.',
      },
      components: {
        securitySchemes: {
          session: { type: 'apiKey', in: 'cookie', name: SESSION_COOKIE },
          bearer: { type: 'http', scheme: 'bearer' },
          apiKey: { type: 'apiKey', in: 'header', name: 'X-Api-Key' },
        },
      },
    },
    transform: jsonSchemaTransform,
  });
  await app.register(fastifySwaggerUi, { routePrefix: '/api/docs' });
  app.get('/api/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  const typed = app.withTypeProvider<ZodTypeProvider>();
  await typed.register(healthRoutes, { services });
  await typed.register(authRoutes, { services });
  await typed.register(appAuthRoutes, { services });
  await typed.register(municipalityRoutes, { services });
  await typed.register(appealRoutes, { services });
  await typed.register(directoryRoutes, { services });
  await typed.register(deadlineRoutes, { services });
  await typed.register(staffRoutes, { services });
  await typed.register(workspaceRoutes, { services });
  await typed.register(notificationRoutes, { services });
  await typed.register(ratingRoutes, { services });
  await typed.register(scorecardRoutes, { services });
  await typed.register(systemicRoutes, { services, systemic });
  await typed.register(extensionRequestRoutes, { services });
  await typed.register(answerCheckRoutes, { services });
  await typed.register(openDataRoutes, { services, openData });
  await typed.register(analyticsAdminRoutes, { services });
  await typed.register(analyticsRoutes, { services });
  await typed.register(importRoutes, { services });
  await typed.register(categoryAttributeRoutes, { services });
  // Open311 GeoReport v2: its own error bodies, form bodies and .json/.xml formats, in its own scope.
  await app.register(open311Plugin, { services, prefix: OPEN311_PREFIX });
  await typed.register(webhookRoutes, { services });
  await typed.register(plotRoutes, { services });
  await typed.register(announcementRoutes, { services });
  await typed.register(areaSubscriptionRoutes, { services });
  await typed.register(landSettingsRoutes, { services });
  await typed.register(proposalRoutes, { services });
  await typed.register(commentRoutes, { services });
  await typed.register(moderationRoutes, { services });
  await typed.register(commissionRoutes, { services });
  await typed.register(hearingRoutes, { services });
  // Tunduk (X-Road REST): X-Road headers and error bodies, in its own scope; its consumers are managed by admins.
  await app.register(xroadPlugin, { services, prefix: XROAD_PREFIX });
  await typed.register(xroadConsumerRoutes, { services });
  return { app, services };
}

export interface RouteOptions { services: Services }
