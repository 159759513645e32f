/**
 * An XLSX's shared-string table, looked up by index while the sheet streams. Excel puts every distinct text of
 * the workbook there, so a journal of 1M rows with a description each has 1M+ entries, hundreds of MB as JS
 * strings. The table is therefore kept in memory only up to a budget; the entries past it are appended to a spill
 * file (UTF-8) with an index file of (offset, length) per entry, and read back with positioned reads through a
 * window each. Excel writes the table in order of first use, so the repeated values (categories, districts, kinds)
 * sit in the in-memory head, and the spilled ones are mostly asked for in file order: a read continuing the window
 * fetches a large one, so most lookups are a memory copy. A sheet sorted after it was typed asks in random order;
 * then each lookup reads only a few KB (two positioned reads, served by the OS page cache).
 */
import { closeSync, openSync, readSync, writeSync } from 'node:fs';
import { join } from 'node:path';

export class SharedStringsError extends Error {}

/** Roughly what a JS string costs beyond its characters (header, array slot). */
const STRING_OVERHEAD = 40;
const INDEX_ENTRY = 12; // float64 offset + uint32 byte length
const WINDOW = 256 * 1024;
/** A read that does not continue the window is a jump (a sheet sorted after entry): read little. */
const JUMP_READ = 4096;
/** The spill file may not outgrow the largest upload: a small, highly compressed file must not fill the disk. */
const MAX_SPILL_BYTES = 4 * 1024 ** 3;

export class SharedStrings {
  private readonly head: string[] = [];
  private headBytes = 0;
  private spilled = 0;
  private spill: { data: SpillFile; index: SpillFile } | null = null;

  /** @param dir a private temporary directory the spill files may be created in (the caller deletes it). */
  constructor(private readonly dir: string, private readonly memoryBytes = 16 * 1024 ** 2) {}

  get size(): number { return this.head.length + this.spilled; }
  get spilledCount(): number { return this.spilled; }

  add(s: string): void {
    if (this.spill === null) {
      const cost = s.length * 2 + STRING_OVERHEAD;
      if (this.headBytes + cost <= this.memoryBytes) { this.head.push(s); this.headBytes += cost; return; }
      this.spill = { data: new SpillFile(join(this.dir, 'strings.dat')), index: new SpillFile(join(this.dir, 'strings.idx')) };
    }
    const bytes = Buffer.from(s, 'utf8');
    const entry = Buffer.allocUnsafe(INDEX_ENTRY);
    entry.writeDoubleLE(this.spill.data.length, 0);
    entry.writeUInt32LE(bytes.length, 8);
    this.spill.data.append(bytes);
    this.spill.index.append(entry);
    if (this.spill.data.length > MAX_SPILL_BYTES) throw new SharedStringsError('the shared strings are too large');
    this.spilled++;
  }

  /** Call once the table is complete, before the first lookup. */
  seal(): void { this.spill?.data.flush(); this.spill?.index.flush(); }

  /** undefined for an index the table does not have. */
  get(i: number): string | undefined {
    if (i < this.head.length) return this.head[i];
    const k = i - this.head.length;
    if (!this.spill || k >= this.spilled || !Number.isInteger(k)) return undefined;
    const entry = this.spill.index.read(k * INDEX_ENTRY, INDEX_ENTRY);
    const offset = entry.readDoubleLE(0);
    const length = entry.readUInt32LE(8);
    return this.spill.data.read(offset, length).toString('utf8');
  }

  close(): void { this.spill?.data.close(); this.spill?.index.close(); this.spill = null; }
}

/** An append-only file with a write buffer, then read through a window. Synchronous: lookups happen mid-parse. */
class SpillFile {
  private readonly fd: number;
  private readonly buf = Buffer.allocUnsafe(WINDOW);
  private used = 0;
  private written = 0;
  private windowStart = -1;
  private windowLength = 0;
  private readonly window = Buffer.allocUnsafe(WINDOW);

  constructor(path: string) { this.fd = openSync(path, 'wx+', 0o600); }

  get length(): number { return this.written + this.used; }

  append(bytes: Buffer): void {
    if (this.used + bytes.length > this.buf.length) this.flush();
    if (bytes.length > this.buf.length) { this.writeAll(bytes); return; }
    bytes.copy(this.buf, this.used);
    this.used += bytes.length;
  }

  flush(): void {
    if (this.used === 0) return;
    this.writeAll(this.buf.subarray(0, this.used));
    this.used = 0;
  }

  read(position: number, length: number): Buffer {
    if (length > WINDOW) return this.readAt(Buffer.allocUnsafe(length), position);
    const windowEnd = this.windowStart + this.windowLength;
    if (position < this.windowStart || position + length > windowEnd) {
      const size = position === windowEnd ? WINDOW : Math.max(length, JUMP_READ);
      this.windowLength = this.readAt(this.window.subarray(0, size), position).length;
      this.windowStart = position;
    }
    return this.window.subarray(position - this.windowStart, position - this.windowStart + length);
  }

  close(): void { closeSync(this.fd); }

  private writeAll(bytes: Buffer) {
    for (let off = 0; off < bytes.length;) off += writeSync(this.fd, bytes, off, bytes.length - off, this.written + off);
    this.written += bytes.length;
  }

  private readAt(target: Buffer, position: number): Buffer {
    let got = 0;
    while (got < target.length) {
      const n = readSync(this.fd, target, got, target.length - got, position + got);
      if (n === 0) break;
      got += n;
    }
    return target.subarray(0, got);
  }
}
