/**
 * Staff scorecards: every service over a period, in the order of the ranking (on-time share first, then the
 * average rating; services with too few answers are listed unranked), then each service's executors by name,
 * and one service's monthly trend (a chart, loaded on demand, with the same figures as a table). Supervisors,
 * administrators and analysts see every service; heads of service and executors see their own.
 * The period and the service are in the address, so a view can be bookmarked and shared.
 */
import { lazy, Suspense, useEffect, useId, useMemo, useState, type FormEvent } from 'react';
import { useParams, useSearchParams } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client.js';
import { pickName } from '../../app/cities.js';
import { useSession } from '../../app/session.js';
import { Alert, Button, Loading, PageTitle, Select } from '../../ui/ui.js';
import type { Figures, ServiceScorecard, StaffScorecard } from './oversight.js';
import { hasRole, intlLocale, problem, useStaffMe } from './shared.js';

const TrendChart = lazy(() => import('./TrendChart.js'));

/** How many months back the period pickers offer (the server serves up to 36 in one period). */
const MONTHS_OFFERED = 36;
const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;
const CITY_WIDE = ['admin', 'supervisor', 'analyst'];

function addMonths(month: string, n: number): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const i = y * 12 + (m - 1) + n;
  return `${Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}`;
}

function browserMonth(): string {
  const d = new Date();
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}`;
}

/** Formats figures in the page's language: counts, shares, days and ratings, "—" where there is nothing to show. */
export function useFigureFormat() {
  const { t, i18n } = useTranslation('staff');
  const locale = intlLocale(i18n.language);
  return useMemo(() => {
    const count = new Intl.NumberFormat(locale);
    const percent = new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 1 });
    const decimal = new Intl.NumberFormat(locale, { maximumFractionDigits: 1 });
    const rating = new Intl.NumberFormat(locale, { minimumFractionDigits: 1, maximumFractionDigits: 1 });
    return {
      count: (n: number) => count.format(n),
      percent: (n: number | null) => (n === null ? '—' : percent.format(n / 100)),
      days: (n: number | null) => (n === null ? '—' : n >= 60 ? t('scorecards.daysOrMore', { n: decimal.format(60) }) : decimal.format(n)),
      rating: (n: number | null) => (n === null ? '—' : rating.format(n)),
      month: (m: string) => {
        const [y, mm] = m.split('-');
        return t('scorecards.monthYear', { month: t(`scorecards.months.${Number(mm)}`), year: y });
      },
    };
  }, [locale, t]);
}

export function ScorecardsPage() {
  const { t, i18n } = useTranslation(['staff', 'common']);
  const lang = i18n.language;
  const { city = '' } = useParams();
  const me = useStaffMe();
  const { refresh } = useSession();
  const [params, setParams] = useSearchParams();
  const from = MONTH.test(params.get('from') ?? '') ? params.get('from')! : undefined;
  const to = MONTH.test(params.get('to') ?? '') ? params.get('to')! : undefined;
  const serviceId = params.get('serviceId') ?? '';
  const cityWide = hasRole(me, ...CITY_WIDE);
  const [data, setData] = useState<StaffScorecard | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  // The city's current month as the server counts it (its clock, its time zone), learnt from the default period.
  const [currentMonth, setCurrentMonth] = useState<string>(browserMonth());
  const [allServices, setAllServices] = useState<{ id: string; name: { ky: string; ru: string; en: string } }[]>([]);
  const f = useFigureFormat();

  useEffect(() => {
    let live = true;
    setLoading(true);
    api.GET('/api/v1/m/{municipality}/staff-scorecards', {
      params: { path: { municipality: city }, query: { ...(from ? { from } : {}), ...(to ? { to } : {}), ...(serviceId ? { serviceId } : {}) } },
    }).then(({ data: body, error: err, response }) => {
      if (!live) return;
      if (response.status === 401) { void refresh(); return; }
      if (err || !body) { setError(problem(err, t('error.generic'))); setData(null); return; }
      setError(null);
      setData(body);
      if (!to && !from) setCurrentMonth(body.to);
      if (!serviceId) setAllServices(body.services.map((s) => ({ id: s.serviceId, name: s.name })));
    }).catch(() => { if (live) setError(t('error.offline')); }).finally(() => { if (live) setLoading(false); });
    return () => { live = false; };
  }, [city, from, to, serviceId, refresh, t]);

  const title = t('scorecards.title');
  const period = data ? (data.from === data.to ? f.month(data.from) : t('scorecards.period', { from: f.month(data.from), to: f.month(data.to) })) : '';

  return (
    <>
      <PageTitle title={title}>{title}</PageTitle>
      <p className="hint">{cityWide ? t('scorecards.introAll') : t('scorecards.introOwn')}</p>
      <PeriodForm key={`${from ?? data?.from ?? ''}|${to ?? data?.to ?? ''}|${serviceId}`}
        from={from ?? data?.from ?? addMonths(currentMonth, -11)} to={to ?? data?.to ?? currentMonth} serviceId={serviceId}
        latest={currentMonth > (to ?? '') ? currentMonth : to ?? currentMonth} services={cityWide ? allServices : []} lang={lang}
        onChange={(next) => {
          const p = new URLSearchParams();
          p.set('from', next.from);
          p.set('to', next.to);
          if (next.serviceId) p.set('serviceId', next.serviceId);
          setParams(p);
        }} />
      <p role="status" aria-live="polite" className="inbox-count">{loading ? t('common:loading') : data ? t('scorecards.showing', { period }) : ''}</p>
      {error ? <Alert kind="error">{error}</Alert> : null}
      {data ? (
        <>
          <Ranking data={data} lang={lang} />
          <Executors data={data} lang={lang} />
          <Trend city={city} data={data} lang={lang} />
        </>
      ) : loading ? <Loading label={t('common:loading')} /> : null}
    </>
  );
}

function PeriodForm({ from, to, serviceId, latest, services, lang, onChange }: {
  from: string; to: string; serviceId: string; latest: string; services: { id: string; name: { ky: string; ru: string; en: string } }[]; lang: string;
  onChange: (next: { from: string; to: string; serviceId: string }) => void;
}) {
  const { t } = useTranslation('staff');
  const f = useFigureFormat();
  const [a, setA] = useState(from);
  const [b, setB] = useState(to);
  const [s, setS] = useState(serviceId);
  const [problemText, setProblem] = useState<string | undefined>();
  const months = useMemo(() => Array.from({ length: MONTHS_OFFERED }, (_, i) => addMonths(latest, -i)), [latest]);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (a > b) { setProblem(t('scorecards.fromAfterTo')); return; }
    setProblem(undefined);
    onChange({ from: a, to: b, serviceId: s });
  };
  return (
    <form className="period-form" onSubmit={submit} noValidate aria-label={t('scorecards.periodForm')}>
      <Select label={t('scorecards.from')} value={a} onChange={(e) => setA(e.target.value)} error={problemText}>
        {months.map((m) => <option key={m} value={m}>{f.month(m)}</option>)}
      </Select>
      <Select label={t('scorecards.to')} value={b} onChange={(e) => setB(e.target.value)}>
        {months.map((m) => <option key={m} value={m}>{f.month(m)}</option>)}
      </Select>
      {services.length > 0 ? (
        <Select label={t('scorecards.service')} value={s} onChange={(e) => setS(e.target.value)}>
          <option value="">{t('scorecards.allServices')}</option>
          {services.map((x) => <option key={x.id} value={x.id}>{pickName(x.name, lang)}</option>)}
        </Select>
      ) : null}
      <Button type="submit" variant="secondary">{t('scorecards.show')}</Button>
    </form>
  );
}

/** The column headings of a figures table, and the cells of one row. */
function FigureHeads() {
  const { t } = useTranslation('staff');
  return (
    <>
      <th scope="col" className="num">{t('scorecards.col.received')}</th>
      <th scope="col" className="num">{t('scorecards.col.answered')}</th>
      <th scope="col" className="num">{t('scorecards.col.onTime')}</th>
      <th scope="col" className="num">{t('scorecards.col.median')}</th>
      <th scope="col" className="num">{t('scorecards.col.p90')}</th>
      <th scope="col" className="num">{t('scorecards.col.overdueNow')}</th>
      <th scope="col" className="num">{t('scorecards.col.rating')}</th>
      <th scope="col" className="num">{t('scorecards.col.solved')}</th>
      <th scope="col" className="num">{t('scorecards.col.partly')}</th>
      <th scope="col" className="num">{t('scorecards.col.reviews')}</th>
      <th scope="col" className="num">{t('scorecards.col.reopenings')}</th>
    </>
  );
}

function FigureCells({ figures }: { figures: Figures }) {
  const f = useFigureFormat();
  const { t } = useTranslation('staff');
  return (
    <>
      <td className="num">{f.count(figures.received)}</td>
      <td className="num">{f.count(figures.answered)}</td>
      <td className="num">{f.percent(figures.onTimePct)}</td>
      <td className="num">{f.days(figures.medianDays)}</td>
      <td className="num">{f.days(figures.p90Days)}</td>
      <td className="num">{figures.overdueNow ? <span className="overdue">{f.count(figures.overdueNow)}</span> : f.count(0)}</td>
      <td className="num">{f.rating(figures.averageRating)}{figures.ratings ? <span className="meta ratings-count"> {t('scorecards.ratingsCount', { count: figures.ratings, n: f.count(figures.ratings) })}</span> : null}</td>
      <td className="num">{f.percent(figures.solvedPct)}</td>
      <td className="num">{f.percent(figures.partlySolvedPct)}</td>
      <td className="num">{f.count(figures.reviewRequests)}</td>
      <td className="num">{f.count(figures.reopenings)}</td>
    </>
  );
}

function Ranking({ data, lang }: { data: StaffScorecard; lang: string }) {
  const { t } = useTranslation('staff');
  const f = useFigureFormat();
  const id = useId();
  return (
    <section aria-labelledby={id} className="scorecards">
      <h2 id={id}>{t('scorecards.ranking')}</h2>
      <p className="hint">{t('scorecards.rankingRule', { count: data.minAnswersToRank, n: f.count(data.minAnswersToRank) })}</p>
      {data.services.length === 0 ? <p>{t('scorecards.empty')}</p> : (
        <div className="table-wrap" role="region" aria-labelledby={id} tabIndex={0}>
          <table className="figures-table">
            <thead>
              <tr>
                <th scope="col" className="num">{t('scorecards.col.rank')}</th>
                <th scope="col">{t('scorecards.col.service')}</th>
                <FigureHeads />
              </tr>
            </thead>
            <tbody>
              {data.services.map((s) => (
                <tr key={s.serviceId}>
                  <td className="num">{s.rank ?? <span className="meta">{t('scorecards.unranked')}</span>}</td>
                  <th scope="row">{pickName(s.name, lang)}</th>
                  <FigureCells figures={s.figures} />
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

function Executors({ data, lang }: { data: StaffScorecard; lang: string }) {
  const { t } = useTranslation('staff');
  const id = useId();
  const withPeople = data.services.filter((s) => s.executors.length > 0);
  if (withPeople.length === 0) return null;
  const single = withPeople.length === 1;
  return (
    <section aria-labelledby={id} className="scorecards">
      <h2 id={id}>{t('scorecards.byExecutor')}</h2>
      {withPeople.map((s) => {
        const table = (
          <div className="table-wrap" role="region" aria-label={t('scorecards.executorsOf', { service: pickName(s.name, lang) })} tabIndex={0}>
            <table className="figures-table">
              <thead>
                <tr>
                  <th scope="col">{t('scorecards.col.executor')}</th>
                  <FigureHeads />
                </tr>
              </thead>
              <tbody>
                {s.executors.map((e) => (
                  <tr key={e.executorId ?? 'none'}>
                    <th scope="row">{e.executorId ? e.name ?? t('timeline.unknownStaff') : <span className="meta">{t('scorecards.noExecutor')}</span>}</th>
                    <FigureCells figures={e.figures} />
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        );
        return single ? (
          <div key={s.serviceId}><h3>{pickName(s.name, lang)}</h3>{table}</div>
        ) : (
          <details key={s.serviceId} className="executors">
            <summary>{pickName(s.name, lang)} <span className="meta">({t('scorecards.executorCount', { count: s.executors.filter((e) => e.executorId).length })})</span></summary>
            {table}
          </details>
        );
      })}
    </section>
  );
}

function Trend({ city, data, lang }: { city: string; data: StaffScorecard; lang: string }) {
  const { t } = useTranslation(['staff', 'common']);
  const f = useFigureFormat();
  const id = useId();
  const [serviceId, setServiceId] = useState(data.services[0]?.serviceId ?? '');
  const [trend, setTrend] = useState<ServiceScorecard | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    if (!data.services.some((s) => s.serviceId === serviceId)) setServiceId(data.services[0]?.serviceId ?? '');
  }, [data, serviceId]);
  useEffect(() => {
    if (!serviceId) return;
    let live = true;
    setTrend(null);
    api.GET('/api/v1/m/{municipality}/scorecards/services/{id}', { params: { path: { municipality: city, id: serviceId }, query: { from: data.from, to: data.to } } })
      .then(({ data: body, error: err }) => {
        if (!live) return;
        if (err || !body) { setError(problem(err, t('error.generic'))); return; }
        setError(null);
        setTrend(body);
      }).catch(() => { if (live) setError(t('error.offline')); });
    return () => { live = false; };
  }, [city, serviceId, data.from, data.to, t]);

  if (data.services.length === 0) return null;
  return (
    <section aria-labelledby={id} className="scorecards">
      <h2 id={id}>{t('scorecards.trend')}</h2>
      {data.services.length > 1 ? (
        <Select label={t('scorecards.trendService')} value={serviceId} onChange={(e) => setServiceId(e.target.value)}>
          {data.services.map((s) => <option key={s.serviceId} value={s.serviceId}>{pickName(s.name, lang)}</option>)}
        </Select>
      ) : <h3>{pickName(data.services[0]!.name, lang)}</h3>}
      {error ? <Alert kind="error">{error}</Alert> : null}
      {trend ? (
        <>
          <Suspense fallback={<Loading label={t('common:loading')} />}>
            <TrendChart trend={trend.trend} monthLabel={f.month} />
          </Suspense>
          <div className="table-wrap" role="region" aria-label={t('scorecards.trendTable', { service: pickName(trend.service.name, lang) })} tabIndex={0}>
            <table className="figures-table">
              <thead>
                <tr>
                  <th scope="col">{t('scorecards.col.month')}</th>
                  <th scope="col" className="num">{t('scorecards.col.received')}</th>
                  <th scope="col" className="num">{t('scorecards.col.answered')}</th>
                  <th scope="col" className="num">{t('scorecards.col.onTime')}</th>
                  <th scope="col" className="num">{t('scorecards.col.median')}</th>
                  <th scope="col" className="num">{t('scorecards.col.rating')}</th>
                  <th scope="col" className="num">{t('scorecards.col.solved')}</th>
                  <th scope="col" className="num">{t('scorecards.col.reviews')}</th>
                  <th scope="col" className="num">{t('scorecards.col.reopenings')}</th>
                </tr>
              </thead>
              <tbody>
                {trend.trend.map((row) => (
                  <tr key={row.month}>
                    <th scope="row">{f.month(row.month)}</th>
                    <td className="num">{f.count(row.figures.received)}</td>
                    <td className="num">{f.count(row.figures.answered)}</td>
                    <td className="num">{f.percent(row.figures.onTimePct)}</td>
                    <td className="num">{f.days(row.figures.medianDays)}</td>
                    <td className="num">{f.rating(row.figures.averageRating)}</td>
                    <td className="num">{f.percent(row.figures.solvedPct)}</td>
                    <td className="num">{f.count(row.figures.reviewRequests)}</td>
                    <td className="num">{f.count(row.figures.reopenings)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      ) : error ? null : <Loading label={t('common:loading')} />}
    </section>
  );
}
