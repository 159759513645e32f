/**
 * One of the resident's appeals: what it is and where it stands, every public step of its way (the timeline), and
 * the Response — the city's answers with their files, each with the resident's rating of it (AnswerRating.tsx).
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { api, errorMessage } from '../../api/client.js';
import type { paths } from '../../api/schema.js';
import { Loading, PageTitle } from '../../ui/ui.js';
import { AnswerRating } from './AnswerRating.js';
import { formatDay, formatNum, isNetworkFailure, LoadFailed, nameIn, RequireCitizen, ResidentLayout, StatusBadge, useDirectory, type Directory } from './shared.js';

type Appeal = paths['/api/v1/m/{municipality}/my/appeals/{id}']['get']['responses'][200]['content']['application/json'];
type TimelineEntry = Appeal['timeline'][number];
type Attachment = Appeal['attachments'][number];

const GROUNDS = ['profanity_or_insults', 'calls_for_violence_or_hatred', 'missing_name_address_or_contacts', 'unreadable_form',
  'no_concrete_substance', 'repeated_without_new_arguments', 'anonymous'];

export function MyAppealPage() {
  const { t } = useTranslation('resident');
  const { city = '', id = '' } = useParams();
  return (
    <ResidentLayout city={city}>
      <RequireCitizen>{() => <AppealView key={`${city}/${id}`} city={city} id={id} />}</RequireCitizen>
      <p className="r-gap"><Link to={`/${city}/my`}>{t('appeal.backToList')}</Link></p>
    </ResidentLayout>
  );
}

function AppealView({ city, id }: { city: string; id: string }) {
  const { t, i18n } = useTranslation('resident');
  const lang = i18n.language;
  const [appeal, setAppeal] = useState<Appeal | null>(null);
  const [failure, setFailure] = useState<{ message: string; offline: boolean } | null>(null);
  const [attempt, setAttempt] = useState(0);
  const { result: dir } = useDirectory(city);
  const directory = dir.state === 'ok' ? dir.data : null;

  useEffect(() => {
    let live = true;
    setFailure(null);
    api.GET('/api/v1/m/{municipality}/my/appeals/{id}', { params: { path: { municipality: city, id } } }).then(({ data, error }) => {
      if (!live) return;
      if (data) setAppeal(data);
      else setFailure({ message: errorMessage(error, ''), offline: false });
    }, (e: unknown) => { if (live) setFailure({ message: '', offline: isNetworkFailure(e) }); });
    return () => { live = false; };
  }, [city, id, attempt]);

  // A link to the Response (#response, as in the "answered" notification) lands there once the appeal has loaded.
  const landed = useRef(false);
  useEffect(() => {
    if (!appeal || landed.current) return;
    landed.current = true;
    if (window.location.hash === '#response') document.getElementById('response')?.scrollIntoView();
  }, [appeal]);

  // After a rating, a review request or a follow-up answer: the appeal again (its status may have changed), in place.
  const reload = useCallback(async () => {
    const { data } = await api.GET('/api/v1/m/{municipality}/my/appeals/{id}', { params: { path: { municipality: city, id } } }).catch(() => ({ data: undefined }));
    if (data) setAppeal(data);
  }, [city, id]);

  if (!appeal) {
    return (
      <>
        <PageTitle title={t('appeal.title')}>{t('appeal.title')}</PageTitle>
        {failure ? <LoadFailed message={failure.message} offline={failure.offline} onRetry={() => setAttempt((n) => n + 1)} /> : <Loading label={t('common:loading')} />}
      </>
    );
  }

  const category = directory?.categories.find((c) => c.id === appeal.categoryId);
  const parent = category?.parentId ? directory?.categories.find((c) => c.id === category.parentId) : undefined;
  const district = directory?.districts.find((d) => d.id === appeal.districtId);
  const service = serviceName(directory, appeal.serviceId, lang);
  const { lat, lon, address } = appeal.location;
  const title = t('appeal.titleNumber', { number: appeal.registrationNumber });

  return (
    <>
      <PageTitle title={title}>
        <span className="r-title-number">{title}</span>
        <span className="r-title-subject">{appeal.subject}</span>
      </PageTitle>

      <section aria-labelledby="appeal-summary" className="card r-card">
        <h2 id="appeal-summary">{t('appeal.summary')}</h2>
        <dl className="r-dl">
          <dt>{t('my.status')}</dt><dd><StatusBadge status={appeal.status} /></dd>
          <dt>{t('appeal.kind')}</dt><dd>{t(`common:kind.${appeal.kind}`)}</dd>
          {category ? <><dt>{t('appeal.category')}</dt><dd>{parent ? `${nameIn(parent.name, lang)} → ` : ''}{nameIn(category.name, lang)}</dd></> : null}
          <dt>{t('my.registered')}</dt><dd>{formatDay(appeal.registeredAt, lang, true)}</dd>
          <dt>{t('common:dueDate')}</dt>
          <dd>
            {formatDay(appeal.dueDate, lang)}
            {appeal.overdue ? <> <strong className="overdue r-overdue">{t('common:overdue')}</strong></> : null}
            {appeal.extensionDays > 0 ? <span className="r-muted"> ({t('appeal.extendedBy', { count: appeal.extensionDays })})</span> : null}
          </dd>
          {service ? <><dt>{t('appeal.service')}</dt><dd>{service}</dd></> : null}
          {appeal.redirectedTo ? <><dt>{t('appeal.redirectedTo')}</dt><dd>{appeal.redirectedTo}</dd></> : null}
          {appeal.noConsiderationGround ? <><dt>{t('appeal.ground')}</dt><dd>{groundText(t, appeal.noConsiderationGround)}</dd></> : null}
          {appeal.isCollective ? <><dt>{t('appeal.cosigners')}</dt><dd>{formatNum(appeal.cosignersCount, lang)}</dd></> : null}
          <dt>{t('appeal.place')}</dt>
          <dd>
            {address || district || (lat !== null && lon !== null) ? (
              <>
                {address ? <span className="r-block">{address}</span> : null}
                {district ? <span className="r-block">{t('appeal.district', { name: nameIn(district.name, lang) })}</span> : null}
                {lat !== null && lon !== null ? (
                  <a className="r-block" href={`https://www.openstreetmap.org/?mlat=${lat}&mlon=${lon}#map=18/${lat}/${lon}`} rel="noopener noreferrer" target="_blank">
                    {t('appeal.onMap', { lat: formatNum(Math.round(lat * 100000) / 100000, lang), lon: formatNum(Math.round(lon * 100000) / 100000, lang) })}
                    <span className="visually-hidden"> {t('appeal.newWindow')}</span>
                  </a>
                ) : null}
              </>
            ) : t('appeal.noPlace')}
          </dd>
        </dl>
        <h3>{t('appeal.text')}</h3>
        <p className="r-body-text">{appeal.body}</p>
        {appeal.attachments.length ? (
          <>
            <h3>{t('appeal.yourFiles')}</h3>
            <Files files={appeal.attachments} />
          </>
        ) : null}
      </section>

      <section aria-labelledby="appeal-response" id="response" className="card r-card r-response">
        <h2 id="appeal-response">{t('appeal.response.heading')}</h2>
        {appeal.answers.length ? appeal.answers.map((answer, i) => (
          <article key={answer.id} className="r-answer" aria-labelledby={`answer-${answer.id}`}>
            <h3 id={`answer-${answer.id}`}>
              {appeal.answers.length > 1 ? t('appeal.response.numbered', { n: i + 1, date: formatDay(answer.createdAt, lang, true) }) : t('appeal.response.dated', { date: formatDay(answer.createdAt, lang, true) })}
            </h3>
            {serviceName(directory, answer.serviceId, lang) ? <p className="r-muted">{t('appeal.response.from', { service: serviceName(directory, answer.serviceId, lang) })}</p> : null}
            <div className="r-body-text" lang={answer.language}>{answer.body}</div>
            {answer.attachments.length ? (
              <>
                <h4>{t('appeal.response.files')}</h4>
                <Files files={answer.attachments} />
              </>
            ) : null}
            <AnswerRating city={city} appealId={appeal.id} answer={answer} onChanged={reload} />
          </article>
        )) : (
          <p>{t(isClosedWithoutAnswer(appeal.status) ? 'appeal.response.noneClosed' : 'appeal.response.none', { date: formatDay(appeal.dueDate, lang) })}</p>
        )}
      </section>

      <section aria-labelledby="appeal-timeline" className="card r-card">
        <h2 id="appeal-timeline">{t('appeal.timeline.heading')}</h2>
        <ol className="r-timeline">
          {appeal.timeline.map((entry, i) => <TimelineItem key={`${entry.at}-${i}`} entry={entry} directory={directory} />)}
        </ol>
      </section>
    </>
  );
}

function isClosedWithoutAnswer(status: string) {
  return status === 'closed' || status === 'left_without_consideration' || status === 'redirected';
}

function serviceName(directory: Directory | null, id: string | null, lang: string): string {
  if (!directory || !id) return '';
  return nameIn(directory.services.find((s) => s.id === id)?.name, lang);
}

function groundText(t: (key: string) => string, ground: string): string {
  return GROUNDS.includes(ground) ? t(`appeal.grounds.${ground}`) : ground;
}

function TimelineItem({ entry, directory }: { entry: TimelineEntry; directory: Directory | null }) {
  const { t, i18n } = useTranslation('resident');
  const lang = i18n.language;
  const d = entry.details ?? {};
  const str = (k: string) => (typeof d[k] === 'string' ? (d[k] as string) : null);
  const dueDate = str('dueDate');
  const days = typeof d.days === 'number' ? d.days : null;
  const redirectedTo = str('redirectedTo');
  const toService = entry.action === 'redirect' ? serviceName(directory, str('serviceId'), lang) : '';
  const ground = str('noConsiderationGround');
  return (
    <li>
      <p className="r-timeline-head">
        <strong>{t(`appeal.events.${entry.action}`, { defaultValue: t(`common:action.${entry.action}`, { defaultValue: entry.action }) })}</strong>
        {' '}<time dateTime={entry.at}>{formatDay(entry.at, lang, true)}</time>
      </p>
      {days ? <p>{t('appeal.timeline.days', { count: days })}</p> : null}
      {dueDate ? <p>{t(entry.action === 'register' ? 'appeal.timeline.dueDate' : 'appeal.timeline.newDueDate', { date: formatDay(dueDate, lang) })}</p> : null}
      {redirectedTo || toService ? <p>{t('appeal.timeline.redirectedTo', { to: redirectedTo || toService })}</p> : null}
      {ground ? <p>{t('appeal.timeline.ground', { ground: groundText(t, ground) })}</p> : null}
      {entry.reason ? <p>{t('appeal.timeline.reason', { reason: entry.reason })}</p> : null}
      {entry.action === 'answer' ? <p><a href="#response">{t('appeal.timeline.seeResponse')}</a></p> : null}
    </li>
  );
}

function Files({ files }: { files: Attachment[] }) {
  const { t, i18n } = useTranslation('resident');
  const lang = i18n.language;
  return (
    <ul className="r-files">
      {files.map((f) => (
        <li key={f.id}>
          <a href={f.url} download={f.fileName}>{f.fileName}</a>
          {' '}<span className="r-muted">({t('appeal.size', { kb: formatNum(Math.max(1, Math.round(f.sizeBytes / 1024)), lang) })})</span>
        </li>
      ))}
    </ul>
  );
}
