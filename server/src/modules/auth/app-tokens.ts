/**
 * Tokens of mobile apps ('My City'): a short-lived access token (an ordinary citizen session, so every citizen
 * endpoint accepts it as a bearer) and a rotating refresh token. Each sign-in starts a family; a refresh spends its
 * token and issues the next pair of the same family. A spent token presented again means a copy exists somewhere
 * else (stolen or replayed): the whole family and its access sessions are ended.
 */
import { and, desc, eq, gt, inArray, isNull, lte, sql, type SQL } from 'drizzle-orm';
import type { Logger } from 'pino';
import type { Db, Tx } from '../../platform/db/database.js';
import { appRefreshTokens, sessions } from '../../platform/db/schema.js';
import type { Clock } from '../../platform/clock.js';
import { AppError } from '../../platform/http/errors.js';
import { randomToken, sha256 } from './secrets.js';

export interface AppTokensOptions {
  db: Db;
  clock: Clock;
  logger: Logger;
  accessMinutes: number;
  refreshDays: number;
}

export interface TokenPair {
  accessToken: string;
  accessTokenExpiresAt: Date;
  refreshToken: string;
  refreshTokenExpiresAt: Date;
}

export interface AppDevice {
  id: string;
  deviceName: string | null;
  signedInAt: Date;
  lastRefreshAt: Date;
  current: boolean;
}

export const invalidRefreshToken = () => new AppError(401, 'invalid_refresh_token', 'error.invalid_refresh_token');
export const refreshTokenReused = () => new AppError(401, 'refresh_token_reused', 'error.refresh_token_reused');

export class AppTokens {
  constructor(private readonly o: AppTokensOptions) {}

  /** A new family for a citizen who has just proved their code. */
  async signIn(citizenId: string, deviceName: string | null): Promise<TokenPair> {
    const familyId = crypto.randomUUID();
    const pair = await this.o.db.transaction(async (tx) => {
      await this.purgeExpired(tx, eq(appRefreshTokens.citizenId, citizenId));
      return this.issue(tx, { familyId, citizenId, deviceName });
    });
    // No personal data: the family id lets an operator follow one device's tokens through the logs.
    this.o.logger.info({ event: 'app_sign_in', familyId }, 'app signed in');
    return pair;
  }

  /**
   * Spends a refresh token and issues the next pair. Exactly one of two parallel refreshes with the same token wins:
   * the family is locked, then the token is spent by a conditional UPDATE; the loser finds it spent (reuse).
   */
  async refresh(refreshToken: string): Promise<TokenPair> {
    const tokenHash = sha256(refreshToken);
    const now = this.o.clock.now();
    const outcome = await this.o.db.transaction(async (tx) => {
      const [row] = await tx.select().from(appRefreshTokens).where(eq(appRefreshTokens.tokenHash, tokenHash)).limit(1);
      if (!row || row.expiresAt <= now) return { kind: 'invalid' as const };
      await lockFamily(tx, row.familyId);
      const [spent] = await tx.update(appRefreshTokens).set({ usedAt: now })
        .where(and(eq(appRefreshTokens.tokenHash, tokenHash), isNull(appRefreshTokens.usedAt), gt(appRefreshTokens.expiresAt, now)))
        .returning();
      if (!spent) {
        // Signed out meanwhile (the family's tokens deleted while we waited for the lock): merely unknown now.
        const [still] = await tx.select({ tokenHash: appRefreshTokens.tokenHash }).from(appRefreshTokens).where(eq(appRefreshTokens.tokenHash, tokenHash));
        if (!still) return { kind: 'invalid' as const };
        // Spent before (or just now by a parallel refresh): a second copy of the token exists. End everything.
        await this.endFamily(tx, row.familyId, 'revoke');
        return { kind: 'reused' as const, familyId: row.familyId };
      }
      await tx.delete(sessions).where(eq(sessions.tokenHash, spent.accessTokenHash));
      await this.purgeExpired(tx, eq(appRefreshTokens.familyId, spent.familyId));
      return { kind: 'ok' as const, pair: await this.issue(tx, spent) };
    });
    if (outcome.kind === 'invalid') throw invalidRefreshToken();
    if (outcome.kind === 'reused') {
      // A security event. The audit log belongs to a city and a citizen's account to none, so it goes to the log.
      this.o.logger.warn({ event: 'app_refresh_token_reused', familyId: outcome.familyId }, 'refresh token reused: sign-in family revoked');
      throw refreshTokenReused();
    }
    return outcome.pair;
  }

  /** Signs out the device whose access token this is (its whole family). False when it is not an app session. */
  async logout(accessToken: string): Promise<boolean> {
    const accessTokenHash = sha256(accessToken);
    const [row] = await this.o.db.select({ familyId: appRefreshTokens.familyId }).from(appRefreshTokens)
      .where(eq(appRefreshTokens.accessTokenHash, accessTokenHash)).limit(1);
    if (!row) {
      await this.o.db.delete(sessions).where(eq(sessions.tokenHash, accessTokenHash));
      return false;
    }
    await this.o.db.transaction(async (tx) => {
      await lockFamily(tx, row.familyId);
      await this.endFamily(tx, row.familyId, 'delete');
    });
    this.o.logger.info({ event: 'app_sign_out', familyId: row.familyId }, 'app signed out');
    return true;
  }

  /** Signs out the device holding this refresh token, spent or not (sign-out is idempotent: unknown is fine). */
  async logoutByRefreshToken(refreshToken: string): Promise<void> {
    const [row] = await this.o.db.select({ familyId: appRefreshTokens.familyId }).from(appRefreshTokens)
      .where(eq(appRefreshTokens.tokenHash, sha256(refreshToken))).limit(1);
    if (!row) return;
    await this.o.db.transaction(async (tx) => {
      await lockFamily(tx, row.familyId);
      await this.endFamily(tx, row.familyId, 'delete');
    });
    this.o.logger.info({ event: 'app_sign_out', familyId: row.familyId }, 'app signed out');
  }

  /** The citizen's signed-in app devices: one per live family (an unspent, unexpired refresh token). */
  async devices(citizenId: string, currentAccessToken: string | null): Promise<AppDevice[]> {
    const now = this.o.clock.now();
    const rows = await this.o.db.select({
      familyId: appRefreshTokens.familyId, deviceName: appRefreshTokens.deviceName, createdAt: appRefreshTokens.createdAt,
      accessTokenHash: appRefreshTokens.accessTokenHash,
      signedInAt: sql<string>`(select min(f.created_at) from ${appRefreshTokens} f where f.family_id = ${appRefreshTokens.familyId})`,
    }).from(appRefreshTokens)
      .where(and(eq(appRefreshTokens.citizenId, citizenId), isNull(appRefreshTokens.usedAt), gt(appRefreshTokens.expiresAt, now)))
      .orderBy(desc(appRefreshTokens.createdAt)).limit(100);
    const current = currentAccessToken ? sha256(currentAccessToken) : null;
    return rows.map((r) => ({
      id: r.familyId, deviceName: r.deviceName, signedInAt: new Date(r.signedInAt), lastRefreshAt: r.createdAt,
      current: r.accessTokenHash === current,
    }));
  }

  /** Signs one of the citizen's devices out. Another person's device is "not found". */
  async revokeDevice(citizenId: string, familyId: string): Promise<boolean> {
    const ended = await this.o.db.transaction(async (tx) => {
      const [row] = await tx.select({ familyId: appRefreshTokens.familyId }).from(appRefreshTokens)
        .where(and(eq(appRefreshTokens.familyId, familyId), eq(appRefreshTokens.citizenId, citizenId))).limit(1);
      if (!row) return false;
      await lockFamily(tx, familyId);
      await this.endFamily(tx, familyId, 'delete');
      return true;
    });
    if (ended) this.o.logger.info({ event: 'app_device_revoked', familyId }, 'app device signed out');
    return ended;
  }

  private async issue(tx: Tx, f: { familyId: string; citizenId: string; deviceName: string | null }): Promise<TokenPair> {
    const now = this.o.clock.now();
    const accessToken = randomToken();
    const refreshToken = randomToken();
    const accessTokenExpiresAt = new Date(now.getTime() + this.o.accessMinutes * 60_000);
    const refreshTokenExpiresAt = new Date(now.getTime() + this.o.refreshDays * 86_400_000);
    // Bearer requests need no CSRF token, but the column is required: a random one nobody is told.
    await tx.insert(sessions).values({
      tokenHash: sha256(accessToken), principalKind: 'citizen', principalId: f.citizenId, municipalityId: null,
      csrfToken: randomToken(18), createdAt: now, expiresAt: accessTokenExpiresAt,
    });
    await tx.insert(appRefreshTokens).values({
      tokenHash: sha256(refreshToken), familyId: f.familyId, citizenId: f.citizenId, accessTokenHash: sha256(accessToken),
      deviceName: f.deviceName, createdAt: now, expiresAt: refreshTokenExpiresAt,
    });
    return { accessToken, accessTokenExpiresAt, refreshToken, refreshTokenExpiresAt };
  }

  /**
   * Expired refresh tokens can no longer be presented as anything but invalid, so they (and any access session of
   * theirs) go. Done on each sign-in and refresh, for that citizen or family: the table holds only live tokens.
   */
  private async purgeExpired(tx: Tx, scope: SQL) {
    const rows = await tx.delete(appRefreshTokens).where(and(scope, lte(appRefreshTokens.expiresAt, this.o.clock.now())))
      .returning({ accessTokenHash: appRefreshTokens.accessTokenHash });
    if (rows.length > 0) await tx.delete(sessions).where(inArray(sessions.tokenHash, rows.map((r) => r.accessTokenHash)));
  }

  /**
   * Ends a family's access sessions. 'revoke' keeps its refresh tokens, all spent, so a later replay is still
   * recognised as reuse; 'delete' (sign-out) removes them, so a later replay is merely an unknown token.
   */
  private async endFamily(tx: Tx, familyId: string, how: 'revoke' | 'delete') {
    const rows = how === 'revoke'
      ? await tx.update(appRefreshTokens).set({ usedAt: sql`coalesce(${appRefreshTokens.usedAt}, ${this.o.clock.now().toISOString()}::timestamptz)` })
        .where(eq(appRefreshTokens.familyId, familyId)).returning({ accessTokenHash: appRefreshTokens.accessTokenHash })
      : await tx.delete(appRefreshTokens).where(eq(appRefreshTokens.familyId, familyId)).returning({ accessTokenHash: appRefreshTokens.accessTokenHash });
    if (rows.length > 0) await tx.delete(sessions).where(inArray(sessions.tokenHash, rows.map((r) => r.accessTokenHash)));
  }
}

/** Serialises every change to one family, so a revocation also sees a pair issued by a refresh it raced with. */
async function lockFamily(tx: Tx, familyId: string) {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`app-family:${familyId}`}))`);
}
