/**
 * Systemic problems for analysts, supervisors and administrators: what the detector found (docs/systemic-problems.md),
 * highest score first, with filters (status, rule, category, district, still found, score) kept in the address so a
 * view can be shared, the list as CSV or XLSX, and — for analysts and administrators — a run of the detector now.
 */
import { useCallback, useEffect, useId, useState, type FormEvent } from 'react';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client.js';
import { pickName } from '../../app/cities.js';
import { useSession } from '../../app/session.js';
import { formatNumber } from '../../i18n/index.js';
import { Alert, Button, Loading, PageTitle, Select, TextInput } from '../../ui/ui.js';
import { CategoryOptions, formatDate, hasRole, problem, useCityReference, useNames, useStaffMe } from '../staff/shared.js';
import { DETECT_ROLES, exportHref, filtersOf, KINDS, PAGE_SIZE, searchOf, STATUSES, type Filters, type ProblemList } from './data.js';
import { KindList, Score, StatusBadge } from './parts.js';

export function SystemicProblemsPage() {
  const { t, i18n } = useTranslation(['systemic', 'staff', 'common']);
  const lang = i18n.language;
  const { city = '' } = useParams();
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const { refresh } = useSession();
  const me = useStaffMe();
  const ref = useCityReference(city);
  const names = useNames(ref);
  const filters = filtersOf(params);
  const offset = Math.max(0, Math.floor(Number(params.get('offset')) || 0));
  // The list is loaded again when the address's filters or page change (the string is stable; the objects are not).
  const key = searchOf(filters, offset);
  const [data, setData] = useState<ProblemList | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [message, setMessage] = useState('');
  const [detecting, setDetecting] = useState(false);
  const headingId = useId();

  const load = useCallback(async () => {
    try {
      const q = new URLSearchParams(key);
      const { data: body, error: err, response } = await api.GET('/api/v1/m/{municipality}/systemic-problems', {
        params: { path: { municipality: city }, query: { ...filtersOf(q), limit: PAGE_SIZE, offset: Number(q.get('offset')) || 0 } },
      });
      if (response.status === 401) { void refresh(); return; }
      if (err || !body) { setError(problem(err, t('staff:error.generic'))); return; }
      setError(null);
      setData(body);
    } catch {
      setError(t('staff:error.offline'));
    }
  }, [city, key]);
  useEffect(() => { setData(null); void load(); }, [load]);

  const detect = async () => {
    setDetecting(true);
    setMessage('');
    try {
      const { data: r, error: err } = await api.POST('/api/v1/m/{municipality}/systemic-problems/detect', { params: { path: { municipality: city } } });
      if (err || !r) { setError(problem(err, t('staff:error.generic'))); return; }
      setMessage(t('detect.done', { problems: formatNumber(r.problems, lang), created: formatNumber(r.created, lang), gone: formatNumber(r.deactivated, lang) }));
      await load();
    } catch {
      setError(t('staff:error.offline'));
    } finally {
      setDetecting(false);
    }
  };

  const title = t('title');
  const total = data?.total ?? 0;
  return (
    <div className="sp-page">
      <PageTitle title={title}>{title}</PageTitle>
      <p className="hint">{t('intro')}</p>
      <FilterForm key={key} city={city} filters={filters} onApply={(f) => navigate(searchOf(f))} />
      <div role="status" aria-live="polite" className={message ? 'alert alert-success' : 'status-empty'}>{message}</div>
      {error ? <Alert kind="error">{error}</Alert> : null}
      <section aria-labelledby={headingId}>
        <div className="section-head">
          <h2 id={headingId}>{t('results')}</h2>
          <p className="sp-export">
            {(['csv', 'xlsx'] as const).map((f) => (
              <a key={f} className="btn btn-secondary btn-small" href={exportHref(city, filters, f, lang)} download data-format={f}>
                {t(`export.${f}`)}<span className="visually-hidden"> — {title}</span>
              </a>
            ))}
            {hasRole(me, ...DETECT_ROLES) ? (
              <Button variant="secondary" className="btn-small" disabled={detecting} onClick={() => void detect()}>
                {detecting ? t('detect.running') : t('detect.button')}
              </Button>
            ) : null}
          </p>
        </div>
        {data === null ? (error ? null : <Loading label={t('common:loading')} />) : data.items.length === 0 ? <p>{t('empty')}</p> : (
          <>
            <p className="inbox-count">{t('count', { count: total, n: formatNumber(total, lang) })}</p>
            <div className="table-wrap" role="region" aria-labelledby={headingId} tabIndex={0}>
              <table className="figures-table sp-table">
                <thead>
                  <tr>
                    <th scope="col" className="num">{t('col.score')}</th>
                    <th scope="col">{t('col.problem')}</th>
                    <th scope="col">{t('col.district')}</th>
                    <th scope="col">{t('col.kinds')}</th>
                    <th scope="col">{t('col.status')}</th>
                    <th scope="col" className="num">{t('col.appeals')}</th>
                    <th scope="col" className="num">{t('col.residents')}</th>
                    <th scope="col">{t('col.trend')}</th>
                    <th scope="col">{t('col.lastSeen')}</th>
                  </tr>
                </thead>
                <tbody>
                  {data.items.map((p) => (
                    <tr key={p.id} className={p.active ? undefined : 'row-inactive'}>
                      <td className="num"><Score value={p.score} /></td>
                      <th scope="row">
                        <Link to={`/staff/${city}/systemic/${p.id}`}>{names.category(p.categoryId) || t('unknownCategory')}</Link>
                        {p.active ? null : <span className="meta sp-inactive"> {t('inactive')}</span>}
                      </th>
                      <td>{names.district(p.districtId) || '—'}</td>
                      <td><KindList kinds={p.kinds} /></td>
                      <td><StatusBadge status={p.status} /></td>
                      <td className="num">{formatNumber(p.appeals, lang)}</td>
                      <td className="num">{formatNumber(p.distinctApplicants, lang)}</td>
                      <td>{t(`trend.${p.trend}`)}</td>
                      <td>{formatDate(p.lastSeen, lang)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            <Pager total={total} offset={offset} filters={filters} />
          </>
        )}
      </section>
    </div>
  );
}

function Pager({ total, offset, filters }: { total: number; offset: number; filters: Filters }) {
  const { t, i18n } = useTranslation('systemic');
  if (total <= PAGE_SIZE) return null;
  const lang = i18n.language;
  const page = Math.floor(offset / PAGE_SIZE) + 1;
  const pages = Math.ceil(total / PAGE_SIZE);
  return (
    <nav aria-label={t('pages.label')} className="sp-pager">
      {offset > 0 ? <Link to={searchOf(filters, Math.max(0, offset - PAGE_SIZE))} rel="prev">{t('pages.prev')}</Link> : null}
      <span>{t('pages.of', { page: formatNumber(page, lang), pages: formatNumber(pages, lang) })}</span>
      {offset + PAGE_SIZE < total ? <Link to={searchOf(filters, offset + PAGE_SIZE)} rel="next">{t('pages.next')}</Link> : null}
    </nav>
  );
}

function FilterForm({ city, filters, onApply }: { city: string; filters: Filters; onApply: (f: Filters) => void }) {
  const { t, i18n } = useTranslation('systemic');
  const lang = i18n.language;
  const ref = useCityReference(city);
  const [f, setF] = useState<Record<string, string>>({
    status: filters.status ?? '', kind: filters.kind ?? '', categoryId: filters.categoryId ?? '', districtId: filters.districtId ?? '',
    active: filters.active ?? '', minScore: filters.minScore !== undefined ? String(filters.minScore) : '',
  });
  const [scoreError, setScoreError] = useState<string | undefined>();
  const set = (k: string) => (e: { target: { value: string } }) => setF({ ...f, [k]: e.target.value });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const score = f.minScore!.trim().replace(',', '.');
    if (score && !(Number(score) >= 0 && Number(score) <= 1)) { setScoreError(t('filters.minScoreError')); return; }
    setScoreError(undefined);
    onApply(filtersOf(new URLSearchParams({ ...f, minScore: score })));
  };
  return (
    <form className="period-form sp-filters" onSubmit={submit} noValidate aria-label={t('filters.label')}>
      <Select label={t('filters.status')} value={f.status} onChange={set('status')}>
        <option value="">{t('filters.any')}</option>
        {STATUSES.map((s) => <option key={s} value={s}>{t(`status.${s}`)}</option>)}
      </Select>
      <Select label={t('filters.kind')} value={f.kind} onChange={set('kind')}>
        <option value="">{t('filters.any')}</option>
        {KINDS.map((k) => <option key={k} value={k}>{t(`kind.${k}`)}</option>)}
      </Select>
      <Select label={t('filters.category')} value={f.categoryId} onChange={set('categoryId')}>
        <option value="">{t('filters.any')}</option>
        {ref ? <CategoryOptions categories={ref.categories} lang={lang} /> : null}
      </Select>
      <Select label={t('filters.district')} value={f.districtId} onChange={set('districtId')}>
        <option value="">{t('filters.any')}</option>
        {ref?.districts.map((d) => <option key={d.id} value={d.id}>{pickName(d.name, lang)}</option>)}
      </Select>
      <Select label={t('filters.active')} value={f.active} onChange={set('active')}>
        <option value="">{t('filters.any')}</option>
        <option value="true">{t('filters.activeTrue')}</option>
        <option value="false">{t('filters.activeFalse')}</option>
      </Select>
      <TextInput label={t('filters.minScore')} hint={t('filters.minScoreHint')} inputMode="decimal" value={f.minScore} onChange={set('minScore')} error={scoreError} />
      <Button type="submit" variant="secondary">{t('filters.apply')}</Button>
    </form>
  );
}
