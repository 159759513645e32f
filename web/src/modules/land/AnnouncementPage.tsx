/**
 * /:city/land/announcements/:id — an announcement about a plot: what is proposed, the comment period (open or
 * closed, until when, in local time), the discussion rules and the comments (the form only while open).
 */
import { Link, useParams } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client.js';
import { PageTitle } from '../../ui/ui.js';
import { Comments } from './Comments.js';
import { inLang, LandLayout, Loaded, PlotStatus, useFormat, useLoaded, type Announcement, useCommentUntil } from './shared.js';

export function AnnouncementPage() {
  const { t } = useTranslation('land');
  const { city = '', id = '' } = useParams();
  const loaded = useLoaded<Announcement>(`${city}|${id}`, () => api.GET('/api/v1/m/{municipality}/land/announcements/{id}', { params: { path: { municipality: city, id } } }));
  return (
    <LandLayout city={city}>
      <p><Link to={`/${city}/land`}>{t('back')}</Link></p>
      {loaded.result.state !== 'ok' ? <PageTitle title={t('announcement.title')}>{t('announcement.title')}</PageTitle> : null}
      <Loaded loaded={loaded}>{(a) => <AnnouncementView city={city} a={a} />}</Loaded>
    </LandLayout>
  );
}

function AnnouncementView({ city, a }: { city: string; a: Announcement }) {
  const { t } = useTranslation('land');
  const { lang, time, day } = useFormat();
  const commentUntil = useCommentUntil();
  const title = inLang(a.title, lang);
  const description = inLang(a.description, lang);
  return (
    <>
      <PageTitle title={title}>{title}</PageTitle>
      <dl className="land-dl">
        <dt>{t('announcement.kind')}</dt><dd>{t(`announcementKind.${a.kind}`)}</dd>
        <dt>{t('announcement.plot')}</dt>
        <dd><Link to={`/${city}/land/plots/${a.plot.id}`}>{a.plot.cadastralNumber}{a.plot.address ? `, ${a.plot.address}` : ''}</Link> — <PlotStatus status={a.plot.status} /></dd>
        {a.proposedUse ? <><dt>{t('announcement.proposedUse')}</dt><dd>{a.proposedUse}</dd></> : null}
        {a.leaseUntil ? <><dt>{t('announcement.leaseUntil')}</dt><dd>{day(a.leaseUntil)}</dd></> : null}
        <dt>{t('announcement.status')}</dt><dd>{t(`announcementStatus.${a.status}`)}</dd>
        <dt>{t('announcement.published')}</dt><dd>{day(a.publishedAt)}</dd>
      </dl>
      {description ? <div className="land-text"><p>{description}</p></div> : null}
      <section aria-labelledby="an-period" className={`card r-card land-period ${a.commentsOpen ? 'land-open' : 'land-closed'}`}>
        <h2 id="an-period">{t('announcement.period')}</h2>
        <p role="status">{a.commentsOpen
          ? commentUntil(a.commentClosesAt)
          : new Date(a.commentOpensAt) > new Date() ? t('announcement.notYet', { time: time(a.commentOpensAt) }) : t('announcement.closedAt', { time: time(a.commentClosesAt) })}</p>
        <p className="hint">{t('announcement.periodRange', { from: time(a.commentOpensAt), to: time(a.commentClosesAt) })}</p>
      </section>
      <Comments city={city} subject="announcements" id={a.id} closed={a.commentsOpen ? undefined : t('comments.closed')} />
    </>
  );
}
