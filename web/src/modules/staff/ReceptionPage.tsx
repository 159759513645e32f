/**
 * Reception: registering an appeal received in person, by phone or by letter, fast from the keyboard. Enter
 * registers (Ctrl+Enter from a text area); after success the registration number and due date are announced, the
 * form clears (the channel stays: a desk usually receives one way) and focus returns to the first field. Possible
 * duplicates are shown as the operator types the applicant's phone or e-mail and chooses category and district.
 */
import { useEffect, useMemo, useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import { Link, useParams } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client.js';
import { pickName } from '../../app/cities.js';
import { Alert, Button, Field, Loading, PageTitle, Select, TextArea, TextInput } from '../../ui/ui.js';
import {
  CategoryOptions, filteredCategoryIds, formatDate, hasRole, problem, RECEPTION_ROLES, uploadAttachment, useCityReference, useStaffMe,
  type DuplicateHints,
} from './shared.js';

const CHANNELS = ['in_person', 'phone', 'letter'] as const;
const KINDS = ['statement', 'complaint', 'proposal'] as const;
const LANGS = ['ky', 'ru', 'en'] as const;
type Channel = (typeof CHANNELS)[number];

interface FormState {
  kind: (typeof KINDS)[number]; language: (typeof LANGS)[number]; categoryFilter: string; categoryId: string; subject: string; body: string;
  fullName: string; phone: string; email: string; postalAddress: string; receivedAt: string; address: string; districtId: string; cosigners: string;
}

const empty = (language: FormState['language']): FormState => ({
  kind: 'statement', language, categoryFilter: '', categoryId: '', subject: '', body: '', fullName: '', phone: '', email: '',
  postalAddress: '', receivedAt: '', address: '', districtId: '', cosigners: '',
});

/** A datetime-local value for now, in the browser's time (the desk's). */
function localNow(): string {
  const d = new Date();
  d.setMinutes(d.getMinutes() - d.getTimezoneOffset());
  return d.toISOString().slice(0, 16);
}

const phoneDigits = (p: string) => p.replace(/\D/g, '').length;

export function ReceptionPage() {
  const { t, i18n } = useTranslation(['staff', 'common']);
  const { city = '' } = useParams();
  const me = useStaffMe();
  const ref = useCityReference(city);
  const lang = i18n.language;
  const uiLanguage = (LANGS as readonly string[]).includes(lang) ? (lang as FormState['language']) : 'ky';

  const [channel, setChannel] = useState<Channel>('in_person');
  const [f, setF] = useState<FormState>(() => empty(uiLanguage));
  const [scan, setScan] = useState<File | null>(null);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [success, setSuccess] = useState<{ id: string; number: string; due: string; warning?: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const [idempotencyKey, setIdempotencyKey] = useState(() => crypto.randomUUID());
  const [hints, setHints] = useState<DuplicateHints | null>(null);
  const formRef = useRef<HTMLFormElement>(null);
  const firstField = useRef<HTMLDivElement>(null);
  const scanInput = useRef<HTMLInputElement>(null);

  const set = <K extends keyof FormState>(key: K, value: FormState[K]) => setF((prev) => ({ ...prev, [key]: value }));

  // The category list narrows as the operator types; the first match is chosen when the current one drops out.
  const visibleCategories = useMemo(() => (ref ? filteredCategoryIds(ref.categories, lang, f.categoryFilter) : []), [ref, lang, f.categoryFilter]);
  useEffect(() => {
    if (!f.categoryFilter.trim()) return;
    if (!visibleCategories.includes(f.categoryId)) set('categoryId', visibleCategories[0] ?? '');
  }, [visibleCategories, f.categoryFilter, f.categoryId]);

  // Duplicate hints, half a second after the operator stops typing.
  useEffect(() => {
    const phone = phoneDigits(f.phone) >= 9 ? f.phone.trim() : '';
    const email = /.+@.+\..+/.test(f.email.trim()) ? f.email.trim() : '';
    const nearby = f.categoryId && f.districtId;
    if (!phone && !email && !nearby) { setHints(null); return; }
    let live = true;
    const timer = setTimeout(() => {
      const query = {
        ...(phone ? { phone } : {}), ...(email ? { email } : {}),
        ...(f.categoryId ? { categoryId: f.categoryId } : {}), ...(f.districtId ? { districtId: f.districtId } : {}),
      };
      api.GET('/api/v1/m/{municipality}/workspace/duplicate-hints', { params: { path: { municipality: city }, query } })
        .then(({ data }) => { if (live) setHints(data ?? null); }).catch(() => {});
    }, 500);
    return () => { live = false; clearTimeout(timer); };
  }, [city, f.phone, f.email, f.categoryId, f.districtId]);

  if (!me) return null;
  if (!hasRole(me, ...RECEPTION_ROLES)) {
    return <><PageTitle title={t('reception.title')}>{t('reception.title')}</PageTitle><Alert kind="error">{t('reception.notAllowed')}</Alert></>;
  }
  if (!ref) return <Loading label={t('common:loading')} />;

  function validate(): Record<string, string> {
    const e: Record<string, string> = {};
    const required = t('form.required');
    if (!f.categoryId) e.categoryId = required;
    if (f.subject.trim().length < 3) e.subject = t('form.minChars', { count: 3 });
    if (f.body.trim().length < 10) e.body = t('form.minChars', { count: 10 });
    if (f.fullName.trim().length < 2) e['applicant.fullName'] = t('form.minChars', { count: 2 });
    if (f.phone.trim() && !/^\+?[\d\s()-]{7,20}$/.test(f.phone.trim())) e['applicant.phone'] = t('form.phoneFormat');
    if (f.email.trim() && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(f.email.trim())) e['applicant.email'] = t('form.emailFormat');
    if (channel === 'letter' && f.receivedAt && f.receivedAt > localNow()) e.receivedAt = t('form.notInFuture');
    return e;
  }

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (busy) return;
    setFormError(null);
    setSuccess(null);
    const problems = validate();
    setErrors(problems);
    if (Object.keys(problems).length) {
      setFormError(t('reception.fixErrors'));
      requestAnimationFrame(() => formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus());
      return;
    }
    setBusy(true);
    const cosigners = f.cosigners.split('\n').map((s) => s.trim()).filter((s) => s.length >= 2);
    const location = {
      ...(f.address.trim() ? { address: f.address.trim() } : {}), ...(f.districtId ? { districtId: f.districtId } : {}),
    };
    try {
      const { data, error } = await api.POST('/api/v1/m/{municipality}/reception/appeals', {
        params: { path: { municipality: city }, header: { 'idempotency-key': idempotencyKey } },
        body: {
          channel, kind: f.kind, language: f.language, categoryId: f.categoryId, subject: f.subject.trim(), body: f.body.trim(),
          applicant: {
            fullName: f.fullName.trim(),
            ...(f.phone.trim() ? { phone: f.phone.trim() } : {}), ...(f.email.trim() ? { email: f.email.trim() } : {}),
            ...(f.postalAddress.trim() ? { address: f.postalAddress.trim() } : {}),
          },
          ...(Object.keys(location).length ? { location } : {}),
          ...(cosigners.length ? { cosigners } : {}),
          ...(channel === 'letter' && f.receivedAt ? { receivedAt: new Date(f.receivedAt).toISOString() } : {}),
        },
      });
      if (error || !data) {
        const byField: Record<string, string> = {};
        for (const d of (error as { error?: { details?: { path?: string; message?: string }[] } } | undefined)?.error?.details ?? []) {
          if (d.path && d.message) byField[d.path] = d.message;
        }
        setErrors(byField);
        setFormError(problem(error, t('error.generic')));
        requestAnimationFrame(() => formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus());
        return;
      }
      let warning: string | undefined;
      if (channel === 'letter' && scan) {
        const up = await uploadAttachment(city, data.id, scan).catch(() => ({ error: { error: { message: t('error.offline') } } }));
        if (up.error) warning = t('reception.scanFailed', { message: problem(up.error, t('error.generic')) });
      }
      setSuccess({ id: data.id, number: data.registrationNumber, due: data.dueDate, ...(warning ? { warning } : {}) });
      setF(empty(uiLanguage));
      setScan(null);
      if (scanInput.current) scanInput.current.value = '';
      setErrors({});
      setHints(null);
      setIdempotencyKey(crypto.randomUUID());
      requestAnimationFrame(() => firstField.current?.querySelector<HTMLElement>('select, input')?.focus());
    } catch {
      setFormError(t('error.offline'));
    } finally {
      setBusy(false);
    }
  }

  /** Enter registers from any field but a text area (there, Ctrl+Enter); a select does not swallow it either. */
  const onKeyDown = (e: KeyboardEvent<HTMLFormElement>) => {
    if (e.key !== 'Enter' || e.nativeEvent.isComposing) return;
    const target = e.target as HTMLElement;
    if (target.dataset.enter === 'next') {
      // In the category search, Enter keeps the first match and goes on to the subject.
      e.preventDefault();
      formRef.current?.querySelector<HTMLElement>('[name="subject"]')?.focus();
      return;
    }
    if (target instanceof HTMLTextAreaElement) {
      if (e.ctrlKey || e.metaKey) { e.preventDefault(); formRef.current?.requestSubmit(); }
      return;
    }
    if (target instanceof HTMLSelectElement) { e.preventDefault(); formRef.current?.requestSubmit(); }
  };

  const title = t('reception.title');
  return (
    <>
      <PageTitle title={title}>{title}</PageTitle>
      <p className="staff-hint">{t('reception.intro')}</p>
      <div aria-live="polite" aria-atomic="true">
        {success ? (
          <Alert kind="success">
            <p className="alert-title">{t('reception.registered', { number: success.number, date: formatDate(success.due, lang) })}</p>
            {success.warning ? <p>{success.warning}</p> : null}
            <p><Link to={`/staff/${city}/appeals/${success.id}`}>{t('reception.openAppeal', { number: success.number })}</Link></p>
          </Alert>
        ) : null}
      </div>
      {formError ? <Alert kind="error">{formError}</Alert> : null}

      <div className="reception-layout">
        <form ref={formRef} onSubmit={(e) => void submit(e)} onKeyDown={onKeyDown} noValidate className="reception-form" aria-label={title}>
          <fieldset>
            <legend>{t('reception.appeal')}</legend>
            <div className="filter-grid" ref={firstField}>
              <Select label={t('reception.channel')} value={channel} onChange={(e) => setChannel(e.target.value as Channel)} required>
                {CHANNELS.map((c) => <option key={c} value={c}>{t(`common:channel.${c}`)}</option>)}
              </Select>
              <Select label={t('reception.kind')} value={f.kind} onChange={(e) => set('kind', e.target.value as FormState['kind'])} required>
                {KINDS.map((k) => <option key={k} value={k}>{t(`common:kind.${k}`)}</option>)}
              </Select>
              <Select label={t('reception.language')} hint={t('reception.languageHint')} value={f.language} onChange={(e) => set('language', e.target.value as FormState['language'])}>
                {LANGS.map((l) => <option key={l} value={l}>{t(`language.${l}`)}</option>)}
              </Select>
            </div>
            {channel === 'letter' ? (
              <TextInput label={t('reception.receivedAt')} hint={t('reception.receivedAtHint')} type="datetime-local" max={localNow()}
                value={f.receivedAt} onChange={(e) => set('receivedAt', e.target.value)} error={errors.receivedAt} />
            ) : null}
            <div className="category-picker">
              <TextInput label={t('reception.categorySearch')} hint={t('reception.categorySearchHint')} type="search" value={f.categoryFilter}
                onChange={(e) => set('categoryFilter', e.target.value)} autoComplete="off" data-enter="next" />
              <Field label={t('reception.category')} required error={errors.categoryId}
                hint={f.categoryFilter.trim() ? t('reception.categoryMatches', { count: visibleCategories.length }) : undefined}>
                {(a) => (
                  <select {...a} id={a.id} value={f.categoryId} onChange={(e) => set('categoryId', e.target.value)}>
                    <option value="">{t('reception.chooseCategory')}</option>
                    <CategoryOptions categories={ref.categories} lang={lang} filter={f.categoryFilter} />
                  </select>
                )}
              </Field>
            </div>
            <TextInput label={t('reception.subject')} name="subject" value={f.subject} onChange={(e) => set('subject', e.target.value)} required maxLength={200} error={errors.subject} />
            <TextArea label={t('reception.body')} hint={t('form.ctrlEnter')} rows={6} value={f.body} onChange={(e) => set('body', e.target.value)} required maxLength={10000} error={errors.body} />
          </fieldset>

          <fieldset>
            <legend>{t('reception.applicant')}</legend>
            <TextInput label={t('reception.fullName')} autoComplete="off" value={f.fullName} onChange={(e) => set('fullName', e.target.value)} required maxLength={200} error={errors['applicant.fullName']} />
            <div className="filter-grid">
              <TextInput label={t('reception.phone')} hint={t('reception.phoneHint')} type="tel" autoComplete="off" value={f.phone}
                onChange={(e) => set('phone', e.target.value)} maxLength={20} error={errors['applicant.phone']} />
              <TextInput label={t('reception.email')} type="email" autoComplete="off" value={f.email} onChange={(e) => set('email', e.target.value)} maxLength={200} error={errors['applicant.email']} />
            </div>
            <TextInput label={t('reception.postalAddress')} hint={t('reception.postalAddressHint')} autoComplete="off" value={f.postalAddress}
              onChange={(e) => set('postalAddress', e.target.value)} maxLength={300} error={errors['applicant.address']} />
          </fieldset>

          <fieldset>
            <legend>{t('reception.location')}</legend>
            <div className="filter-grid">
              <TextInput label={t('reception.address')} value={f.address} onChange={(e) => set('address', e.target.value)} maxLength={300} error={errors['location.address']} />
              <Select label={t('reception.district')} value={f.districtId} onChange={(e) => set('districtId', e.target.value)} error={errors['location.districtId']}>
                <option value="">{t('reception.noDistrict')}</option>
                {ref.districts.map((d) => <option key={d.id} value={d.id}>{pickName(d.name, lang)}</option>)}
              </Select>
            </div>
          </fieldset>

          <fieldset>
            <legend>{t('reception.collective')}</legend>
            <TextArea label={t('reception.cosigners')} hint={t('reception.cosignersHint')} rows={3} value={f.cosigners} onChange={(e) => set('cosigners', e.target.value)} error={errors.cosigners} />
          </fieldset>

          {channel === 'letter' ? (
            <div className="field">
              <label htmlFor="reception-scan">{t('reception.scan')}</label>
              <p id="reception-scan-hint" className="hint">{t('reception.scanHint')}</p>
              <input ref={scanInput} id="reception-scan" type="file" accept="application/pdf,image/jpeg" aria-describedby="reception-scan-hint"
                onChange={(e) => setScan(e.target.files?.[0] ?? null)} />
            </div>
          ) : null}

          <div className="form-buttons">
            <Button type="submit" disabled={busy}>{busy ? t('reception.registering') : t('reception.submit')}</Button>
            <span className="hint">{t('reception.enterHint')}</span>
          </div>
        </form>

        <DuplicateHintsPanel city={city} hints={hints} />
      </div>
    </>
  );
}

function DuplicateHintsPanel({ city, hints }: { city: string; hints: DuplicateHints | null }) {
  const { t, i18n } = useTranslation(['staff', 'common']);
  const lang = i18n.language;
  const same = hints?.sameApplicant ?? [];
  const nearby = hints?.nearby ?? [];
  const item = (h: DuplicateHints['nearby'][number] | DuplicateHints['sameApplicant'][number], extra?: string) => (
    <li key={h.id}>
      <a href={`/staff/${city}/appeals/${h.id}`} target="_blank" rel="noopener">
        {h.registrationNumber}<span className="visually-hidden"> {t('opensInNewTab')}</span>
      </a>{' '}
      <span className="status">{t(`common:status.${h.status}`)}</span>
      <br />{h.subject}
      <br /><span className="meta">{t('hints.registeredOn', { date: formatDate(h.registeredAt, lang) })}{extra ? ` · ${extra}` : ''}</span>
    </li>
  );
  return (
    <aside className="hints-panel" aria-labelledby="hints-h">
      <h2 id="hints-h">{t('hints.title')}</h2>
      <div aria-live="polite">
        {!hints ? <p className="hint">{t('hints.idle')}</p> : (
          <>
            <p className="visually-hidden">{t('hints.summary', { same: same.length, nearby: nearby.length })}</p>
            <h3>{t('hints.sameApplicant')}</h3>
            {same.length === 0 ? <p className="hint">{t('hints.none')}</p> : (
              <ul className="hint-list">{same.map((h) => item(h, h.matchedBy.map((m) => t(`hints.matchedBy.${m}`)).join(', ')))}</ul>
            )}
            <h3>{hints.nearbyBy === 'district' ? t('hints.sameDistrict') : t('hints.nearby')}</h3>
            {hints.nearbyBy === 'none' ? <p className="hint">{t('hints.nearbyIdle')}</p> : nearby.length === 0 ? <p className="hint">{t('hints.none')}</p> : (
              <ul className="hint-list">{nearby.map((h) => item(h, h.distanceMeters !== null ? t('hints.distance', { meters: h.distanceMeters }) : undefined))}</ul>
            )}
          </>
        )}
      </div>
    </aside>
  );
}
