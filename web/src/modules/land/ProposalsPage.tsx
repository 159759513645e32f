/** /:city/land/proposals — residents' proposals with filters (status, use) and "most supported first". */
import { Link, useParams, useSearchParams } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client.js';
import { PageTitle, Select } from '../../ui/ui.js';
import { LandLayout, Loaded, useFormat, useLoaded, type ProposalList } from './shared.js';
import { PROPOSAL_STATUSES, USE_KINDS } from './status.js';

export function ProposalsPage() {
  const { t } = useTranslation('land');
  const { city = '' } = useParams();
  const { day } = useFormat();
  const [params, setParams] = useSearchParams();
  const status = params.get('status') ?? '';
  const useKind = params.get('useKind') ?? '';
  const sort = params.get('sort') === 'newest' ? 'newest' : 'most_supported';
  const set = (k: string, v: string) => { const next = new URLSearchParams(params); if (v) next.set(k, v); else next.delete(k); setParams(next, { replace: true }); };
  const loaded = useLoaded<ProposalList>(`${city}|${params.toString()}`, () => api.GET('/api/v1/m/{municipality}/land/proposals', {
    params: { path: { municipality: city }, query: { sort, limit: 100, ...(status ? { status: status as 'open' } : {}), ...(useKind ? { useKind: useKind as 'other' } : {}) } },
  }));
  return (
    <LandLayout city={city}>
      <p><Link to={`/${city}/land`}>{t('back')}</Link></p>
      <PageTitle title={t('proposals.title')}>{t('proposals.title')}</PageTitle>
      <p className="land-actions"><Link className="btn btn-primary" to={`/${city}/land/proposals/new`}>{t('propose')}</Link></p>
      <div className="land-filters" role="group" aria-label={t('filters.label')}>
        <Select label={t('filters.status')} value={status} onChange={(e) => set('status', e.target.value)}>
          <option value="">{t('filters.any')}</option>
          {PROPOSAL_STATUSES.map((s) => <option key={s} value={s}>{t(`proposalStatus.${s}`)}</option>)}
        </Select>
        <Select label={t('filters.useKind')} value={useKind} onChange={(e) => set('useKind', e.target.value)}>
          <option value="">{t('filters.any')}</option>
          {USE_KINDS.map((k) => <option key={k} value={k}>{t(`useKind.${k}`)}</option>)}
        </Select>
        <Select label={t('filters.sort')} value={sort} onChange={(e) => set('sort', e.target.value)}>
          <option value="most_supported">{t('filters.mostSupported')}</option>
          <option value="newest">{t('filters.newest')}</option>
        </Select>
      </div>
      <Loaded loaded={loaded}>{(data) => data.items.length ? (
        <ul className="land-cards">{data.items.map((p) => (
          <li key={p.id} className="card r-card">
            <h2 className="land-card-title"><Link to={`/${city}/land/proposals/${p.id}`}>{p.title}</Link></h2>
            <p>{t(`useKind.${p.useKind}`)} · {t(`proposalStatus.${p.status}`)} · {t('proposal.supports', { count: p.supportCount })}</p>
            <p className="hint">{t('proposal.byOn', { name: p.authorName, date: day(p.createdAt) })}</p>
          </li>
        ))}</ul>
      ) : <p>{t('proposals.empty')}</p>}</Loaded>
    </LandLayout>
  );
}
