/**
 * /staff/:city/land/plots/:id/announce — "Announce": the kind (temporary lease…), the title and description in
 * Kyrgyz, Russian and English (at least one), the proposed use, the lease's end, and the comment period: it opens now
 * (or later) and closes after the settings' number of days — the closing date is shown as it is computed. Publishing
 * notifies the residents who watch the plot's area.
 */
import { useState, type FormEvent } from 'react';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { api } from '../../../api/client.js';
import { Alert, Button, PageTitle, Select, TextArea, TextInput } from '../../../ui/ui.js';
import { asFailure, can, isoToLocal, LandTabs, LANGS, Loaded, NotAllowed, send, useCity, useData, useFormat, useRoles, type Passport, type Settings } from './shared.js';

const KINDS = ['temporary_lease', 'lease', 'change_of_use', 'public_use', 'other'] as const;
const LEASE_KINDS: readonly string[] = ['temporary_lease', 'lease'];

/** 00:00 local time after the `days`-th day following the opening day: the first instant comments are refused. */
export function closingOf(opens: Date, days: number): Date {
  return new Date(opens.getFullYear(), opens.getMonth(), opens.getDate() + days + 1);
}

export function AnnouncePage() {
  const { t } = useTranslation('landStaff');
  const city = useCity();
  const { id = '' } = useParams();
  const roles = useRoles();
  const data = useData<{ plot: Passport; settings: Settings }>(`${city}|${id}`, async () => ({
    plot: await send(api.GET('/api/v1/m/{municipality}/land/plots/{id}', { params: { path: { municipality: city, id } } })),
    settings: await send(api.GET('/api/v1/m/{municipality}/land/settings', { params: { path: { municipality: city } } })),
  }));
  if (!can(roles, 'plots')) return <><PageTitle title={t('announce.title')}>{t('announce.title')}</PageTitle><LandTabs /><NotAllowed /></>;
  return (
    <>
      <LandTabs />
      <p><Link to={`/staff/${city}/land/plots/${id}`}>{t('announce.back')}</Link></p>
      <Loaded data={data}>{({ plot, settings }) => <AnnounceForm city={city} plot={plot} settings={settings} />}</Loaded>
    </>
  );
}

function AnnounceForm({ city, plot, settings }: { city: string; plot: Passport; settings: Settings }) {
  const { t } = useTranslation('landStaff');
  const { time, day } = useFormat();
  const navigate = useNavigate();
  const [kind, setKind] = useState<string>('temporary_lease');
  const [title, setTitle] = useState({ ky: '', ru: '', en: '' });
  const [description, setDescription] = useState({ ky: '', ru: '', en: '' });
  const [proposedUse, setProposedUse] = useState('');
  const [leaseUntil, setLeaseUntil] = useState('');
  const [opens, setOpens] = useState('');
  const [days, setDays] = useState(String(settings.commentPeriodDays));
  const [fields, setFields] = useState<Record<string, string>>({});
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);

  const n = Number(days);
  const daysValid = Number.isInteger(n) && n >= 1 && n <= 365;
  const opensAt = opens ? new Date(opens) : new Date();
  const closesAt = daysValid ? closingOf(opensAt, n) : null;
  const heading = t('announce.titleOf', { plot: plot.cadastralNumber });

  async function submit(e: FormEvent) {
    e.preventDefault();
    const f: Record<string, string> = {};
    if (!LANGS.some((l) => title[l].trim())) f.title = t('announce.titleRequired');
    if (kind === 'temporary_lease' && !leaseUntil) f.leaseUntil = t('announce.leaseUntilRequired');
    if (!daysValid) f.days = t('announce.daysInvalid');
    setFields(f);
    if (Object.keys(f).length) { setError(t('announce.fix')); return; }
    setError(undefined);
    setBusy(true);
    try {
      const a = await send(api.POST('/api/v1/m/{municipality}/admin/land/announcements', {
        params: { path: { municipality: city } },
        body: {
          plotId: plot.id, kind: kind as never, title, description, proposedUse: proposedUse.trim() || null,
          leaseUntil: LEASE_KINDS.includes(kind) && leaseUntil ? leaseUntil : null,
          ...(opens ? { commentOpensAt: opensAt.toISOString() } : {}),
          ...(opens || n !== settings.commentPeriodDays ? { commentClosesAt: closesAt!.toISOString() } : {}),
        },
      }));
      navigate(`/staff/${city}/land/plots/${plot.id}`, { state: { published: a.id } });
    } catch (err) {
      const x = asFailure(err);
      setFields(Object.fromEntries(Object.entries(x.fields).map(([k, v]) => [k.replace(/^(title|description)\..*/, '$1').replace('commentClosesAt', 'days'), v])));
      setError(x.message);
    } finally {
      setBusy(false);
    }
  }

  return (
    <>
      <PageTitle title={heading}>{heading}</PageTitle>
      <p>{plot.address ?? ''}</p>
      <form onSubmit={submit} noValidate className="card">
        <Select label={t('announce.kind')} value={kind} onChange={(e) => setKind(e.target.value)}>
          {KINDS.map((k) => <option key={k} value={k}>{t(`announcementKind.${k}`)}</option>)}
        </Select>
        <fieldset className="ls-langs">
          <legend>{t('announce.titles')}</legend>
          {LANGS.map((l) => (
            <TextInput key={l} label={t(`lang.${l}`)} lang={l} value={title[l]} onChange={(e) => setTitle({ ...title, [l]: e.target.value })}
              error={l === 'ky' ? fields.title : undefined} />
          ))}
        </fieldset>
        <fieldset className="ls-langs">
          <legend>{t('announce.descriptions')}</legend>
          {LANGS.map((l) => (
            <TextArea key={l} label={t(`lang.${l}`)} lang={l} rows={4} value={description[l]} onChange={(e) => setDescription({ ...description, [l]: e.target.value })} />
          ))}
        </fieldset>
        <TextInput label={t('announce.proposedUse')} value={proposedUse} onChange={(e) => setProposedUse(e.target.value)} error={fields.proposedUse} />
        {LEASE_KINDS.includes(kind)
          ? <TextInput label={t('announce.leaseUntil')} type="date" required={kind === 'temporary_lease'} value={leaseUntil} onChange={(e) => setLeaseUntil(e.target.value)} error={fields.leaseUntil} />
          : null}
        <fieldset className="ls-langs">
          <legend>{t('announce.period')}</legend>
          <TextInput label={t('announce.opens')} hint={t('announce.opensHint')} type="datetime-local" value={opens} min={isoToLocal(new Date())}
            onChange={(e) => setOpens(e.target.value)} error={fields.commentOpensAt} />
          <TextInput label={t('announce.days')} hint={t('announce.daysHint', { n: settings.commentPeriodDays })} type="number" min={1} max={365} required
            value={days} onChange={(e) => setDays(e.target.value)} error={fields.days} />
          <p className="ls-closing" aria-live="polite">{closesAt
            ? t('announce.closes', { time: time(closesAt.toISOString()), last: day(new Date(closesAt.getTime() - 1).toISOString()) })
            : t('announce.daysInvalid')}</p>
        </fieldset>
        {error ? <Alert kind="error">{error}</Alert> : null}
        <Button type="submit" disabled={busy}>{t('announce.publish')}</Button>
      </form>
    </>
  );
}
