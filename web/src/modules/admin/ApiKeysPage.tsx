/**
 * Integrators' API keys: the list (never the secrets), creating a key (its full text is shown once, with a copy
 * button and a warning) and revoking one after confirmation.
 */
import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client.js';
import { Button, TextInput } from '../../ui/ui.js';
import {
  AdminFrame, check, CheckboxGroup, RevocationBadge, RevokeButton, ConfirmDialog, fieldError, missingFields, FormActions, FormPanel, FormProblem, ListSection, ResourceView,
  TableWrap, unwrap, useAnnouncer, useCity, useConfirm, useFormats, useEditor, useResource, useSubmit, TableHead } from './common.js';
import { API_KEY_SCOPES, type ApiKey, type ApiKeyScope } from './types.js';

type NewKey = ApiKey & { key: string };

/** 'appeals:write' → 'appeals_write': a colon in a message key would be read as a namespace. */
const scopeKey = (s: ApiKeyScope) => s.replace(':', '_');

export function ApiKeysPage() {
  const { t } = useTranslation('admin');
  const dates = useFormats();
  const city = useCity();
  const list = useResource(
    () => unwrap(api.GET('/api/v1/m/{municipality}/admin/api-keys', { params: { path: { municipality: city } } })).then((r) => r.items),
    [city],
  );
  const editor = useEditor<ApiKey>();
  const status = useAnnouncer();
  const revocation = useConfirm<ApiKey>();
  const [created, setCreated] = useState<NewKey | null>(null);

  const revoke = () => void revocation.run(async () => {
    const key = revocation.target;
    if (!key) return;
    await unwrap(api.POST('/api/v1/m/{municipality}/admin/api-keys/{id}/revoke', { params: { path: { municipality: city, id: key.id } } }));
    revocation.done();
    status.announce(t('apiKeys.revoked', { name: key.name }));
    void list.reload();
  });

  return (
    <AdminFrame title={t('apiKeys.title')} intro={t('apiKeys.intro')}>
      {created ? (
        <NewKeyPanel created={created} onDone={() => { setCreated(null); status.announce(t('apiKeys.created', { name: created.name })); }} />
      ) : null}
      {editor.editing ? (
        <KeyForm
          onCancel={editor.cancel}
          onSaved={(k) => { editor.close(); setCreated(k); void list.reload(); }}
        />
      ) : null}
      <ListSection
        title={t('apiKeys.listTitle')}
        headingRef={status.headingRef}
        message={status.message}
        action={<Button onClick={() => { status.clear(); setCreated(null); editor.open(null); }}>{t('apiKeys.add')}</Button>}
      >
        <ResourceView resource={list}>
          {(items) => items.length === 0 ? <p>{t('apiKeys.empty')}</p> : (
            <TableWrap label={t('apiKeys.listTitle')}>
              <table>
                <TableHead columns={[t('apiKeys.name'), t('apiKeys.prefix'), t('apiKeys.scopes'), t('apiKeys.createdAt'), t('fields.status')]} actionsLabel={t('fields.actions')} />
                <tbody>
                  {items.map((k) => (
                    <tr key={k.id} className={k.revokedAt ? 'row-inactive' : undefined}>
                      <th scope="row">{k.name}</th>
                      <td><code>{`shk_${k.prefix}_…`}</code></td>
                      <td>{k.scopes.map((s) => t(`apiKeys.scope.${scopeKey(s)}`)).join(', ')}</td>
                      <td>{dates.date(k.createdAt)}</td>
                      <td><RevocationBadge revokedAt={k.revokedAt} /></td>
                      <td><RevokeButton revokedAt={k.revokedAt} name={k.name} onClick={() => revocation.ask(k)} /></td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </TableWrap>
          )}
        </ResourceView>
      </ListSection>
      {revocation.target ? (
        <ConfirmDialog title={t('apiKeys.revokeTitle')} confirmLabel={t('apiKeys.revoke')} busy={revocation.busy} problem={revocation.problem}
          onConfirm={revoke} onClose={revocation.cancel}>
          <p>{t('apiKeys.revokeText', { name: revocation.target.name })}</p>
        </ConfirmDialog>
      ) : null}
    </AdminFrame>
  );
}

function KeyForm({ onCancel, onSaved }: { onCancel: () => void; onSaved: (k: NewKey) => void }) {
  const { t } = useTranslation('admin');
  const city = useCity();
  const formRef = useRef<HTMLFormElement>(null);
  const [name, setName] = useState('');
  const [scopes, setScopes] = useState<ApiKeyScope[]>(['appeals:write']);
  const { busy, problem, run, onFieldChange } = useSubmit();
  const fields = problem?.fields;

  const submit = (e: FormEvent) => {
    e.preventDefault();
    void run(async () => {
      check({ ...missingFields({ name }), ...(scopes.length === 0 ? { scopes: t('apiKeys.scopesRequired') } : {}) });
      const ordered = API_KEY_SCOPES.filter((s) => scopes.includes(s));
      const saved = await unwrap(api.POST('/api/v1/m/{municipality}/admin/api-keys', {
        params: { path: { municipality: city } }, body: { name: name.trim(), scopes: ordered },
      }));
      onSaved(saved);
    });
  };

  return (
    <FormPanel title={t('apiKeys.addTitle')}>
      <form ref={formRef} onSubmit={submit} onChange={onFieldChange} noValidate>
        <FormProblem problem={problem} formRef={formRef} />
        <TextInput label={t('apiKeys.name')} hint={t('apiKeys.nameHint')} name="name" value={name} onChange={(e) => setName(e.target.value)}
          error={fields?.name} required maxLength={100} autoComplete="off" />
        <CheckboxGroup name="scopes" legend={t('apiKeys.scopes')} options={API_KEY_SCOPES} value={scopes} onChange={setScopes} required
          error={fieldError(fields, 'scopes')} labelOf={(s) => t(`apiKeys.scope.${scopeKey(s)}`)} hintOf={(s) => t(`apiKeys.scopeHint.${scopeKey(s)}`)} />
        <FormActions busy={busy} onCancel={onCancel} submitLabel={t('apiKeys.addSubmit')} />
      </form>
    </FormPanel>
  );
}

/** The new key, shown once: a warning, the key in a read-only field, a copy button. */
function NewKeyPanel({ created, onDone }: { created: NewKey; onDone: () => void }) {
  const { t } = useTranslation('admin');
  const inputRef = useRef<HTMLInputElement>(null);
  const [copied, setCopied] = useState('');
  const keyId = useId();
  const warningId = useId();

  async function copy() {
    setCopied('');
    try {
      await navigator.clipboard.writeText(created.key);
      setCopied(t('apiKeys.copied'));
    } catch {
      // No clipboard access (e.g. an insecure address): select the key for the admin to copy.
      inputRef.current?.select();
      setCopied(t('apiKeys.copyFailed'));
    }
  }

  useEffect(() => { setCopied(''); }, [created.key]);

  return (
    <FormPanel title={t('apiKeys.newTitle', { name: created.name })}>
      <p id={warningId} className="alert alert-warn"><strong>{t('apiKeys.onceWarning')}</strong></p>
      <div className="field">
        <label htmlFor={keyId}>{t('apiKeys.key')}</label>
        <input ref={inputRef} id={keyId} className="key-value" readOnly value={created.key} spellCheck={false} aria-describedby={warningId}
          onFocus={(e) => e.currentTarget.select()} />
      </div>
      <div className="form-actions">
        <Button onClick={() => void copy()}>{t('apiKeys.copy')}</Button>
        <Button variant="secondary" onClick={onDone}>{t('apiKeys.done')}</Button>
      </div>
      <p className={copied ? 'tool-answer' : 'status-empty'} role="status" aria-live="polite">{copied}</p>
    </FormPanel>
  );
}
