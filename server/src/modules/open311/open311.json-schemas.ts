/**
 * JSON Schemas (draft-07) of the Open311 GeoReport v2 answers, written from the specification's text
 * (wiki.open311.org/GeoReport_v2) for the conformance tests. Where the spec's examples and its official schemas
 * disagree (ids as numbers), the schemas win: identifiers are strings. Also covers what the official schemas do
 * not: errors, the answer to a POST, tokens, discovery and mySociety's servicerequestupdates.
 */
const nullable = (schema: Record<string, unknown>) => ({ anyOf: [schema, { type: 'null' }] });
const text = nullable({ type: 'string' });
const dateTime = { type: 'string', format: 'date-time' };

export const serviceSchema = {
  $id: 'shaar/service.json',
  type: 'object',
  required: ['service_code', 'service_name', 'metadata', 'type'],
  properties: {
    service_code: { type: 'string', minLength: 1 },
    service_name: { type: 'string', minLength: 1 },
    description: text,
    metadata: { type: 'boolean' },
    type: { enum: ['realtime', 'batch', 'blackbox'] },
    keywords: text,
    group: text,
  },
};

export const servicesSchema = { $id: 'shaar/services.json', type: 'array', items: { $ref: 'service.json' } };

export const serviceDefinitionSchema = {
  $id: 'shaar/service-definition.json',
  type: 'object',
  required: ['service_code', 'attributes'],
  properties: {
    service_code: { type: 'string' },
    attributes: {
      type: 'array',
      items: {
        type: 'object',
        required: ['variable', 'code', 'datatype', 'required'],
        properties: {
          variable: { type: 'boolean' },
          code: { type: 'string', minLength: 1 },
          datatype: { enum: ['string', 'number', 'datetime', 'text', 'singlevaluelist', 'multivaluelist'] },
          required: { type: 'boolean' },
          datatype_description: text,
          order: nullable({ type: 'integer', minimum: 1 }),
          description: text,
          values: {
            type: 'array',
            items: { type: 'object', required: ['key', 'name'], properties: { key: { type: 'string' }, name: { type: 'string' } } },
          },
        },
      },
    },
  },
};

export const requestSchema = {
  $id: 'shaar/request.json',
  type: 'object',
  required: ['service_request_id', 'status', 'service_code', 'requested_datetime'],
  properties: {
    service_request_id: { type: 'string', minLength: 1 },
    status: { enum: ['open', 'closed'] },
    status_notes: text,
    service_name: text,
    service_code: { type: 'string' },
    description: nullable({ type: 'string', maxLength: 4000 }),
    agency_responsible: text,
    service_notice: text,
    requested_datetime: dateTime,
    updated_datetime: nullable(dateTime),
    expected_datetime: nullable(dateTime),
    address: text,
    address_id: text,
    zipcode: text,
    lat: nullable({ type: 'number', minimum: -90, maximum: 90 }),
    long: nullable({ type: 'number', minimum: -180, maximum: 180 }),
    media_url: nullable({ type: 'string', format: 'uri' }),
  },
};

export const requestsSchema = { $id: 'shaar/requests.json', type: 'array', items: { $ref: 'request.json' } };

/** POST requests: each item carries the id (or a token to resolve later), a notice and the account. */
export const postResponseSchema = {
  $id: 'shaar/post-response.json',
  type: 'array',
  minItems: 1,
  items: {
    type: 'object',
    anyOf: [{ required: ['service_request_id'] }, { required: ['token'] }],
    properties: { service_request_id: { type: 'string' }, token: { type: 'string' }, service_notice: text, account_id: text },
  },
};

export const tokenSchema = {
  $id: 'shaar/token.json',
  type: 'array',
  items: { type: 'object', required: ['token'], properties: { service_request_id: text, token: { type: 'string' } } },
};

export const errorsSchema = {
  $id: 'shaar/errors.json',
  type: 'array',
  minItems: 1,
  items: {
    type: 'object',
    required: ['code', 'description'],
    properties: { code: { enum: [400, 403, 404, 429, 500] }, description: { type: 'string', minLength: 1 } },
  },
};

export const discoverySchema = {
  $id: 'shaar/discovery.json',
  type: 'object',
  required: ['changeset', 'endpoints'],
  properties: {
    changeset: { type: 'string' },
    contact: text,
    key_service: text,
    endpoints: {
      type: 'array',
      minItems: 1,
      items: {
        type: 'object',
        required: ['specification', 'url', 'type', 'formats'],
        properties: {
          specification: { type: 'string' }, url: { type: 'string', format: 'uri' }, changeset: { type: 'string' },
          type: { enum: ['production', 'test'] }, formats: { type: 'array', items: { enum: ['text/xml', 'application/json'] } },
        },
      },
    },
  },
};

/** mySociety's extension: the status changes of requests in a period. */
export const updatesSchema = {
  $id: 'shaar/updates.json',
  type: 'array',
  items: {
    type: 'object',
    required: ['update_id', 'service_request_id', 'status', 'updated_datetime', 'description'],
    properties: {
      update_id: { type: 'string' }, service_request_id: { type: 'string' }, status: { enum: ['open', 'closed'] },
      updated_datetime: dateTime, description: { type: 'string' }, media_url: nullable({ type: 'string', format: 'uri' }),
    },
  },
};

export const transcribedSchemas = [
  serviceSchema, servicesSchema, serviceDefinitionSchema, requestSchema, requestsSchema, postResponseSchema, tokenSchema,
  errorsSchema, discoverySchema, updatesSchema,
];
