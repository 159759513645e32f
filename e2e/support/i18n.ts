/**
 * What a page in Kyrgyz or Russian must not show: a raw message key (i18next prints the key when a message is
 * missing), an unfilled {{placeholder}}, a raw enum value, or English left over from the English catalogs.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { repoRoot } from './server.js';
import type { Lang } from './browser.js';

const LOCALES_DIR = join(repoRoot, 'web/src/i18n/locales');
const PLURAL_SUFFIX = /_(zero|one|two|few|many|other)$/;

type Catalog = Record<string, unknown>;

/** Every catalog: language → namespace → nested messages. */
export function loadCatalogs(): Record<string, Record<string, Catalog>> {
  const out: Record<string, Record<string, Catalog>> = {};
  for (const lang of readdirSync(LOCALES_DIR)) {
    out[lang] = {};
    for (const file of readdirSync(join(LOCALES_DIR, lang)).filter((f) => f.endsWith('.json'))) {
      out[lang]![file.replace(/\.json$/, '')] = JSON.parse(readFileSync(join(LOCALES_DIR, lang, file), 'utf8')) as Catalog;
    }
  }
  return out;
}

function flatten(obj: Catalog, prefix = '', into: Map<string, string> = new Map()): Map<string, string> {
  for (const [k, v] of Object.entries(obj)) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (v && typeof v === 'object') flatten(v as Catalog, key, into);
    else into.set(key, String(v));
  }
  return into;
}

/** Latin words (with digits and inner hyphens/apostrophes), as a text shows them. */
const LATIN_WORD = /[A-Za-z][A-Za-z0-9]*(?:['’-][A-Za-z0-9]+)*/g;

/** Words that may appear on any page whatever its language: the brand, standards, formats, products. */
const ALLOWED_WORDS = new Set([
  'shaar', 'open311', 'openstreetmap', 'geojson', 'leaflet', 'json', 'csv', 'api', 'url', 'http', 'https', 'pdf', 'jpeg', 'jpg', 'png',
  'webp', 'heic', 'ctrl', 'enter', 'esc', 'escape', 'tab', 'shift', 'e-mail', 'email', 'sms', 'wcag', 'osm', 'id', 'ok', 'tunduk',
  'english', 'bishkek', 'osh', 'example', 'kg',
]);

export interface I18nIndex {
  /** Every message key (with and without plural suffixes), without namespace. */
  keys: Set<string>;
  /** The first parts of keys (e.g. "inbox", "appeal"): a dotted word starting with one is a missing key's output. */
  roots: Set<string>;
  /** English messages' fragments of 4 words or more, between placeholders. */
  englishPhrases: string[];
  /** Per language: English words (lower case) that the language's own catalogs never use. */
  foreignWords: Record<string, Set<string>>;
}

export function buildIndex(): I18nIndex {
  const catalogs = loadCatalogs();
  const keys = new Set<string>();
  const roots = new Set<string>();
  const wordsByLang: Record<string, Set<string>> = {};
  const english: string[] = [];
  for (const [lang, namespaces] of Object.entries(catalogs)) {
    wordsByLang[lang] = new Set();
    for (const catalog of Object.values(namespaces)) {
      for (const [key, value] of flatten(catalog)) {
        keys.add(key);
        keys.add(key.replace(PLURAL_SUFFIX, ''));
        roots.add(key.split('.')[0]!);
        const text = value.replace(/\{\{[^}]*\}\}/g, ' ');
        for (const w of text.match(LATIN_WORD) ?? []) wordsByLang[lang]!.add(w.toLowerCase());
        if (lang === 'en') english.push(value);
      }
    }
  }
  const englishPhrases = new Set<string>();
  for (const value of english) {
    for (const part of value.split(/\{\{[^}]*\}\}|[\n:;()«»“”"]/)) {
      const phrase = part.trim().replace(/[\s.,!?…–—-]+$/, '').replace(/^[\s.,!?…–—-]+/, '').replace(/\s+/g, ' ');
      if (phrase.split(' ').filter((w) => /[A-Za-z]/.test(w)).length >= 4) englishPhrases.add(phrase);
    }
  }
  const foreignWords: Record<string, Set<string>> = {};
  for (const lang of Object.keys(catalogs).filter((l) => l !== 'en')) {
    foreignWords[lang] = new Set([...wordsByLang.en!].filter((w) => w.length >= 3 && !wordsByLang[lang]!.has(w) && !ALLOWED_WORDS.has(w)));
  }
  return { keys, roots, englishPhrases: [...englishPhrases].sort((a, b) => b.length - a.length), foreignWords };
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** `text` where it is not part of a longer word. */
const wholeWord = (text: string) => new RegExp(`(?<![\\p{L}\\p{N}])${escapeRegExp(text)}(?![\\p{L}\\p{N}])`, 'gu');

/**
 * Everything a user can read or hear on the page now: visible text, titles, labels, alternative texts, options —
 * less what is data rather than interface: identifiers shown as <code>, and the `data` strings given (keywords, notes).
 */
export async function readableText(page: Page, data: readonly string[] = []): Promise<string[]> {
  const { texts, codes } = await page.evaluate(() => {
    const out = [document.title, document.body.innerText];
    for (const el of document.querySelectorAll<HTMLElement>('[aria-label], [title], [placeholder], [alt], [aria-description], optgroup[label]')) {
      for (const a of ['aria-label', 'title', 'placeholder', 'alt', 'aria-description', 'label']) {
        const v = el.getAttribute(a);
        if (v && (a !== 'label' || el.tagName === 'OPTGROUP')) out.push(v);
      }
    }
    for (const o of document.querySelectorAll('option')) out.push(o.textContent ?? '');
    return { texts: out.filter((s) => s.trim()), codes: [...document.querySelectorAll('code')].map((c) => c.textContent ?? '') };
  });
  // Whole words only: the keyword "свет" is data, the "свет" in «Бишкексвет» is not.
  const remove = [...new Set([...codes, ...data])].filter((d) => d.trim().length > 0).sort((a, b) => b.length - a.length)
    .map(wholeWord);
  return texts.map((t) => remove.reduce((acc, re) => acc.replace(re, ' '), t));
}

/** Text without what is data, not interface: e-mail addresses, web addresses, registration numbers, file names. */
function withoutData(text: string): string {
  return text
    .replace(/\S+@\S+\.\w+/g, ' ')
    .replace(/https?:\/\/\S+/g, ' ')
    .replace(/\b(?:www\.)?[\w-]+\.(?:org|com|kg|example|net)\b/g, ' ')
    .replace(/\b[A-Z]{2,4}-\d{4}-\d{3,}\b/g, ' ')
    .replace(/[\w.-]+\.(?:png|jpe?g|pdf|webp|heic|json|csv|geojson)\b/gi, ' ');
}

export interface Offender { kind: 'raw key' | 'placeholder' | 'raw value' | 'English' | 'Russian date'; text: string; context: string }

function contextOf(text: string, index: number, length: number): string {
  return text.slice(Math.max(0, index - 40), index + length + 40).replace(/\s+/g, ' ').trim();
}

/** The raw keys, placeholders, raw enum values and leftover English in `texts` shown in `lang`. */
export function findOffenders(texts: string[], lang: Lang, index: I18nIndex): Offender[] {
  const found = new Map<string, Offender>();
  const add = (o: Offender) => { const k = `${o.kind}|${o.text}`; if (!found.has(k)) found.set(k, o); };
  for (const raw of texts) {
    const text = withoutData(raw);
    for (const m of text.matchAll(/\b[a-z][a-zA-Z]*(?:\.[a-zA-Z_][a-zA-Z0-9_]*)+\b/g)) {
      const key = m[0].replace(/^(common|resident|staff|admin):/, '');
      if (index.keys.has(key) || index.keys.has(key.replace(PLURAL_SUFFIX, '')) || index.roots.has(key.split('.')[0]!)) {
        add({ kind: 'raw key', text: m[0], context: contextOf(text, m.index, m[0].length) });
      }
    }
    for (const m of text.matchAll(/\{\{\s*[\w.]+\s*\}\}|returned an object instead of string/g)) {
      add({ kind: 'placeholder', text: m[0], context: contextOf(text, m.index, m[0].length) });
    }
    for (const m of text.matchAll(/\b[a-z]{2,}(?:_[a-z0-9]+)+\b/g)) {
      add({ kind: 'raw value', text: m[0], context: contextOf(text, m.index, m[0].length) });
    }
    if (lang !== 'en') {
      for (const phrase of index.englishPhrases) {
        const at = text.indexOf(phrase);
        if (at >= 0) add({ kind: 'English', text: phrase, context: contextOf(text, at, phrase.length) });
      }
      if (lang === 'ky') {
        // A Kyrgyz page writes dates as "2026-ж., 24-ноябрь" (i18n/index.ts formatDate); a Russian one is a leftover.
        for (const m of text.matchAll(/\d{1,2} (?:января|февраля|марта|апреля|мая|июня|июля|августа|сентября|октября|ноября|декабря)(?: \d{4} г\.)?/g)) {
          add({ kind: 'Russian date', text: m[0], context: contextOf(text, m.index, m[0].length) });
        }
      }
      const foreign = index.foreignWords[lang]!;
      for (const m of text.matchAll(LATIN_WORD)) {
        // A word inside an identifier (inbox.title, in_progress, {{count}}) is reported above as what it is.
        const before = text[m.index - 1] ?? ' ';
        const after = text[m.index + m[0].length] ?? ' ';
        if (/[._:{]/.test(before) || /[_}]/.test(after) || (after === '.' && /\w/.test(text[m.index + m[0].length + 1] ?? ''))) continue;
        if (foreign.has(m[0].toLowerCase())) add({ kind: 'English', text: m[0], context: contextOf(text, m.index, m[0].length) });
      }
    }
  }
  return [...found.values()];
}
