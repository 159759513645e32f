/**
 * The cities on this platform, and the one the resident chose (remembered in the browser).
 */
import { useEffect, useState } from 'react';
import { api } from '../api/client.js';

const STORAGE_KEY = 'shaar.city';

export type City = { slug: string; code: string; name: { ky: string; ru: string; en: string } };

let cache: Promise<City[]> | null = null;
export function loadCities(): Promise<City[]> {
  const loading = cache ?? api.GET('/api/v1/municipalities').then((r) => r.data?.items ?? []).catch(() => { cache = null; return []; });
  cache = loading;
  return loading;
}

export function useCities(): City[] | null {
  const [cities, setCities] = useState<City[] | null>(null);
  useEffect(() => { void loadCities().then(setCities); }, []);
  return cities;
}

export function rememberedCity(): string {
  return localStorage.getItem(STORAGE_KEY) ?? 'bishkek';
}

export function rememberCity(slug: string) {
  localStorage.setItem(STORAGE_KEY, slug);
}

/** A localized text {ky, ru, en} in the current language. */
export function pickName(text: { ky: string; ru: string; en: string } | undefined, lang: string): string {
  if (!text) return '';
  return (text as Record<string, string>)[lang] ?? text.ru;
}
