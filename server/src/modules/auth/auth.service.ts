/**
 * Sessions, staff sign-in, citizens' one-time codes and integrators' API keys.
 */
import { and, eq, gt, isNull, lt, sql } from 'drizzle-orm';
import type { ApiKeyScope, Locale, StaffRole } from '@shaar/contracts';
import type { Db, DbOrTx } from '../../platform/db/database.js';
import { apiKeys, citizens, otpChallenges, sessions, staffUsers } from '../../platform/db/schema.js';
import type { Clock } from '../../platform/clock.js';
import type { Deliverer } from '../../platform/delivery/delivery.js';
import { translate } from '../../platform/i18n/messages.js';
import { AppError } from '../../platform/http/errors.js';
import { writeAudit } from '../../platform/audit.js';
import type { CitizenPrincipal, IntegratorPrincipal, StaffPrincipal } from './principal.js';
import { randomToken, safeEqual, sha256, sixDigitCode, verifyPassword, hashPassword } from './secrets.js';

export interface AuthServiceOptions {
  db: Db;
  clock: Clock;
  deliverer: Deliverer;
  sessionDays: number;
  otpTtlSeconds: number;
}

/** A destination for a code: an e-mail, or a phone number normalised to +996XXXXXXXXX style. */
export function normalizeDestination(raw: string): { channel: 'email' | 'sms'; value: string } | null {
  const s = raw.trim();
  // Control characters (a NUL above all) are never part of an address, and the database cannot store a NUL.
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(s)) return null;
  if (/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(s)) return { channel: 'email', value: s.toLowerCase() };
  // 00 is the international prefix dialled instead of +: 00996 700… is +996 700…, not another number.
  const digits = s.replace(/[\s()-]/g, '').replace(/^00(?=[1-9])/, '+');
  if (/^\+?\d{9,15}$/.test(digits)) {
    // Local Kyrgyz numbers (0700 123 456) become +996700123456.
    const local = /^0\d{9}$/.test(digits) ? `+996${digits.slice(1)}` : digits.startsWith('+') ? digits : `+${digits}`;
    return { channel: 'sms', value: local };
  }
  return null;
}

const MAX_OTP_ATTEMPTS = 5;
const MAX_OTP_PER_HOUR = 5;
const API_KEY_CACHE_MS = 30_000;

export class AuthService {
  private readonly apiKeyCache = new Map<string, { principal: IntegratorPrincipal | null; until: number }>();

  constructor(private readonly o: AuthServiceOptions) {}

  // ---- sessions -------------------------------------------------------------------------------------------

  async createSession(kind: 'staff' | 'citizen', principalId: string, municipalityId: string | null) {
    const token = randomToken();
    const csrfToken = randomToken(18);
    const expiresAt = new Date(this.o.clock.now().getTime() + this.o.sessionDays * 86_400_000);
    await this.o.db.insert(sessions).values({ tokenHash: sha256(token), principalKind: kind, principalId, municipalityId, csrfToken, expiresAt });
    return { token, csrfToken, expiresAt };
  }

  async endSession(token: string) {
    await this.o.db.delete(sessions).where(eq(sessions.tokenHash, sha256(token)));
  }

  async principalFromSession(token: string, via: 'cookie' | 'bearer'): Promise<StaffPrincipal | CitizenPrincipal | null> {
    const [s] = await this.o.db.select().from(sessions)
      .where(and(eq(sessions.tokenHash, sha256(token)), gt(sessions.expiresAt, this.o.clock.now()))).limit(1);
    if (!s) return null;
    if (s.principalKind === 'staff' && s.municipalityId) {
      const [u] = await this.o.db.select().from(staffUsers)
        .where(and(eq(staffUsers.municipalityId, s.municipalityId), eq(staffUsers.id, s.principalId), eq(staffUsers.active, true))).limit(1);
      if (!u) return null;
      return { kind: 'staff', id: u.id, municipalityId: u.municipalityId, roles: u.roles as StaffRole[], serviceId: u.serviceId,
        fullName: u.fullName, email: u.email, locale: u.locale, csrfToken: s.csrfToken, via };
    }
    if (s.principalKind === 'citizen') {
      const [c] = await this.o.db.select().from(citizens).where(eq(citizens.id, s.principalId)).limit(1);
      if (!c) return null;
      return { kind: 'citizen', id: c.id, email: c.email, phone: c.phone, fullName: c.fullName, locale: c.locale, csrfToken: s.csrfToken, via };
    }
    return null;
  }

  // ---- staff ----------------------------------------------------------------------------------------------

  async staffLogin(municipalityId: string, email: string, password: string) {
    const [u] = await this.o.db.select().from(staffUsers)
      .where(and(eq(staffUsers.municipalityId, municipalityId), eq(staffUsers.email, email.trim().toLowerCase()), eq(staffUsers.active, true))).limit(1);
    // Verify against a dummy hash when there is no such user, so timing does not tell which e-mails exist.
    const ok = await verifyPassword(u?.passwordHash ?? DUMMY_HASH, password);
    if (!u || !ok) throw new AppError(401, 'invalid_credentials', 'error.invalid_credentials');
    const session = await this.createSession('staff', u.id, municipalityId);
    await writeAudit(this.o.db, { municipalityId, actor: { kind: 'staff', id: u.id }, entityType: 'staff_user', entityId: u.id, action: 'sign_in' });
    return { user: u, session };
  }

  // ---- citizens: one-time codes ---------------------------------------------------------------------------

  /** Sends a code. Always answers the same way, whether or not an account exists. */
  async requestCode(destinationRaw: string, locale: Locale): Promise<void> {
    const dest = normalizeDestination(destinationRaw);
    if (!dest) throw new AppError(400, 'validation_failed', 'error.validation_failed', {}, [{ path: 'destination', code: 'invalid_format' }]);
    const now = this.o.clock.now();
    const destinationHash = sha256(dest.value);
    const code = sixDigitCode();
    await this.o.db.transaction(async (tx) => {
      // One request per destination at a time: without this lock, parallel requests all counted the same
      // "fewer than 5 this hour" and each sent a message (a burst of SMS to one phone).
      await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`otp:${destinationHash}`}))`);
      const [recent] = await tx.select({ n: sql<number>`count(*)::int` }).from(otpChallenges)
        .where(and(eq(otpChallenges.destinationHash, destinationHash), gt(otpChallenges.createdAt, new Date(now.getTime() - 3_600_000))));
      if ((recent?.n ?? 0) >= MAX_OTP_PER_HOUR) throw new AppError(429, 'too_many_attempts', 'error.too_many_attempts', { seconds: 3600 });
      // Only the newest code is valid: a new one supersedes those sent before. (Two live codes created in the same
      // millisecond could not be told apart by createdAt, and verify would check the code against the wrong one.)
      await tx.update(otpChallenges).set({ expiresAt: now })
        .where(and(eq(otpChallenges.destinationHash, destinationHash), isNull(otpChallenges.consumedAt), gt(otpChallenges.expiresAt, now)));
      await tx.insert(otpChallenges).values({
        destinationHash, codeHash: sha256(`${destinationHash}:${code}`), createdAt: now,
        expiresAt: new Date(now.getTime() + this.o.otpTtlSeconds * 1000),
      });
    });
    await this.o.deliverer.send({
      channel: dest.channel, to: dest.value,
      subject: translate(locale, 'otp.subject'),
      body: translate(locale, 'otp.body', { code, minutes: Math.round(this.o.otpTtlSeconds / 60) }),
    });
  }

  /** Checks a code; on success finds or creates the citizen's account and opens a session. */
  async verifyCode(destinationRaw: string, code: string, locale: Locale) {
    const dest = normalizeDestination(destinationRaw);
    if (!dest) throw new AppError(400, 'otp_invalid', 'error.otp_invalid');
    const now = this.o.clock.now();
    const destinationHash = sha256(dest.value);
    const [challenge] = await this.o.db.select().from(otpChallenges)
      .where(and(eq(otpChallenges.destinationHash, destinationHash), isNull(otpChallenges.consumedAt), gt(otpChallenges.expiresAt, now)))
      .orderBy(sql`${otpChallenges.createdAt} desc`).limit(1);
    if (!challenge) throw new AppError(400, 'otp_invalid', 'error.otp_invalid');
    // Count the attempt before comparing, in one conditional UPDATE: a check made before any attempt was counted let
    // parallel guesses all through (10 at once were 10 comparisons, not 5).
    const counted = await this.o.db.update(otpChallenges).set({ attempts: sql`${otpChallenges.attempts} + 1` })
      .where(and(eq(otpChallenges.id, challenge.id), lt(otpChallenges.attempts, MAX_OTP_ATTEMPTS))).returning({ id: otpChallenges.id });
    if (counted.length === 0) throw new AppError(429, 'too_many_attempts', 'error.too_many_attempts', { seconds: 600 });
    if (!safeEqual(challenge.codeHash, sha256(`${destinationHash}:${code.trim()}`))) {
      throw new AppError(400, 'otp_invalid', 'error.otp_invalid');
    }
    // Consume the code only if nobody consumed it meanwhile: one code, one session.
    const consumed = await this.o.db.update(otpChallenges).set({ consumedAt: now })
      .where(and(eq(otpChallenges.id, challenge.id), isNull(otpChallenges.consumedAt))).returning({ id: otpChallenges.id });
    if (consumed.length === 0) throw new AppError(400, 'otp_invalid', 'error.otp_invalid');

    const column = dest.channel === 'email' ? citizens.email : citizens.phone;
    let [citizen] = await this.o.db.select().from(citizens).where(eq(column, dest.value)).limit(1);
    if (!citizen) {
      [citizen] = await this.o.db.insert(citizens)
        .values(dest.channel === 'email' ? { email: dest.value, locale } : { phone: dest.value, locale })
        .onConflictDoNothing().returning();
      citizen ??= (await this.o.db.select().from(citizens).where(eq(column, dest.value)).limit(1))[0];
    }
    if (!citizen) throw new Error('citizen account could not be created');
    const session = await this.createSession('citizen', citizen.id, null);
    return { citizen, session };
  }

  // ---- integrators ----------------------------------------------------------------------------------------

  /** Creates a key; the secret is shown once and stored as a hash. Format: shk_<prefix>_<secret>.
   * Pass a transaction as `db` to create the key together with its audit entry. */
  async createApiKey(municipalityId: string, name: string, scopes: ApiKeyScope[], db: DbOrTx = this.o.db) {
    const prefix = randomToken(6).replace(/[-_]/g, 'x').toLowerCase();
    const secret = randomToken(24);
    const [row] = await db.insert(apiKeys).values({ municipalityId, name, prefix, secretHash: sha256(secret), scopes }).returning();
    return { key: `shk_${prefix}_${secret}`, row: row! };
  }

  async principalFromApiKey(key: string): Promise<IntegratorPrincipal | null> {
    const cached = this.apiKeyCache.get(key);
    const now = Date.now();
    if (cached && cached.until > now) return cached.principal;
    const m = /^shk_([a-z0-9]+)_([A-Za-z0-9_-]+)$/.exec(key);
    let principal: IntegratorPrincipal | null = null;
    if (m) {
      const rows = await this.o.db.select().from(apiKeys).where(and(eq(apiKeys.prefix, m[1]!), isNull(apiKeys.revokedAt)));
      const row = rows.find((r) => safeEqual(r.secretHash, sha256(m[2]!)));
      if (row) principal = { kind: 'integrator', id: row.id, municipalityId: row.municipalityId, name: row.name, scopes: row.scopes as ApiKeyScope[] };
    }
    // A short cache keeps the hot path (integrators posting appeals) off the database; revocation takes ≤ 30 s.
    if (this.apiKeyCache.size > 10_000) this.apiKeyCache.clear();
    this.apiKeyCache.set(key, { principal, until: now + API_KEY_CACHE_MS });
    return principal;
  }

  forgetApiKeys() { this.apiKeyCache.clear(); }
}

// A valid argon2id hash of a random string, verified when the user does not exist.
const DUMMY_HASH = await hashPassword(randomToken());
