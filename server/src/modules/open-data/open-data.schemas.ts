/** zod schemas of the open-data routes (they are also the OpenAPI document). */
import { z } from 'zod';
import { IsoDate } from '../../platform/http/schemas.js';
import { OPEN_DATA_FIELDS, type OpenDataField } from './open-data.fields.js';

const fieldSchema = (f: OpenDataField) => {
  const base = f.type === 'integer' ? z.number().int() : f.type === 'boolean' ? z.boolean() : z.string();
  return (f.required ? base : base.nullable()).describe(f.description);
};

export const OpenDataRowOut = z.object(
  Object.fromEntries(OPEN_DATA_FIELDS.map((f) => [f.name, fieldSchema(f)])) as Record<string, z.ZodType>,
).describe('One appeal in the open dataset: no names, contacts, free text or exact places');

const Code = z.string().trim().min(1).max(100).regex(/^[a-z0-9._-]+$/);
export const OpenDataQuery = z.object({
  from: IsoDate.optional().describe('First registration day (city time), inclusive'),
  to: IsoDate.optional().describe('Last registration day (city time), inclusive'),
  category: Code.optional().describe('A category code or a category group code'),
  district: Code.optional().describe('A district code'),
  cursor: z.string().max(500).optional().describe('nextCursor of the previous page'),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
});

export const OpenDataPageOut = z.object({ items: z.array(OpenDataRowOut), nextCursor: z.string().nullable() });

const TableSchema = z.looseObject({
  fields: z.array(z.looseObject({ name: z.string(), type: z.string(), description: z.string().optional() })),
});
export const DataPackageOut = z.looseObject({
  profile: z.literal('tabular-data-package'),
  name: z.string(),
  title: z.string(),
  description: z.string(),
  licenses: z.array(z.looseObject({ name: z.string(), path: z.string() })),
  sources: z.array(z.looseObject({ title: z.string(), path: z.string() })),
  lastModified: z.string(),
  resources: z.array(z.looseObject({ name: z.string(), path: z.string(), format: z.string(), schema: TableSchema })),
}).describe('Frictionless tabular data package describing the published files');

export const RefreshQueuedOut = z.object({ queued: z.literal(true) });
