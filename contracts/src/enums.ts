/** Vocabulary shared by server and clients. One word for one thing (see the glossary in docs/). */

export const LOCALES = ['ky', 'ru', 'en'] as const;
export type Locale = (typeof LOCALES)[number];

/** Law No. 67 of 2007, Art. 1. */
export const APPEAL_KINDS = ['proposal', 'statement', 'complaint'] as const;
export type AppealKind = (typeof APPEAL_KINDS)[number];

export const CHANNELS = [
  'in_person', 'phone', 'letter', 'web', 'mobile_app', 'tunduk', 'open311', 'email', 'import',
] as const;
export type Channel = (typeof CHANNELS)[number];

/** The law's three forms of an appeal, grouping the channels. */
export type AppealForm = 'oral' | 'written' | 'electronic';
export function formOfChannel(channel: Channel): AppealForm {
  if (channel === 'in_person' || channel === 'phone') return 'oral';
  if (channel === 'letter') return 'written';
  return 'electronic';
}

/** moderator: hides comments of the land dialogue; land_commission: the land commission's secretary (meetings, decisions). */
export const STAFF_ROLES = ['admin', 'operator', 'executor', 'service_head', 'supervisor', 'analyst', 'moderator', 'land_commission'] as const;
export type StaffRole = (typeof STAFF_ROLES)[number];

/**
 * Roles bound to one service: an executor answers for it, its head (usually also an executor) is told of its
 * deadlines and low ratings. Staff with only these roles see and act on their own service's appeals only.
 */
export const SERVICE_ROLES: readonly StaffRole[] = ['executor', 'service_head'];
export function isServiceScoped(roles: readonly StaffRole[]): boolean {
  return roles.length > 0 && roles.every((r) => SERVICE_ROLES.includes(r));
}

export const SERVICE_KINDS = ['department', 'municipal_enterprise', 'district_administration', 'other'] as const;
export type ServiceKind = (typeof SERVICE_KINDS)[number];

export const AGE_BANDS = ['under_18', '18_29', '30_44', '45_59', '60_plus'] as const;
export const GENDERS = ['female', 'male', 'other'] as const;
export const SOCIAL_GROUPS = [
  'student', 'employed', 'self_employed', 'unemployed', 'pensioner', 'person_with_disability',
  'parent_on_leave', 'other',
] as const;

export const API_KEY_SCOPES = ['appeals:write', 'appeals:read'] as const;
export type ApiKeyScope = (typeof API_KEY_SCOPES)[number];

/**
 * Legal grounds for leaving an electronic appeal without consideration (Law No. 67, as amended).
 * The chosen ground is recorded and told to the applicant.
 */
export const NO_CONSIDERATION_GROUNDS = [
  'profanity_or_insults',
  'calls_for_violence_or_hatred',
  'missing_name_address_or_contacts',
  'unreadable_form',
  'no_concrete_substance',
  'repeated_without_new_arguments',
  'anonymous',
] as const;
export type NoConsiderationGround = (typeof NO_CONSIDERATION_GROUNDS)[number];
