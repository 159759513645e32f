/**
 * Routing: which service gets a new appeal of a category from a district. Rules are category × district → service
 * (no district: any district without its own rule); a subcategory without a rule follows its group's. Adding and
 * deleting rules, and a tool that asks the server where an appeal would go.
 */
import { useId, useMemo, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client.js';
import { Button, Select } from '../../ui/ui.js';
import {
  AdminFrame, check, ConfirmDialog, FormActions, FormPanel, FormProblem, ListSection, ResourceView, TableWrap, unwrap, useAnnouncer, useCity,
  useConfirm, useEditor, useNameOf, useResource, useSubmit, TableHead } from './common.js';
import { categoryTree, type CategoryGroup } from './CategoriesPage.js';
import type { Category, District, RoutingRule, Service } from './types.js';

interface Directory { rules: RoutingRule[]; categories: Category[]; districts: District[]; services: Service[] }

export function RoutingPage() {
  const { t } = useTranslation('admin');
  const city = useCity();
  const nameOf = useNameOf();
  const path = { params: { path: { municipality: city } } };
  const data = useResource<Directory>(async () => {
    const [rules, categories, districts, services] = await Promise.all([
      unwrap(api.GET('/api/v1/m/{municipality}/admin/routing/rules', path)),
      unwrap(api.GET('/api/v1/m/{municipality}/admin/categories', path)),
      unwrap(api.GET('/api/v1/m/{municipality}/admin/districts', path)),
      unwrap(api.GET('/api/v1/m/{municipality}/admin/services', path)),
    ]);
    return { rules: rules.items, categories: categories.items, districts: districts.items, services: services.items };
  }, [city]);
  const tree = useMemo(() => categoryTree(data.data?.categories ?? []), [data.data]);
  const editor = useEditor<RoutingRule>();
  const status = useAnnouncer();
  const removal = useConfirm<RoutingRule>();

  /** Rules in the order of the category tree, "any district" first within a category. */
  const rows = useMemo(() => {
    if (!data.data) return [];
    const order = new Map<string, number>();
    tree.forEach(({ group, children }) => { order.set(group.id, order.size); children.forEach((c) => order.set(c.id, order.size)); });
    const district = (id: string | null) => (id === null ? '' : nameOf(data.data?.districts.find((d) => d.id === id)?.name));
    return [...data.data.rules].sort((a, b) => (order.get(a.categoryId) ?? 1e9) - (order.get(b.categoryId) ?? 1e9)
      || district(a.districtId).localeCompare(district(b.districtId)));
  }, [data.data, tree, nameOf]);

  const lookup = <T extends { id: string; name: Category['name'] }>(items: T[] | undefined, id: string | null) => items?.find((x) => x.id === id);
  const categoryLabel = (id: string) => {
    const c = lookup(data.data?.categories, id);
    if (!c) return '—';
    const parent = c.parentId ? lookup(data.data?.categories, c.parentId) : undefined;
    return parent ? `${nameOf(parent.name)} › ${nameOf(c.name)}` : nameOf(c.name);
  };
  const districtLabel = (id: string | null) => id === null ? t('routing.anyDistrict') : nameOf(lookup(data.data?.districts, id)?.name) || '—';
  const serviceLabel = (id: string) => nameOf(lookup(data.data?.services, id)?.name) || '—';

  const remove = () => void removal.run(async () => {
    const rule = removal.target;
    if (!rule) return;
    await unwrap(api.DELETE('/api/v1/m/{municipality}/admin/routing/rules/{id}', { params: { path: { municipality: city, id: rule.id } } }));
    removal.done();
    status.announce(t('routing.deleted', { category: categoryLabel(rule.categoryId), district: districtLabel(rule.districtId) }));
    void data.reload();
  });

  return (
    <AdminFrame title={t('routing.title')} intro={t('routing.intro')}>
      {editor.editing && data.data ? (
        <RuleForm
          tree={tree}
          districts={data.data.districts}
          services={data.data.services}
          onCancel={editor.cancel}
          onSaved={(r) => {
            editor.close();
            status.announce(t('routing.created', { category: categoryLabel(r.categoryId), district: districtLabel(r.districtId), service: serviceLabel(r.serviceId) }));
            void data.reload();
          }}
        />
      ) : null}
      <ListSection
        title={t('routing.listTitle')}
        headingRef={status.headingRef}
        message={status.message}
        action={<Button onClick={() => { status.clear(); editor.open(null); }} disabled={!data.data}>{t('routing.add')}</Button>}
      >
        <ResourceView resource={data}>
          {() => rows.length === 0 ? <p>{t('routing.empty')}</p> : (
            <TableWrap label={t('routing.listTitle')}>
              <table>
                <TableHead columns={[t('routing.category'), t('routing.district'), t('routing.service')]} actionsLabel={t('fields.actions')} />
                <tbody>
                  {rows.map((r) => (
                    <tr key={r.id}>
                      <th scope="row">{categoryLabel(r.categoryId)}</th>
                      <td>{districtLabel(r.districtId)}</td>
                      <td>{serviceLabel(r.serviceId)}</td>
                      <td>
                        <Button variant="secondary" className="btn-small" onClick={() => removal.ask(r)}>
                          {t('delete')}<span className="visually-hidden">: {categoryLabel(r.categoryId)}, {districtLabel(r.districtId)}</span>
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

      {data.data ? <ResolveTool tree={tree} districts={data.data.districts} /> : null}

      {removal.target ? (
        <ConfirmDialog title={t('routing.deleteTitle')} confirmLabel={t('delete')} busy={removal.busy} problem={removal.problem}
          onConfirm={remove} onClose={removal.cancel}>
          <p>{t('routing.deleteText', {
            category: categoryLabel(removal.target.categoryId), district: districtLabel(removal.target.districtId), service: serviceLabel(removal.target.serviceId),
          })}</p>
        </ConfirmDialog>
      ) : null}
    </AdminFrame>
  );
}

/** Category options: each group, then its subcategories under it. */
function CategoryOptions({ tree }: { tree: CategoryGroup[] }) {
  const { t } = useTranslation('admin');
  const nameOf = useNameOf();
  const suffix = (c: Category) => (c.active ? '' : ` (${t('inactive')})`);
  return (
    <>
      {tree.map(({ group, children }) => (
        <optgroup key={group.id} label={nameOf(group.name)}>
          <option value={group.id}>{t('routing.wholeGroup', { name: nameOf(group.name) })}{suffix(group)}</option>
          {children.map((c) => <option key={c.id} value={c.id}>{nameOf(c.name)}{suffix(c)}</option>)}
        </optgroup>
      ))}
    </>
  );
}

function RuleForm({ tree, districts, services, onCancel, onSaved }: {
  tree: CategoryGroup[]; districts: District[]; services: Service[]; onCancel: () => void; onSaved: (r: RoutingRule) => void;
}) {
  const { t } = useTranslation('admin');
  const city = useCity();
  const nameOf = useNameOf();
  const formRef = useRef<HTMLFormElement>(null);
  const [categoryId, setCategoryId] = useState('');
  const [districtId, setDistrictId] = useState('');
  const [serviceId, setServiceId] = useState('');
  const { busy, problem, run, onFieldChange } = useSubmit();
  const fields = problem?.fields;

  const submit = (e: FormEvent) => {
    e.preventDefault();
    void run(async () => {
      check({ ...(categoryId ? {} : { categoryId: t('validation.choose') }), ...(serviceId ? {} : { serviceId: t('validation.choose') }) });
      const saved = await unwrap(api.POST('/api/v1/m/{municipality}/admin/routing/rules', {
        params: { path: { municipality: city } }, body: { categoryId, serviceId, districtId: districtId || null },
      }));
      onSaved(saved);
    });
  };

  return (
    <FormPanel title={t('routing.addTitle')}>
      <form ref={formRef} onSubmit={submit} onChange={onFieldChange} noValidate>
        <FormProblem problem={problem} formRef={formRef} />
        <Select label={t('routing.category')} name="categoryId" value={categoryId} onChange={(e) => setCategoryId(e.target.value)} error={fields?.categoryId} required>
          <option value="">{t('choose')}</option>
          <CategoryOptions tree={tree} />
        </Select>
        <Select label={t('routing.district')} hint={t('routing.districtHint')} name="districtId" value={districtId} onChange={(e) => setDistrictId(e.target.value)} error={fields?.districtId}>
          <option value="">{t('routing.anyDistrict')}</option>
          {districts.map((d) => <option key={d.id} value={d.id}>{nameOf(d.name)}{d.active ? '' : ` (${t('inactive')})`}</option>)}
        </Select>
        <Select label={t('routing.service')} name="serviceId" value={serviceId} onChange={(e) => setServiceId(e.target.value)} error={fields?.serviceId} required>
          <option value="">{t('choose')}</option>
          {services.map((s) => <option key={s.id} value={s.id}>{nameOf(s.name)}{s.active ? '' : ` (${t('inactive')})`}</option>)}
        </Select>
        <FormActions busy={busy} onCancel={onCancel} submitLabel={t('routing.addSubmit')} />
      </form>
    </FormPanel>
  );
}

/** Where would an appeal of this category from this district go? Asked of the server, which routes for real. */
function ResolveTool({ tree, districts }: { tree: CategoryGroup[]; districts: District[] }) {
  const { t } = useTranslation('admin');
  const city = useCity();
  const nameOf = useNameOf();
  const headingId = useId();
  const formRef = useRef<HTMLFormElement>(null);
  const [categoryId, setCategoryId] = useState('');
  const [districtId, setDistrictId] = useState('');
  const [answer, setAnswer] = useState('');
  const { busy, problem, run, onFieldChange } = useSubmit();
  const fields = problem?.fields;

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setAnswer('');
    void run(async () => {
      check(categoryId ? {} : { categoryId: t('validation.choose') });
      const r = await unwrap(api.GET('/api/v1/m/{municipality}/admin/routing/resolve', {
        params: { path: { municipality: city }, query: { categoryId, ...(districtId ? { districtId } : {}) } },
      }));
      setAnswer(r.service ? t('routing.resolvedTo', { service: nameOf(r.service.name) }) : t('routing.resolvedNone'));
    });
  };

  return (
    <section className="card tool" aria-labelledby={headingId}>
      <h2 id={headingId}>{t('routing.checkTitle')}</h2>
      <p>{t('routing.checkIntro')}</p>
      <form ref={formRef} onSubmit={submit} onChange={onFieldChange} noValidate>
        <FormProblem problem={problem} formRef={formRef} />
        <div className="tool-fields">
          <Select label={t('routing.category')} name="categoryId" value={categoryId} onChange={(e) => { setCategoryId(e.target.value); setAnswer(''); }} error={fields?.categoryId} required>
            <option value="">{t('choose')}</option>
            <CategoryOptions tree={tree} />
          </Select>
          <Select label={t('routing.district')} name="districtId" value={districtId} onChange={(e) => { setDistrictId(e.target.value); setAnswer(''); }} error={fields?.districtId}>
            <option value="">{t('routing.anyDistrict')}</option>
            {districts.map((d) => <option key={d.id} value={d.id}>{nameOf(d.name)}</option>)}
          </Select>
        </div>
        <Button type="submit" aria-disabled={busy || undefined}>{busy ? t('working') : t('routing.check')}</Button>
      </form>
      <p className={answer ? 'tool-answer' : 'status-empty'} role="status" aria-live="polite">{answer}</p>
    </section>
  );
}
