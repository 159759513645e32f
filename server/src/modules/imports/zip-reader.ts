/**
 * Reads entries of a ZIP archive on disk (an uploaded XLSX) one at a time as streams: the central directory gives
 * each entry's place and sizes (local headers of streaming writers say 0 and put the sizes after the data), stored
 * entries are copied, deflated ones inflated with node:zlib. ZIP64 sizes and offsets are understood; encryption and
 * other compression methods are refused. Every entry's CRC-32 and size are checked as it is read.
 */
import { createReadStream } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { createInflateRaw, crc32 } from 'node:zlib';

export type ZipProblem = 'not_zip' | 'truncated' | 'unsupported' | 'corrupt_data' | 'missing_entry';

export class ZipFormatError extends Error {
  constructor(readonly problem: ZipProblem, detail: string) { super(`${problem}: ${detail}`); }
}

export interface ZipEntry {
  name: string; method: number; flags: number; crc: number;
  compressedSize: number; size: number; localOffset: number;
}

const EOCD = 0x06054b50;
const EOCD64_LOCATOR = 0x07064b50;
const EOCD64 = 0x06064b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;
/** A central directory bigger than this is no spreadsheet (XLSX has a few dozen entries). */
const MAX_CENTRAL_BYTES = 16 * 1024 ** 2;

export class ZipFile {
  private constructor(private readonly path: string, private readonly fh: FileHandle, readonly entries: ReadonlyMap<string, ZipEntry>) {}

  static async open(path: string): Promise<ZipFile> {
    const fh = await open(path, 'r');
    try {
      return new ZipFile(path, fh, await readCentralDirectory(fh));
    } catch (err) {
      await fh.close();
      throw err;
    }
  }

  /** Names are matched case-insensitively: OPC part names are. */
  entry(name: string): ZipEntry | undefined { return this.entries.get(name.toLowerCase()); }

  async close(): Promise<void> { await this.fh.close(); }

  /** The entry's bytes, inflated, in chunks; a broken entry throws ZipFormatError while being read. */
  async *read(entry: ZipEntry): AsyncGenerator<Buffer> {
    const local = await readAt(this.fh, entry.localOffset, 30);
    if (local.length < 30 || local.readUInt32LE(0) !== LOCAL) throw new ZipFormatError('corrupt_data', `no local header for ${entry.name}`);
    const start = entry.localOffset + 30 + local.readUInt16LE(26) + local.readUInt16LE(28);
    const raw = entry.compressedSize === 0 ? null
      // A stream of its own (not of the shared handle, which it would close when done).
      : createReadStream(this.path, { start, end: start + entry.compressedSize - 1, highWaterMark: 64 * 1024 });
    let data: NodeJS.ReadableStream & { destroy(): void } | null = raw;
    if (raw && entry.method === 8) {
      const inflate = createInflateRaw({ chunkSize: 64 * 1024 });
      raw.on('error', (err) => inflate.destroy(err));
      data = raw.pipe(inflate);
    }
    let crc = 0;
    let size = 0;
    try {
      for await (const chunk of (data ?? []) as AsyncIterable<Buffer>) {
        size += chunk.length;
        // More than the directory promised: a damaged entry, or a bomb whose directory lies.
        if (size > entry.size) throw new ZipFormatError('corrupt_data', `${entry.name} is longer than its declared size`);
        crc = crc32(chunk, crc);
        yield chunk;
      }
    } catch (err) {
      if (err instanceof ZipFormatError) throw err;
      throw new ZipFormatError('corrupt_data', `${entry.name}: ${(err as Error).message}`);
    } finally {
      raw?.destroy();
      data?.destroy();
    }
    if (size !== entry.size || (crc >>> 0) !== entry.crc) throw new ZipFormatError('corrupt_data', `${entry.name} fails its CRC or size check`);
  }

  /** A small entry (workbook, relationships, styles) as text, refused past `maxBytes`. */
  async text(entry: ZipEntry, maxBytes = 32 * 1024 ** 2): Promise<string> {
    if (entry.size > maxBytes) throw new ZipFormatError('unsupported', `${entry.name} is too large`);
    const parts: Buffer[] = [];
    for await (const chunk of this.read(entry)) parts.push(chunk);
    return Buffer.concat(parts).toString('utf8');
  }
}

async function readAt(fh: FileHandle, position: number, length: number): Promise<Buffer> {
  const buf = Buffer.alloc(length);
  const { bytesRead } = await fh.read(buf, 0, length, position);
  return buf.subarray(0, bytesRead);
}

async function readCentralDirectory(fh: FileHandle): Promise<Map<string, ZipEntry>> {
  const { size } = await fh.stat();
  if (size < 22) throw new ZipFormatError('not_zip', 'too short');
  // The end record is the last 22 bytes plus a comment of up to 64 KB.
  const tailStart = Math.max(0, size - 22 - 0xffff);
  const tail = await readAt(fh, tailStart, size - tailStart);
  let at = -1;
  for (let i = tail.length - 22; i >= 0; i--) if (tail.readUInt32LE(i) === EOCD) { at = i; break; }
  if (at < 0) throw new ZipFormatError('not_zip', 'no end of central directory');
  let count = tail.readUInt16LE(at + 10);
  let dirSize = tail.readUInt32LE(at + 12);
  let dirOffset = tail.readUInt32LE(at + 16);
  if (count === 0xffff || dirSize === 0xffffffff || dirOffset === 0xffffffff) {
    const locAt = tailStart + at - 20;
    const loc = locAt >= 0 ? await readAt(fh, locAt, 20) : Buffer.alloc(0);
    if (loc.length < 20 || loc.readUInt32LE(0) !== EOCD64_LOCATOR) throw new ZipFormatError('truncated', 'no ZIP64 locator');
    const rec = await readAt(fh, Number(loc.readBigUInt64LE(8)), 56);
    if (rec.length < 56 || rec.readUInt32LE(0) !== EOCD64) throw new ZipFormatError('truncated', 'no ZIP64 end record');
    count = Number(rec.readBigUInt64LE(32));
    dirSize = Number(rec.readBigUInt64LE(40));
    dirOffset = Number(rec.readBigUInt64LE(48));
  }
  if (dirSize > MAX_CENTRAL_BYTES) throw new ZipFormatError('unsupported', 'central directory too large');
  if (dirOffset + dirSize > size) throw new ZipFormatError('truncated', 'central directory beyond the end of the file');
  const dir = await readAt(fh, dirOffset, dirSize);
  const entries = new Map<string, ZipEntry>();
  let p = 0;
  for (let k = 0; k < count; k++) {
    if (p + 46 > dir.length || dir.readUInt32LE(p) !== CENTRAL) throw new ZipFormatError('truncated', 'broken central directory');
    const flags = dir.readUInt16LE(p + 8);
    const nameLen = dir.readUInt16LE(p + 28);
    const extraLen = dir.readUInt16LE(p + 30);
    const commentLen = dir.readUInt16LE(p + 32);
    if (p + 46 + nameLen + extraLen > dir.length) throw new ZipFormatError('truncated', 'broken central directory');
    const name = dir.toString(flags & 0x800 ? 'utf8' : 'latin1', p + 46, p + 46 + nameLen);
    const e: ZipEntry = {
      name, flags, method: dir.readUInt16LE(p + 10), crc: dir.readUInt32LE(p + 16),
      compressedSize: dir.readUInt32LE(p + 20), size: dir.readUInt32LE(p + 24), localOffset: dir.readUInt32LE(p + 42),
    };
    applyZip64(e, dir.subarray(p + 46 + nameLen, p + 46 + nameLen + extraLen));
    p += 46 + nameLen + extraLen + commentLen;
    if (e.flags & 1) throw new ZipFormatError('unsupported', `${name} is encrypted`);
    if (e.method !== 0 && e.method !== 8) throw new ZipFormatError('unsupported', `${name}: compression method ${e.method}`);
    if (e.localOffset + 30 + e.compressedSize > size) throw new ZipFormatError('truncated', `${name} lies beyond the end of the file`);
    entries.set(name.replace(/^\/+/, '').toLowerCase(), e);
  }
  return entries;
}

/** ZIP64 extra field (0x0001): 64-bit values for exactly the fields that are 0xFFFFFFFF, in this order. */
function applyZip64(e: ZipEntry, extra: Buffer) {
  for (let q = 0; q + 4 <= extra.length;) {
    const id = extra.readUInt16LE(q);
    const len = extra.readUInt16LE(q + 2);
    if (id === 0x0001) {
      let r = q + 4;
      const next = () => { const v = r + 8 <= q + 4 + len ? Number(extra.readBigUInt64LE(r)) : NaN; r += 8; return v; };
      if (e.size === 0xffffffff) e.size = next();
      if (e.compressedSize === 0xffffffff) e.compressedSize = next();
      if (e.localOffset === 0xffffffff) e.localOffset = next();
      if ([e.size, e.compressedSize, e.localOffset].some(Number.isNaN)) throw new ZipFormatError('truncated', 'broken ZIP64 field');
      return;
    }
    q += 4 + len;
  }
}
