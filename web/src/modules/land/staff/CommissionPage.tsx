/**
 * /staff/:city/land/commission — the commission's meetings (upcoming and past) and "Plan a meeting" (title, date
 * and time, place); the items waiting for a meeting (announcements whose comment period closed, proposals that
 * reached the support threshold), each of which a meeting's page puts on its agenda.
 */
import { useState, type FormEvent } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { api } from '../../../api/client.js';
import { Alert, Button, PageTitle, TextInput } from '../../../ui/ui.js';
import { asFailure, can, LandTabs, Loaded, localToIso, NotAllowed, send, useCity, useData, useFormat, useRoles, type AgendaItem, type Meetings } from './shared.js';
import { ItemSubject } from './AgendaItemView.js';

type MeetingRow = Meetings['upcoming'][number];

export function CommissionPage() {
  const { t } = useTranslation('landStaff');
  const city = useCity();
  const roles = useRoles();
  const meetings = useData<Meetings>(city, () => send(api.GET('/api/v1/m/{municipality}/land/meetings', { params: { path: { municipality: city }, query: { limit: 50 } } })));
  const waiting = useData<{ items: AgendaItem[] }>(`${city}|waiting`, () => send(api.GET('/api/v1/m/{municipality}/admin/land/agenda/waiting', { params: { path: { municipality: city } } })));
  const title = t('commission.title');
  if (!can(roles, 'commission')) return <><PageTitle title={title}>{title}</PageTitle><LandTabs /><NotAllowed /></>;
  return (
    <>
      <PageTitle title={title}>{title}</PageTitle>
      <LandTabs />
      <section aria-labelledby="lc-meetings" className="card">
        <h2 id="lc-meetings">{t('commission.meetings')}</h2>
        <Loaded data={meetings}>{(m) => (
          <>
            <h3>{t('commission.upcoming')}</h3>
            <MeetingTable city={city} rows={m.upcoming} />
            <h3>{t('commission.past')}</h3>
            <MeetingTable city={city} rows={m.past} />
          </>
        )}</Loaded>
      </section>
      <NewMeeting city={city} />
      <section aria-labelledby="lc-waiting" className="card">
        <h2 id="lc-waiting">{t('commission.waiting')}</h2>
        <p className="hint">{t('commission.waitingHint')}</p>
        <Loaded data={waiting}>{(w) => w.items.length === 0 ? <p>{t('commission.noneWaiting')}</p> : (
          <ul className="ls-waiting">{w.items.map((i) => <li key={i.id}><ItemSubject city={city} item={i} /></li>)}</ul>
        )}</Loaded>
      </section>
    </>
  );
}

function MeetingTable({ city, rows }: { city: string; rows: MeetingRow[] }) {
  const { t } = useTranslation('landStaff');
  const { time, num } = useFormat();
  if (rows.length === 0) return <p>{t('commission.noMeetings')}</p>;
  return (
    <div className="table-wrap" tabIndex={0} role="region" aria-label={t('commission.meetings')}>
      <table>
        <thead><tr>
          <th scope="col">{t('meeting.title')}</th><th scope="col">{t('meeting.startsAt')}</th><th scope="col">{t('meeting.place')}</th>
          <th scope="col">{t('meeting.status')}</th><th scope="col">{t('meeting.items')}</th>
        </tr></thead>
        <tbody>{rows.map((m) => (
          <tr key={m.id}>
            <th scope="row"><Link to={`/staff/${city}/land/commission/meetings/${m.id}`}>{m.title}</Link></th>
            <td>{time(m.startsAt)}</td><td>{m.place ?? '—'}</td>
            <td>{t(`meetingStatus.${m.status}`)}{m.minutesPublished ? `, ${t('meeting.minutesPublished')}` : ''}</td>
            <td>{num(m.itemCount)}</td>
          </tr>
        ))}</tbody>
      </table>
    </div>
  );
}

function NewMeeting({ city }: { city: string }) {
  const { t } = useTranslation('landStaff');
  const navigate = useNavigate();
  const [d, setD] = useState({ title: '', startsAt: '', place: '' });
  const [fields, setFields] = useState<Record<string, string>>({});
  const [error, setError] = useState<string | undefined>();
  async function submit(e: FormEvent) {
    e.preventDefault();
    const f: Record<string, string> = {};
    if (d.title.trim().length < 3) f.title = t('meeting.titleRequired');
    if (!d.startsAt) f.startsAt = t('meeting.startsAtRequired');
    setFields(f);
    if (Object.keys(f).length) { setError(undefined); return; }
    try {
      const m = await send(api.POST('/api/v1/m/{municipality}/admin/land/meetings', {
        params: { path: { municipality: city } },
        body: { title: d.title.trim(), startsAt: localToIso(d.startsAt), ...(d.place.trim() ? { place: d.place.trim() } : {}) },
      }));
      navigate(`/staff/${city}/land/commission/meetings/${m.id}`);
    } catch (err) {
      const x = asFailure(err);
      setFields(x.fields);
      setError(x.message);
    }
  }
  return (
    <section aria-labelledby="lc-new" className="card">
      <h2 id="lc-new">{t('commission.newMeeting')}</h2>
      <form onSubmit={submit} noValidate>
        <TextInput label={t('meeting.title')} required value={d.title} onChange={(e) => setD({ ...d, title: e.target.value })} error={fields.title} />
        <TextInput label={t('meeting.startsAt')} type="datetime-local" required value={d.startsAt} onChange={(e) => setD({ ...d, startsAt: e.target.value })} error={fields.startsAt} />
        <TextInput label={t('meeting.place')} value={d.place} onChange={(e) => setD({ ...d, place: e.target.value })} error={fields.place} />
        {error ? <Alert kind="error">{error}</Alert> : null}
        <Button type="submit">{t('commission.plan')}</Button>
      </form>
    </section>
  );
}
