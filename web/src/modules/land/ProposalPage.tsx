/**
 * /:city/land/proposals/:id — a proposal: what and where, supports against the threshold ("3 of 100"), the support
 * button for signed-in residents ("You support this", withdraw while open), where it stands before the commission
 * (with the decision and its reasons), sketches and photos, and the discussion.
 */
import { useState } from 'react';
import { Link, useLocation, useParams } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { api, errorMessage } from '../../api/client.js';
import { useSession } from '../../app/session.js';
import { Alert, Button, PageTitle } from '../../ui/ui.js';
import { Comments } from './Comments.js';
import { DecisionText, LandLayout, Loaded, SignInLink, useFormat, useLoaded, type Proposal, type Settings } from './shared.js';

export function ProposalPage() {
  const { t } = useTranslation('land');
  const { city = '', id = '' } = useParams();
  const [version, setVersion] = useState(0);
  const loaded = useLoaded<Proposal>(`${city}|${id}|${version}`, () => api.GET('/api/v1/m/{municipality}/land/proposals/{id}', { params: { path: { municipality: city, id } } }));
  return (
    <LandLayout city={city}>
      <p><Link to={`/${city}/land/proposals`}>{t('proposals.back')}</Link></p>
      {loaded.result.state !== 'ok' ? <PageTitle title={t('proposal.title')}>{t('proposal.title')}</PageTitle> : null}
      <Loaded loaded={loaded}>{(p) => <ProposalView city={city} p={p} onChange={() => setVersion((v) => v + 1)} />}</Loaded>
    </LandLayout>
  );
}

function ProposalView({ city, p, onChange }: { city: string; p: Proposal; onChange: () => void }) {
  const { t } = useTranslation('land');
  const { day, num } = useFormat();
  const state = useLocation().state as { created?: boolean; failedFiles?: string[] } | null;
  const settings = useLoaded<Settings>(city, () => api.GET('/api/v1/m/{municipality}/land/settings', { params: { path: { municipality: city } } }));
  const threshold = settings.result.state === 'ok' ? settings.result.data.supportThreshold : null;
  return (
    <>
      <PageTitle title={p.title}>{p.title}</PageTitle>
      {state?.created ? <Alert kind="success">{t('proposal.created')}</Alert> : null}
      {state?.failedFiles?.length ? <Alert kind="error"><p>{t('proposal.filesFailed')}</p><ul>{state.failedFiles.map((f) => <li key={f}>{f}</li>)}</ul></Alert> : null}
      <dl className="land-dl">
        <dt>{t('proposal.status')}</dt><dd>{t(`proposalStatus.${p.status}`)}{p.onAgendaAt ? ` (${day(p.onAgendaAt)})` : ''}</dd>
        <dt>{t('proposal.useKind')}</dt><dd>{t(`useKind.${p.useKind}`)}</dd>
        <dt>{t('proposal.where')}</dt>
        <dd>{p.plot ? <Link to={`/${city}/land/plots/${p.plot.id}`}>{p.plot.cadastralNumber}{p.plot.address ? `, ${p.plot.address}` : ''}</Link>
          : t('plot.coordinates', { lat: p.lat.toFixed(6), lon: p.lon.toFixed(6) })}</dd>
        <dt>{t('proposal.author')}</dt><dd>{t('proposal.byOn', { name: p.authorName, date: day(p.createdAt) })}</dd>
        {p.beneficiaries ? <><dt>{t('proposal.beneficiaries')}</dt><dd>{p.beneficiaries}</dd></> : null}
      </dl>
      <div className="land-text">{p.description.split(/\n{2,}/).map((para, i) => <p key={i}>{para}</p>)}</div>

      <section aria-labelledby="pr-support" className="card r-card">
        <h2 id="pr-support">{t('proposal.supportHeading')}</h2>
        <p className="land-count" role="status">{threshold !== null
          ? t('proposal.countOf', { count: p.supportCount, n: num(p.supportCount), threshold: num(threshold) })
          : t('proposal.supports', { count: p.supportCount })}</p>
        {threshold !== null ? <progress max={threshold} value={Math.min(p.supportCount, threshold)} aria-label={t('proposal.progress')} /> : null}
        <SupportControl city={city} p={p} onChange={onChange} />
      </section>

      <section aria-labelledby="pr-commission">
        <h2 id="pr-commission">{t('proposal.commission')}</h2>
        {p.agenda.length ? <ul>{p.agenda.map((a) => (
          <li key={a.itemId}>{a.meeting ? <Link to={`/${city}/land/meetings/${a.meeting.id}`}>{a.meeting.title}</Link> : null}<DecisionText item={a} city={city} /></li>
        ))}</ul> : <p>{p.status === 'open' ? t('proposal.notYetAgenda') : t('decision.waiting')}</p>}
      </section>

      {p.files.length ? (
        <section aria-labelledby="pr-files">
          <h2 id="pr-files">{t('proposal.files')}</h2>
          <ul className="land-files">{p.files.map((f) => (
            <li key={f.id}>{f.contentType.startsWith('image/')
              ? <a href={f.url}><img src={f.url} alt={t('proposal.fileAlt', { name: f.fileName })} loading="lazy" /></a>
              : <a href={f.url} download={f.fileName}>{f.fileName}</a>}</li>
          ))}</ul>
        </section>
      ) : null}

      <Comments city={city} subject="proposals" id={p.id} />
    </>
  );
}

function SupportControl({ city, p, onChange }: { city: string; p: Proposal; onChange: () => void }) {
  const { t } = useTranslation('land');
  const { me } = useSession();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  if (!me) return p.status === 'open' ? <p><SignInLink>{t('proposal.signInToSupport')}</SignInLink></p> : null;
  if (me.kind !== 'citizen') return null;
  const act = async (withdraw: boolean) => {
    setBusy(true);
    setError(null);
    const opts = { params: { path: { municipality: city, id: p.id } } };
    const { error: err } = withdraw
      ? await api.DELETE('/api/v1/m/{municipality}/land/proposals/{id}/support', opts)
      : await api.POST('/api/v1/m/{municipality}/land/proposals/{id}/support', opts);
    setBusy(false);
    if (err) { setError(errorMessage(err, t('common:error.generic'))); return; }
    onChange();
  };
  return (
    <div className="land-support">
      {p.supportedByMe ? <p className="land-supported"><strong>{t('proposal.youSupport')}</strong></p> : null}
      {p.status === 'open' ? (p.supportedByMe
        ? <Button variant="secondary" disabled={busy} onClick={() => void act(true)}>{t('proposal.withdrawSupport')}</Button>
        : <Button disabled={busy} onClick={() => void act(false)}>{t('proposal.support')}</Button>)
        : !p.supportedByMe ? <p>{t('proposal.supportClosed')}</p> : null}
      {error ? <Alert kind="error">{error}</Alert> : null}
    </div>
  );
}
