/**
 * /staff/:city/land/hearings — public hearings: the list and "Plan a hearing" (the plot or one of its announcements,
 * title, time, place, capacity). /staff/:city/land/hearings/:id — a hearing: who registered (names: staff only),
 * attendance, "held" with the summary of the positions heard, or cancelled.
 */
import { useState, type FormEvent } from 'react';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { api } from '../../../api/client.js';
import { Alert, Button, PageTitle, Select, TextArea, TextInput } from '../../../ui/ui.js';
import {
  asFailure, can, inLang, LandTabs, Loaded, localToIso, NotAllowed, send, useCity, useData, useFormat, useRoles, type Hearing, type Hearings, type PlotList,
  type Registrations,
} from './shared.js';

export function HearingsPage() {
  const { t } = useTranslation('landStaff');
  const city = useCity();
  const roles = useRoles();
  const { time, num } = useFormat();
  const hearings = useData<Hearings>(city, () => send(api.GET('/api/v1/m/{municipality}/land/hearings', { params: { path: { municipality: city }, query: { limit: 200 } } })));
  const title = t('hearings.title');
  if (!can(roles, 'commission')) return <><PageTitle title={title}>{title}</PageTitle><LandTabs /><NotAllowed /></>;
  return (
    <>
      <PageTitle title={title}>{title}</PageTitle>
      <LandTabs />
      <section aria-labelledby="lh-list" className="card">
        <h2 id="lh-list">{t('hearings.list')}</h2>
        <Loaded data={hearings}>{(h) => h.items.length === 0 ? <p>{t('hearings.none')}</p> : (
          <div className="table-wrap" tabIndex={0} role="region" aria-label={t('hearings.list')}>
            <table>
              <thead><tr>
                <th scope="col">{t('hearing.title')}</th><th scope="col">{t('hearing.startsAt')}</th><th scope="col">{t('hearing.place')}</th>
                <th scope="col">{t('hearing.status')}</th><th scope="col">{t('hearing.registered')}</th>
              </tr></thead>
              <tbody>{h.items.map((x) => (
                <tr key={x.id}>
                  <th scope="row"><Link to={`/staff/${city}/land/hearings/${x.id}`}>{x.title}</Link></th>
                  <td>{time(x.startsAt)}</td><td>{x.place}</td><td>{t(`hearingStatus.${x.status}`)}</td>
                  <td>{x.capacity ? t('hearing.ofCapacity', { n: num(x.registeredCount), capacity: num(x.capacity) }) : num(x.registeredCount)}</td>
                </tr>
              ))}</tbody>
            </table>
          </div>
        )}</Loaded>
      </section>
      <NewHearing city={city} />
    </>
  );
}

function NewHearing({ city }: { city: string }) {
  const { t } = useTranslation('landStaff');
  const { lang } = useFormat();
  const navigate = useNavigate();
  const plots = useData<PlotList>(`${city}|plots`, () => send(api.GET('/api/v1/m/{municipality}/land/plots', { params: { path: { municipality: city }, query: { limit: 200 } } })));
  const [d, setD] = useState({ plotId: '', announcementId: '', title: '', startsAt: '', place: '', capacity: '' });
  const announcements = useData(`${city}|ann|${d.plotId}`, () => d.plotId
    ? send(api.GET('/api/v1/m/{municipality}/land/announcements', { params: { path: { municipality: city }, query: { plotId: d.plotId, limit: 100 } } })).then((r) => r.items)
    : Promise.resolve([]));
  const [fields, setFields] = useState<Record<string, string>>({});
  const [error, setError] = useState<string | undefined>();

  async function submit(e: FormEvent) {
    e.preventDefault();
    const f: Record<string, string> = {};
    if (d.title.trim().length < 3) f.title = t('hearing.titleRequired');
    if (!d.startsAt) f.startsAt = t('hearing.startsAtRequired');
    if (d.place.trim().length < 2) f.place = t('hearing.placeRequired');
    const capacity = d.capacity.trim() ? Number(d.capacity) : undefined;
    if (capacity !== undefined && (!Number.isInteger(capacity) || capacity < 1)) f.capacity = t('hearing.capacityInvalid');
    setFields(f);
    if (Object.keys(f).length) { setError(undefined); return; }
    try {
      const h = await send(api.POST('/api/v1/m/{municipality}/admin/land/hearings', {
        params: { path: { municipality: city } },
        body: {
          ...(d.announcementId ? { announcementId: d.announcementId } : d.plotId ? { plotId: d.plotId } : {}),
          title: d.title.trim(), startsAt: localToIso(d.startsAt), place: d.place.trim(), ...(capacity ? { capacity } : {}),
        },
      }));
      navigate(`/staff/${city}/land/hearings/${h.id}`);
    } catch (err) {
      const x = asFailure(err);
      setFields(x.fields);
      setError(x.message);
    }
  }

  return (
    <section aria-labelledby="lh-new" className="card">
      <h2 id="lh-new">{t('hearings.new')}</h2>
      <form onSubmit={submit} noValidate>
        <Select label={t('hearing.plot')} value={d.plotId} onChange={(e) => setD({ ...d, plotId: e.target.value, announcementId: '' })} error={fields.plotId}>
          <option value="">{t('hearing.noPlot')}</option>
          {plots.result.state === 'ok' ? plots.result.data.items.map((p) => <option key={p.id} value={p.id}>{p.cadastralNumber}{p.address ? ` — ${p.address}` : ''}</option>) : null}
        </Select>
        {d.plotId && announcements.result.state === 'ok' && announcements.result.data.length ? (
          <Select label={t('hearing.announcement')} value={d.announcementId} onChange={(e) => setD({ ...d, announcementId: e.target.value })} error={fields.announcementId}>
            <option value="">{t('hearing.noAnnouncement')}</option>
            {announcements.result.data.map((a) => <option key={a.id} value={a.id}>{inLang(a.title, lang)}</option>)}
          </Select>
        ) : null}
        <TextInput label={t('hearing.title')} required value={d.title} onChange={(e) => setD({ ...d, title: e.target.value })} error={fields.title} />
        <TextInput label={t('hearing.startsAt')} type="datetime-local" required value={d.startsAt} onChange={(e) => setD({ ...d, startsAt: e.target.value })} error={fields.startsAt} />
        <TextInput label={t('hearing.place')} required value={d.place} onChange={(e) => setD({ ...d, place: e.target.value })} error={fields.place} />
        <TextInput label={t('hearing.capacity')} hint={t('hearing.capacityHint')} type="number" min={1} value={d.capacity} onChange={(e) => setD({ ...d, capacity: e.target.value })} error={fields.capacity} />
        {error ? <Alert kind="error">{error}</Alert> : null}
        <Button type="submit">{t('hearings.plan')}</Button>
      </form>
    </section>
  );
}

export function HearingPage() {
  const { t } = useTranslation('landStaff');
  const city = useCity();
  const { id = '' } = useParams();
  const roles = useRoles();
  const { time, num } = useFormat();
  const hearing = useData<Hearing>(`${city}|${id}`, () => send(api.GET('/api/v1/m/{municipality}/land/hearings/{id}', { params: { path: { municipality: city, id } } })));
  const people = useData<Registrations>(`${city}|${id}|people`, () => send(api.GET('/api/v1/m/{municipality}/admin/land/hearings/{id}/registrations', { params: { path: { municipality: city, id } } })));
  const [message, setMessage] = useState<{ kind: 'success' | 'error'; text: string } | null>(null);
  if (!can(roles, 'commission')) return <><PageTitle title={t('hearing.pageTitle')}>{t('hearing.pageTitle')}</PageTitle><LandTabs /><NotAllowed /></>;
  const done = (text: string) => { setMessage({ kind: 'success', text }); hearing.reload(); people.reload(); };
  const fail = (err: unknown) => setMessage({ kind: 'error', text: asFailure(err).message });

  async function attend(citizenId: string, attended: boolean) {
    try {
      await send(api.POST('/api/v1/m/{municipality}/admin/land/hearings/{id}/attendance', { params: { path: { municipality: city, id } }, body: { citizenIds: [citizenId], attended } }));
      done(attended ? t('hearing.markedPresent') : t('hearing.markedAbsent'));
    } catch (err) { fail(err); }
  }

  return (
    <>
      <LandTabs />
      <p><Link to={`/staff/${city}/land/hearings`}>{t('hearing.back')}</Link></p>
      <Loaded data={hearing}>{(h) => (
        <>
          <PageTitle title={h.title}>{h.title}</PageTitle>
          <dl className="ls-dl">
            <dt>{t('hearing.startsAt')}</dt><dd>{time(h.startsAt)}</dd>
            <dt>{t('hearing.place')}</dt><dd>{h.place}</dd>
            <dt>{t('hearing.status')}</dt><dd>{t(`hearingStatus.${h.status}`)}</dd>
            <dt>{t('hearing.registered')}</dt><dd>{h.capacity ? t('hearing.ofCapacity', { n: num(h.registeredCount), capacity: num(h.capacity) }) : num(h.registeredCount)}</dd>
            {h.plotId ? <><dt>{t('hearing.plot')}</dt><dd><Link to={`/${city}/land/plots/${h.plotId}`}>{t('plots.passport')}</Link></dd></> : null}
            {h.attendedCount !== null ? <><dt>{t('hearing.attended')}</dt><dd>{num(h.attendedCount)}</dd></> : null}
          </dl>
          {message ? <Alert kind={message.kind}>{message.text}</Alert> : null}
          <section aria-labelledby="lh-people" className="card">
            <h2 id="lh-people">{t('hearing.people')}</h2>
            <p className="hint">{t('hearing.peopleHint')}</p>
            <Loaded data={people}>{(p) => p.items.length === 0 ? <p>{t('hearing.nobody')}</p> : (
              <div className="table-wrap" tabIndex={0} role="region" aria-label={t('hearing.people')}>
                <table>
                  <thead><tr><th scope="col">{t('hearing.name')}</th><th scope="col">{t('hearing.registeredAt')}</th><th scope="col">{t('hearing.attendance')}</th></tr></thead>
                  <tbody>{p.items.map((r) => (
                    <tr key={r.citizenId}>
                      <th scope="row">{r.fullName ?? t('hearing.noName')}</th>
                      <td>{time(r.registeredAt)}</td>
                      <td>{r.attended ? t('hearing.present') : t('hearing.notMarked')}{' '}
                        {h.status !== 'cancelled' ? (
                          <Button variant="link" onClick={() => void attend(r.citizenId, !r.attended)}
                            aria-label={t(r.attended ? 'hearing.unmarkOf' : 'hearing.markOf', { name: r.fullName ?? t('hearing.noName') })}>
                            {r.attended ? t('hearing.unmark') : t('hearing.mark')}
                          </Button>
                        ) : null}
                      </td>
                    </tr>
                  ))}</tbody>
                </table>
              </div>
            )}</Loaded>
          </section>
          {h.status !== 'cancelled'
            ? <HeldForm key={h.status} city={city} h={h} attended={people.result.state === 'ok' ? people.result.data.items.filter((r) => r.attended).length : 0} onDone={done} onFailed={fail} />
            : null}
        </>
      )}</Loaded>
    </>
  );
}

function HeldForm({ city, h, attended, onDone, onFailed }: { city: string; h: Hearing; attended: number; onDone: (text: string) => void; onFailed: (err: unknown) => void }) {
  const { t } = useTranslation('landStaff');
  // Once held, the same form corrects the summary and the count.
  const held = h.status === 'held';
  const [summary, setSummary] = useState(h.summary ?? '');
  const [count, setCount] = useState(h.attendedCount !== null ? String(h.attendedCount) : '');
  const [error, setError] = useState<string | undefined>();
  async function save(e: FormEvent) {
    e.preventDefault();
    if (!summary.trim()) { setError(t('hearing.summaryRequired')); return; }
    const n = count.trim() ? Number(count) : attended;
    try {
      await send(api.PATCH('/api/v1/m/{municipality}/admin/land/hearings/{id}', { params: { path: { municipality: city, id: h.id } }, body: { status: 'held', summary: summary.trim(), attendedCount: n } }));
      onDone(held ? t('hearing.summarySaved') : t('hearing.markedHeld'));
    } catch (err) { setError(asFailure(err).message); }
  }
  const cancel = () => void send(api.PATCH('/api/v1/m/{municipality}/admin/land/hearings/{id}', { params: { path: { municipality: city, id: h.id } }, body: { status: 'cancelled' } }))
    .then(() => onDone(t('hearing.cancelled')), onFailed);
  return (
    <section aria-labelledby="lh-held" className="card">
      <h2 id="lh-held">{t('hearing.heldTitle')}</h2>
      <form onSubmit={save} noValidate>
        <TextArea label={t('hearing.summary')} hint={t('hearing.summaryHint')} required rows={6} value={summary} onChange={(e) => setSummary(e.target.value)} error={error} />
        <TextInput label={t('hearing.attended')} hint={t('hearing.attendedHint', { n: attended })} type="number" min={0} value={count} onChange={(e) => setCount(e.target.value)} />
        <p className="row-actions">
          <Button type="submit">{held ? t('hearing.saveSummary') : t('hearing.markHeld')}</Button>
          {!held ? <Button variant="danger" onClick={cancel}>{t('hearing.cancel')}</Button> : null}
        </p>
      </form>
    </section>
  );
}
