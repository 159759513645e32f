import { describe, expect, it } from 'vitest';
import { CsvFormatError, csvRecords } from './csv-stream.js';
import { compileDateFormat, toInstant, ZoneOffsets } from './import-mapping.js';

async function parse(chunks: (string | Buffer)[], delimiter?: string): Promise<string[][]> {
  const out: string[][] = [];
  async function* gen() { for (const c of chunks) yield typeof c === 'string' ? Buffer.from(c, 'utf8') : c; }
  for await (const group of csvRecords(gen(), delimiter ? { delimiter } : {})) out.push(...group);
  return out;
}

/** Every way of cutting the text into two chunks gives the same records. */
async function parseEverySplit(text: string): Promise<string[][]> {
  const bytes = Buffer.from(text, 'utf8');
  const whole = await parse([bytes]);
  for (let i = 1; i < bytes.length; i++) expect(await parse([bytes.subarray(0, i), bytes.subarray(i)])).toEqual(whole);
  return whole;
}

describe('csvRecords (RFC 4180, streamed)', () => {
  it('reads quoted fields with commas, doubled quotes and line breaks, CRLF and LF, whatever the chunking', async () => {
    const text = 'id,text,n\r\n1,"a, b",2\r\n2,"say ""hi""\nand go",3\n3,,\n';
    expect(await parseEverySplit(text)).toEqual([
      ['id', 'text', 'n'], ['1', 'a, b', '2'], ['2', 'say "hi"\nand go', '3'], ['3', '', ''],
    ]);
  });

  it('strips a UTF-8 byte-order mark and joins multi-byte characters split across chunks', async () => {
    const text = '\uFEFFном,текст\n1,"Жолдогу чуңкур"\n';
    expect(await parseEverySplit(text)).toEqual([['ном', 'текст'], ['1', 'Жолдогу чуңкур']]);
  });

  it('takes a last record without a final line break, skips blank lines, reads other delimiters', async () => {
    expect(await parse(['a;b\n\n1;"x;y"'], ';')).toEqual([['a', 'b'], ['1', 'x;y']]);
  });

  it('refuses a file whose quote never closes', async () => {
    await expect(parse(['a,b\n1,"never closed\n2,3\n'])).rejects.toBeInstanceOf(CsvFormatError);
  });
});

describe('date formats', () => {
  const zone = new ZoneOffsets('Asia/Bishkek');
  it('reads day-first, US 12-hour and ISO dates as local times of the city', () => {
    const at = (format: string, text: string) => { const t = compileDateFormat(format)(text); return t && toInstant(t, zone); };
    expect(at('DD.MM.YYYY', '05.03.2019')).toEqual({ ms: Date.parse('2019-03-04T18:00:00Z'), date: '2019-03-05' });
    expect(at('MM/DD/YYYY hh:mm:ss A', '04/30/2014 02:51:52 PM')?.ms).toBe(Date.parse('2014-04-30T08:51:52Z'));
    expect(at('MM/DD/YYYY hh:mm:ss A', '04/30/2014 12:10:00 AM')?.date).toBe('2014-04-30');
    expect(at('iso', '2020-01-02T03:04:05Z')).toEqual({ ms: Date.parse('2020-01-02T03:04:05Z'), date: '2020-01-02' });
    expect(at('DD.MM.YYYY', '31.02.2019')).toBeNull();
    expect(at('DD.MM.YYYY', '2019-02-01')).toBeNull();
  });
});
