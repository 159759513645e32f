/**
 * The only place that reads process.env. A bad value stops the start with a message that names the variable.
 */
import { resolve } from 'node:path';
import { z } from 'zod';

const bool = z.enum(['true', 'false', '1', '0', 'yes', 'no']).transform((v) => ['true', '1', 'yes'].includes(v));

const EnvSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  /** postgres://user@host:5432/db → PostgreSQL; unset → embedded PGlite under DATA_DIR. */
  DATABASE_URL: z.string().regex(/^postgres(ql)?:\/\//, 'must start with postgres:// or postgresql://').optional(),
  /** Connections per process. Registration waits mostly on commits, so more connections let more commits group. */
  DATABASE_POOL_MAX: z.coerce.number().int().min(1).max(500).default(50),
  DATA_DIR: z.string().min(1).default('./data'),
  /** Demo data (Bishkek, Osh) and demo logins printed at start. Defaults to on with the embedded database. */
  DEMO_MODE: bool.optional(),
  /** Demo mode: fictional appeals written on first start so dashboards have data (`npm start` asks for 3000). */
  DEMO_APPEALS: z.coerce.number().int().min(0).max(1_000_000).default(0),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** The address residents see in links and e-mails. */
  PUBLIC_URL: z.string().url().optional(),
  /** Send cookies only over HTTPS (set in production behind TLS). */
  COOKIE_SECURE: bool.default(false),
  TRUST_PROXY: bool.default(false),
  SESSION_DAYS: z.coerce.number().int().min(1).max(90).default(14),
  /** Mobile apps: minutes an access token (a short session) lives; the app refreshes it with its refresh token. */
  APP_ACCESS_TOKEN_MINUTES: z.coerce.number().int().min(1).max(1440).default(60),
  /** Mobile apps: days a refresh token lives unused; each refresh issues a new one (sign-in again after this). */
  APP_REFRESH_TOKEN_DAYS: z.coerce.number().int().min(1).max(365).default(90),
  BODY_LIMIT_BYTES: z.coerce.number().int().min(1024).max(50_000_000).default(1_048_576),
  UPLOAD_MAX_BYTES: z.coerce.number().int().min(1024).max(100_000_000).default(10_485_760),
  UPLOAD_DIR: z.string().optional(),
  /** outbox: messages are kept in the database and shown in the dev outbox (no real sending). */
  DELIVERY: z.enum(['outbox', 'real']).default('outbox'),
  SMTP_URL: z.string().regex(/^smtps?:\/\//, 'must start with smtp:// or smtps://').optional(),
  MAIL_FROM: z.string().default('Shaar <no-reply@shaar.local>'),
  SMS_GATEWAY_URL: z.string().url().optional(),
  SMS_GATEWAY_TOKEN: z.string().optional(),
  /** Demos only: the clock starts at this instant (e.g. 2026-04-27T10:00:00+06:00) and runs on from there. */
  CLOCK_START: z.iso.datetime({ offset: true }).optional(),
  /** Sign-in attempts and code requests per client address per minute (passwords and SMS cost money and trust). */
  RATE_LIMIT_AUTH_PER_MINUTE: z.coerce.number().int().min(1).max(100_000).default(10),
  /** Registration numbers reserved at a time per process (default: 1 on PGlite, 20 on PostgreSQL; see registration-numbers.ts). */
  REGISTRATION_NUMBER_BLOCK: z.coerce.number().int().min(1).max(1000).optional(),
  OTP_TTL_SECONDS: z.coerce.number().int().min(60).max(3600).default(600),
  /** How often each process looks for due jobs (notifications, reminders). */
  JOB_POLL_MS: z.coerce.number().int().min(50).max(60_000).default(1000),
  /** Run the job runner in this process (several web processes may leave it to some of them). */
  JOBS_ENABLED: bool.default(true),
  /** Reminders to the executor and the service head this many working days before the due date (and on the day). */
  REMINDER_WORKING_DAYS: z.string().regex(/^\d{1,2}(,\d{1,2})*$/, 'must be working days separated by commas, e.g. 3,1').default('3,1'),
  /** Days after a 'solved' verdict when the resident is asked whether the problem is still solved. */
  FOLLOW_UP_DAYS: z.coerce.number().int().min(1).max(365).default(30),
  /** Days a resident may change their rating of an answer. */
  RATING_EDIT_DAYS: z.coerce.number().int().min(0).max(90).default(7),
  /** Secret of the open dataset's pseudonymous ids (unset: one generated under DATA_DIR/open-data). */
  OPEN_DATA_SALT: z.string().min(16, 'must be at least 16 characters').optional(),
  /** Public writes (anything not by staff) per client address per minute, per process; 429 beyond. */
  RATE_LIMIT_WRITES_PER_IP_PER_MINUTE: z.coerce.number().int().min(1).default(120),
  /** Writes per integrator (API key, Tunduk consumer) per minute, per process. */
  RATE_LIMIT_WRITES_PER_KEY_PER_MINUTE: z.coerce.number().int().min(1).default(600),
  /** Webhooks may go to private, loopback and link-local addresses (a receiver inside the city's network). */
  WEBHOOKS_ALLOW_PRIVATE_NETWORKS: bool.default(false),
  /** Webhook URLs may use plain http (anywhere). Off: https only, http just for localhost outside production. */
  WEBHOOKS_ALLOW_HTTP: bool.default(false),
  /** Addresses of the city's Tunduk (X-Road) security servers, comma-separated; '*' = any. Others get 403 on /xroad/. */
  XROAD_ALLOWED_ADDRESSES: z.string().trim().regex(/^(\*|[0-9a-fA-F.:]+(\s*,\s*[0-9a-fA-F.:]+)*)$/, "must be IP addresses separated by commas, or '*'").default('127.0.0.1,::1'),
}).superRefine((env, ctx) => {
  if (env.CLOCK_START && env.NODE_ENV === 'production') {
    ctx.addIssue({ code: 'custom', path: ['CLOCK_START'], message: 'is for demos and tests, not for production' });
  }
  if (env.DELIVERY === 'real' && !env.SMTP_URL && !env.SMS_GATEWAY_URL) {
    ctx.addIssue({ code: 'custom', path: ['DELIVERY'], message: 'DELIVERY=real needs SMTP_URL or SMS_GATEWAY_URL' });
  }
});

export type Config = ReturnType<typeof loadConfig>;

export class ConfigError extends Error {}

export function loadConfig(env: Record<string, string | undefined> = process.env) {
  // Empty variables count as unset, as in most deployment tools.
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = EnvSchema.safeParse(cleaned);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.') || '(env)'}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  const dataDir = resolve(e.DATA_DIR);
  return {
    env: e.NODE_ENV,
    port: e.PORT,
    host: e.HOST,
    databaseUrl: e.DATABASE_URL,
    databasePoolMax: e.DATABASE_POOL_MAX,
    dataDir,
    pgliteDir: resolve(dataDir, 'pglite'),
    demoMode: e.DEMO_MODE ?? !e.DATABASE_URL,
    demoAppeals: e.DEMO_APPEALS,
    logLevel: e.LOG_LEVEL,
    publicUrl: e.PUBLIC_URL ?? `http://${e.HOST}:${e.PORT}`,
    cookieSecure: e.COOKIE_SECURE,
    trustProxy: e.TRUST_PROXY,
    sessionDays: e.SESSION_DAYS,
    appTokens: { accessMinutes: e.APP_ACCESS_TOKEN_MINUTES, refreshDays: e.APP_REFRESH_TOKEN_DAYS },
    bodyLimitBytes: e.BODY_LIMIT_BYTES,
    uploadMaxBytes: e.UPLOAD_MAX_BYTES,
    uploadDir: resolve(e.UPLOAD_DIR ?? resolve(dataDir, 'uploads')),
    delivery: {
      mode: e.DELIVERY,
      smtpUrl: e.SMTP_URL,
      mailFrom: e.MAIL_FROM,
      smsGatewayUrl: e.SMS_GATEWAY_URL,
      smsGatewayToken: e.SMS_GATEWAY_TOKEN,
    },
    otpTtlSeconds: e.OTP_TTL_SECONDS,
    rateLimitAuthPerMinute: e.RATE_LIMIT_AUTH_PER_MINUTE,
    registrationNumberBlock: e.REGISTRATION_NUMBER_BLOCK,
    clockStart: e.CLOCK_START ? new Date(e.CLOCK_START) : undefined,
    jobs: { pollMs: e.JOB_POLL_MS, enabled: e.JOBS_ENABLED },
    reminderWorkingDays: [...new Set(e.REMINDER_WORKING_DAYS.split(',').map(Number))].sort((a, b) => b - a),
    followUpDays: e.FOLLOW_UP_DAYS,
    ratingEditDays: e.RATING_EDIT_DAYS,
    openDataSalt: e.OPEN_DATA_SALT,
    webhooksAllowHttp: e.WEBHOOKS_ALLOW_HTTP,
    webhooksAllowPrivateNetworks: e.WEBHOOKS_ALLOW_PRIVATE_NETWORKS,
    xroadAllowedAddresses: e.XROAD_ALLOWED_ADDRESSES === '*' ? ('*' as const) : e.XROAD_ALLOWED_ADDRESSES.split(',').map((a) => a.trim()),
    writeLimits: { perIpPerMinute: e.RATE_LIMIT_WRITES_PER_IP_PER_MINUTE, perKeyPerMinute: e.RATE_LIMIT_WRITES_PER_KEY_PER_MINUTE },
  };
}
