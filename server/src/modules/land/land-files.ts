/**
 * Files of the land dialogue (a plot's documents, a proposal's sketches): storing an upload whose content must be
 * what its declared type says, and sending one back. Shared by plots and proposals.
 */
import type { Readable } from 'node:stream';
import type { FastifyReply } from 'fastify';
import { AppError } from '../../platform/http/errors.js';
import { FileTooLargeError, type FileStorage } from '../../platform/files/file-storage.js';
import { readHead, sniffContentType } from '../../platform/files/file-signature.js';

/**
 * Stores the stream within `maxBytes` (413 beyond); a file whose first bytes are not of `contentType` is removed
 * again and refused with `typeError` (a .exe renamed .pdf never stays).
 */
export async function storeCheckedUpload(storage: FileStorage, stream: Readable, contentType: string, maxBytes: number, typeError: () => AppError) {
  let stored;
  try {
    stored = await storage.put(stream, maxBytes);
  } catch (err) {
    if (err instanceof FileTooLargeError) throw new AppError(413, 'file_too_large', 'error.file_too_large', { limit: maxBytes });
    throw err;
  }
  if (sniffContentType(await readHead(await storage.get(stored.key))) !== contentType) {
    await storage.remove(stored.key);
    throw typeError();
  }
  return stored;
}

/** Sends a stored file inline, with its type fixed (nosniff) and its name encoded for any language. */
export async function sendLandFile(reply: FastifyReply, storage: FileStorage,
  file: { storageKey: string; contentType: string; sizeBytes: number; fileName: string }) {
  const stream = await storage.get(file.storageKey);
  return reply
    .header('content-type', file.contentType)
    .header('content-length', String(file.sizeBytes))
    .header('content-disposition', `inline; filename*=UTF-8''${encodeURIComponent(file.fileName)}`)
    .header('x-content-type-options', 'nosniff')
    .header('cache-control', 'public, max-age=300')
    .send(stream as unknown as string);
}
