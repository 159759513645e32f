/**
 * Services: the departments, municipal enterprises and district administrations that answer appeals. The list with
 * inactive ones, adding and editing (code, names, kind, e-mail, phone, active).
 */
import { useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client.js';
import { Button, Select, TextInput } from '../../ui/ui.js';
import {
  AdminFrame, check, Checkbox, emptyNames, missingFields, FormActions, FormPanel, FormProblem, ListSection, NamesFieldset, ResourceView, TableWrap,
  unwrap, useAnnouncer, useCity, useEditor, useNameOf, useResource, useSubmit, TableHead } from './common.js';
import { ActiveLabel } from './DistrictsPage.js';
import { SERVICE_KINDS, type Service, type ServiceKind } from './types.js';

export function ServicesPage() {
  const { t } = useTranslation('admin');
  const city = useCity();
  const nameOf = useNameOf();
  const list = useResource(
    () => unwrap(api.GET('/api/v1/m/{municipality}/admin/services', { params: { path: { municipality: city } } })).then((r) => r.items),
    [city],
  );
  const editor = useEditor<Service>();
  const status = useAnnouncer();

  return (
    <AdminFrame title={t('services.title')} intro={t('services.intro')}>
      {editor.editing ? (
        <ServiceForm
          key={editor.editing.item?.id ?? 'new'}
          service={editor.editing.item}
          onCancel={editor.cancel}
          onSaved={(s, created) => {
            editor.close();
            status.announce(t(created ? 'services.created' : 'services.saved', { name: nameOf(s.name) }));
            void list.reload();
          }}
        />
      ) : null}
      <ListSection
        title={t('services.listTitle')}
        headingRef={status.headingRef}
        message={status.message}
        action={<Button onClick={() => { status.clear(); editor.open(null); }}>{t('services.add')}</Button>}
      >
        <ResourceView resource={list}>
          {(items) => items.length === 0 ? <p>{t('services.empty')}</p> : (
            <TableWrap label={t('services.listTitle')}>
              <table>
                <TableHead columns={[t('fields.name'), t('fields.code'), t('services.kind'), t('services.contacts'), t('fields.status')]} actionsLabel={t('fields.actions')} />
                <tbody>
                  {items.map((s) => (
                    <tr key={s.id} className={s.active ? undefined : 'row-inactive'}>
                      <th scope="row">{nameOf(s.name)}</th>
                      <td><code>{s.code}</code></td>
                      <td>{t(`serviceKind.${s.kind}`, { defaultValue: s.kind })}</td>
                      <td>
                        {s.email ? <div>{s.email}</div> : null}
                        {s.phone ? <div>{s.phone}</div> : null}
                        {!s.email && !s.phone ? '—' : null}
                      </td>
                      <td><ActiveLabel active={s.active} /></td>
                      <td>
                        <Button variant="secondary" className="btn-small" onClick={() => { status.clear(); editor.open(s); }}>
                          {t('edit')}<span className="visually-hidden">: {nameOf(s.name)}</span>
                        </Button>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </TableWrap>
          )}
        </ResourceView>
      </ListSection>
    </AdminFrame>
  );
}

function ServiceForm({ service, onCancel, onSaved }: { service: Service | null; onCancel: () => void; onSaved: (s: Service, created: boolean) => void }) {
  const { t } = useTranslation('admin');
  const city = useCity();
  const nameOf = useNameOf();
  const formRef = useRef<HTMLFormElement>(null);
  const [code, setCode] = useState(service?.code ?? '');
  const [name, setName] = useState(service?.name ?? emptyNames());
  const [kind, setKind] = useState<ServiceKind>((service?.kind as ServiceKind | undefined) ?? 'department');
  const [email, setEmail] = useState(service?.email ?? '');
  const [phone, setPhone] = useState(service?.phone ?? '');
  const [active, setActive] = useState(service?.active ?? true);
  const { busy, problem, run, onFieldChange } = useSubmit();
  const fields = problem?.fields;

  const submit = (e: FormEvent) => {
    e.preventDefault();
    void run(async () => {
      check(missingFields({ code, 'name.ky': name.ky, 'name.ru': name.ru, 'name.en': name.en }));
      const body = { code: code.trim(), name, kind, email: email.trim() || null, phone: phone.trim() || null };
      const saved = service
        ? await unwrap(api.PATCH('/api/v1/m/{municipality}/admin/services/{id}', {
          params: { path: { municipality: city, id: service.id } }, body: { ...body, active },
        }))
        : await unwrap(api.POST('/api/v1/m/{municipality}/admin/services', { params: { path: { municipality: city } }, body }));
      onSaved(saved, !service);
    });
  };

  return (
    <FormPanel title={service ? t('services.editTitle', { name: nameOf(service.name) }) : t('services.addTitle')}>
      <form ref={formRef} onSubmit={submit} onChange={onFieldChange} noValidate>
        <FormProblem problem={problem} formRef={formRef} />
        <TextInput label={t('fields.code')} hint={t('fields.codeHint')} name="code" value={code} onChange={(e) => setCode(e.target.value)}
          error={fields?.code} required maxLength={60} autoComplete="off" spellCheck={false} />
        <NamesFieldset legend={t('fields.names')} value={name} onChange={setName} fields={fields} />
        <Select label={t('services.kind')} name="kind" value={kind} onChange={(e) => setKind(e.target.value as ServiceKind)} error={fields?.kind} required>
          {SERVICE_KINDS.map((k) => <option key={k} value={k}>{t(`serviceKind.${k}`)}</option>)}
        </Select>
        <TextInput label={t('fields.email')} hint={t('fields.optional')} type="email" name="email" value={email} onChange={(e) => setEmail(e.target.value)}
          error={fields?.email} maxLength={200} autoComplete="off" spellCheck={false} />
        <TextInput label={t('fields.phone')} hint={t('services.phoneHint')} type="tel" name="phone" value={phone} onChange={(e) => setPhone(e.target.value)}
          error={fields?.phone} maxLength={20} autoComplete="off" />
        {service ? <Checkbox label={t('active')} hint={t('services.activeHint')} checked={active} onChange={setActive} /> : null}
        <FormActions busy={busy} onCancel={onCancel} />
      </form>
    </FormPanel>
  );
}
