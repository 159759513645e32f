/**
 * Import of past appeals (a paper journal, an old system's export): the sources, each with the mapping of its
 * file's columns onto appeals (ImportMappingForm.tsx), and the runs of a source's file — checked first, then
 * imported (ImportRunView.tsx). Only admins may see the sources; the server says so to anyone else.
 */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client.js';
import { Button } from '../../ui/ui.js';
import {
  AdminFrame, ListSection, ResourceView, TableHead, TableWrap, unwrap, useAnnouncer, useCity, useEditor, useFormats, useResource,
} from './common.js';
import { ImportSourceForm } from './ImportMappingForm.js';
import { ImportRunPanel } from './ImportRunView.js';
import type { ImportSource } from './import-mapping-draft.js';

export function ImportsPage() {
  const { t } = useTranslation(['admin', 'common']);
  const city = useCity();
  const dates = useFormats();
  const path = { params: { path: { municipality: city } } };
  const list = useResource(() => unwrap(api.GET('/api/v1/m/{municipality}/admin/imports/sources', path)).then((r) => r.items), [city]);
  // The category and district codes value maps point at (loaded with the page: the form needs them at once).
  const directory = useResource(async () => {
    const [categories, districts] = await Promise.all([
      unwrap(api.GET('/api/v1/m/{municipality}/admin/categories', path)),
      unwrap(api.GET('/api/v1/m/{municipality}/admin/districts', path)),
    ]);
    return { categories: categories.items, districts: districts.items };
  }, [city]);
  const editor = useEditor<ImportSource>();
  const status = useAnnouncer();
  const [running, setRunning] = useState<ImportSource | null>(null);

  const edit = (s: ImportSource | null) => { status.clear(); setRunning(null); editor.open(s); };
  const openRuns = (s: ImportSource) => { status.clear(); editor.close(); setRunning(s); };

  return (
    <AdminFrame title={t('admin:imports.title')} intro={t('admin:imports.intro')}>
      {editor.editing ? (
        <ResourceView resource={directory}>
          {(dir) => (
            <ImportSourceForm
              key={editor.editing?.item?.id ?? 'new'}
              source={editor.editing?.item ?? null}
              categories={dir.categories}
              districts={dir.districts}
              onCancel={editor.cancel}
              onSaved={(s, created) => {
                editor.close();
                status.announce(t(created ? 'admin:imports.created' : 'admin:imports.saved', { name: s.name }));
                void list.reload();
              }}
            />
          )}
        </ResourceView>
      ) : null}
      {running ? <ImportRunPanel key={running.id} source={running} onClose={() => setRunning(null)} /> : null}
      <ListSection
        title={t('admin:imports.listTitle')}
        headingRef={status.headingRef}
        message={status.message}
        action={<Button onClick={() => edit(null)}>{t('admin:imports.add')}</Button>}
      >
        <ResourceView resource={list}>
          {(items) => items.length === 0 ? <p>{t('admin:imports.empty')}</p> : (
            <TableWrap label={t('admin:imports.listTitle')}>
              <table>
                <caption className="visually-hidden">{t('admin:imports.listTitle')}</caption>
                <TableHead columns={[t('admin:fields.name'), t('admin:fields.code'), t('admin:imports.channel'), t('admin:imports.updatedAt')]}
                  actionsLabel={t('admin:fields.actions')} />
                <tbody>
                  {items.map((s) => (
                    <tr key={s.id}>
                      <th scope="row">{s.name}</th>
                      <td><code>{s.code}</code></td>
                      <td>{t(`common:channel.${s.channel}`)}</td>
                      <td>{dates.date(s.updatedAt)}</td>
                      <td><div className="row-actions">
                        <Button variant="secondary" className="btn-small" onClick={() => openRuns(s)}>
                          {t('admin:imports.runs')}<span className="visually-hidden">: {s.name}</span>
                        </Button>
                        <Button variant="secondary" className="btn-small" onClick={() => edit(s)}>
                          {t('admin:imports.editMapping')}<span className="visually-hidden">: {s.name}</span>
                        </Button>
                      </div></td>
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
