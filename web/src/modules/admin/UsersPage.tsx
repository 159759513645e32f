/**
 * Staff accounts: the list with inactive ones, adding an account (e-mail, name, password, roles, service for
 * executors, language) and changing one: roles, service, language, active, or a new password.
 */
import { useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client.js';
import { useSession } from '../../app/session.js';
import { Button, Select, TextInput } from '../../ui/ui.js';
import {
  AdminFrame, check, Checkbox, CheckboxGroup, fieldError, missingFields, FormActions, FormPanel, FormProblem, ListSection, ResourceView, TableWrap,
  unwrap, useAnnouncer, useCity, useEditor, useNameOf, useResource, useSubmit, TableHead } from './common.js';
import { ActiveLabel } from './DistrictsPage.js';
import { LOCALES, SERVICE_ROLES, STAFF_ROLES, type Locale, type Service, type StaffRole, type StaffUser } from './types.js';

const PASSWORD_MIN_LENGTH = 10;

export function UsersPage() {
  const { t } = useTranslation(['admin', 'common']);
  const city = useCity();
  const nameOf = useNameOf();
  const { me } = useSession();
  const path = { params: { path: { municipality: city } } };
  const data = useResource(async () => {
    const [staff, services] = await Promise.all([
      unwrap(api.GET('/api/v1/m/{municipality}/admin/staff', path)),
      unwrap(api.GET('/api/v1/m/{municipality}/admin/services', path)),
    ]);
    return { staff: staff.items, services: services.items };
  }, [city]);
  const editor = useEditor<StaffUser>();
  const status = useAnnouncer();
  const serviceName = (id: string | null) => (id ? nameOf(data.data?.services.find((s) => s.id === id)?.name) || '—' : '—');

  return (
    <AdminFrame title={t('admin:users.title')} intro={t('admin:users.intro')}>
      {editor.editing && data.data ? (
        <UserForm
          key={editor.editing.item?.id ?? 'new'}
          user={editor.editing.item}
          self={!!me && me.kind === 'staff' && me.id === editor.editing.item?.id}
          services={data.data.services}
          onCancel={editor.cancel}
          onSaved={(u, created) => {
            editor.close();
            status.announce(t(created ? 'admin:users.created' : 'admin:users.saved', { name: u.fullName }));
            void data.reload();
          }}
        />
      ) : null}
      <ListSection
        title={t('admin:users.listTitle')}
        headingRef={status.headingRef}
        message={status.message}
        action={<Button onClick={() => { status.clear(); editor.open(null); }} disabled={!data.data}>{t('admin:users.add')}</Button>}
      >
        <ResourceView resource={data}>
          {({ staff }) => staff.length === 0 ? <p>{t('admin:users.empty')}</p> : (
            <TableWrap label={t('admin:users.listTitle')}>
              <table>
                <TableHead columns={[t('admin:users.fullName'), t('admin:fields.email'), t('admin:users.roles'), t('admin:users.service'), t('admin:fields.status')]} actionsLabel={t('admin:fields.actions')} />
                <tbody>
                  {staff.map((u) => (
                    <tr key={u.id} className={u.active ? undefined : 'row-inactive'}>
                      <th scope="row">{u.fullName}</th>
                      <td className="break">{u.email.split('@')[0]}<wbr />@{u.email.split('@').slice(1).join('@')}</td>
                      <td>{u.roles.map((r) => t(`common:role.${r}`)).join(', ')}</td>
                      <td>{serviceName(u.serviceId)}</td>
                      <td><ActiveLabel active={u.active} /></td>
                      <td>
                        <Button variant="secondary" className="btn-small" onClick={() => { status.clear(); editor.open(u); }}>
                          {t('admin:edit')}<span className="visually-hidden">: {u.fullName}</span>
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

function UserForm({ user, self, services, onCancel, onSaved }: {
  user: StaffUser | null; self: boolean; services: Service[]; onCancel: () => void; onSaved: (u: StaffUser, created: boolean) => void;
}) {
  const { t } = useTranslation(['admin', 'common']);
  const city = useCity();
  const nameOf = useNameOf();
  const formRef = useRef<HTMLFormElement>(null);
  const [email, setEmail] = useState(user?.email ?? '');
  const [fullName, setFullName] = useState(user?.fullName ?? '');
  const [password, setPassword] = useState('');
  const [roles, setRoles] = useState<StaffRole[]>(user?.roles ?? []);
  const [serviceId, setServiceId] = useState(user?.serviceId ?? '');
  const [locale, setLocale] = useState<Locale>(user?.locale ?? 'ky');
  const [active, setActive] = useState(user?.active ?? true);
  const { busy, problem, run, onFieldChange } = useSubmit();
  const fields = problem?.fields;
  // Executors and heads of service belong to one service.
  const ofService = roles.some((r) => (SERVICE_ROLES as readonly string[]).includes(r));

  const submit = (e: FormEvent) => {
    e.preventDefault();
    void run(async () => {
      const bad: Record<string, string> = missingFields({ ...(user ? {} : { email }), fullName });
      if ((!user || password !== '') && password.length < PASSWORD_MIN_LENGTH) bad.password = t('admin:users.passwordTooShort', { count: PASSWORD_MIN_LENGTH });
      if (roles.length === 0) bad.roles = t('admin:users.rolesRequired');
      if (ofService && !serviceId) bad.serviceId = t('admin:users.serviceRequired');
      check(bad);
      // Roles in their usual order; a service only for executors and heads of service.
      const ordered = STAFF_ROLES.filter((r) => roles.includes(r));
      const service = ofService ? serviceId : null;
      const saved = user
        ? await unwrap(api.PATCH('/api/v1/m/{municipality}/admin/staff/{id}', {
          params: { path: { municipality: city, id: user.id } },
          body: { fullName: fullName.trim(), roles: ordered, serviceId: service, locale, active, ...(password ? { password } : {}) },
        }))
        : await unwrap(api.POST('/api/v1/m/{municipality}/admin/staff', {
          params: { path: { municipality: city } },
          body: { email: email.trim(), fullName: fullName.trim(), password, roles: ordered, serviceId: service, locale },
        }));
      onSaved(saved, !user);
    });
  };

  return (
    <FormPanel title={user ? t('admin:users.editTitle', { name: user.fullName }) : t('admin:users.addTitle')}>
      <form ref={formRef} onSubmit={submit} onChange={onFieldChange} noValidate>
        <FormProblem problem={problem} formRef={formRef} />
        {user ? (
          <p className="readonly-value"><span className="label">{t('admin:fields.email')}</span> {user.email}</p>
        ) : (
          <TextInput label={t('admin:fields.email')} hint={t('admin:users.emailHint')} type="email" name="email" value={email} onChange={(e) => setEmail(e.target.value)}
            error={fields?.email} required maxLength={200} autoComplete="off" spellCheck={false} />
        )}
        <TextInput label={t('admin:users.fullName')} name="fullName" value={fullName} onChange={(e) => setFullName(e.target.value)} error={fields?.fullName}
          required maxLength={200} autoComplete="off" />
        <TextInput label={user ? t('admin:users.newPassword') : t('admin:users.password')}
          hint={user ? t('admin:users.newPasswordHint', { count: PASSWORD_MIN_LENGTH }) : t('admin:users.passwordHint', { count: PASSWORD_MIN_LENGTH })}
          type="password" name="password" value={password} onChange={(e) => setPassword(e.target.value)} error={fields?.password}
          required={!user} autoComplete="new-password" maxLength={200} />
        <CheckboxGroup name="roles" legend={t('admin:users.roles')} options={STAFF_ROLES} value={roles} onChange={setRoles} required
          error={fieldError(fields, 'roles')} labelOf={(r) => t(`common:role.${r}`)} hintOf={(r) => t(`admin:users.roleHint.${r}`)} />
        {ofService ? (
          <Select label={t('admin:users.service')} hint={t('admin:users.serviceHint')} name="serviceId" value={serviceId} onChange={(e) => setServiceId(e.target.value)}
            error={fields?.serviceId} required>
            <option value="">{t('admin:choose')}</option>
            {services.map((s) => <option key={s.id} value={s.id}>{nameOf(s.name)}{s.active ? '' : ` (${t('admin:inactive')})`}</option>)}
          </Select>
        ) : null}
        <Select label={t('admin:users.locale')} hint={t('admin:users.localeHint')} name="locale" value={locale} onChange={(e) => setLocale(e.target.value as Locale)} error={fields?.locale}>
          {LOCALES.map((l) => <option key={l} value={l}>{t(`admin:languages.${l}`)}</option>)}
        </Select>
        {user ? (
          <Checkbox label={t('admin:active')} hint={self ? t('admin:users.activeSelfHint') : t('admin:users.activeHint')} checked={active} onChange={setActive} />
        ) : null}
        <FormActions busy={busy} onCancel={onCancel} />
      </form>
    </FormPanel>
  );
}
