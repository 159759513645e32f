/**
 * What a file really is, from its first bytes: a browser's or client's declared Content-Type is only a claim.
 * Covers the types the platform accepts (photos, scans, PDF).
 */
import type { Readable } from 'node:stream';

export function sniffContentType(head: Buffer): string | null {
  if (head.length >= 3 && head[0] === 0xff && head[1] === 0xd8 && head[2] === 0xff) return 'image/jpeg';
  if (head.length >= 8 && head.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'image/png';
  if (head.length >= 12 && head.toString('latin1', 0, 4) === 'RIFF' && head.toString('latin1', 8, 12) === 'WEBP') return 'image/webp';
  if (head.length >= 5 && head.toString('latin1', 0, 5) === '%PDF-') return 'application/pdf';
  // HEIC/HEIF: an ISO media file whose brand is one of Apple's image brands.
  if (head.length >= 12 && head.toString('latin1', 4, 8) === 'ftyp' && /^(heic|heix|heim|heis|mif1|msf1|hevc)$/.test(head.toString('latin1', 8, 12))) return 'image/heic';
  return null;
}

/** The first `n` bytes of a stream (which is then closed). */
export async function readHead(stream: Readable, n = 16): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    chunks.push(chunk as Buffer);
    size += (chunk as Buffer).length;
    if (size >= n) break;
  }
  stream.destroy();
  return Buffer.concat(chunks).subarray(0, n);
}
