/**
 * A resident signs in with a one-time code sent to their e-mail or phone: no password. The step survives a reload
 * (the phone may drop the tab while the resident reads the code), then they return to where they came from.
 */
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { api, errorMessage, fieldErrors } from '../../api/client.js';
import { useSession } from '../../app/session.js';
import { rememberedCity } from '../../app/cities.js';
import { Alert, Button, PageTitle, TextInput } from '../../ui/ui.js';
import { isNetworkFailure, ResidentLayout, safeNext } from './shared.js';

const STEP_KEY = 'shaar.signin';

type Lang = 'ky' | 'ru' | 'en';

function savedStep(): { destination: string } | null {
  try {
    const raw = sessionStorage.getItem(STEP_KEY);
    const v = raw ? (JSON.parse(raw) as { destination?: unknown }) : null;
    return v && typeof v.destination === 'string' ? { destination: v.destination } : null;
  } catch { return null; }
}

/** Roughly an e-mail or a phone number; the server has the last word. */
function looksLikeDestination(s: string): boolean {
  if (s.includes('@')) return /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(s);
  return /^\+?[\d\s()-]{7,20}$/.test(s) && s.replace(/\D/g, '').length >= 9;
}

export function SignInPage() {
  const { t, i18n } = useTranslation('resident');
  const [params] = useSearchParams();
  const next = safeNext(params.get('next'));
  const navigate = useNavigate();
  const session = useSession();
  const saved = useRef(savedStep()).current;
  const [step, setStep] = useState<'destination' | 'code'>(saved ? 'code' : 'destination');
  const [destination, setDestination] = useState(saved?.destination ?? '');
  const [code, setCode] = useState('');
  const [destinationError, setDestinationError] = useState<string>();
  const [codeError, setCodeError] = useState<string>();
  const [formError, setFormError] = useState<string>();
  const [notice, setNotice] = useState<string>();
  const [busy, setBusy] = useState(false);
  const codeWrap = useRef<HTMLDivElement>(null);
  const destinationWrap = useRef<HTMLDivElement>(null);
  const firstRender = useRef(true);

  // Moving between the steps puts the keyboard (and the screen reader) in the field to fill.
  useEffect(() => {
    if (firstRender.current) { firstRender.current = false; return; }
    (step === 'code' ? codeWrap : destinationWrap).current?.querySelector('input')?.focus();
  }, [step]);

  const goBack = () => navigate(next ?? `/${rememberedCity()}/my`, { replace: true });

  async function requestCode(again: boolean) {
    const value = destination.trim();
    setFormError(undefined); setNotice(undefined); setDestinationError(undefined);
    if (!value) { setDestinationError(t('signin.errors.destinationRequired')); return; }
    if (!looksLikeDestination(value)) { setDestinationError(t('signin.errors.destinationInvalid')); return; }
    setBusy(true);
    try {
      const { error } = await api.POST('/api/v1/auth/code/request', { body: { destination: value, locale: i18n.language as Lang } });
      if (error) {
        const field = fieldErrors(error).destination;
        if (field && !again) setDestinationError(field);
        else setFormError(errorMessage(error, t('common:error.generic')));
        return;
      }
      sessionStorage.setItem(STEP_KEY, JSON.stringify({ destination: value }));
      setCode(''); setCodeError(undefined);
      if (again) setNotice(t('signin.code.sentAgain'));
      setStep('code');
    } catch (e) {
      setFormError(isNetworkFailure(e) ? t('offlineLoad') : t('common:error.generic'));
    } finally {
      setBusy(false);
    }
  }

  async function verify() {
    setFormError(undefined); setNotice(undefined); setCodeError(undefined);
    if (!/^\d{6}$/.test(code)) { setCodeError(t('signin.errors.codeFormat')); return; }
    setBusy(true);
    try {
      const { error } = await api.POST('/api/v1/auth/code/verify', { body: { destination: destination.trim(), code } });
      if (error) {
        const field = fieldErrors(error).code;
        setCodeError(field ?? errorMessage(error, t('common:error.generic')));
        return;
      }
      sessionStorage.removeItem(STEP_KEY);
      await session.refresh();
      goBack();
    } catch (e) {
      setFormError(isNetworkFailure(e) ? t('offlineLoad') : t('common:error.generic'));
    } finally {
      setBusy(false);
    }
  }

  const changeDestination = () => {
    sessionStorage.removeItem(STEP_KEY);
    setFormError(undefined); setNotice(undefined); setCodeError(undefined);
    setStep('destination');
  };

  const onSubmit = (e: FormEvent) => { e.preventDefault(); void (step === 'destination' ? requestCode(false) : verify()); };

  if (session.me?.kind === 'citizen' && !busy) {
    return (
      <ResidentLayout>
        <PageTitle title={t('signin.title')}>{t('signin.title')}</PageTitle>
        <Alert kind="success">{t('signin.already', { who: session.me.fullName || session.me.email || session.me.phone || '' })}</Alert>
        <p><Link to={next ?? `/${rememberedCity()}/my`}>{next ? t('signin.continue') : t('common:nav.myAppeals')}</Link></p>
      </ResidentLayout>
    );
  }

  return (
    <ResidentLayout>
      <PageTitle title={t('signin.title')}>{t('signin.title')}</PageTitle>
      <p>{t('signin.lead')}</p>
      {formError ? <Alert kind="error">{formError}</Alert> : null}
      <form noValidate onSubmit={onSubmit} className="r-narrow">
        {step === 'destination' ? (
          <>
            <div ref={destinationWrap}>
              <TextInput
                label={t('signin.destination.label')} hint={t('signin.destination.hint')} error={destinationError} required
                name="destination" type="text" autoComplete="username" autoCapitalize="none" spellCheck={false}
                value={destination} onChange={(e) => setDestination(e.target.value)}
              />
            </div>
            <Button type="submit" disabled={busy}>{busy ? t('signin.destination.sending') : t('signin.destination.submit')}</Button>
          </>
        ) : (
          <>
            <p>{t('signin.code.sentTo', { destination })}</p>
            {notice ? <Alert kind="success">{notice}</Alert> : null}
            <div ref={codeWrap}>
              <TextInput
                label={t('signin.code.label')} hint={t('signin.code.hint')} error={codeError} required
                name="code" type="text" inputMode="numeric" autoComplete="one-time-code" pattern="[0-9]*" maxLength={6}
                className="r-code" value={code} onChange={(e) => setCode(e.target.value.replace(/\D/g, '').slice(0, 6))}
              />
            </div>
            <Button type="submit" disabled={busy}>{busy ? t('signin.code.checking') : t('signin.code.submit')}</Button>
            <div className="r-row">
              <Button variant="link" disabled={busy} onClick={() => void requestCode(true)}>{t('signin.code.again')}</Button>
              <Button variant="link" disabled={busy} onClick={changeDestination}>{t('signin.code.change')}</Button>
            </div>
          </>
        )}
      </form>
      <p className="hint r-gap">{t('signin.privacy')}</p>
    </ResidentLayout>
  );
}
