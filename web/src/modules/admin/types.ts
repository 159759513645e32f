/**
 * The admin API's shapes, taken from the generated OpenAPI types (nothing written by hand).
 */
import type { paths } from '../../api/schema.js';

type Base = '/api/v1/m/{municipality}/admin';
type Json<R> = R extends { content: { 'application/json': infer J } } ? J : never;
type GetOk<P extends keyof paths> = paths[P] extends { get: { responses: { 200: infer R } } } ? Json<R> : never;
type BodyOf<O> = O extends { requestBody?: infer B } ? Json<NonNullable<B>> : never;

export type District = GetOk<`${Base}/districts`>['items'][number];
export type DistrictCreate = BodyOf<paths[`${Base}/districts`]['post']>;
export type DistrictPatch = BodyOf<paths[`${Base}/districts/{id}`]['patch']>;
export type Boundary = NonNullable<DistrictCreate['boundary']>;

export type Category = GetOk<`${Base}/categories`>['items'][number];
export type CategoryCreate = BodyOf<paths[`${Base}/categories`]['post']>;
export type CategoryPatch = BodyOf<paths[`${Base}/categories/{id}`]['patch']>;

export type Service = GetOk<`${Base}/services`>['items'][number];
export type ServiceCreate = BodyOf<paths[`${Base}/services`]['post']>;
export type ServiceKind = ServiceCreate['kind'];

export type RoutingRule = GetOk<`${Base}/routing/rules`>['items'][number];

export type CalendarDay = GetOk<`${Base}/calendar`>['items'][number];
export type DeadlineRule = GetOk<`${Base}/deadline-rules`>['items'][number];
export type AppealKind = NonNullable<DeadlineRule['kind']>;

export type StaffUser = GetOk<`${Base}/staff`>['items'][number];
export type StaffRole = StaffUser['roles'][number];
export type Locale = StaffUser['locale'];

export type ApiKey = GetOk<`${Base}/api-keys`>['items'][number];
export type ApiKeyScope = ApiKey['scopes'][number];

export type Names = District['name'];

export const DISTRICT_KINDS = ['district', 'territorial_administration', 'rural_administration'] as const satisfies readonly NonNullable<DistrictCreate['kind']>[];
export const SERVICE_KINDS = ['department', 'municipal_enterprise', 'district_administration', 'other'] as const satisfies readonly ServiceKind[];
export const STAFF_ROLES = ['admin', 'operator', 'executor', 'service_head', 'supervisor', 'analyst', 'moderator', 'land_commission'] as const satisfies readonly StaffRole[];
/** Roles that belong to one service (the account must name it). */
export const SERVICE_ROLES = ['executor', 'service_head'] as const satisfies readonly StaffRole[];
export const APPEAL_KINDS = ['proposal', 'statement', 'complaint'] as const satisfies readonly AppealKind[];
export const LOCALES = ['ky', 'ru', 'en'] as const satisfies readonly Locale[];
export const API_KEY_SCOPES = ['appeals:write', 'appeals:read'] as const satisfies readonly ApiKeyScope[];
