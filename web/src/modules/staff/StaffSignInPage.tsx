/**
 * Staff sign-in: the city, e-mail and password. A staff member signed in already goes straight to their inbox.
 */
import { useState, type FormEvent } from 'react';
import { Navigate, useNavigate, useSearchParams } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client.js';
import { Layout } from '../../app/Layout.js';
import { pickName, rememberCity, rememberedCity, useCities } from '../../app/cities.js';
import { useSession } from '../../app/session.js';
import { Alert, Button, PageTitle, Select, TextInput } from '../../ui/ui.js';
import { problem, useStaffMe } from './shared.js';

export function StaffSignInPage() {
  const { t, i18n } = useTranslation('staff');
  const session = useSession();
  const me = useStaffMe();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const cities = useCities();
  const [city, setCity] = useState(params.get('city') ?? rememberedCity());
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  if (me && !busy) return <Navigate to={`/staff/${me.municipality}/inbox`} replace />;

  async function submit(e: FormEvent) {
    e.preventDefault();
    setError(null);
    if (!email.trim() || !password) { setError(t('signIn.missing')); return; }
    setBusy(true);
    try {
      const { error: err } = await api.POST('/api/v1/auth/staff/login', { body: { municipality: city, email: email.trim(), password } });
      if (err) { setError(problem(err, t('error.generic'))); return; }
      rememberCity(city);
      const next = await session.refresh();
      const slug = next && next.kind === 'staff' ? next.municipality : city;
      const back = params.get('next');
      navigate(back && back.startsWith(`/staff/${slug}/`) ? back : `/staff/${slug}/inbox`, { replace: true });
    } catch {
      setError(t('error.offline'));
    } finally {
      setBusy(false);
    }
  }

  return (
    <Layout>
      <div className="staff-signin">
        <PageTitle title={t('signIn.title')}>{t('signIn.title')}</PageTitle>
        <p>{t('signIn.intro')}</p>
        {error ? <Alert kind="error">{error}</Alert> : null}
        <form onSubmit={(e) => void submit(e)} noValidate>
          <Select label={t('signIn.city')} value={city} onChange={(e) => setCity(e.target.value)} required>
            {(cities ?? [{ slug: city, code: '', name: { ky: city, ru: city, en: city } }]).map((c) => (
              <option key={c.slug} value={c.slug}>{pickName(c.name, i18n.language)}</option>
            ))}
          </Select>
          <TextInput label={t('signIn.email')} type="email" autoComplete="username" value={email} onChange={(e) => setEmail(e.target.value)} required />
          <TextInput label={t('signIn.password')} type="password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} required />
          <Button type="submit" disabled={busy}>{busy ? t('signIn.signingIn') : t('signIn.submit')}</Button>
        </form>
      </div>
    </Layout>
  );
}
