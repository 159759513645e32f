/**
 * The staff inbox: preset tabs (new, mine, due soon, overdue), filters by service, district, category, status and
 * text, saved filters, a table with selection for bulk assignment, and "load more". Every filter is in the URL,
 * so a filtered inbox can be bookmarked, shared and saved.
 */
import { useCallback, useEffect, useMemo, useRef, useState, type FormEvent } from 'react';
import { Link, useParams, useSearchParams } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client.js';
import { formatNumber } from '../../i18n/index.js';
import { pickName } from '../../app/cities.js';
import { useSession } from '../../app/session.js';
import { Alert, Button, Loading, PageTitle, Select, TextInput } from '../../ui/ui.js';
import {
  CategoryOptions, formatDate, hasRole, problem, useCityReference, useNames, useStaffList, useStaffMe,
  type AppealListQuery, type AppealSummary, type BulkAssignResult, type SavedFilter,
} from './shared.js';

const STATUSES = ['registered', 'assigned', 'in_progress', 'extended', 'answered', 'closed', 'redirected', 'left_without_consideration', 'reopened'] as const;
/** The inbox's filter parameters, in the order they are written into the URL. */
const FILTER_KEYS = ['status', 'kind', 'channel', 'categoryId', 'districtId', 'serviceId', 'executorId', 'overdue', 'dueWithinDays', 'from', 'to', 'q'] as const;
/** The parameters the preset tabs set. */
const PRESET_KEYS = ['status', 'executorId', 'dueWithinDays', 'overdue'] as const;
const PAGE_SIZE = 50;

type Preset = { key: 'all' | 'new' | 'mine' | 'due' | 'overdue'; params: Partial<Record<(typeof PRESET_KEYS)[number], string>> };

/** The filter part of the URL: known parameters with values, in a stable order. */
function filterString(params: URLSearchParams): string {
  const out = new URLSearchParams();
  for (const k of FILTER_KEYS) {
    const v = params.get(k)?.trim();
    if (v) out.set(k, v);
  }
  return out.toString();
}

export function InboxPage() {
  const { t } = useTranslation(['staff', 'common']);
  const { city = '' } = useParams();
  const me = useStaffMe();
  const { refresh } = useSession();
  const ref = useCityReference(city);
  const names = useNames(ref);
  const staff = useStaffList(city);
  const [params, setParams] = useSearchParams();
  const filters = filterString(params);

  const [items, setItems] = useState<AppealSummary[]>([]);
  const [nextCursor, setNextCursor] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [loadingMore, setLoadingMore] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [reloadKey, setReloadKey] = useState(0);
  const firstNewRow = useRef<number | null>(null);
  const tableRef = useRef<HTMLTableElement>(null);

  const fetchPage = useCallback(async (cursor?: string) => {
    const query = { ...Object.fromEntries(new URLSearchParams(filters)), limit: PAGE_SIZE, ...(cursor ? { cursor } : {}) } as AppealListQuery;
    return api.GET('/api/v1/m/{municipality}/appeals', { params: { path: { municipality: city }, query } });
  }, [city, filters]);

  useEffect(() => {
    let live = true;
    setLoading(true);
    setError(null);
    setSelected(new Set());
    fetchPage().then(({ data, error: err, response }) => {
      if (!live) return;
      // The session ended (expired, or signed out elsewhere): the layout takes the user to sign-in.
      if (response.status === 401) { void refresh(); return; }
      if (err || !data) { setError(problem(err, t('error.generic'))); setItems([]); setNextCursor(null); return; }
      setItems(data.items);
      setNextCursor(data.nextCursor);
    }).catch(() => { if (live) setError(t('error.offline')); }).finally(() => { if (live) setLoading(false); });
    return () => { live = false; };
  }, [fetchPage, reloadKey, t, refresh]);

  async function loadMore() {
    if (!nextCursor) return;
    setLoadingMore(true);
    try {
      const { data, error: err } = await fetchPage(nextCursor);
      if (err || !data) { setError(problem(err, t('error.generic'))); return; }
      firstNewRow.current = items.length;
      setItems((prev) => [...prev, ...data.items]);
      setNextCursor(data.nextCursor);
    } catch {
      setError(t('error.offline'));
    } finally {
      setLoadingMore(false);
    }
  }

  // After "load more", keyboard focus goes to the first new row, not back to the top.
  useEffect(() => {
    if (firstNewRow.current === null) return;
    const link = tableRef.current?.querySelectorAll<HTMLAnchorElement>('tbody tr td.reg-number a')[firstNewRow.current];
    firstNewRow.current = null;
    link?.focus();
  }, [items]);

  const setFilter = (key: string, value: string) => {
    const next = new URLSearchParams(filters);
    if (value) next.set(key, value); else next.delete(key);
    setParams(next);
  };

  const presets: Preset[] = useMemo(() => [
    { key: 'all', params: {} },
    { key: 'new', params: { status: 'registered' } },
    { key: 'mine', params: { executorId: me?.id ?? '' } },
    { key: 'due', params: { dueWithinDays: '3' } },
    { key: 'overdue', params: { overdue: 'true' } },
  ], [me?.id]);
  const presetHref = (p: Preset) => {
    const next = new URLSearchParams(filters);
    for (const k of PRESET_KEYS) next.delete(k);
    for (const [k, v] of Object.entries(p.params)) if (v) next.set(k, v);
    const s = filterString(next);
    return s ? `?${s}` : '?';
  };
  const current = new URLSearchParams(filters);
  const isActive = (p: Preset) => PRESET_KEYS.every((k) => (current.get(k) ?? '') === (p.params[k] ?? ''));

  const [q, setQ] = useState(params.get('q') ?? '');
  useEffect(() => { setQ(new URLSearchParams(filters).get('q') ?? ''); }, [filters]);
  const search = (e: FormEvent) => { e.preventDefault(); setFilter('q', q.trim()); };

  const toggle = (id: string) => setSelected((prev) => {
    const next = new Set(prev);
    if (next.has(id)) next.delete(id); else next.add(id);
    return next;
  });
  const allSelected = items.length > 0 && items.every((a) => selected.has(a.id));
  const toggleAll = () => setSelected(allSelected ? new Set() : new Set(items.map((a) => a.id)));

  const canAssign = hasRole(me, 'admin', 'operator', 'supervisor', 'executor');
  const title = t('inbox.title');

  return (
    <>
      <PageTitle title={title}>{title}</PageTitle>

      <nav aria-label={t('inbox.presets')} className="tabs">
        <ul>
          {presets.map((p) => (
            <li key={p.key}>
              <Link to={presetHref(p)} aria-current={isActive(p) ? 'page' : undefined}>{t(`inbox.preset.${p.key}`)}</Link>
            </li>
          ))}
        </ul>
      </nav>

      <div className="inbox-tools">
        <section aria-labelledby="inbox-filters-h" className="inbox-filters">
          <h2 id="inbox-filters-h" className="visually-hidden">{t('inbox.filters')}</h2>
          <form role="search" onSubmit={search} className="filter-search" aria-label={t('inbox.searchLabel')}>
            <TextInput label={t('inbox.search')} hint={t('inbox.searchHint')} type="search" value={q} onChange={(e) => setQ(e.target.value)} />
            <Button type="submit" variant="secondary">{t('inbox.searchSubmit')}</Button>
          </form>
          <div className="filter-grid">
            <Select label={t('inbox.filter.service')} value={current.get('serviceId') ?? ''} onChange={(e) => setFilter('serviceId', e.target.value)}>
              <option value="">{t('inbox.any')}</option>
              {ref?.services.map((s) => <option key={s.id} value={s.id}>{pickName(s.name, names.lang)}</option>)}
            </Select>
            <Select label={t('inbox.filter.district')} value={current.get('districtId') ?? ''} onChange={(e) => setFilter('districtId', e.target.value)}>
              <option value="">{t('inbox.any')}</option>
              {ref?.districts.map((d) => <option key={d.id} value={d.id}>{pickName(d.name, names.lang)}</option>)}
            </Select>
            <Select label={t('inbox.filter.category')} value={current.get('categoryId') ?? ''} onChange={(e) => setFilter('categoryId', e.target.value)}>
              <option value="">{t('inbox.any')}</option>
              {ref ? <CategoryOptions categories={ref.categories} lang={names.lang} /> : null}
            </Select>
            <Select label={t('inbox.filter.status')} value={current.get('status') ?? ''} onChange={(e) => setFilter('status', e.target.value)}>
              <option value="">{t('inbox.any')}</option>
              {STATUSES.map((s) => <option key={s} value={s}>{t(`common:status.${s}`)}</option>)}
              {current.get('status')?.includes(',') ? <option value={current.get('status')!}>{current.get('status')!.split(',').map((s) => t(`common:status.${s}`)).join(', ')}</option> : null}
            </Select>
          </div>
          {filters ? <p><Link to="?">{t('inbox.clearFilters')}</Link></p> : null}
        </section>
        <SavedFilters city={city} filters={filters} />
      </div>

      {error ? <Alert kind="error">{error}</Alert> : null}
      <p role="status" aria-live="polite" className="inbox-count">
        {loading ? t('common:loading') : t('inbox.count', { count: items.length, n: formatNumber(items.length, names.lang) })}
        {!loading && nextCursor ? ` ${t('inbox.moreAvailable')}` : ''}
      </p>

      {canAssign && items.length > 0 ? (
        <BulkAssign key={filters} city={city} selected={[...selected]} items={items} services={ref?.services ?? []} staff={staff} lang={names.lang}
          onDone={(assignedIds) => { setSelected(new Set([...selected].filter((id) => !assignedIds.includes(id)))); setReloadKey((k) => k + 1); }} />
      ) : null}

      {loading ? null : items.length === 0 ? (
        <p>{t('inbox.empty')}</p>
      ) : (
        <div className="table-wrap">
          <table ref={tableRef} className="inbox-table">
            <caption className="visually-hidden">{t('inbox.caption')}</caption>
            <thead>
              <tr>
                {canAssign ? (
                  <th scope="col" className="select-col">
                    <input type="checkbox" checked={allSelected} onChange={toggleAll} aria-label={t('inbox.selectAll')} />
                  </th>
                ) : null}
                <th scope="col">{t('common:registrationNumber')}</th>
                <th scope="col">{t('inbox.col.subject')}</th>
                <th scope="col">{t('inbox.col.category')}</th>
                <th scope="col">{t('inbox.col.status')}</th>
                <th scope="col">{t('common:dueDate')}</th>
                <th scope="col">{t('inbox.col.service')}</th>
              </tr>
            </thead>
            <tbody>
              {items.map((a) => (
                <tr key={a.id} className={selected.has(a.id) ? 'is-selected' : undefined}>
                  {canAssign ? (
                    <td className="select-col">
                      <input type="checkbox" checked={selected.has(a.id)} onChange={() => toggle(a.id)}
                        aria-label={t('inbox.selectOne', { number: a.registrationNumber })} />
                    </td>
                  ) : null}
                  <td className="reg-number"><Link to={`/staff/${city}/appeals/${a.id}`}>{a.registrationNumber}</Link></td>
                  <td>{a.subject}</td>
                  <td>{names.category(a.categoryId) || '—'}</td>
                  <td><span className="status">{t(`common:status.${a.status}`)}</span></td>
                  <td className="nowrap">
                    {formatDate(a.dueDate, names.lang)}
                    {a.overdue ? <><br /><span className="overdue">{t('common:overdue')}</span></> : null}
                  </td>
                  <td>{names.service(a.serviceId) || t('inbox.unassigned')}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {nextCursor && !loading ? (
        <p><Button variant="secondary" onClick={() => void loadMore()} disabled={loadingMore}>{loadingMore ? t('common:loading') : t('inbox.loadMore')}</Button></p>
      ) : null}
      {loading ? <Loading label={t('common:loading')} /> : null}
    </>
  );
}

// ---- saved filters ---------------------------------------------------------------------------------------------

function SavedFilters({ city, filters }: { city: string; filters: string }) {
  const { t } = useTranslation('staff');
  const [list, setList] = useState<SavedFilter[] | null>(null);
  const [name, setName] = useState('');
  const [message, setMessage] = useState<{ kind: 'success' | 'error'; text: string } | null>(null);
  const [nameError, setNameError] = useState<string | undefined>();

  const load = useCallback(async () => {
    const { data } = await api.GET('/api/v1/m/{municipality}/workspace/saved-filters', { params: { path: { municipality: city } } });
    setList(data?.items ?? []);
  }, [city]);
  useEffect(() => { void load().catch(() => setList([])); }, [load]);

  async function save(e: FormEvent) {
    e.preventDefault();
    setMessage(null);
    if (!name.trim()) { setNameError(t('savedFilters.nameRequired')); return; }
    setNameError(undefined);
    try {
      const { data, error } = await api.POST('/api/v1/m/{municipality}/workspace/saved-filters', {
        params: { path: { municipality: city } }, body: { name: name.trim(), query: filters },
      });
      if (error || !data) { setMessage({ kind: 'error', text: problem(error, t('error.generic')) }); return; }
      setMessage({ kind: 'success', text: t('savedFilters.saved', { name: data.name }) });
      setName('');
      await load();
    } catch {
      setMessage({ kind: 'error', text: t('error.offline') });
    }
  }

  async function remove(f: SavedFilter) {
    setMessage(null);
    try {
      const { error } = await api.DELETE('/api/v1/m/{municipality}/workspace/saved-filters/{id}', { params: { path: { municipality: city, id: f.id } } });
      if (error) { setMessage({ kind: 'error', text: problem(error, t('error.generic')) }); return; }
      setMessage({ kind: 'success', text: t('savedFilters.deleted', { name: f.name }) });
      await load();
    } catch {
      setMessage({ kind: 'error', text: t('error.offline') });
    }
  }

  return (
    <section aria-labelledby="saved-filters-h" className="saved-filters">
      <h2 id="saved-filters-h">{t('savedFilters.title')}</h2>
      {list === null ? null : list.length === 0 ? <p className="hint">{t('savedFilters.none')}</p> : (
        <ul>
          {list.map((f) => (
            <li key={f.id}>
              <Link to={f.query ? `?${f.query}` : '?'} aria-current={f.query === filters ? 'true' : undefined}>{f.name}</Link>{' '}
              <button type="button" className="btn-link" onClick={() => void remove(f)} aria-label={t('savedFilters.delete', { name: f.name })}>
                {t('savedFilters.deleteShort')}
              </button>
            </li>
          ))}
        </ul>
      )}
      <form onSubmit={(e) => void save(e)} className="inline-form" noValidate>
        <TextInput label={t('savedFilters.name')} value={name} onChange={(e) => setName(e.target.value)} maxLength={80} error={nameError} />
        <Button type="submit" variant="secondary">{t('savedFilters.save')}</Button>
      </form>
      <div aria-live="polite">{message ? <Alert kind={message.kind}>{message.text}</Alert> : null}</div>
    </section>
  );
}

// ---- bulk assignment -------------------------------------------------------------------------------------------

function BulkAssign({ city, selected, items, services, staff, lang, onDone }: {
  city: string; selected: string[]; items: AppealSummary[]; services: { id: string; name: { ky: string; ru: string; en: string } }[];
  staff: { id: string; fullName: string; roles: string[]; serviceId: string | null }[]; lang: string; onDone: (assignedIds: string[]) => void;
}) {
  const { t } = useTranslation('staff');
  const [serviceId, setServiceId] = useState('');
  const [executorId, setExecutorId] = useState('');
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<{ summary: string; failures: { number: string; message: string }[]; kind: 'success' | 'error' } | null>(null);
  const executors = staff.filter((s) => s.roles.includes('executor') && (!serviceId || s.serviceId === serviceId));
  const serviceName = (id: string | null) => pickName(services.find((s) => s.id === id)?.name, lang);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setResult(null);
    if (selected.length === 0) { setResult({ kind: 'error', summary: t('bulk.noneSelected'), failures: [] }); return; }
    if (!serviceId && !executorId) { setResult({ kind: 'error', summary: t('bulk.chooseTarget'), failures: [] }); return; }
    setBusy(true);
    try {
      const { data, error } = await api.POST('/api/v1/m/{municipality}/workspace/appeals/bulk-assign', {
        params: { path: { municipality: city } },
        body: { appealIds: selected, ...(serviceId ? { serviceId } : {}), ...(executorId ? { executorId } : {}) },
      });
      if (error || !data) { setResult({ kind: 'error', summary: problem(error, t('error.generic')), failures: [] }); return; }
      const r = data as BulkAssignResult;
      const numberOf = (id: string) => items.find((a) => a.id === id)?.registrationNumber ?? id;
      setResult({
        kind: r.failed ? 'error' : 'success',
        summary: t('bulk.result', { assigned: r.assigned, failed: r.failed }),
        failures: r.results.flatMap((x) => (x.ok ? [] : [{ number: numberOf(x.id), message: x.message }])),
      });
      onDone(r.results.filter((x) => x.ok).map((x) => x.id));
    } catch {
      setResult({ kind: 'error', summary: t('error.offline'), failures: [] });
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="bulk-bar" onSubmit={(e) => void submit(e)} noValidate>
      <fieldset>
        <legend>{t('bulk.legend', { count: selected.length })}</legend>
        <div className="filter-grid">
          <Select label={t('bulk.service')} value={serviceId} onChange={(e) => { setServiceId(e.target.value); setExecutorId(''); }}>
            <option value="">{t('bulk.keepService')}</option>
            {services.map((s) => <option key={s.id} value={s.id}>{pickName(s.name, lang)}</option>)}
          </Select>
          <Select label={t('bulk.executor')} value={executorId} onChange={(e) => setExecutorId(e.target.value)}>
            <option value="">{t('bulk.noExecutor')}</option>
            {executors.map((s) => <option key={s.id} value={s.id}>{serviceId ? s.fullName : `${s.fullName} — ${serviceName(s.serviceId)}`}</option>)}
          </Select>
          <div className="bulk-submit">
            <Button type="submit" disabled={busy || selected.length === 0}>{busy ? t('bulk.assigning') : t('bulk.assign')}</Button>
          </div>
        </div>
      </fieldset>
      <div aria-live="polite">
        {result ? (
          <Alert kind={result.kind}>
            <p className="alert-title">{result.summary}</p>
            {result.failures.length ? (
              <ul>{result.failures.map((f) => <li key={f.number}>{f.number}: {f.message}</li>)}</ul>
            ) : null}
          </Alert>
        ) : null}
      </div>
    </form>
  );
}
