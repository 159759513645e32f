/**
 * Writes a city's open dataset under DATA_DIR/open-data/<slug>/: appeals.csv, appeals.json and datapackage.json
 * (Frictionless tabular data package). Rows are streamed batch by batch into temporary files that are renamed
 * into place at the end, so readers never see a half-written file and memory stays flat at any size.
 */
import { createHash } from 'node:crypto';
import { mkdir, open, readFile, rename, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { LocalizedText } from '../../platform/db/schema.js';
import type { Db } from '../../platform/db/database.js';
import { OPEN_DATA_FIELDS, type OpenDataRow } from './open-data.fields.js';
import { readOpenDataBatch, type OpenDataCity, type OpenDataKey } from './open-data.queries.js';
import type { OpenDataSecrets } from './open-data.secrets.js';

export const OPEN_DATA_FILES = { csv: 'appeals.csv', json: 'appeals.json', package: 'datapackage.json' } as const;
const BATCH = 5000;

export const openDataDir = (dataDir: string, slug: string) => join(dataDir, 'open-data', slug);

function csvValue(v: OpenDataRow[keyof OpenDataRow]): string {
  if (v === null) return '';
  const s = String(v);
  return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}
const csvLine = (values: OpenDataRow[keyof OpenDataRow][]) => `${values.map(csvValue).join(',')}\r\n`;

/** Appends to a file while hashing and counting what was written. */
async function hashedWriter(path: string) {
  const handle = await open(path, 'w');
  const hash = createHash('sha256');
  let bytes = 0;
  return {
    async write(chunk: string) {
      const buf = Buffer.from(chunk, 'utf8');
      hash.update(buf);
      bytes += buf.length;
      await handle.write(buf);
    },
    async close() { await handle.close(); return { bytes, hash: `sha256:${hash.digest('hex')}` }; },
    async abort() { await handle.close().catch(() => undefined); },
  };
}

export interface RefreshResult { rows: number; lastModified: string }

export async function writeOpenData(
  db: Db, city: OpenDataCity & { name: LocalizedText }, secrets: OpenDataSecrets, dataDir: string, now: Date, sourceUrl: string,
): Promise<RefreshResult> {
  const dir = openDataDir(dataDir, city.slug);
  await mkdir(dir, { recursive: true });
  const suffix = `.tmp-${process.pid}-${now.getTime()}`;
  const csv = await hashedWriter(join(dir, OPEN_DATA_FILES.csv + suffix));
  const json = await hashedWriter(join(dir, OPEN_DATA_FILES.json + suffix));
  let rows = 0;
  try {
    await csv.write(csvLine(OPEN_DATA_FIELDS.map((f) => f.name)));
    await json.write('[');
    for (let after: OpenDataKey | null = null; ;) {
      const batch = await readOpenDataBatch(db, city, secrets, {}, after, BATCH);
      if (batch.rows.length === 0) break;
      await csv.write(batch.rows.map((r) => csvLine(OPEN_DATA_FIELDS.map((f) => r[f.name]))).join(''));
      await json.write(batch.rows.map((r, i) => `${rows + i === 0 ? '' : ','}\n${JSON.stringify(r)}`).join(''));
      rows += batch.rows.length;
      after = batch.keys.at(-1)!;
      if (batch.rows.length < BATCH) break;
    }
    await json.write('\n]\n');
  } catch (err) {
    await csv.abort();
    await json.abort();
    throw err;
  }
  const csvInfo = await csv.close();
  const jsonInfo = await json.close();
  await rename(join(dir, OPEN_DATA_FILES.csv + suffix), join(dir, OPEN_DATA_FILES.csv));
  await rename(join(dir, OPEN_DATA_FILES.json + suffix), join(dir, OPEN_DATA_FILES.json));
  const lastModified = now.toISOString();
  const pkg = dataPackage(city, { csv: csvInfo, json: jsonInfo }, rows, lastModified, sourceUrl);
  const pkgTmp = join(dir, OPEN_DATA_FILES.package + suffix);
  const handle = await open(pkgTmp, 'w');
  await handle.writeFile(`${JSON.stringify(pkg, null, 2)}\n`);
  await handle.close();
  // The package goes last: once it names a refresh, both data files of that refresh are in place.
  await rename(pkgTmp, join(dir, OPEN_DATA_FILES.package));
  return { rows, lastModified };
}

const TITLE = (n: LocalizedText): LocalizedText => ({
  en: `Residents' appeals to ${n.en} (anonymised)`,
  ru: `Обращения жителей: ${n.ru} (обезличенные)`,
  ky: `Тургундардын кайрылуулары: ${n.ky} (жашыруун маалыматсыз)`,
});
const DESCRIPTION: LocalizedText = {
  en: 'One row per appeal registered under Law No. 67 of 2007: kind, channel and form, category, district, answering service, status, registration/due/answer/closure days, whether it was answered on time, and the resident\'s rating. No names, contacts, texts, addresses or attachments; places coarsened to an H3 cell of about 0.1 km²; dates to the day. Refreshed daily.',
  ru: 'Одна строка на обращение по Закону № 67 от 2007 года: вид, канал и форма, категория, район, отвечающая служба, статус, дни регистрации, срока, ответа и закрытия, соблюдён ли срок, оценка жителя. Без имён, контактов, текстов, адресов и вложений; место огрублено до ячейки H3 около 0,1 км²; даты до дня. Обновляется ежедневно.',
  ky: '2007-жылдагы № 67 Мыйзам боюнча ар бир кайрылууга бир сап: түрү, каналы жана формасы, категориясы, району, жооп берүүчү кызмат, абалы, катталган, мөөнөт, жооп жана жабылган күндөрү, мөөнөтүндө жооп берилдиби, тургундун баасы. Аттар, байланыштар, тексттер, даректер жана тиркемелер жок; орду болжол менен 0,1 км² H3 уячасына чейин тегеректелген; даталар күнгө чейин. Күн сайын жаңыланат.',
};

function dataPackage(
  city: OpenDataCity & { name: LocalizedText }, files: Record<'csv' | 'json', { bytes: number; hash: string }>,
  rows: number, lastModified: string, sourceUrl: string,
) {
  const schema = {
    fields: OPEN_DATA_FIELDS.map((f) => ({
      name: f.name, type: f.type, description: f.description,
      ...('required' in f && f.required ? { constraints: { required: true } } : {}),
    })),
    primaryKey: 'id',
    missingValues: [''],
  };
  const title = TITLE(city.name);
  return {
    profile: 'tabular-data-package',
    name: `shaar-${city.slug}-appeals`,
    title: title.en,
    description: DESCRIPTION.en,
    // Frictionless has one title and description; the city's own languages go in a namespaced property.
    'shaar:i18n': { title, description: DESCRIPTION },
    licenses: [{ name: 'CC-BY-4.0', title: 'Creative Commons Attribution 4.0 International', path: 'https://creativecommons.org/licenses/by/4.0/' }],
    sources: [{ title: `Shaar appeals registry of ${city.name.en}`, path: sourceUrl }],
    keywords: ['appeals', 'complaints', 'civic participation', 'open311', city.slug],
    created: lastModified,
    lastModified,
    'shaar:rows': rows,
    resources: [
      { profile: 'tabular-data-resource', name: 'appeals', path: OPEN_DATA_FILES.csv, format: 'csv', mediatype: 'text/csv', encoding: 'utf-8', ...files.csv, schema },
      { profile: 'tabular-data-resource', name: 'appeals-json', path: OPEN_DATA_FILES.json, format: 'json', mediatype: 'application/json', encoding: 'utf-8', ...files.json, schema },
    ],
  };
}

/** The last published package of a city, or null before the first refresh. */
export async function readDataPackage(dataDir: string, slug: string): Promise<Record<string, unknown> | null> {
  try {
    return JSON.parse(await readFile(join(openDataDir(dataDir, slug), OPEN_DATA_FILES.package), 'utf8')) as Record<string, unknown>;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
}

export async function publishedFile(dataDir: string, slug: string, name: string): Promise<{ path: string; size: number; mtime: Date } | null> {
  const path = join(openDataDir(dataDir, slug), name);
  try {
    const s = await stat(path);
    return { path, size: s.size, mtime: s.mtime };
  } catch {
    return null;
  }
}
