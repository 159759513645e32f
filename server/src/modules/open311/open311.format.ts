/**
 * Open311 GeoReport v2 answers in its two formats: JSON as is, XML by a small hand-written serializer (every text
 * escaped, element names fixed by the spec), and the spec's error bodies (errors/error with code and description).
 */
import type { FastifyReply } from 'fastify';

export type Format = 'json' | 'xml';

/** "services.json" → { name: 'services', format: 'json' }; an unknown or missing extension → null (the spec's 404). */
export function splitFormat(file: string): { name: string; format: Format } | null {
  const dot = file.lastIndexOf('.');
  if (dot <= 0) return null;
  const ext = file.slice(dot + 1).toLowerCase();
  if (ext !== 'json' && ext !== 'xml') return null;
  return { name: file.slice(0, dot), format: ext };
}

/** Escapes text for XML content and drops the characters XML 1.0 cannot carry at all. */
export function escapeXml(text: string): string {
  return text
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, '')
    .replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

/**
 * How arrays are spelled in XML: the element name of each item of a list field (attributes → attribute,
 * values → value, endpoints → endpoint, formats → format).
 */
const ITEM_NAMES: Record<string, string> = { attributes: 'attribute', values: 'value', endpoints: 'endpoint', formats: 'format' };

function element(name: string, value: unknown, indent: string): string {
  if (value === null || value === undefined) return `${indent}<${name}/>\n`;
  if (Array.isArray(value)) {
    const item = ITEM_NAMES[name] ?? 'item';
    if (value.length === 0) return `${indent}<${name}/>\n`;
    return `${indent}<${name}>\n${value.map((v) => element(item, v, `${indent}  `)).join('')}${indent}</${name}>\n`;
  }
  if (typeof value === 'object') {
    const inner = Object.entries(value as Record<string, unknown>).map(([k, v]) => element(k, v, `${indent}  `)).join('');
    return `${indent}<${name}>\n${inner}${indent}</${name}>\n`;
  }
  return `${indent}<${name}>${escapeXml(String(value))}</${name}>\n`;
}

/** A document: `<root>` holding one `<item>` per element of a list, or the fields of one object. */
export function toXml(root: string, body: unknown, itemName?: string): string {
  let inner: string;
  if (Array.isArray(body)) inner = body.map((b) => element(itemName ?? 'item', b, '  ')).join('');
  else inner = Object.entries(body as Record<string, unknown>).map(([k, v]) => element(k, v, '  ')).join('');
  return `<?xml version="1.0" encoding="utf-8"?>\n<${root}>\n${inner}</${root}>\n`;
}

export function send(reply: FastifyReply, format: Format, status: number, body: unknown, xml: { root: string; item?: string }) {
  reply.status(status);
  if (format === 'xml') return reply.type('text/xml; charset=utf-8').send(toXml(xml.root, body, xml.item));
  return reply.type('application/json; charset=utf-8').send(JSON.stringify(body));
}

/** The spec's error: 400 (bad input), 403 (bad api_key), 404 (not found); the description in the request's language. */
export class Open311Error extends Error {
  constructor(readonly status: 400 | 403 | 404, readonly description: string) { super(description); }
}

export function sendError(reply: FastifyReply, format: Format, status: number, descriptions: string[]) {
  return send(reply, format, status, descriptions.map((description) => ({ code: status, description })), { root: 'errors', item: 'error' });
}
