/**
 * Categories of appeals: two levels, groups and their subcategories. Adding a group or a subcategory under a
 * group, editing names in three languages, keywords (comma separated), sort order and whether it is active.
 */
import { useMemo, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client.js';
import { Button, Select, TextInput } from '../../ui/ui.js';
import {
  AdminFrame, check, Checkbox, emptyNames, missingFields, fieldError, FormActions, FormPanel, FormProblem, ListSection, NamesFieldset, ResourceView,
  TableWrap, unwrap, useAnnouncer, useCity, useEditor, useNameOf, useResource, useSubmit,
} from './common.js';
import { ActiveLabel } from './DistrictsPage.js';
import type { Category } from './types.js';

export interface CategoryGroup { group: Category; children: Category[] }

const byOrder = (a: Category, b: Category) => a.sortOrder - b.sortOrder || a.code.localeCompare(b.code);

/** The two-level tree: groups in their order, each with its subcategories in theirs. */
export function categoryTree(items: readonly Category[]): CategoryGroup[] {
  const groups = items.filter((c) => c.parentId === null || !items.some((p) => p.id === c.parentId)).sort(byOrder);
  return groups.map((group) => ({ group, children: items.filter((c) => c.parentId === group.id).sort(byOrder) }));
}

export function CategoriesPage() {
  const { t } = useTranslation('admin');
  const city = useCity();
  const nameOf = useNameOf();
  const list = useResource(
    () => unwrap(api.GET('/api/v1/m/{municipality}/admin/categories', { params: { path: { municipality: city } } })).then((r) => r.items),
    [city],
  );
  const tree = useMemo(() => categoryTree(list.data ?? []), [list.data]);
  const editor = useEditor<Category>();
  const status = useAnnouncer();

  const edit = (c: Category | null, parentId?: string) => { status.clear(); editor.open(c, parentId ? { parentId } : undefined); };

  return (
    <AdminFrame title={t('categories.title')} intro={t('categories.intro')}>
      {editor.editing ? (
        <CategoryForm
          key={editor.editing.item?.id ?? `new-${editor.editing.preset?.parentId ?? ''}`}
          category={editor.editing.item}
          parentId={editor.editing.preset?.parentId ?? null}
          tree={tree}
          onCancel={editor.cancel}
          onSaved={(c, created) => {
            editor.close();
            status.announce(t(created ? 'categories.created' : 'categories.saved', { name: nameOf(c.name) }));
            void list.reload();
          }}
        />
      ) : null}
      <ListSection
        title={t('categories.listTitle')}
        headingRef={status.headingRef}
        message={status.message}
        action={<Button onClick={() => edit(null)}>{t('categories.addGroup')}</Button>}
      >
        <ResourceView resource={list}>
          {(items) => items.length === 0 ? <p>{t('categories.empty')}</p> : (
            <TableWrap label={t('categories.listTitle')}>
              <table className="category-table">
                <thead>
                  <tr>
                    <th scope="col">{t('fields.name')}</th>
                    <th scope="col">{t('fields.code')}</th>
                    <th scope="col">{t('categories.keywords')}</th>
                    <th scope="col" className="num">{t('categories.sortOrder')}</th>
                    <th scope="col">{t('categories.resultPhoto')}</th>
                    <th scope="col">{t('fields.status')}</th>
                    <th scope="col"><span className="visually-hidden">{t('fields.actions')}</span></th>
                  </tr>
                </thead>
                {tree.map(({ group, children }) => (
                  <tbody key={group.id}>
                    <tr className={`group-row${group.active ? '' : ' row-inactive'}`}>
                      <th scope="rowgroup">{nameOf(group.name)}</th>
                      <td><code>{group.code}</code></td>
                      <td>{group.keywords.join(', ')}</td>
                      <td className="num">{group.sortOrder}</td>
                      <td><PhotoLabel own={group.requiresResultPhoto} inherited={false} /></td>
                      <td><ActiveLabel active={group.active} /></td>
                      <td><div className="row-actions">
                        <Button variant="secondary" className="btn-small" onClick={() => edit(group)}>
                          {t('edit')}<span className="visually-hidden">: {nameOf(group.name)}</span>
                        </Button>
                        <Button variant="secondary" className="btn-small" onClick={() => edit(null, group.id)}>
                          {t('categories.addSub')}<span className="visually-hidden">: {nameOf(group.name)}</span>
                        </Button>
                      </div></td>
                    </tr>
                    {children.map((c) => (
                      <tr key={c.id} className={c.active ? undefined : 'row-inactive'}>
                        <th scope="row" className="sub-name">{nameOf(c.name)}</th>
                        <td><code>{c.code}</code></td>
                        <td>{c.keywords.join(', ')}</td>
                        <td className="num">{c.sortOrder}</td>
                        <td><PhotoLabel own={c.requiresResultPhoto} inherited={group.requiresResultPhoto} /></td>
                        <td><ActiveLabel active={c.active} /></td>
                        <td><div className="row-actions">
                          <Button variant="secondary" className="btn-small" onClick={() => edit(c)}>
                            {t('edit')}<span className="visually-hidden">: {nameOf(c.name)}</span>
                          </Button>
                        </div></td>
                      </tr>
                    ))}
                  </tbody>
                ))}
              </table>
            </TableWrap>
          )}
        </ResourceView>
      </ListSection>
    </AdminFrame>
  );
}

/** Whether answers in the category need a photo of the result: its own flag, or its group's. */
function PhotoLabel({ own, inherited }: { own: boolean; inherited: boolean }) {
  const { t } = useTranslation('admin');
  if (own) return <span className="badge badge-on">{t('categories.photoRequired')}</span>;
  if (inherited) return <span className="badge badge-scheduled">{t('categories.photoFromGroup')}</span>;
  return <span className="visually-hidden">{t('categories.photoNotRequired')}</span>;
}

function CategoryForm({ category, parentId: presetParent, tree, onCancel, onSaved }: {
  category: Category | null; parentId: string | null; tree: CategoryGroup[]; onCancel: () => void; onSaved: (c: Category, created: boolean) => void;
}) {
  const { t } = useTranslation('admin');
  const city = useCity();
  const nameOf = useNameOf();
  const formRef = useRef<HTMLFormElement>(null);
  const [code, setCode] = useState(category?.code ?? '');
  const [parentId, setParentId] = useState(category ? category.parentId ?? '' : presetParent ?? '');
  const [name, setName] = useState(category?.name ?? emptyNames());
  const [keywords, setKeywords] = useState(category?.keywords.join(', ') ?? '');
  const [sortOrder, setSortOrder] = useState(category ? String(category.sortOrder) : '');
  const [active, setActive] = useState(category?.active ?? true);
  const [photo, setPhoto] = useState(category?.requiresResultPhoto ?? false);
  const { busy, problem, run, onFieldChange } = useSubmit();
  const fields = problem?.fields;
  const hasChildren = !!category && tree.some((g) => g.group.id === category.id && g.children.length > 0);
  const parent = tree.find((g) => g.group.id === parentId)?.group;

  const title = category
    ? t('categories.editTitle', { name: nameOf(category.name) })
    : parent ? t('categories.addSubTitle', { group: nameOf(parent.name) }) : t('categories.addGroupTitle');

  const submit = (e: FormEvent) => {
    e.preventDefault();
    void run(async () => {
      check(missingFields({ code, 'name.ky': name.ky, 'name.ru': name.ru, 'name.en': name.en }));
      const order = sortOrder.trim() === '' ? undefined : Number(sortOrder);
      const body = {
        code: code.trim(), name, parentId: parentId || null,
        keywords: keywords.split(',').map((k) => k.trim()).filter(Boolean),
        ...(order === undefined ? {} : { sortOrder: order }),
        requiresResultPhoto: photo,
      };
      const saved = category
        ? await unwrap(api.PATCH('/api/v1/m/{municipality}/admin/categories/{id}', {
          params: { path: { municipality: city, id: category.id } }, body: { ...body, active },
        }))
        : await unwrap(api.POST('/api/v1/m/{municipality}/admin/categories', { params: { path: { municipality: city } }, body }));
      onSaved(saved, !category);
    });
  };

  return (
    <FormPanel title={title}>
      <form ref={formRef} onSubmit={submit} onChange={onFieldChange} noValidate>
        <FormProblem problem={problem} formRef={formRef} />
        <Select label={t('categories.parent')} hint={hasChildren ? t('categories.parentLocked') : t('categories.parentHint')}
          name="parentId" value={parentId} onChange={(e) => setParentId(e.target.value)} error={fields?.parentId} disabled={hasChildren}>
          <option value="">{t('categories.noParent')}</option>
          {tree.filter((g) => g.group.id !== category?.id).map((g) => (
            <option key={g.group.id} value={g.group.id}>{nameOf(g.group.name)}{g.group.active ? '' : ` (${t('inactive')})`}</option>
          ))}
        </Select>
        <TextInput label={t('fields.code')} hint={t('fields.codeHint')} name="code" value={code} onChange={(e) => setCode(e.target.value)}
          error={fields?.code} required maxLength={60} autoComplete="off" spellCheck={false} />
        <NamesFieldset legend={t('fields.names')} value={name} onChange={setName} fields={fields} />
        <TextInput label={t('categories.keywords')} hint={t('categories.keywordsHint')} name="keywords" value={keywords}
          onChange={(e) => setKeywords(e.target.value)} error={fieldError(fields, 'keywords')} autoComplete="off" />
        <TextInput label={t('categories.sortOrder')} hint={t('categories.sortOrderHint')} type="number" inputMode="numeric" step={1}
          name="sortOrder" value={sortOrder} onChange={(e) => setSortOrder(e.target.value)} error={fields?.sortOrder} />
        <Checkbox name="requiresResultPhoto" label={t('categories.requiresResultPhoto')} checked={photo} onChange={setPhoto}
          hint={parent?.requiresResultPhoto ? t('categories.requiresResultPhotoInherited', { group: nameOf(parent.name) }) : parentId ? t('categories.requiresResultPhotoHint') : t('categories.requiresResultPhotoGroupHint')} />
        {category ? <Checkbox label={t('active')} hint={t('categories.activeHint')} checked={active} onChange={setActive} /> : null}
        <FormActions busy={busy} onCancel={onCancel} />
      </form>
    </FormPanel>
  );
}
