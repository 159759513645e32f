/**
 * The appeals module's use cases, wired to their dependencies once. Routes call these; these never see HTTP.
 */
import { and, eq } from 'drizzle-orm';
import type { Readable } from 'node:stream';
import type { Db } from '../../platform/db/database.js';
import { appealNotes, appeals, attachments } from '../../platform/db/schema.js';
import { writeAudit, type Actor } from '../../platform/audit.js';
import { AppError, errors } from '../../platform/http/errors.js';
import type { Clock } from '../../platform/clock.js';
import { FileTooLargeError, type FileStorage } from '../../platform/files/file-storage.js';
import { readHead, sniffContentType } from '../../platform/files/file-signature.js';
import type { WorkingTime } from '../deadlines/working-time.js';
import type { DirectoryCache } from '../directory/directory.cache.js';
import type { Municipality } from '../municipalities/municipalities.service.js';
import type { StaffPrincipal } from '../auth/principal.js';
import { registerAppeal, type RegisterAppealInput } from './register-appeal.js';
import { changeAppealStatus, canActOn, type ActionPayload } from './change-appeal-status.js';
import { loadAppeal } from './appeals.queries.js';
import type { RegistrationNumbers } from './registration-numbers.js';

export interface AppealsServiceDeps {
  db: Db; clock: Clock; workingTime: WorkingTime; directory: DirectoryCache; storage: FileStorage; uploadMaxBytes: number;
  numbers: RegistrationNumbers;
}

/** Photos, scans and documents; what a phone camera, a scanner and an office produce. */
export const ALLOWED_FILE_TYPES = ['image/jpeg', 'image/png', 'image/webp', 'image/heic', 'application/pdf'];

export class AppealsService {
  constructor(private readonly d: AppealsServiceDeps) {}

  register(m: Municipality, input: RegisterAppealInput, actor: Actor) {
    return registerAppeal(this.d, m, input, actor);
  }

  change(m: Municipality, appealId: string, staff: StaffPrincipal, payload: ActionPayload, expectedVersion?: number) {
    return changeAppealStatus(this.d, m.id, m.timezone, appealId, staff, payload, expectedVersion);
  }

  async addNote(m: Municipality, appealId: string, staff: StaffPrincipal, body: string) {
    return this.d.db.transaction(async (tx) => {
      const [appeal] = await tx.select({ id: appeals.id, serviceId: appeals.serviceId }).from(appeals)
        .where(and(eq(appeals.municipalityId, m.id), eq(appeals.id, appealId))).limit(1);
      if (!appeal) throw errors.notFound('appeal');
      if (!canActOn(staff, appeal) && !staff.roles.includes('analyst')) throw new AppError(403, 'not_in_your_service', 'error.not_in_your_service');
      const [note] = await tx.insert(appealNotes).values({ municipalityId: m.id, appealId, authorId: staff.id, body, createdAt: this.d.clock.now() }).returning();
      await writeAudit(tx, { municipalityId: m.id, actor: { kind: 'staff', id: staff.id }, entityType: 'appeal', entityId: appealId,
        action: 'add_note', after: { noteId: note!.id }, at: this.d.clock.now() });
      return note!;
    });
  }

  /** Marks an appeal as a duplicate of, or a repeat of, another appeal of the same municipality. */
  async link(m: Municipality, appealId: string, staff: StaffPrincipal, links: { duplicateOfId?: string | null | undefined; repeatOfId?: string | null | undefined }) {
    return this.d.db.transaction(async (tx) => {
      const [appeal] = await tx.select().from(appeals).where(and(eq(appeals.municipalityId, m.id), eq(appeals.id, appealId))).for('update').limit(1);
      if (!appeal) throw errors.notFound('appeal');
      if (!canActOn(staff, appeal)) throw new AppError(403, 'not_in_your_service', 'error.not_in_your_service');
      const changes: { duplicateOfId?: string | null; repeatOfId?: string | null } = {};
      for (const field of ['duplicateOfId', 'repeatOfId'] as const) {
        const target = links[field];
        if (target === undefined) continue;
        if (target === appealId) throw errors.invalidReference(field);
        if (target) {
          const [other] = await tx.select({ id: appeals.id }).from(appeals).where(and(eq(appeals.municipalityId, m.id), eq(appeals.id, target))).limit(1);
          if (!other) throw errors.invalidReference(field);
        }
        changes[field] = target;
      }
      if (Object.keys(changes).length === 0) return appeal;
      const now = this.d.clock.now();
      const [updated] = await tx.update(appeals).set({ ...changes, version: appeal.version + 1, updatedAt: now })
        .where(and(eq(appeals.municipalityId, m.id), eq(appeals.id, appealId))).returning();
      await writeAudit(tx, { municipalityId: m.id, actor: { kind: 'staff', id: staff.id }, entityType: 'appeal', entityId: appealId,
        action: 'link', before: { duplicateOfId: appeal.duplicateOfId, repeatOfId: appeal.repeatOfId }, after: changes, at: now });
      return updated!;
    });
  }

  /** Stores a file for an appeal (or for one of its answers). The file is written first, then recorded. */
  async attach(m: Municipality, appealId: string, actor: Actor, file: { fileName: string; contentType: string; stream: Readable }, answerId?: string) {
    if (!ALLOWED_FILE_TYPES.includes(file.contentType)) {
      file.stream.resume();
      throw new AppError(415, 'file_type_not_allowed', 'error.file_type_not_allowed', { allowed: ALLOWED_FILE_TYPES.join(', ') });
    }
    const appeal = await loadAppeal(this.d.db, m.id, appealId);
    if (!appeal) { file.stream.resume(); throw errors.notFound('appeal'); }
    let stored;
    try {
      stored = await this.d.storage.put(file.stream, this.d.uploadMaxBytes);
    } catch (err) {
      if (err instanceof FileTooLargeError) throw new AppError(413, 'file_too_large', 'error.file_too_large', { limit: this.d.uploadMaxBytes });
      throw err;
    }
    // The declared type is the client's claim; the bytes must agree (a .exe renamed to .jpg is refused).
    const actual = sniffContentType(await readHead(await this.d.storage.get(stored.key)));
    if (actual !== file.contentType && !(actual === 'image/heic' && file.contentType === 'image/heif')) {
      await this.d.storage.remove(stored.key);
      throw new AppError(415, 'file_type_not_allowed', 'error.file_type_not_allowed', { allowed: ALLOWED_FILE_TYPES.join(', ') });
    }
    const now = this.d.clock.now();
    try {
      return await this.d.db.transaction(async (tx) => {
        const [row] = await tx.insert(attachments).values({
          municipalityId: m.id, appealId, answerId: answerId ?? null, fileName: file.fileName.slice(0, 200), contentType: file.contentType,
          sizeBytes: stored.sizeBytes, sha256: stored.sha256, storageKey: stored.key, uploadedByKind: actor.kind, uploadedById: actor.id, createdAt: now,
        }).returning();
        await writeAudit(tx, { municipalityId: m.id, actor, entityType: 'appeal', entityId: appealId, action: 'attach',
          after: { attachmentId: row!.id, contentType: file.contentType, sizeBytes: stored.sizeBytes, answerId: answerId ?? null }, at: now });
        return row!;
      });
    } catch (err) {
      await this.d.storage.remove(stored.key);
      throw err;
    }
  }

  async attachment(m: Municipality, id: string) {
    const [row] = await this.d.db.select().from(attachments).where(and(eq(attachments.municipalityId, m.id), eq(attachments.id, id))).limit(1);
    return row ?? null;
  }

  openFile(key: string) { return this.d.storage.get(key); }
}
