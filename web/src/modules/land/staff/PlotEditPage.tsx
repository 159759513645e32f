/**
 * /staff/:city/land/plots/new and /staff/:city/land/plots/:id — a plot's fields, status (with "leased until"), and
 * outline (GeoJSON typed or read from a file); for an existing plot also its documents (upload) and announcements
 * (announce, withdraw with a public reason).
 */
import { useId, useState, type FormEvent } from 'react';
import { Link, useLocation, useNavigate, useParams } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { api } from '../../../api/client.js';
import { pickName } from '../../../app/cities.js';
import { Alert, Button, Field, PageTitle, Select, TextArea, TextInput } from '../../../ui/ui.js';
import {
  asFailure, can, inLang, LandTabs, Loaded, NotAllowed, PLOT_STATUSES, postForm, send, useCity, useData, useFormat, useRoles, type Passport,
} from './shared.js';
import { PlotStatusText, useDistricts } from './parts.js';

export function PlotEditPage() {
  const { t } = useTranslation('landStaff');
  const city = useCity();
  const { id } = useParams();
  const roles = useRoles();
  const plot = useData<Passport | null>(`${city}|${id ?? 'new'}`, () => id
    ? send(api.GET('/api/v1/m/{municipality}/land/plots/{id}', { params: { path: { municipality: city, id } } }))
    : Promise.resolve(null));
  const title = id ? t('plot.editTitle') : t('plot.newTitle');
  // The announce page comes back here with the new announcement's id.
  const published = (useLocation().state as { published?: string } | null)?.published;
  if (!can(roles, 'plots')) return <><PageTitle title={title}>{title}</PageTitle><LandTabs /><NotAllowed /></>;
  return (
    <>
      <LandTabs />
      <p><Link to={`/staff/${city}/land/plots`}>{t('plot.back')}</Link></p>
      <Loaded data={plot}>{(p) => (
        <>
          <PageTitle title={p ? t('plot.editTitleOf', { plot: p.cadastralNumber }) : title}>{p ? t('plot.editTitleOf', { plot: p.cadastralNumber }) : title}</PageTitle>
          {p ? <p><PlotStatusText status={p.status} /> · <Link to={`/${city}/land/plots/${p.id}`}>{t('plots.passport')}</Link></p> : null}
          {published ? <Alert kind="success">{t('announce.published')}</Alert> : null}
          <PlotForm city={city} plot={p} onSaved={plot.reload} />
          {p ? <Announcements city={city} plot={p} onChange={plot.reload} /> : null}
          {p ? <Documents city={city} plot={p} onAdded={plot.reload} /> : null}
        </>
      )}</Loaded>
    </>
  );
}

interface Draft {
  cadastralNumber: string; address: string; districtId: string; areaM2: string; zoning: string; permittedUse: string; currentUse: string;
  status: string; leasedUntil: string; geometry: string;
}

function draftOf(p: Passport | null): Draft {
  return {
    cadastralNumber: p?.cadastralNumber ?? '', address: p?.address ?? '', districtId: p?.districtId ?? '', areaM2: p?.areaM2 != null ? String(p.areaM2) : '',
    zoning: p?.zoning ?? '', permittedUse: p?.permittedUse ?? '', currentUse: p?.currentUse ?? '', status: p?.status ?? 'available',
    leasedUntil: p?.leasedUntil ?? '', geometry: p ? JSON.stringify(p.geometry) : '',
  };
}

function PlotForm({ city, plot, onSaved }: { city: string; plot: Passport | null; onSaved: () => void }) {
  const { t } = useTranslation('landStaff');
  const { lang } = useFormat();
  const navigate = useNavigate();
  const districts = useDistricts(city);
  const [d, setD] = useState<Draft>(() => draftOf(plot));
  const [fields, setFields] = useState<Record<string, string>>({});
  const [message, setMessage] = useState<{ kind: 'error' | 'success'; text: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const set = (k: keyof Draft) => (e: { target: { value: string } }) => setD({ ...d, [k]: e.target.value });

  async function readGeometryFile(file: File | undefined) {
    if (!file) return;
    const text = await file.text();
    try {
      const json = JSON.parse(text) as { type?: string; geometry?: unknown; features?: { geometry?: unknown }[] };
      const geometry = json.type === 'Feature' ? json.geometry : json.type === 'FeatureCollection' ? json.features?.[0]?.geometry : json;
      setD((x) => ({ ...x, geometry: JSON.stringify(geometry) }));
      setFields((f) => ({ ...f, geometry: '' }));
    } catch {
      setFields((f) => ({ ...f, geometry: t('plot.geometryNotJson') }));
    }
  }

  async function save(e: FormEvent) {
    e.preventDefault();
    setMessage(null);
    let geometry: unknown;
    try { geometry = JSON.parse(d.geometry); } catch { setFields({ geometry: t('plot.geometryNotJson') }); return; }
    const area = d.areaM2.trim() ? Number(d.areaM2.replace(',', '.')) : null;
    if (area !== null && !(area > 0)) { setFields({ areaM2: t('plot.areaInvalid') }); return; }
    const body = {
      cadastralNumber: d.cadastralNumber.trim(), address: d.address.trim() || null, districtId: d.districtId || null, areaM2: area,
      zoning: d.zoning.trim() || null, permittedUse: d.permittedUse.trim() || null, currentUse: d.currentUse.trim() || null,
      status: d.status as never, leasedUntil: d.status === 'leased_temporarily' ? d.leasedUntil || null : null, geometry: geometry as never,
    };
    setBusy(true);
    try {
      if (plot) {
        await send(api.PATCH('/api/v1/m/{municipality}/admin/land/plots/{id}', { params: { path: { municipality: city, id: plot.id } }, body }));
        setFields({});
        setMessage({ kind: 'success', text: t('plot.saved') });
        onSaved();
      } else {
        const created = await send(api.POST('/api/v1/m/{municipality}/admin/land/plots', { params: { path: { municipality: city } }, body }));
        navigate(`/staff/${city}/land/plots/${created.id}`);
      }
    } catch (err) {
      const f = asFailure(err);
      setFields(f.fields);
      setMessage({ kind: 'error', text: f.message });
    } finally {
      setBusy(false);
    }
  }

  return (
    <form onSubmit={save} noValidate className="card" aria-label={t('plot.fields')}>
      <TextInput label={t('plot.cadastralNumber')} hint={t('plot.cadastralHint')} required value={d.cadastralNumber} onChange={set('cadastralNumber')} error={fields.cadastralNumber} />
      <TextInput label={t('plot.address')} value={d.address} onChange={set('address')} error={fields.address} />
      <Select label={t('plot.district')} hint={t('plot.districtHint')} value={d.districtId} onChange={set('districtId')} error={fields.districtId}>
        <option value="">{t('plot.districtAuto')}</option>
        {districts.map((x) => <option key={x.id} value={x.id}>{pickName(x.name, lang)}</option>)}
      </Select>
      <TextInput label={t('plot.areaM2')} hint={t('plot.areaHint')} inputMode="decimal" value={d.areaM2} onChange={set('areaM2')} error={fields.areaM2} />
      <TextInput label={t('plot.zoning')} value={d.zoning} onChange={set('zoning')} error={fields.zoning} />
      <TextInput label={t('plot.permittedUse')} value={d.permittedUse} onChange={set('permittedUse')} error={fields.permittedUse} />
      <TextInput label={t('plot.currentUse')} value={d.currentUse} onChange={set('currentUse')} error={fields.currentUse} />
      <Select label={t('plot.status')} value={d.status} onChange={set('status')} error={fields.status}>
        {PLOT_STATUSES.map((s) => <option key={s} value={s}>{t(`plotStatus.${s}`)}</option>)}
      </Select>
      {d.status === 'leased_temporarily'
        ? <TextInput label={t('plot.leasedUntil')} type="date" required value={d.leasedUntil} onChange={set('leasedUntil')} error={fields.leasedUntil} />
        : null}
      <TextArea label={t('plot.geometry')} hint={t('plot.geometryHint')} required className="ls-geometry" rows={6} value={d.geometry} onChange={set('geometry')} error={fields.geometry} />
      <Field label={t('plot.geometryFile')}>
        {(a) => <input {...a} type="file" accept=".geojson,.json,application/geo+json,application/json" onChange={(e) => void readGeometryFile(e.target.files?.[0])} />}
      </Field>
      {message ? <Alert kind={message.kind}>{message.text}</Alert> : null}
      <Button type="submit" disabled={busy}>{plot ? t('plot.save') : t('plot.create')}</Button>
    </form>
  );
}

function Announcements({ city, plot, onChange }: { city: string; plot: Passport; onChange: () => void }) {
  const { t } = useTranslation('landStaff');
  const { lang, time } = useFormat();
  const headingId = useId();
  return (
    <section aria-labelledby={headingId} className="card">
      <h2 id={headingId}>{t('announce.listTitle')}</h2>
      <p><Link className="btn btn-primary" to={`/staff/${city}/land/plots/${plot.id}/announce`}>{t('announce.action')}</Link></p>
      {plot.announcements.length === 0 ? <p>{t('announce.none')}</p> : (
        <ul className="queue">{plot.announcements.map((a) => (
          <li key={a.id} className="ls-item">
            <p className="queue-title"><Link to={`/${city}/land/announcements/${a.id}`}>{inLang(a.title, lang)}</Link></p>
            <p>{t(`announcementKind.${a.kind}`)} · {t(`announcementStatus.${a.status}`)} · {t('announce.periodRange', { from: time(a.commentOpensAt), to: time(a.commentClosesAt) })}</p>
            {a.status === 'published' ? <Withdraw city={city} id={a.id} onDone={onChange} /> : null}
          </li>
        ))}</ul>
      )}
    </section>
  );
}

function Withdraw({ city, id, onDone }: { city: string; id: string; onDone: () => void }) {
  const { t } = useTranslation('landStaff');
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | undefined>();
  if (!open) return <Button variant="secondary" onClick={() => setOpen(true)}>{t('announce.withdraw')}</Button>;
  async function submit(e: FormEvent) {
    e.preventDefault();
    if (reason.trim().length < 3) { setError(t('announce.reasonRequired')); return; }
    try {
      await send(api.POST('/api/v1/m/{municipality}/admin/land/announcements/{id}/withdraw', { params: { path: { municipality: city, id } }, body: { reason: reason.trim() } }));
      setOpen(false);
      onDone();
    } catch (err) { setError(asFailure(err).message); }
  }
  return (
    <form onSubmit={submit} noValidate>
      <TextArea label={t('announce.withdrawReason')} hint={t('announce.withdrawHint')} required rows={3} value={reason} onChange={(e) => setReason(e.target.value)} error={error} />
      <p className="row-actions">
        <Button type="submit" variant="danger">{t('announce.withdrawConfirm')}</Button>
        <Button variant="secondary" onClick={() => setOpen(false)}>{t('cancel')}</Button>
      </p>
    </form>
  );
}

function Documents({ city, plot, onAdded }: { city: string; plot: Passport; onAdded: () => void }) {
  const { t } = useTranslation('landStaff');
  const { day } = useFormat();
  const headingId = useId();
  const [title, setTitle] = useState('');
  const [file, setFile] = useState<File | null>(null);
  const [message, setMessage] = useState<{ kind: 'error' | 'success'; text: string } | null>(null);
  async function submit(e: FormEvent) {
    e.preventDefault();
    if (!file) { setMessage({ kind: 'error', text: t('documents.chooseFile') }); return; }
    const form = new FormData();
    if (title.trim()) form.append('title', title.trim());
    form.append('file', file, file.name);
    try {
      await postForm('/api/v1/m/{municipality}/admin/land/plots/{id}/documents', { path: { municipality: city, id: plot.id } }, form);
      setMessage({ kind: 'success', text: t('documents.added', { name: file.name }) });
      setTitle('');
      onAdded();
    } catch (err) { setMessage({ kind: 'error', text: asFailure(err).message }); }
  }
  return (
    <section aria-labelledby={headingId} className="card">
      <h2 id={headingId}>{t('documents.title')}</h2>
      {plot.documents.length === 0 ? <p>{t('documents.none')}</p> : (
        <ul>{plot.documents.map((f) => <li key={f.id}><a href={f.url}>{f.title ?? f.fileName}</a> ({day(f.addedAt)})</li>)}</ul>
      )}
      <form onSubmit={submit} noValidate>
        <TextInput label={t('documents.docTitle')} value={title} onChange={(e) => setTitle(e.target.value)} />
        <Field label={t('documents.file')} hint={t('documents.fileHint')}>
          {(a) => <input {...a} type="file" accept=".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png" onChange={(e) => setFile(e.target.files?.[0] ?? null)} />}
        </Field>
        {message ? <Alert kind={message.kind}>{message.text}</Alert> : null}
        <Button type="submit" variant="secondary">{t('documents.upload')}</Button>
      </form>
    </section>
  );
}
