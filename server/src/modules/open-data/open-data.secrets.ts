/**
 * Secrets of the open dataset. The published id is HMAC-SHA256(secret, municipality id : appeal uuid), not the
 * registration number: that number is printed on the resident's letters and receipts, so publishing it would let
 * anyone holding one letter find that resident's row; nor the uuid, which appears in residents' links.
 * Cursors of the public API carry the internal keyset position, so they are sealed (AES-256-GCM) with a key
 * derived from the same secret.
 */
import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export class OpenDataSecrets {
  private readonly cursorKey: Buffer;
  constructor(private readonly secret: string) {
    this.cursorKey = createHmac('sha256', secret).update('open-data cursor key').digest();
  }

  pseudonym(municipalityId: string, appealId: string): string {
    // 80 bits: no collision in practice below billions of appeals, and short enough for a spreadsheet.
    return createHmac('sha256', this.secret).update(`${municipalityId}:${appealId}`).digest('hex').slice(0, 20);
  }

  seal(value: unknown): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.cursorKey, iv);
    const body = Buffer.concat([cipher.update(JSON.stringify(value), 'utf8'), cipher.final()]);
    return Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url');
  }

  /** The sealed value, or null for anything not sealed by this installation (garbage, tampering). */
  unseal(token: string): unknown {
    try {
      const raw = Buffer.from(token, 'base64url');
      if (raw.length < 29) return null;
      const decipher = createDecipheriv('aes-256-gcm', this.cursorKey, raw.subarray(0, 12));
      decipher.setAuthTag(raw.subarray(12, 28));
      return JSON.parse(Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8'));
    } catch {
      return null;
    }
  }
}

/**
 * OPEN_DATA_SALT when set (needed when several hosts publish); otherwise a secret generated once and kept under
 * DATA_DIR/open-data/.secret, so ids stay stable across restarts of a single-host install.
 */
export async function loadOpenDataSecrets(configured: string | undefined, dataDir: string): Promise<OpenDataSecrets> {
  if (configured) return new OpenDataSecrets(configured);
  const dir = join(dataDir, 'open-data');
  const file = join(dir, '.secret');
  await mkdir(dir, { recursive: true });
  try {
    await writeFile(file, randomBytes(32).toString('hex'), { flag: 'wx', mode: 0o600 });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
  return new OpenDataSecrets((await readFile(file, 'utf8')).trim());
}
