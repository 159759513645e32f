/**
 * Who is calling: a staff member or a citizen (session cookie, or the same token as a bearer for apps), or an
 * integrator (API key). Resolved once per API request; guards below turn a missing right into 401/403.
 */
import type { FastifyRequest } from 'fastify';
import type { ApiKeyScope, StaffRole } from '@shaar/contracts';
import { AppError, errors } from '../../platform/http/errors.js';
import type { Actor } from '../../platform/audit.js';

export interface StaffPrincipal {
  kind: 'staff'; id: string; municipalityId: string; roles: StaffRole[]; serviceId: string | null;
  fullName: string; email: string; locale: string; csrfToken: string; via: 'cookie' | 'bearer';
}
export interface CitizenPrincipal {
  kind: 'citizen'; id: string; email: string | null; phone: string | null; fullName: string | null;
  locale: string; csrfToken: string; via: 'cookie' | 'bearer';
}
export interface IntegratorPrincipal {
  kind: 'integrator'; id: string; municipalityId: string; name: string; scopes: ApiKeyScope[];
}
export type Principal = StaffPrincipal | CitizenPrincipal | IntegratorPrincipal;

export function actorOf(p: Principal): Actor {
  return { kind: p.kind, id: p.id };
}

export function requireStaff(req: FastifyRequest, municipalityId: string, roles?: readonly StaffRole[]): StaffPrincipal {
  const p = req.principal;
  if (!p) throw errors.unauthorized();
  if (p.kind !== 'staff' || p.municipalityId !== municipalityId) throw errors.forbidden();
  if (roles && !p.roles.some((r) => roles.includes(r))) throw errors.forbidden();
  return p;
}

export function requireCitizen(req: FastifyRequest): CitizenPrincipal {
  const p = req.principal;
  if (!p) throw errors.unauthorized();
  if (p.kind !== 'citizen') throw errors.forbidden();
  return p;
}

export function requireIntegrator(req: FastifyRequest, municipalityId: string, scope: ApiKeyScope): IntegratorPrincipal {
  const p = req.principal;
  if (!p) throw errors.unauthorized();
  if (p.kind !== 'integrator' || p.municipalityId !== municipalityId || !p.scopes.includes(scope)) throw errors.forbidden();
  return p;
}

export const csrfFailed = () => new AppError(403, 'csrf_failed', 'error.csrf_failed');
