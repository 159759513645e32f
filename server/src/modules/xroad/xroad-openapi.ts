/**
 * The OpenAPI 3.0 description of one city's Tunduk services, for its security server: the admin adds a REST service
 * "from an OpenAPI 3 description" with this document's URL, and each operation becomes an endpoint (method + path)
 * whose access rights are granted per consumer subsystem. OpenAPI 3.0 rather than 3.1: the X-Road REST protocol
 * names 3.0, and that is what security servers read. Schemas are generated from the same zod shapes that validate.
 */
import { z } from 'zod';
import {
  AppealListResponse, AppealStatusResponse, ListByPersonalNumberRequest, SubmitAppealRequest, SubmitAppealResponse,
} from './xroad.schemas.js';
import { XROAD_ERROR_TYPES } from './xroad-errors.js';

const schema = (s: z.ZodType, io: 'input' | 'output') => {
  const { $schema: _, ...rest } = z.toJSONSchema(s, { target: 'openapi-3.0', io, unrepresentable: 'any' }) as Record<string, unknown>;
  return rest;
};

const header = (name: string, required: boolean, description: string) => ({ name, in: 'header', required, description, schema: { type: 'string' } });

const requestHeaders = [
  { $ref: '#/components/parameters/XRoadClient' },
  { $ref: '#/components/parameters/XRoadId' },
  { $ref: '#/components/parameters/XRoadUserId' },
  { $ref: '#/components/parameters/XRoadService' },
  { $ref: '#/components/parameters/AcceptLanguage' },
];

const answerHeaders = {
  'X-Road-Client': { $ref: '#/components/headers/XRoadClient' },
  'X-Road-Service': { $ref: '#/components/headers/XRoadService' },
  'X-Road-Id': { $ref: '#/components/headers/XRoadId' },
  'X-Road-Request-Id': { $ref: '#/components/headers/XRoadRequestId' },
};

const json = (ref: string) => ({ 'application/json': { schema: { $ref: `#/components/schemas/${ref}` } } });
const ok = (description: string, ref: string) => ({ description, headers: answerHeaders, content: json(ref) });
const failure = (description: string) => ({ description, headers: answerHeaders, content: json('XRoadError') });
const errorsOf = (...statuses: (400 | 403 | 404 | 429)[]) => Object.fromEntries([
  ...statuses.map((s) => [String(s), failure({
    400: 'Malformed request, X-Road-Client missing or malformed, or invalid fields (Client.BadRequest, Client.InvalidClientId)',
    403: 'The consumer is not registered with the city, is revoked, lacks the right, or the caller is not the security server (Client.AccessDenied)',
    404: 'No such city or appeal, or the appeal is not available to this consumer (Client.NotFound)',
    429: 'Too many requests from this consumer (Client.TooManyRequests); see Retry-After',
  }[s])]),
  ['500', failure('A fault on our side (Server.InternalError); detail is the X-Road-Request-Id')],
]);

export function xroadOpenApi(opts: { baseUrl: string; cityName: string; slug: string }) {
  return {
    openapi: '3.0.3',
    info: {
      title: `Shaar — appeals of ${opts.cityName} (Tunduk)`,
      version: '1.0.0',
      description: [
        `Citizens' appeals to ${opts.cityName} (Law No. 67 of 2007) over Tunduk, the X-Road message protocol for REST (r1).`,
        'Register this base URL as the service URL on the provider security server; the security server forwards',
        '{base URL}{path} with X-Road-Client, X-Road-Service, X-Road-Id and X-Road-UserId. Every answer, errors included,',
        'carries X-Road-Client, X-Road-Service (when sent), X-Road-Id and X-Road-Request-Id. Errors are',
        '{"type","message","detail"}; detail is the X-Road-Request-Id. Messages follow Accept-Language (ky, ru, en).',
      ].join(' '),
    },
    servers: [{ url: opts.baseUrl, description: `${opts.cityName} (${opts.slug})` }],
    paths: {
      '/appeals': {
        post: {
          operationId: 'submitAppeal',
          summary: 'Register an appeal (channel Tunduk); a retry with the same reference or X-Road-Id registers nothing new',
          parameters: requestHeaders,
          requestBody: { required: true, content: json('SubmitAppealRequest') },
          responses: {
            201: ok('Registered: the registration number and the legal due date', 'SubmitAppealResponse'),
            200: ok('Already registered under this reference: the same appeal, replayed', 'SubmitAppealResponse'),
            ...errorsOf(400, 403, 404, 429),
          },
        },
      },
      '/appeals/{ref}': {
        get: {
          operationId: 'getAppealStatus',
          summary: "An appeal's status, dates and official answer (appeals this consumer submitted; consumers allowed to list by personal number also those of identified persons)",
          parameters: [
            { name: 'ref', in: 'path', required: true, description: 'The appeal id (UUID) or registration number', schema: { type: 'string', maxLength: 60 } },
            ...requestHeaders,
          ],
          responses: { 200: ok('The appeal', 'AppealStatus'), ...errorsOf(400, 403, 404) },
        },
      },
      '/appeals/by-personal-number': {
        post: {
          operationId: 'listAppealsByPersonalNumber',
          summary: "A person's appeals, newest first, by personal number (ПИН) — only for consumers allowed to",
          description: 'POST, not GET: the personal number travels in the body, never in a URL that proxies and access logs record.',
          parameters: requestHeaders,
          requestBody: { required: true, content: json('ListByPersonalNumberRequest') },
          responses: { 200: ok("The person's appeals (at most 100)", 'AppealList'), ...errorsOf(400, 403, 404) },
        },
      },
    },
    components: {
      parameters: {
        XRoadClient: header('X-Road-Client', true, 'The consumer: INSTANCE/CLASS/MEMBER/SUBSYSTEM, each part percent-encoded UTF-8 (set by the security server)'),
        XRoadId: header('X-Road-Id', false, 'Unique id of the message; echoed, and used as the idempotency key when the body has no reference'),
        XRoadUserId: header('X-Road-UserId', false, 'The user whose action caused the request (e.g. KG + personal code)'),
        XRoadService: header('X-Road-Service', false, 'The service id INSTANCE/CLASS/MEMBER/SUBSYSTEM/SERVICE; echoed'),
        AcceptLanguage: header('Accept-Language', false, 'ky (default), ru or en: the language of messages and status texts'),
      },
      headers: {
        XRoadClient: { description: 'Echo of the request X-Road-Client', schema: { type: 'string' } },
        XRoadService: { description: 'Echo of the request X-Road-Service, when sent', schema: { type: 'string' } },
        XRoadId: { description: "The consumer's X-Road-Id, or one generated when none was sent", schema: { type: 'string' } },
        XRoadRequestId: { description: 'Unique id of this request at the provider', schema: { type: 'string', format: 'uuid' } },
      },
      schemas: {
        SubmitAppealRequest: schema(SubmitAppealRequest, 'input'),
        SubmitAppealResponse: schema(SubmitAppealResponse, 'output'),
        AppealStatus: schema(AppealStatusResponse, 'output'),
        ListByPersonalNumberRequest: schema(ListByPersonalNumberRequest, 'input'),
        AppealList: schema(AppealListResponse, 'output'),
        XRoadError: {
          type: 'object',
          required: ['type', 'message', 'detail'],
          properties: {
            type: { type: 'string', enum: [...new Set([...Object.values(XROAD_ERROR_TYPES), 'Client.InvalidClientId'])] },
            message: { type: 'string', description: 'In the language of Accept-Language' },
            detail: { type: 'string', description: 'The X-Road-Request-Id of the failed request' },
            issues: {
              type: 'array', description: 'Validation errors: each field and what is wrong with it',
              items: { type: 'object', required: ['path', 'message'], properties: { path: { type: 'string' }, message: { type: 'string' } } },
            },
          },
        },
      },
    },
  };
}
