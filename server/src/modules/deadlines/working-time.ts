/**
 * Each municipality's working calendar and deadline rules, cached briefly: every registration needs them, and
 * they change a few times a year. An admin's edit clears this process's cache at once; other processes see it
 * within CACHE_MS.
 */
import { eq } from 'drizzle-orm';
import { WorkingCalendar, type AppealKind, type IsoDate } from '@shaar/contracts';
import type { Db } from '../../platform/db/database.js';
import { calendarDays, deadlineRules } from '../../platform/db/schema.js';

export type DeadlineRule = typeof deadlineRules.$inferSelect;

const CACHE_MS = 30_000;

interface Entry { calendar: WorkingCalendar; rules: DeadlineRule[]; until: number }

export class WorkingTime {
  private cache = new Map<string, Promise<Entry>>();
  constructor(private readonly db: Db) {}

  private load(municipalityId: string): Promise<Entry> {
    const hit = this.cache.get(municipalityId);
    if (hit) return hit;
    const entry = (async () => {
      const [days, rules] = await Promise.all([
        this.db.select().from(calendarDays).where(eq(calendarDays.municipalityId, municipalityId)),
        this.db.select().from(deadlineRules).where(eq(deadlineRules.municipalityId, municipalityId)),
      ]);
      return {
        calendar: new WorkingCalendar(days.map((d) => ({ date: d.date, isWorking: d.isWorking }))),
        rules,
        until: Date.now() + CACHE_MS,
      };
    })();
    this.cache.set(municipalityId, entry);
    entry.then((e) => setTimeout(() => { if (this.cache.get(municipalityId) === entry) this.cache.delete(municipalityId); }, Math.max(0, e.until - Date.now())).unref(),
      () => this.cache.delete(municipalityId));
    return entry;
  }

  /** Calendar and rules together: load them BEFORE a transaction, since loading reads through `db`. */
  async snapshot(municipalityId: string): Promise<{ calendar: WorkingCalendar; rules: DeadlineRule[] }> {
    const { calendar, rules } = await this.load(municipalityId);
    return { calendar, rules };
  }

  async calendar(municipalityId: string): Promise<WorkingCalendar> {
    return (await this.load(municipalityId)).calendar;
  }

  /** The rule in force for an appeal of `kind` registered on `date`: the newest one effective by then; a
   * rule for the kind beats a rule for all kinds of the same date. */
  async ruleFor(municipalityId: string, kind: AppealKind, date: IsoDate): Promise<DeadlineRule | null> {
    const { rules } = await this.load(municipalityId);
    return pickRule(rules, kind, date);
  }

  async ruleById(municipalityId: string, id: string | null): Promise<DeadlineRule | null> {
    if (!id) return null;
    return (await this.load(municipalityId)).rules.find((r) => r.id === id) ?? null;
  }

  invalidate(municipalityId: string) { this.cache.delete(municipalityId); }
}

export function pickRule(rules: readonly DeadlineRule[], kind: AppealKind, date: IsoDate): DeadlineRule | null {
  let best: DeadlineRule | null = null;
  for (const r of rules) {
    if (r.effectiveFrom > date) continue;
    if (r.kind !== null && r.kind !== kind) continue;
    if (!best || r.effectiveFrom > best.effectiveFrom || (r.effectiveFrom === best.effectiveFrom && r.kind !== null)) best = r;
  }
  return best;
}
