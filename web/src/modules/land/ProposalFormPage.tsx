/**
 * /:city/land/proposals/new (?plotId=) — propose a use: for a plot (chosen from a list, or given by the passport's
 * button) or for another place (picked on the map, typed as coordinates, or "the centre of a plot near it", with a
 * description of the place in words). Sketches and photos are uploaded once the proposal exists. The server's
 * validation errors are shown beside their fields, in the resident's language.
 */
import { useMemo, useState, type FormEvent } from 'react';
import { useNavigate, useParams, useSearchParams } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { api, errorMessage } from '../../api/client.js';
import { LANGUAGES } from '../../i18n/index.js';
import { Alert, Button, Field, PageTitle, Select, TextArea, TextInput } from '../../ui/ui.js';
import { RequireCitizen, useDirectory } from '../resident/shared.js';
import { LandLayout, LazyMap, Loaded, useLoaded, type PlotList, fetchPlots, errorsByField } from './shared.js';
import { USE_KINDS } from './status.js';

const LANGUAGE_NAMES: Record<string, string> = { ky: 'Кыргызча', ru: 'Русский', en: 'English' };
const FALLBACK_CENTRE = { lat: 42.8746, lon: 74.6122 };

export function ProposalFormPage() {
  const { t } = useTranslation('land');
  const { city = '' } = useParams();
  return (
    <LandLayout city={city}>
      <PageTitle title={t('form.title')}>{t('form.title')}</PageTitle>
      <RequireCitizen>{() => <ProposalForm city={city} />}</RequireCitizen>
    </LandLayout>
  );
}

function ProposalForm({ city }: { city: string }) {
  const { t, i18n } = useTranslation('land');
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const plots = useLoaded<PlotList>(city, () => fetchPlots(city, { limit: 200 }));
  const { result: dir } = useDirectory(city);
  const [where, setWhere] = useState<'plot' | 'place'>('plot');
  const [plotId, setPlotId] = useState(params.get('plotId') ?? '');
  const [lat, setLat] = useState('');
  const [lon, setLon] = useState('');
  const [placeText, setPlaceText] = useState('');
  const [useKind, setUseKind] = useState('');
  const [title, setTitle] = useState('');
  const [description, setDescription] = useState('');
  const [beneficiaries, setBeneficiaries] = useState('');
  const [authorName, setAuthorName] = useState('');
  const [language, setLanguage] = useState(LANGUAGES.includes(i18n.language as 'ky') ? i18n.language : 'ky');
  const [files, setFiles] = useState<File[]>([]);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const center = (dir.state === 'ok' && dir.data.center) || FALLBACK_CENTRE;
  const point = lat && lon && Number.isFinite(Number(lat)) && Number.isFinite(Number(lon)) ? { lat: Number(lat), lon: Number(lon) } : null;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const local: Record<string, string> = {};
    if (where === 'plot' && !plotId) local.plotId = t('form.errors.plot');
    if (where === 'place' && !point) local.lat = t('form.errors.place');
    if (!useKind) local.useKind = t('form.errors.useKind');
    setErrors(local);
    setFailure(null);
    if (Object.keys(local).length) return;
    setBusy(true);
    const fullDescription = where === 'place' && placeText.trim() ? `${description.trim()}\n\n${t('form.placePrefix')} ${placeText.trim()}` : description;
    const { data, error } = await api.POST('/api/v1/m/{municipality}/land/proposals', {
      params: { path: { municipality: city } },
      body: {
        ...(where === 'plot' ? { plotId } : { lat: point!.lat, lon: point!.lon }),
        useKind: useKind as (typeof USE_KINDS)[number], title, description: fullDescription, language: language as 'ky',
        ...(beneficiaries.trim() ? { beneficiaries } : {}), ...(authorName.trim() ? { authorName } : {}),
      },
    }).catch(() => ({ data: undefined, error: undefined }));
    if (!data) {
      setBusy(false);
      const fe = errorsByField(error, t('common:error.generic'));
      setErrors(fe);
      setFailure(errorMessage(error, t('common:error.generic')));
      return;
    }
    const failed: string[] = [];
    for (const file of files) {
      const form = new FormData();
      form.append('file', file);
      const { error: upErr } = await api.POST('/api/v1/m/{municipality}/land/proposals/{id}/files', {
        params: { path: { municipality: city, id: data.id } }, body: form as never, bodySerializer: (b: unknown) => b as FormData,
      }).catch(() => ({ error: {} }));
      if (upErr) failed.push(`${file.name}: ${errorMessage(upErr, t('common:error.generic'))}`);
    }
    setBusy(false);
    navigate(`/${city}/land/proposals/${data.id}`, { state: { created: true, failedFiles: failed } });
  };

  return (
    <form className="land-form" onSubmit={(e) => void submit(e)} noValidate>
      {failure ? <Alert kind="error">{failure}</Alert> : null}
      <fieldset>
        <legend>{t('form.where')}</legend>
        <label className="land-radio"><input type="radio" name="where" checked={where === 'plot'} onChange={() => setWhere('plot')} /> {t('form.wherePlot')}</label>
        <label className="land-radio"><input type="radio" name="where" checked={where === 'place'} onChange={() => setWhere('place')} /> {t('form.wherePlace')}</label>
      </fieldset>
      <Loaded loaded={plots}>{(list) => where === 'plot' ? (
        <Select label={t('form.plot')} value={plotId} onChange={(e) => setPlotId(e.target.value)} error={errors.plotId} required>
          <option value="">{t('form.choose')}</option>
          {list.items.map((p) => <option key={p.id} value={p.id}>{p.cadastralNumber}{p.address ? `, ${p.address}` : ''}</option>)}
        </Select>
      ) : (
        <PlacePicker list={list} center={center} point={point} error={errors.lat ?? errors.lon}
          onPoint={(a, b) => { setLat(a.toFixed(6)); setLon(b.toFixed(6)); }} lat={lat} lon={lon} setLat={setLat} setLon={setLon}
          placeText={placeText} setPlaceText={setPlaceText} />
      )}</Loaded>
      <Select label={t('form.useKind')} value={useKind} onChange={(e) => setUseKind(e.target.value)} error={errors.useKind} required>
        <option value="">{t('form.choose')}</option>
        {USE_KINDS.map((k) => <option key={k} value={k}>{t(`useKind.${k}`)}</option>)}
      </Select>
      <TextInput label={t('form.titleField')} value={title} onChange={(e) => setTitle(e.target.value)} error={errors.title} required minLength={3} maxLength={150} />
      <TextArea label={t('form.description')} hint={t('form.descriptionHint')} value={description} onChange={(e) => setDescription(e.target.value)} error={errors.description} required maxLength={5000} />
      <TextArea label={t('form.beneficiaries')} hint={t('form.beneficiariesHint')} value={beneficiaries} onChange={(e) => setBeneficiaries(e.target.value)} error={errors.beneficiaries} rows={2} maxLength={1000} />
      <TextInput label={t('form.authorName')} hint={t('form.authorNameHint')} value={authorName} onChange={(e) => setAuthorName(e.target.value)} error={errors.authorName} maxLength={120} autoComplete="name" />
      <Select label={t('form.language')} value={language} onChange={(e) => setLanguage(e.target.value)} error={errors.language}>
        {LANGUAGES.map((l) => <option key={l} value={l} lang={l}>{LANGUAGE_NAMES[l]}</option>)}
      </Select>
      <Field label={t('form.files')} hint={t('form.filesHint')}>
        {(a) => <input {...a} type="file" multiple accept="image/jpeg,image/png,application/pdf" onChange={(e) => setFiles([...(e.target.files ?? [])].slice(0, 3))} />}
      </Field>
      <Button type="submit" disabled={busy}>{busy ? t('form.sending') : t('form.submit')}</Button>
    </form>
  );
}

function PlacePicker(props: {
  list: PlotList; center: { lat: number; lon: number }; point: { lat: number; lon: number } | null; error: string | undefined;
  onPoint: (lat: number, lon: number) => void; lat: string; lon: string; setLat: (v: string) => void; setLon: (v: string) => void;
  placeText: string; setPlaceText: (v: string) => void;
}) {
  const { t } = useTranslation('land');
  const [near, setNear] = useState('');
  const noPlots = useMemo(() => [], []);
  return (
    <fieldset>
      <legend>{t('form.place')}</legend>
      <TextArea label={t('form.placeText')} hint={t('form.placeTextHint')} value={props.placeText} onChange={(e) => props.setPlaceText(e.target.value)} rows={2} maxLength={500} />
      <LazyMap plots={noPlots} center={props.point ?? props.center} label={t('form.mapLabel')} point={props.point} onPick={props.onPoint} />
      <div className="land-inline">
        <TextInput label={t('form.lat')} inputMode="decimal" value={props.lat} onChange={(e) => props.setLat(e.target.value)} error={props.error} />
        <TextInput label={t('form.lon')} inputMode="decimal" value={props.lon} onChange={(e) => props.setLon(e.target.value)} />
      </div>
      <div className="land-inline">
        <Select label={t('form.nearPlot')} value={near} onChange={(e) => setNear(e.target.value)}>
          <option value="">{t('form.choose')}</option>
          {props.list.items.map((p) => <option key={p.id} value={p.id}>{p.cadastralNumber}{p.address ? `, ${p.address}` : ''}</option>)}
        </Select>
        <Button variant="secondary" onClick={() => {
          const p = props.list.items.find((x) => x.id === near);
          if (p) props.onPoint(p.center.lat, p.center.lon); else props.onPoint(props.center.lat, props.center.lon);
        }}>{t('form.useCentre')}</Button>
      </div>
    </fieldset>
  );
}
