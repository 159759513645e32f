/**
 * The draft of a new appeal, kept in localStorage (one per city) so that a lost connection, a closed tab or a
 * phone that drops the page loses nothing. Photos' bytes are kept apart, in IndexedDB (photo-store.ts).
 */
import type { paths } from '../../../api/schema.js';
import { uuid } from '../shared.js';

export type SubmitBody = paths['/api/v1/m/{municipality}/appeals']['post']['requestBody']['content']['application/json'];
export type Kind = SubmitBody['kind'];
type Demographics = NonNullable<SubmitBody['demographics']>;
export type AgeBand = NonNullable<Demographics['ageBand']>;
export type Gender = NonNullable<Demographics['gender']>;
export type SocialGroup = NonNullable<Demographics['socialGroup']>;

export const KINDS: readonly Kind[] = ['proposal', 'statement', 'complaint'];
export const AGE_BANDS: readonly AgeBand[] = ['under_18', '18_29', '30_44', '45_59', '60_plus'];
export const GENDERS: readonly Gender[] = ['female', 'male', 'other'];
export const SOCIAL_GROUPS: readonly SocialGroup[] = ['student', 'employed', 'self_employed', 'unemployed', 'pensioner', 'person_with_disability', 'parent_on_leave', 'other'];

export interface Registered { id: string; registrationNumber: string; dueDate: string }

export interface Draft {
  v: 1;
  /** The account that wrote it: on a shared phone, another resident never sees it. */
  owner: string;
  /** Sent as Idempotency-Key: a retry of this draft returns the same appeal, never a second one. */
  idempotencyKey: string;
  kind: Kind | '';
  categoryId: string;
  subject: string;
  body: string;
  address: string;
  districtId: string;
  lat: number | null;
  lon: number | null;
  /** How the point was set: a pin on the map or the device's location (with its accuracy in metres). */
  pointSource: 'map' | 'device' | null;
  accuracy: number | null;
  fullName: string;
  email: string;
  phone: string;
  cosigners: string[];
  consent: boolean;
  ageBand: AgeBand | '';
  gender: Gender | '';
  socialGroup: SocialGroup | '';
  /** The photos (their bytes are in IndexedDB under these ids), in order. */
  photoIds: string[];
  /** Set once the appeal is registered: only photos remain to be sent. */
  registered: Registered | null;
  savedAt: string | null;
}

export function emptyDraft(owner = '', contacts: { fullName?: string | null; email?: string | null; phone?: string | null } = {}): Draft {
  return {
    v: 1, owner, idempotencyKey: uuid(), kind: '', categoryId: '', subject: '', body: '', address: '', districtId: '',
    lat: null, lon: null, pointSource: null, accuracy: null,
    fullName: contacts.fullName ?? '', email: contacts.email ?? '', phone: contacts.phone ?? '',
    cosigners: [], consent: false, ageBand: '', gender: '', socialGroup: '', photoIds: [], registered: null, savedAt: null,
  };
}

const key = (city: string) => `shaar.draft.${city}`;

export function loadDraft(city: string, owner: string): Draft | null {
  try {
    const raw = localStorage.getItem(key(city));
    if (!raw) return null;
    const stored = JSON.parse(raw) as Partial<Draft>;
    if (stored?.v !== 1 || typeof stored.idempotencyKey !== 'string' || stored.owner !== owner) return null;
    const base = emptyDraft();
    const merged = { ...base, ...stored } as Draft;
    // Anything of the wrong type (an older or tampered copy) falls back to empty.
    for (const k of Object.keys(base) as (keyof Draft)[]) {
      const want = base[k] === null ? null : Array.isArray(base[k]) ? 'array' : typeof base[k];
      const got = merged[k] === null ? null : Array.isArray(merged[k]) ? 'array' : typeof merged[k];
      if (want !== null && got !== want && !(got === null && (k === 'registered' || k === 'savedAt'))) (merged as unknown as Record<string, unknown>)[k] = base[k];
    }
    merged.cosigners = merged.cosigners.filter((c): c is string => typeof c === 'string');
    merged.photoIds = merged.photoIds.filter((c): c is string => typeof c === 'string');
    return merged;
  } catch {
    return null;
  }
}

/** Saves the draft; false when the browser refuses (private mode, storage full). */
export function saveDraft(city: string, draft: Draft): boolean {
  try {
    localStorage.setItem(key(city), JSON.stringify(draft));
    return true;
  } catch {
    return false;
  }
}

export function clearDraft(city: string) {
  try { localStorage.removeItem(key(city)); } catch { /* nothing to clear */ }
}

/** Whether the resident has written anything worth restoring. */
export function hasContent(d: Draft): boolean {
  return Boolean(d.kind || d.categoryId || d.subject.trim() || d.body.trim() || d.address.trim() || d.districtId || d.lat !== null
    || d.cosigners.some((c) => c.trim()) || d.photoIds.length || d.registered);
}
