/**
 * /staff/:city/land/settings — the land dialogue's settings (admins): the support threshold that puts a proposal on
 * the commission's agenda, the default comment period in days, and the discussion rules in ky/ru/en (or the
 * platform's default rules).
 */
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../../api/client.js';
import { Alert, Button, PageTitle, TextArea, TextInput } from '../../../ui/ui.js';
import { asFailure, can, LandTabs, LANGS, Loaded, NotAllowed, send, useCity, useData, useRoles, type Settings } from './shared.js';

export function SettingsPage() {
  const { t } = useTranslation('landStaff');
  const city = useCity();
  const roles = useRoles();
  const settings = useData<Settings>(city, () => send(api.GET('/api/v1/m/{municipality}/land/settings', { params: { path: { municipality: city } } })));
  const title = t('settings.title');
  return (
    <>
      <PageTitle title={title}>{title}</PageTitle>
      <LandTabs />
      {!can(roles, 'settings') ? <NotAllowed /> : <Loaded data={settings}>{(s) => <SettingsForm city={city} settings={s} onSaved={settings.reload} />}</Loaded>}
    </>
  );
}

function SettingsForm({ city, settings, onSaved }: { city: string; settings: Settings; onSaved: () => void }) {
  const { t } = useTranslation('landStaff');
  const [threshold, setThreshold] = useState(String(settings.supportThreshold));
  const [days, setDays] = useState(String(settings.commentPeriodDays));
  const [rules, setRules] = useState(settings.discussionRules);
  const [fields, setFields] = useState<Record<string, string>>({});
  const [message, setMessage] = useState<{ kind: 'error' | 'success'; text: string } | null>(null);

  async function save(e: FormEvent, reset = false) {
    e.preventDefault();
    const f: Record<string, string> = {};
    const th = Number(threshold);
    const d = Number(days);
    if (!Number.isInteger(th) || th < 1 || th > 1_000_000) f.supportThreshold = t('settings.thresholdInvalid');
    if (!Number.isInteger(d) || d < 1 || d > 365) f.commentPeriodDays = t('settings.daysInvalid');
    if (!reset) for (const l of LANGS) if (!rules[l].trim()) f[`rules.${l}`] = t('settings.rulesRequired');
    setFields(f);
    if (Object.keys(f).length) { setMessage({ kind: 'error', text: t('settings.fix') }); return; }
    try {
      await send(api.PUT('/api/v1/m/{municipality}/admin/land/settings', {
        params: { path: { municipality: city } },
        body: { supportThreshold: th, commentPeriodDays: d, discussionRules: reset ? null : rules },
      }));
      setMessage({ kind: 'success', text: t('settings.saved') });
      onSaved();
    } catch (err) {
      const x = asFailure(err);
      setFields(x.fields);
      setMessage({ kind: 'error', text: x.message });
    }
  }

  return (
    <form onSubmit={(e) => void save(e)} noValidate className="card">
      <TextInput label={t('settings.threshold')} hint={t('settings.thresholdHint')} type="number" min={1} required value={threshold}
        onChange={(e) => setThreshold(e.target.value)} error={fields.supportThreshold} />
      <TextInput label={t('settings.days')} hint={t('settings.daysHint')} type="number" min={1} max={365} required value={days}
        onChange={(e) => setDays(e.target.value)} error={fields.commentPeriodDays} />
      <fieldset className="ls-langs">
        <legend>{t('settings.rules')}</legend>
        {settings.rulesAreDefault ? <p className="hint">{t('settings.rulesDefault')}</p> : null}
        {LANGS.map((l) => (
          <TextArea key={l} label={t(`lang.${l}`)} lang={l} rows={5} required value={rules[l]} onChange={(e) => setRules({ ...rules, [l]: e.target.value })}
            error={fields[`rules.${l}`] ?? fields[`discussionRules.${l}`]} />
        ))}
      </fieldset>
      {message ? <Alert kind={message.kind}>{message.text}</Alert> : null}
      <p className="row-actions">
        <Button type="submit">{t('settings.save')}</Button>
        {!settings.rulesAreDefault ? <Button variant="secondary" onClick={(e) => void save(e, true)}>{t('settings.resetRules')}</Button> : null}
      </p>
    </form>
  );
}
