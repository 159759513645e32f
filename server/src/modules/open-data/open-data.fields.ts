/**
 * The fields of the public appeals dataset: one list drives the CSV header, the JSON rows, the datapackage's
 * table schema and the API's zod schema, so they cannot drift apart.
 *
 * What is left out, and why: names, contacts, addresses, subject, body, answers, attachments, staff and exact
 * coordinates identify people. Demographic profiles are left out too: an age band and a gender joined to a day,
 * a hexagon and a category single out a resident in a small street, so they are published only as suppressed
 * aggregates (analytics), never per row. Rating comments are free text; only the 1–5 score and "solved" go out.
 */
export interface OpenDataField {
  name: string;
  type: 'string' | 'date' | 'boolean' | 'integer';
  description: string;
  required?: boolean;
}

export const OPEN_DATA_FIELDS = [
  { name: 'id', type: 'string', required: true, description: 'Pseudonymous id of the appeal: an HMAC of its internal id with a secret of this installation; stable across refreshes, not reversible' },
  { name: 'municipality', type: 'string', required: true, description: 'Municipality slug' },
  { name: 'kind', type: 'string', required: true, description: 'proposal, statement or complaint (Law No. 67 of 2007)' },
  { name: 'channel', type: 'string', required: true, description: 'in_person, phone, letter, web, mobile_app, tunduk, open311, email, import' },
  { name: 'form', type: 'string', required: true, description: "The law's form of the appeal: oral, written or electronic" },
  { name: 'category', type: 'string', description: 'Category code (second level of the taxonomy)' },
  { name: 'category_group', type: 'string', description: 'Category group code (first level)' },
  { name: 'district', type: 'string', description: 'District code' },
  { name: 'service', type: 'string', description: 'Code of the city service that must answer' },
  { name: 'status', type: 'string', required: true, description: 'registered, assigned, in_progress, answered, closed, redirected, extended, without_consideration, reopened' },
  { name: 'registered_date', type: 'date', required: true, description: 'Day of registration in the city’s time zone' },
  { name: 'due_date', type: 'date', required: true, description: 'Legal due date of the answer (working days on the city calendar)' },
  { name: 'answered_date', type: 'date', description: 'Day of the latest answer, city time' },
  { name: 'closed_date', type: 'date', description: 'Day of closure, city time' },
  { name: 'on_time', type: 'boolean', description: 'The latest answer came by its due date' },
  { name: 'working_days_to_answer', type: 'integer', description: 'Working days from the start of the term to the latest answer' },
  { name: 'h3_cell', type: 'string', description: 'H3 cell (resolution 9, about 0.1 km²) of the place; never the exact point' },
  { name: 'rating_overall', type: 'integer', description: "The resident's overall rating of the latest answer, 1–5" },
  { name: 'rating_solved', type: 'string', description: "The resident's verdict on the latest answer: yes, partly, no" },
] as const satisfies readonly OpenDataField[];

export type OpenDataFieldName = (typeof OPEN_DATA_FIELDS)[number]['name'];
export type OpenDataRow = Record<OpenDataFieldName, string | number | boolean | null>;

/** The H3 resolution of published places (res 9: hexagons of about 0.105 km²). */
export const OPEN_DATA_H3_RESOLUTION = 9;
