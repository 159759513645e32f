/**
 * Tunduk (X-Road) consumers: the subsystems of the national exchange allowed to call the city's services, each mapped
 * to an integrator key whose permissions it gets; creating one (with an existing key or a new one of its own) and
 * revoking one after confirmation. The service address to register on the security server is shown for copying.
 */
import { useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client.js';
import { Button, TextInput } from '../../ui/ui.js';
import {
  AdminFrame, check, CheckboxGroup, RevocationBadge, RevokeButton, ConfirmDialog, fieldError, missingFields, FormActions, FormPanel, FormProblem, ListSection, ResourceView,
  TableWrap, unwrap, useAnnouncer, useCity, useConfirm, useFormats, useEditor, useResource, useSubmit, TableHead } from './common.js';
import { API_KEY_SCOPES, type ApiKeyScope } from './types.js';

interface Consumer {
  id: string; clientId: string; apiKeyId: string; apiKeyName: string; scopes: ApiKeyScope[];
  mayListByPersonalNumber: boolean; createdAt: string; revokedAt: string | null;
}

const scopeKey = (s: ApiKeyScope) => s.replace(':', '_');

export function XRoadConsumersPage() {
  const { t } = useTranslation('admin');
  const dates = useFormats();
  const city = useCity();
  const list = useResource(
    () => unwrap(api.GET('/api/v1/m/{municipality}/admin/xroad/consumers', { params: { path: { municipality: city } } })).then((r) => r.items as Consumer[]),
    [city],
  );
  const editor = useEditor<Consumer>();
  const status = useAnnouncer();
  const revocation = useConfirm<Consumer>();

  const revoke = () => void revocation.run(async () => {
    const c = revocation.target;
    if (!c) return;
    await unwrap(api.POST('/api/v1/m/{municipality}/admin/xroad/consumers/{id}/revoke', { params: { path: { municipality: city, id: c.id } } }));
    revocation.done();
    status.announce(t('xroad.revoked', { client: c.clientId }));
    void list.reload();
  });

  const serviceUrl = `${window.location.origin}/xroad/v1/${city}`;
  return (
    <AdminFrame title={t('xroad.title')} intro={t('xroad.intro')}>
      <p>{t('xroad.serviceUrl')} <code>{serviceUrl}</code></p>
      <p>{t('xroad.openApi')} <a href={`${serviceUrl}/openapi.json`}><code>{`${serviceUrl}/openapi.json`}</code></a></p>
      {editor.editing ? (
        <ConsumerForm onCancel={editor.cancel}
          onSaved={(c) => { editor.close(); status.announce(t('xroad.created', { client: c.clientId })); void list.reload(); }} />
      ) : null}
      <ListSection
        title={t('xroad.listTitle')}
        headingRef={status.headingRef}
        message={status.message}
        action={<Button onClick={() => { status.clear(); editor.open(null); }}>{t('xroad.add')}</Button>}
      >
        <ResourceView resource={list}>
          {(items) => items.length === 0 ? <p>{t('xroad.empty')}</p> : (
            <TableWrap label={t('xroad.listTitle')}>
              <table>
                <TableHead columns={[t('xroad.clientId'), t('xroad.key'), t('apiKeys.scopes'), t('xroad.byPersonalNumber'), t('apiKeys.createdAt'), t('fields.status')]}
                  actionsLabel={t('fields.actions')} />
                <tbody>
                  {items.map((c) => (
                    <tr key={c.id} className={c.revokedAt ? 'row-inactive' : undefined}>
                      <th scope="row"><code>{c.clientId}</code></th>
                      <td>{c.apiKeyName}</td>
                      <td>{c.scopes.map((s) => t(`apiKeys.scope.${scopeKey(s)}`)).join(', ')}</td>
                      <td>{c.mayListByPersonalNumber ? t('xroad.yes') : t('xroad.no')}</td>
                      <td>{dates.date(c.createdAt)}</td>
                      <td><RevocationBadge revokedAt={c.revokedAt} /></td>
                      <td><RevokeButton revokedAt={c.revokedAt} name={c.clientId} onClick={() => revocation.ask(c)} /></td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </TableWrap>
          )}
        </ResourceView>
      </ListSection>
      {revocation.target ? (
        <ConfirmDialog title={t('xroad.revokeTitle')} confirmLabel={t('apiKeys.revoke')} busy={revocation.busy} problem={revocation.problem}
          onConfirm={revoke} onClose={revocation.cancel}>
          <p>{t('xroad.revokeText', { client: revocation.target.clientId })}</p>
        </ConfirmDialog>
      ) : null}
    </AdminFrame>
  );
}

function ConsumerForm({ onCancel, onSaved }: { onCancel: () => void; onSaved: (c: Consumer) => void }) {
  const { t } = useTranslation('admin');
  const city = useCity();
  const formRef = useRef<HTMLFormElement>(null);
  const [clientId, setClientId] = useState('');
  const [name, setName] = useState('');
  const [scopes, setScopes] = useState<ApiKeyScope[]>(['appeals:write', 'appeals:read']);
  const [byPin, setByPin] = useState<('byPin')[]>([]);
  const { busy, problem, run, onFieldChange } = useSubmit();
  const fields = problem?.fields;

  const submit = (e: FormEvent) => {
    e.preventDefault();
    void run(async () => {
      check({ ...missingFields({ clientId, name }), ...(scopes.length === 0 ? { scopes: t('apiKeys.scopesRequired') } : {}) });
      const saved = await unwrap(api.POST('/api/v1/m/{municipality}/admin/xroad/consumers', {
        params: { path: { municipality: city } },
        body: {
          clientId: clientId.trim(), newKey: { name: name.trim(), scopes: API_KEY_SCOPES.filter((s) => scopes.includes(s)) },
          mayListByPersonalNumber: byPin.length > 0,
        },
      }));
      onSaved(saved as Consumer);
    });
  };

  return (
    <FormPanel title={t('xroad.addTitle')}>
      <form ref={formRef} onSubmit={submit} onChange={onFieldChange} noValidate>
        <FormProblem problem={problem} formRef={formRef} />
        <TextInput label={t('xroad.clientId')} hint={t('xroad.clientIdHint')} name="clientId" value={clientId}
          onChange={(e) => setClientId(e.target.value)} error={fields?.clientId} required maxLength={1000} autoComplete="off" spellCheck={false} />
        <TextInput label={t('apiKeys.name')} hint={t('xroad.nameHint')} name="name" value={name} onChange={(e) => setName(e.target.value)}
          error={fieldError(fields, 'newKey.name')} required maxLength={100} autoComplete="off" />
        <CheckboxGroup name="scopes" legend={t('apiKeys.scopes')} options={API_KEY_SCOPES} value={scopes} onChange={setScopes} required
          error={fieldError(fields, 'newKey.scopes') ?? fieldError(fields, 'scopes')} labelOf={(s) => t(`apiKeys.scope.${scopeKey(s)}`)}
          hintOf={(s) => t(`apiKeys.scopeHint.${scopeKey(s)}`)} />
        <CheckboxGroup name="byPin" legend={t('xroad.byPersonalNumber')} options={['byPin'] as const} value={byPin} onChange={setByPin}
          labelOf={() => t('xroad.byPersonalNumberLabel')} hintOf={() => t('xroad.byPersonalNumberHint')} />
        <FormActions busy={busy} onCancel={onCancel} submitLabel={t('xroad.addSubmit')} />
      </form>
    </FormPanel>
  );
}
