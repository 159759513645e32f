/**
 * /:city/land/plots/:id — the plot passport: its fields, the outline on a small map (and the centre's coordinates
 * in text), status, documents, announcements, proposals, the commission's decisions with reasons and the vote,
 * hearings, the whole history in order, and the discussion.
 */
import { useMemo } from 'react';
import { Link, useParams } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client.js';
import { PageTitle } from '../../ui/ui.js';
import { nameIn, useDirectory } from '../resident/shared.js';
import { Comments } from './Comments.js';
import { DecisionText, inLang, LandLayout, LazyMap, Loaded, PlotStatus, useFormat, useLoaded, type Localized, type Passport, fetchPassport, useCommentUntil } from './shared.js';

export function PlotPage() {
  const { t } = useTranslation('land');
  const { city = '', id = '' } = useParams();
  const loaded = useLoaded<Passport>(`${city}|${id}`, () => fetchPassport(city, id));
  return (
    <LandLayout city={city}>
      <p><Link to={`/${city}/land`}>{t('back')}</Link></p>
      {loaded.result.state !== 'ok' ? <PageTitle title={t('plot.title')}>{t('plot.title')}</PageTitle> : null}
      <Loaded loaded={loaded}>{(p) => <PassportView city={city} p={p} />}</Loaded>
    </LandLayout>
  );
}

function PassportView({ city, p }: { city: string; p: Passport }) {
  const { t, i18n } = useTranslation('land');
  const { lang, day, time, num } = useFormat();
  const commentUntil = useCommentUntil();
  const { result: dir } = useDirectory(city);
  const district = dir.state === 'ok' ? nameIn(dir.data.districts.find((d) => d.id === p.districtId)?.name, i18n.language) : '';
  const plots = useMemo(() => [{ id: p.id, geometry: p.geometry, status: p.status, label: p.cadastralNumber }], [p]);
  const title = t('plot.titleOf', { number: p.cadastralNumber });
  const fields: [string, string | null][] = [
    [t('plot.address'), p.address], [t('plot.district'), district || null],
    [t('plot.area'), p.areaM2 !== null ? t('plot.areaValue', { area: num(Math.round(p.areaM2)) }) : null],
    [t('plot.zoning'), p.zoning], [t('plot.permittedUse'), p.permittedUse], [t('plot.currentUse'), p.currentUse],
  ];
  return (
    <>
      <PageTitle title={title}>{title}</PageTitle>
      <p className="land-lead-status">{t('plot.status')}: <PlotStatus status={p.status} leasedUntil={p.leasedUntil} /></p>
      <p className="land-actions"><Link className="btn btn-primary" to={`/${city}/land/proposals/new?plotId=${p.id}`}>{t('plot.propose')}</Link></p>
      <div className="land-columns">
        <section aria-labelledby="pp-fields" className="land-main">
          <h2 id="pp-fields">{t('plot.fields')}</h2>
          <dl className="land-dl">
            <dt>{t('plot.cadastral')}</dt><dd>{p.cadastralNumber}</dd>
            {fields.map(([k, v]) => <div key={k}><dt>{k}</dt><dd>{v ?? '—'}</dd></div>)}
            <dt>{t('plot.centre')}</dt><dd>{t('plot.coordinates', { lat: p.center.lat.toFixed(6), lon: p.center.lon.toFixed(6) })}</dd>
          </dl>
        </section>
        <section aria-labelledby="pp-map" className="land-side">
          <h2 id="pp-map">{t('plot.outline')}</h2>
          <LazyMap plots={plots} center={p.center} label={t('plot.mapLabel', { number: p.cadastralNumber })} help={t('plot.mapHelp')} />
          <details className="land-corners">
            <summary>{t('plot.corners')}</summary>
            <ol>{cornersOf(p.geometry).map(([lon, lat], i) => <li key={i}>{t('plot.coordinates', { lat: lat.toFixed(6), lon: lon.toFixed(6) })}</li>)}</ol>
          </details>
        </section>
      </div>

      <section aria-labelledby="pp-docs">
        <h2 id="pp-docs">{t('plot.documents')}</h2>
        {p.documents.length ? <ul>{p.documents.map((d) => (
          <li key={d.id}><a href={d.url} download={d.fileName}>{d.title ?? d.fileName}</a> <span className="hint">({d.fileName}, {t('plot.kb', { kb: num(Math.max(1, Math.round(d.sizeBytes / 1024))) })})</span></li>
        ))}</ul> : <p>{t('plot.noDocuments')}</p>}
      </section>

      <section aria-labelledby="pp-ann">
        <h2 id="pp-ann">{t('plot.announcements')}</h2>
        {p.announcements.length ? <ul>{p.announcements.map((a) => (
          <li key={a.id}>
            <Link to={`/${city}/land/announcements/${a.id}`}>{inLang(a.title, lang)}</Link> — {t(`announcementStatus.${a.status}`)}
            {a.commentsOpen ? <> · {commentUntil(a.commentClosesAt)}</> : null}
          </li>
        ))}</ul> : <p>{t('plot.noAnnouncements')}</p>}
      </section>

      <section aria-labelledby="pp-prop">
        <h2 id="pp-prop">{t('plot.proposals')}</h2>
        {p.proposals.length ? <ul>{p.proposals.map((x) => (
          <li key={x.id}><Link to={`/${city}/land/proposals/${x.id}`}>{x.title}</Link> — {t(`proposalStatus.${x.status}`)}, {t('proposal.supports', { count: x.supportCount })}</li>
        ))}</ul> : <p>{t('plot.noProposals')}</p>}
      </section>

      <section aria-labelledby="pp-dec">
        <h2 id="pp-dec">{t('plot.decisions')}</h2>
        {p.decisions.length ? <ul>{p.decisions.map((d) => (
          <li key={d.itemId}>
            {d.meeting ? <Link to={`/${city}/land/meetings/${d.meeting.id}`}>{d.meeting.title}</Link> : t('decision.noMeeting')}
            <DecisionText item={d} city={city} />
          </li>
        ))}</ul> : <p>{t('plot.noDecisions')}</p>}
      </section>

      <section aria-labelledby="pp-hear">
        <h2 id="pp-hear">{t('plot.hearings')}</h2>
        {p.hearings.length ? <ul>{p.hearings.map((h) => (
          <li key={h.id}><Link to={`/${city}/land/hearings/${h.id}`}>{h.title}</Link> — {time(h.startsAt)}, {h.place} ({t(`hearingStatus.${h.status}`)})</li>
        ))}</ul> : <p>{t('plot.noHearings')}</p>}
      </section>

      <section aria-labelledby="pp-hist">
        <h2 id="pp-hist">{t('plot.history')}</h2>
        <ol className="land-timeline">{p.history.map((h) => (
          <li key={h.id}><time dateTime={h.occurredAt}>{day(h.occurredAt)}</time> — <HistoryLine city={city} line={h} /></li>
        ))}</ol>
      </section>

      <Comments city={city} subject="plots" id={p.id} />
    </>
  );
}

type Line = Passport['history'][number];

/** The outline's corners in text (the outer ring of each part, without the closing repeat): the map's alternative. */
function cornersOf(geometry: Passport['geometry']): [number, number][] {
  const polygons = (geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates) as unknown as [number, number][][][];
  return polygons.flatMap((rings) => (rings[0] ?? []).slice(0, -1)).slice(0, 200);
}

/** One history line in the resident's language, from its kind and details (never a raw key or enum). */
function HistoryLine({ city, line }: { city: string; line: Line }) {
  const { t } = useTranslation('land');
  const { lang, day } = useFormat();
  const d = line.details as Record<string, unknown>;
  const str = (k: string) => (typeof d[k] === 'string' ? d[k] as string : '');
  const title = typeof d.title === 'object' && d.title ? inLang(d.title as Localized, lang) : str('title');
  const status = (k: string) => (str(k) ? t(`plotStatus.${str(k)}`) : '');
  const link = (path: string, text: string) => <Link to={`/${city}/land/${path}`}>{text}</Link>;
  switch (line.kind) {
    case 'imported': return <>{t('history.imported', { status: status('status') })}</>;
    case 'updated': return <>{t('history.updated')}</>;
    case 'status_changed': return <>{t('history.status_changed', { from: status('from'), to: status('to') })}{str('leasedUntil') ? ` ${t('plot.leasedUntil', { date: day(str('leasedUntil')) })}` : ''}</>;
    case 'document_added': return <>{t('history.document_added', { name: str('title') || str('fileName') })}</>;
    case 'announcement_published': return <>{t('history.announcement_published')} {line.refId ? link(`announcements/${line.refId}`, title) : title}</>;
    case 'announcement_withdrawn': return <>{t('history.announcement_withdrawn', { reason: str('reason') })}</>;
    case 'comment_period_closed': return <>{t('history.comment_period_closed')}{line.refId ? <> {link(`announcements/${line.refId}`, t('history.open'))}</> : null}</>;
    case 'proposal_submitted': return <>{t('history.proposal_submitted')} {str('proposalId') ? link(`proposals/${str('proposalId')}`, title) : title}</>;
    case 'proposal_on_agenda': return <>{t('history.proposal_on_agenda')} {str('proposalId') ? link(`proposals/${str('proposalId')}`, title) : title}</>;
    case 'decided': {
      const votes = d.votes as { for?: number; against?: number; abstained?: number } | undefined;
      return (
        <>
          {t('history.decided', { decision: str('decision') ? t(`decision.kind.${str('decision')}`) : '', title })}
          {str('reasons') ? ` ${t('history.reasons', { reasons: str('reasons') })}` : ''}
          {votes ? ` ${t('decision.votes', { for: votes.for ?? 0, against: votes.against ?? 0, abstained: votes.abstained ?? 0 })}` : ''}
          {str('meetingId') ? <> {link(`meetings/${str('meetingId')}`, t('history.meeting'))}</> : null}
        </>
      );
    }
    case 'hearing_planned': return <>{t('history.hearing_planned', { title: str('title'), place: str('place') })} {line.refId ? link(`hearings/${line.refId}`, t('history.open')) : null}</>;
    case 'hearing_held': return <>{t('history.hearing_held', { title: str('title') })} {line.refId ? link(`hearings/${line.refId}`, t('history.open')) : null}</>;
    default: return <>{t('history.other')}</>;
  }
}
