/**
 * A resident files a new appeal: the kind in plain words, what it is about (a category search), the subject and
 * text, the place (address and district, the device's location, or a pin on the map), photos, contacts, co-signers
 * and an optional profile for statistics. Everything is kept as a draft on the device until the city has it;
 * a retry after a lost connection sends the same Idempotency-Key, so it never makes a second appeal.
 */
import { useCallback, useEffect, useRef, useState, type FormEvent } from 'react';
import { Link, useParams } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { api, errorMessage, fieldErrors } from '../../api/client.js';
import { Alert, Button, Loading, PageTitle, Select, TextArea, TextInput } from '../../ui/ui.js';
import { formatDay, isNetworkFailure, LoadFailed, nameIn, RequireCitizen, ResidentLayout, useDirectory, uuid, type CitizenMe, type Directory } from './shared.js';
import {
  AGE_BANDS, clearDraft, emptyDraft, GENDERS, hasContent, KINDS, loadDraft, saveDraft, SOCIAL_GROUPS,
  type Draft, type Registered, type SubmitBody,
} from './new-appeal/draft.js';
import { deletePhotos, getPhoto, photoStoreAvailable, putPhoto } from './new-appeal/photo-store.js';
import { resizeImage } from './new-appeal/resize-image.js';
import { CategoryPicker } from './new-appeal/CategoryPicker.js';
import { PlacePicker } from './new-appeal/PlacePicker.js';

const MAX_PHOTOS = 5;
type Lang = 'ky' | 'ru' | 'en';
type Patch = Partial<Draft> | ((d: Draft) => Partial<Draft>);

/** The order of the fields on the page: the error summary lists problems in this order. */
const FIELD_ORDER = ['kind', 'categoryId', 'subject', 'body', 'location.address', 'location.districtId', 'location', 'photos',
  'applicant.fullName', 'applicant.email', 'applicant.phone', 'cosigners'];
/** The draft's fields → the keys of their errors (the API's paths). */
const ERROR_KEY: Record<string, string> = {
  fullName: 'applicant.fullName', email: 'applicant.email', phone: 'applicant.phone', address: 'location.address', districtId: 'location.districtId',
};
const orderOf = (k: string) => {
  const i = FIELD_ORDER.findIndex((f) => k === f || k.startsWith(`${f}.`));
  return i === -1 ? FIELD_ORDER.length : i;
};

export function NewAppealPage() {
  const { t } = useTranslation('resident');
  const { city = '' } = useParams();
  const { result, retry } = useDirectory(city);
  return (
    <ResidentLayout city={city}>
      <RequireCitizen>
        {(me) => result.state === 'loading' ? (
          <><PageTitle title={t('new.title')}>{t('new.title')}</PageTitle><Loading label={t('common:loading')} /></>
        ) : result.state === 'error' ? (
          <><PageTitle title={t('new.title')}>{t('new.title')}</PageTitle><LoadFailed message={result.message} offline={result.offline} onRetry={retry} /></>
        ) : <NewAppealForm key={`${city}:${me.id}`} city={city} me={me} directory={result.data} />}
      </RequireCitizen>
    </ResidentLayout>
  );
}

interface Photo { id: string; blob: Blob; url: string }

function NewAppealForm({ city, me, directory }: { city: string; me: CitizenMe; directory: Directory }) {
  const { t, i18n } = useTranslation('resident');
  const lang = i18n.language;
  const cityName = nameIn(directory.name, lang);
  const contacts = { fullName: me.fullName, email: me.email, phone: me.phone };

  // ---- the draft ------------------------------------------------------------------------------------------
  const [initial] = useState(() => {
    const stored = loadDraft(city, me.id);
    return stored && hasContent(stored) ? { draft: stored, restored: true } : { draft: emptyDraft(me.id, contacts), restored: false };
  });
  const [draft, setDraft] = useState<Draft>(initial.draft);
  const [restoredAt, setRestoredAt] = useState<string | null>(initial.restored ? initial.draft.savedAt : null);
  const [saved, setSaved] = useState<{ at: string } | 'failed' | null>(null);
  const dirty = useRef(false);
  const latest = useRef(draft);
  latest.current = draft;

  const [errors, setErrors] = useState<Record<string, string>>({});
  const update = useCallback((patch: Patch) => {
    dirty.current = true;
    setDraft((d) => ({ ...d, ...(typeof patch === 'function' ? patch(d) : patch) }));
    // A field's error goes away once the resident changes that field (the summary follows).
    if (typeof patch !== 'function') {
      const changed = Object.keys(patch).map((k) => ERROR_KEY[k] ?? k);
      setErrors((prev) => {
        const keys = Object.keys(prev).filter((e) => changed.some((c) => e === c || e.startsWith(`${c}.`)));
        if (!keys.length) return prev;
        const next = { ...prev };
        for (const k of keys) delete next[k];
        return next;
      });
    }
  }, []);

  const saveNow = useCallback((d: Draft) => {
    const at = new Date().toISOString();
    const ok = saveDraft(city, { ...d, savedAt: at });
    setSaved(ok ? { at } : 'failed');
  }, [city]);

  useEffect(() => {
    if (!dirty.current) return;
    const timer = setTimeout(() => saveNow(draft), 400);
    return () => clearTimeout(timer);
  }, [draft, saveNow]);

  // Closing the tab or switching away saves at once (the timer above may not get to run).
  useEffect(() => {
    const flush = () => { if (dirty.current) saveDraft(city, { ...latest.current, savedAt: new Date().toISOString() }); };
    const onHide = () => { if (document.visibilityState === 'hidden') flush(); };
    window.addEventListener('pagehide', flush);
    document.addEventListener('visibilitychange', onHide);
    return () => { window.removeEventListener('pagehide', flush); document.removeEventListener('visibilitychange', onHide); };
  }, [city]);

  // ---- photos (bytes in IndexedDB when it is there, else in memory) --------------------------------------
  const [photos, setPhotos] = useState<Photo[]>([]);
  const photosRef = useRef(photos);
  photosRef.current = photos;
  const [persistent, setPersistent] = useState<boolean | null>(null);
  const [photoBusy, setPhotoBusy] = useState(initial.draft.photoIds.length > 0);
  const [photoNotice, setPhotoNotice] = useState<string | null>(null);
  const [lostPhotos, setLostPhotos] = useState(0);
  const fileWrap = useRef<HTMLDivElement>(null);

  useEffect(() => {
    let live = true;
    void (async () => {
      const available = await photoStoreAvailable();
      const ids = initial.draft.photoIds;
      const found: Photo[] = [];
      for (const id of ids) {
        const stored = available ? await getPhoto(id) : null;
        if (stored) found.push({ id, blob: stored.blob, url: URL.createObjectURL(stored.blob) });
      }
      if (!live) { found.forEach((p) => URL.revokeObjectURL(p.url)); return; }
      setPersistent(available);
      setPhotos(found);
      setPhotoBusy(false);
      if (found.length !== ids.length) {
        setDraft((d) => ({ ...d, photoIds: found.map((p) => p.id) }));
        setLostPhotos(ids.length - found.length);
      }
    })();
    return () => { live = false; };
    // Restored once, from the draft this form started with (not again on a change of language).
  }, [initial]);

  useEffect(() => () => { photosRef.current.forEach((p) => URL.revokeObjectURL(p.url)); }, []);

  async function addPhotos(files: File[]) {
    setPhotoNotice(null);
    const room = MAX_PHOTOS - photosRef.current.length;
    const take = files.slice(0, Math.max(0, room));
    const notes: string[] = [];
    if (files.length > take.length) notes.push(t('new.photos.tooMany', { max: MAX_PHOTOS }));
    setPhotoBusy(true);
    const added: Photo[] = [];
    let unreadable = 0;
    for (const file of take) {
      try {
        const blob = await resizeImage(file);
        const id = uuid();
        if (await photoStoreAvailable()) await putPhoto(id, { blob, name: file.name });
        added.push({ id, blob, url: URL.createObjectURL(blob) });
      } catch {
        unreadable += 1;
      }
    }
    if (unreadable) notes.push(t('new.photos.unreadable', { count: unreadable }));
    setPhotos((prev) => [...prev, ...added]);
    update((d) => ({ photoIds: [...d.photoIds, ...added.map((p) => p.id)] }));
    setPhotoBusy(false);
    setPhotoNotice(notes.length ? notes.join(' ') : t('new.photos.added', { count: added.length }));
  }

  function removePhoto(id: string) {
    const gone = photosRef.current.find((p) => p.id === id);
    if (gone) URL.revokeObjectURL(gone.url);
    setPhotos((prev) => prev.filter((p) => p.id !== id));
    update((d) => ({ photoIds: d.photoIds.filter((x) => x !== id) }));
    void deletePhotos([id]);
    setPhotoNotice(t('new.photos.removed'));
    focusFileInput.current = true;
  }

  // After a removal the keyboard goes back to "Add photos" (enabled again once below the limit).
  const focusFileInput = useRef(false);
  useEffect(() => {
    if (!focusFileInput.current) return;
    focusFileInput.current = false;
    fileWrap.current?.querySelector('input')?.focus();
  }, [photos.length]);

  // ---- checking and sending ------------------------------------------------------------------------------
  const [formError, setFormError] = useState<string | null>(null);
  const [sessionEnded, setSessionEnded] = useState(false);
  const [sending, setSending] = useState(false);
  const [uploadError, setUploadError] = useState<string | null>(null);
  const [finished, setFinished] = useState<Registered | null>(null);
  const summaryRef = useRef<HTMLDivElement>(null);
  const [summaryShown, setSummaryShown] = useState(0);

  useEffect(() => { if (summaryShown) summaryRef.current?.focus(); }, [summaryShown]);

  function validate(d: Draft): Record<string, string> {
    const e: Record<string, string> = {};
    if (!d.kind) e.kind = t('new.errors.kind');
    if (!d.categoryId) e.categoryId = t('new.errors.category');
    if (d.subject.trim().length < 3) e.subject = t('new.errors.subject');
    if (d.body.trim().length < 10) e.body = t('new.errors.body');
    if (d.fullName.trim().length < 2) e['applicant.fullName'] = t('new.errors.fullName');
    if (d.email.trim() && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(d.email.trim())) e['applicant.email'] = t('new.errors.email');
    if (d.phone.trim() && !/^\+?[\d\s()-]{7,20}$/.test(d.phone.trim())) e['applicant.phone'] = t('new.errors.phone');
    d.cosigners.forEach((c, i) => { if (c.trim() && c.trim().length < 2) e[`cosigners.${i}`] = t('new.errors.cosigner'); });
    return e;
  }

  function bodyOf(d: Draft): SubmitBody {
    const location: NonNullable<SubmitBody['location']> = {};
    if (d.lat !== null && d.lon !== null) { location.lat = d.lat; location.lon = d.lon; }
    if (d.address.trim()) location.address = d.address.trim();
    if (d.districtId) location.districtId = d.districtId;
    const cosigners = d.cosigners.map((c) => c.trim()).filter(Boolean);
    const demographics: NonNullable<SubmitBody['demographics']> = { consent: true };
    if (d.ageBand) demographics.ageBand = d.ageBand;
    if (d.gender) demographics.gender = d.gender;
    if (d.socialGroup) demographics.socialGroup = d.socialGroup;
    return {
      kind: d.kind as SubmitBody['kind'], categoryId: d.categoryId, subject: d.subject.trim(), body: d.body.trim(),
      language: (['ky', 'ru', 'en'].includes(lang) ? lang : 'ky') as Lang,
      ...(Object.keys(location).length ? { location } : {}),
      ...(cosigners.length ? { cosigners } : {}),
      // The profile goes only with the resident's consent; without it, nothing of it leaves the device.
      ...(d.consent ? { demographics } : {}),
      applicant: {
        fullName: d.fullName.trim(),
        ...(d.email.trim() ? { email: d.email.trim() } : {}),
        ...(d.phone.trim() ? { phone: d.phone.trim() } : {}),
      },
    };
  }

  async function submit(e: FormEvent) {
    e.preventDefault();
    setFormError(null); setSessionEnded(false);
    const problems = validate(draft);
    setErrors(problems);
    if (Object.keys(problems).length) { setSummaryShown((n) => n + 1); return; }
    setSending(true);
    try {
      const { data, error, response } = await api.POST('/api/v1/m/{municipality}/appeals', {
        params: { path: { municipality: city }, header: { 'idempotency-key': draft.idempotencyKey } },
        body: bodyOf(draft),
      });
      if (!data) {
        if (response.status === 401) { setSessionEnded(true); return; }
        const byField = fieldErrors(error);
        if (Object.keys(byField).length) { setErrors(byField); setSummaryShown((n) => n + 1); }
        setFormError(errorMessage(error, t('common:error.generic')));
        return;
      }
      const registered: Registered = { id: data.id, registrationNumber: data.registrationNumber, dueDate: data.dueDate };
      const next = { ...latest.current, registered };
      latest.current = next;
      setDraft(next);
      saveNow(next); // at once: a reload from here on must never file it again
      await sendPhotos(registered);
    } catch (err) {
      setFormError(isNetworkFailure(err) ? t('common:error.offline') : t('common:error.generic'));
    } finally {
      setSending(false);
    }
  }

  /** Sends the photos still waiting; when none is left the draft is done and forgotten. */
  async function sendPhotos(registered: Registered) {
    setUploadError(null);
    setSending(true);
    try {
      for (const photo of [...photosRef.current]) {
        const form = new FormData();
        form.append('file', photo.blob, `photo-${photo.id.slice(0, 8)}.jpg`);
        let res: Response;
        try {
          res = await fetch(`/api/v1/m/${encodeURIComponent(city)}/appeals/${encodeURIComponent(registered.id)}/attachments`, {
            method: 'POST', body: form, credentials: 'same-origin', headers: { 'x-csrf-token': me.csrfToken, 'accept-language': lang },
          });
        } catch (err) {
          setUploadError(isNetworkFailure(err) ? t('common:error.offline') : t('common:error.generic'));
          return;
        }
        if (!res.ok) {
          const body: unknown = await res.json().catch(() => null);
          setUploadError(errorMessage(body, t('common:error.generic')));
          return;
        }
        URL.revokeObjectURL(photo.url);
        setPhotos((prev) => prev.filter((p) => p.id !== photo.id));
        photosRef.current = photosRef.current.filter((p) => p.id !== photo.id);
        const next = { ...latest.current, photoIds: latest.current.photoIds.filter((x) => x !== photo.id) };
        latest.current = next;
        setDraft(next);
        saveDraft(city, next);
        void deletePhotos([photo.id]);
      }
      finish(registered);
    } finally {
      setSending(false);
    }
  }

  function finish(registered: Registered) {
    void deletePhotos(photosRef.current.map((p) => p.id));
    photosRef.current.forEach((p) => URL.revokeObjectURL(p.url));
    setPhotos([]);
    clearDraft(city);
    dirty.current = false;
    setDraft(emptyDraft(me.id, contacts));
    setSaved(null);
    setRestoredAt(null);
    setFinished(registered);
  }

  function startOver() {
    if (!window.confirm(t('new.draft.confirmClear'))) return;
    void deletePhotos(photosRef.current.map((p) => p.id));
    photosRef.current.forEach((p) => URL.revokeObjectURL(p.url));
    setPhotos([]);
    clearDraft(city);
    dirty.current = false;
    setDraft(emptyDraft(me.id, contacts));
    setErrors({}); setFormError(null); setSaved(null); setRestoredAt(null); setPhotoNotice(null);
  }

  // A registered appeal whose photos are all sent (or were lost with the browser's storage) is done.
  const pendingRegistration = draft.registered;
  const nothingLeft = Boolean(pendingRegistration) && !finished && !photoBusy && !sending && photos.length === 0;
  useEffect(() => { if (nothingLeft && pendingRegistration) finish(pendingRegistration); });

  // ---- the registered appeal ------------------------------------------------------------------------------
  const registered = finished ?? draft.registered;
  if (registered && !finished && photoBusy) {
    return <><PageTitle title={t('new.title')}>{t('new.titleIn', { city: cityName })}</PageTitle><Loading label={t('common:loading')} /></>;
  }
  if (registered) {
    const waiting = finished ? 0 : photos.length;
    return (
      <>
        <PageTitle title={t('new.done.title')}>{t('new.done.title')}</PageTitle>
        <div className="alert alert-success r-done">
          <p>{t('new.done.text', { city: cityName })}</p>
          <dl className="r-dl">
            <dt>{t('common:registrationNumber')}</dt><dd className="r-regno">{registered.registrationNumber}</dd>
            <dt>{t('new.done.due')}</dt><dd>{formatDay(registered.dueDate, lang)}</dd>
          </dl>
          <p>{t('new.done.keep')}</p>
        </div>
        {waiting ? (
          <div className="alert alert-error" role="alert">
            <p>{t('new.done.photosWaiting', { count: waiting })}</p>
            {uploadError ? <p>{uploadError}</p> : null}
            <div className="r-row">
              <Button onClick={() => void sendPhotos(registered)} disabled={sending}>{sending ? t('new.done.sendingPhotos') : t('new.done.sendPhotos')}</Button>
              <Button variant="secondary" onClick={() => finish(registered)} disabled={sending}>{t('new.done.skipPhotos')}</Button>
            </div>
          </div>
        ) : null}
        <ul className="r-actions">
          <li><Link className="r-action r-action-primary" to={`/${city}/my/${registered.id}`}>{t('new.done.view')}</Link></li>
          <li><Link className="r-action" to={`/${city}/my`}>{t('common:nav.myAppeals')}</Link></li>
          {finished ? <li><Button variant="link" onClick={() => setFinished(null)}>{t('new.done.another')}</Button></li> : null}
        </ul>
      </>
    );
  }

  // ---- the form ---------------------------------------------------------------------------------------------
  const errorList = Object.entries(errors).sort(([a], [b]) => orderOf(a) - orderOf(b));
  const focusField = (key: string) => {
    const box = document.getElementById(`f-${key}`);
    const target = box?.matches('input, textarea, select') ? box : box?.querySelector<HTMLElement>('input, textarea, select');
    target?.focus();
  };

  return (
    <>
      <PageTitle title={t('new.title')}>{t('new.titleIn', { city: cityName })}</PageTitle>
      <p>{t('new.lead')}</p>
      <div className="r-draft-bar">
        <p className="r-draft-status" role="status">
          {saved === 'failed' ? t('new.draft.notSaved') : saved ? t('new.draft.saved', { time: formatDay(saved.at, lang, true) }) : t('new.draft.auto')}
        </p>
        {hasContent(draft) ? <Button variant="link" onClick={startOver}>{t('new.draft.clear')}</Button> : null}
      </div>
      {restoredAt ? <Alert kind="info">{t('new.draft.restored', { time: formatDay(restoredAt, lang, true) })}</Alert> : null}

      <form noValidate onSubmit={(e) => void submit(e)}>
        {errorList.length ? (
          <div className="r-error-summary" ref={summaryRef} tabIndex={-1} role="alert" aria-labelledby="error-summary-title">
            <h2 id="error-summary-title">{t('new.errors.title')}</h2>
            <ul>
              {errorList.map(([key, message]) => (
                <li key={key}><a href={`#f-${key}`} onClick={(ev) => { ev.preventDefault(); focusField(key); }}>{message}</a></li>
              ))}
            </ul>
          </div>
        ) : null}

        <fieldset className="r-section" id="f-kind" aria-describedby={errors.kind ? 'f-kind-error' : undefined}>
          <legend>{t('new.kind.legend')}<span aria-hidden="true"> *</span></legend>
          {errors.kind ? <p id="f-kind-error" className="error-text">{errors.kind}</p> : null}
          <div className="r-choices">
            {KINDS.map((k) => (
              <label key={k} className="r-choice r-choice-rich">
                <input type="radio" name="kind" value={k} checked={draft.kind === k} onChange={() => update({ kind: k })} />
                <span><strong>{t(`common:kind.${k}`)}</strong> <span className="r-muted">{t(`new.kind.${k}`)}</span></span>
              </label>
            ))}
          </div>
        </fieldset>

        <CategoryPicker categories={directory.categories} value={draft.categoryId} onChange={(id) => update({ categoryId: id })} error={errors.categoryId} />

        <div className="r-section">
          <h2 className="r-heading">{t('new.text.heading')}</h2>
          <div id="f-subject">
            <TextInput
              label={t('new.text.subject')} hint={t('new.text.subjectHint')} error={errors.subject} required maxLength={200}
              value={draft.subject} onChange={(e) => update({ subject: e.target.value })}
            />
          </div>
          <div id="f-body">
            <TextArea
              label={t('new.text.body')} hint={t('new.text.bodyHint')} error={errors.body} required maxLength={10000} rows={8}
              value={draft.body} onChange={(e) => update({ body: e.target.value })}
            />
          </div>
        </div>

        <PlacePicker draft={draft} update={update} directory={directory} errors={errors} />

        <fieldset className="r-section" id="f-photos">
          <legend>{t('new.photos.legend', { max: MAX_PHOTOS })}</legend>
          <p className="hint">{persistent === false ? t('new.photos.inMemory') : t('new.photos.onDevice')}</p>
          <div ref={fileWrap} className="r-file">
            <TextInput
              label={t('new.photos.choose')} hint={t('new.photos.hint', { max: MAX_PHOTOS })} type="file" accept="image/*" multiple
              disabled={photoBusy || photos.length >= MAX_PHOTOS}
              onChange={(e) => { const files = [...(e.target.files ?? [])]; e.target.value = ''; if (files.length) void addPhotos(files); }}
            />
          </div>
          <p className="hint" role="status">
            {photoBusy ? t('new.photos.preparing') : photoNotice ?? (lostPhotos ? t('new.photos.lost', { count: lostPhotos }) : '')}
            {!photoBusy && photos.length >= MAX_PHOTOS ? ` ${t('new.photos.full', { max: MAX_PHOTOS })}` : ''}
          </p>
          {photos.length ? (
            <ul className="r-photos">
              {photos.map((p, i) => (
                <li key={p.id}>
                  <img src={p.url} alt={t('new.photos.alt', { n: i + 1 })} />
                  <Button variant="secondary" onClick={() => removePhoto(p.id)} aria-label={t('new.photos.removeN', { n: i + 1 })}>{t('new.photos.remove')}</Button>
                </li>
              ))}
            </ul>
          ) : null}
        </fieldset>

        <fieldset className="r-section">
          <legend>{t('new.contacts.legend')}</legend>
          <p className="hint">{t('new.contacts.hint')}</p>
          <div id="f-applicant.fullName">
            <TextInput
              label={t('new.contacts.fullName')} hint={t('new.contacts.fullNameHint')} error={errors['applicant.fullName']} required
              autoComplete="name" maxLength={200} value={draft.fullName} onChange={(e) => update({ fullName: e.target.value })}
            />
          </div>
          <div id="f-applicant.email">
            <TextInput
              label={t('new.contacts.email')} error={errors['applicant.email']} type="email" autoComplete="email" maxLength={200}
              value={draft.email} onChange={(e) => update({ email: e.target.value })}
            />
          </div>
          <div id="f-applicant.phone">
            <TextInput
              label={t('new.contacts.phone')} hint={t('new.contacts.phoneHint')} error={errors['applicant.phone']} type="tel" autoComplete="tel"
              value={draft.phone} onChange={(e) => update({ phone: e.target.value })}
            />
          </div>
        </fieldset>

        <Cosigners names={draft.cosigners} errors={errors} onChange={(cosigners) => update({ cosigners })} />

        <fieldset className="r-section">
          <legend>{t('new.profile.legend')}</legend>
          <p className="hint" id="profile-hint">{t('new.profile.hint')}</p>
          <div className="r-check">
            <input
              type="checkbox" id="profile-consent" aria-describedby="profile-hint" checked={draft.consent}
              onChange={(e) => update({ consent: e.target.checked })}
            />
            <label htmlFor="profile-consent">{t('new.profile.consent')}</label>
          </div>
          {draft.consent ? (
            <div className="r-profile">
              <Select label={t('new.profile.age')} value={draft.ageBand} onChange={(e) => update({ ageBand: e.target.value as Draft['ageBand'] })}>
                <option value="">{t('new.profile.notSaying')}</option>
                {AGE_BANDS.map((a) => <option key={a} value={a}>{t(`new.profile.ageBands.${a}`)}</option>)}
              </Select>
              <Select label={t('new.profile.gender')} value={draft.gender} onChange={(e) => update({ gender: e.target.value as Draft['gender'] })}>
                <option value="">{t('new.profile.notSaying')}</option>
                {GENDERS.map((g) => <option key={g} value={g}>{t(`new.profile.genders.${g}`)}</option>)}
              </Select>
              <Select label={t('new.profile.social')} value={draft.socialGroup} onChange={(e) => update({ socialGroup: e.target.value as Draft['socialGroup'] })}>
                <option value="">{t('new.profile.notSaying')}</option>
                {SOCIAL_GROUPS.map((s) => <option key={s} value={s}>{t(`new.profile.socialGroups.${s}`)}</option>)}
              </Select>
            </div>
          ) : null}
        </fieldset>

        <div className="r-submit">
          <p className="hint">{t('new.submitHint')}</p>
          {sessionEnded ? (
            <Alert kind="error">
              {t('new.sessionEnded')} <Link to={`/signin?next=${encodeURIComponent(`/${city}/appeals/new`)}`}>{t('common:nav.signIn')}</Link>
            </Alert>
          ) : null}
          {formError ? <Alert kind="error">{formError}</Alert> : null}
          <Button type="submit" disabled={sending || photoBusy}>{sending ? t('new.sending') : t('new.submit')}</Button>
        </div>
      </form>
    </>
  );
}

/** Names of co-signers of a collective appeal: add and remove rows; focus follows. */
function Cosigners({ names, errors, onChange }: { names: string[]; errors: Record<string, string>; onChange: (names: string[]) => void }) {
  const { t } = useTranslation('resident');
  const box = useRef<HTMLFieldSetElement>(null);
  const focusAfter = useRef<{ row: number } | 'add' | null>(null);

  useEffect(() => {
    const target = focusAfter.current;
    focusAfter.current = null;
    if (target === 'add') box.current?.querySelector<HTMLElement>('.r-add-cosigner')?.focus();
    else if (target) document.getElementById(`f-cosigners.${target.row}`)?.querySelector('input')?.focus();
  }, [names.length]);

  return (
    <fieldset className="r-section" id="f-cosigners" ref={box}>
      <legend>{t('new.cosigners.legend')}</legend>
      <p className="hint">{t('new.cosigners.hint')}</p>
      {names.length ? (
        <ol className="r-cosigners">
          {names.map((name, i) => (
            <li key={i} id={`f-cosigners.${i}`}>
              <TextInput
                label={t('new.cosigners.name', { n: i + 1 })} error={errors[`cosigners.${i}`]} autoComplete="off" maxLength={200}
                value={name} onChange={(e) => onChange(names.map((n, j) => (j === i ? e.target.value : n)))}
              />
              <Button variant="link" aria-label={t('new.cosigners.removeN', { n: i + 1 })} onClick={() => {
                focusAfter.current = names.length > 1 ? { row: Math.max(0, i - 1) } : 'add';
                onChange(names.filter((_, j) => j !== i));
              }}>{t('new.cosigners.remove')}</Button>
            </li>
          ))}
        </ol>
      ) : null}
      <Button variant="secondary" className="r-add-cosigner" onClick={() => {
        focusAfter.current = { row: names.length };
        onChange([...names, '']);
      }}>{t('new.cosigners.add')}</Button>
    </fieldset>
  );
}
