/**
 * Districts (and Osh's territorial and rural administrations): the list with inactive ones, adding and editing,
 * and the boundary: a GeoJSON file read in the browser and sent as the district's boundary, or removed.
 */
import { useId, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client.js';
import { Button, Field, Select, TextInput } from '../../ui/ui.js';
import {
  AdminFrame, check, Checkbox, emptyNames, fieldError, FormActions, FormPanel, FormProblem, ListSection, NamesFieldset,
  missingFields, ResourceView, TableWrap, unwrap, useAnnouncer, useCity, useEditor, useFormats, useNameOf, useResource, useSubmit,
} from './common.js';
import { DISTRICT_KINDS, type Boundary, type District } from './types.js';

export function DistrictsPage() {
  const { t } = useTranslation('admin');
  const { number } = useFormats();
  const city = useCity();
  const nameOf = useNameOf();
  const list = useResource(
    () => unwrap(api.GET('/api/v1/m/{municipality}/admin/districts', { params: { path: { municipality: city } } })).then((r) => r.items),
    [city],
  );
  const editor = useEditor<District>();
  const status = useAnnouncer();

  return (
    <AdminFrame title={t('districts.title')} intro={t('districts.intro')}>
      {editor.editing ? (
        <DistrictForm
          key={editor.editing.item?.id ?? 'new'}
          district={editor.editing.item}
          onCancel={editor.cancel}
          onSaved={(d, created) => {
            editor.close();
            status.announce(t(created ? 'districts.created' : 'districts.saved', { name: nameOf(d.name) }));
            void list.reload();
          }}
        />
      ) : null}
      <ListSection
        title={t('districts.listTitle')}
        headingRef={status.headingRef}
        message={status.message}
        action={<Button onClick={() => { status.clear(); editor.open(null); }}>{t('districts.add')}</Button>}
      >
        <ResourceView resource={list}>
          {(items) => items.length === 0 ? <p>{t('districts.empty')}</p> : (
            <TableWrap label={t('districts.listTitle')}>
              <table>
                <thead>
                  <tr>
                    <th scope="col">{t('fields.name')}</th>
                    <th scope="col">{t('fields.code')}</th>
                    <th scope="col">{t('districts.kind')}</th>
                    <th scope="col" className="num">{t('districts.population')}</th>
                    <th scope="col">{t('districts.boundary')}</th>
                    <th scope="col">{t('fields.status')}</th>
                    <th scope="col"><span className="visually-hidden">{t('fields.actions')}</span></th>
                  </tr>
                </thead>
                <tbody>
                  {items.map((d) => (
                    <tr key={d.id} className={d.active ? undefined : 'row-inactive'}>
                      <th scope="row">{nameOf(d.name)}</th>
                      <td><code>{d.code}</code></td>
                      <td>{t(`districtKind.${d.kind}`, { defaultValue: d.kind })}</td>
                      <td className="num">{d.population === null ? '—' : number(d.population)}</td>
                      <td>{d.boundary ? t('districts.hasBoundary') : t('districts.noBoundary')}</td>
                      <td><ActiveLabel active={d.active} /></td>
                      <td>
                        <Button variant="secondary" className="btn-small" onClick={() => { status.clear(); editor.open(d); }}>
                          {t('edit')}<span className="visually-hidden">: {nameOf(d.name)}</span>
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

export function ActiveLabel({ active }: { active: boolean }) {
  const { t } = useTranslation('admin');
  return <span className={`badge ${active ? 'badge-on' : 'badge-off'}`}>{active ? t('active') : t('inactive')}</span>;
}

// ---- the boundary: GeoJSON read in the browser -------------------------------------------------------------

type Ring = number[][];
type Polygon = Ring[];

function polygonsOf(geo: unknown): Polygon[] {
  if (!geo || typeof geo !== 'object') return [];
  const g = geo as { type?: string; coordinates?: unknown; geometry?: unknown; features?: unknown };
  if (g.type === 'Feature') return polygonsOf(g.geometry);
  if (g.type === 'FeatureCollection') return Array.isArray(g.features) ? g.features.flatMap(polygonsOf) : [];
  if (g.type === 'Polygon' && Array.isArray(g.coordinates)) return [g.coordinates as Polygon];
  if (g.type === 'MultiPolygon' && Array.isArray(g.coordinates)) return g.coordinates as Polygon[];
  return [];
}

function isValidPolygon(p: unknown): boolean {
  return Array.isArray(p) && p.length > 0 && p.every((ring) => Array.isArray(ring) && ring.length >= 4
    && ring.every((pt) => Array.isArray(pt) && pt.length >= 2 && pt.every((n) => typeof n === 'number' && Number.isFinite(n))));
}

/** What the server accepts (a Polygon, MultiPolygon or Feature of one) made of a parsed file; a collection of several becomes one MultiPolygon. */
export function boundaryOf(json: unknown): { boundary: Boundary; polygons: number; points: number } | null {
  const polygons = polygonsOf(json);
  if (polygons.length === 0 || !polygons.every(isValidPolygon)) return null;
  const points = polygons.reduce((sum, p) => sum + p.reduce((s, ring) => s + ring.length, 0), 0);
  const g = json as { type: string; features?: unknown[] };
  let boundary: Boundary;
  if (g.type === 'FeatureCollection') {
    const features = (g.features ?? []).filter((f) => polygonsOf(f).length > 0);
    boundary = features.length === 1 ? features[0] as Boundary : { type: 'MultiPolygon', coordinates: polygons };
  } else {
    boundary = json as Boundary;
  }
  return { boundary, polygons: polygons.length, points };
}

type BoundaryChange = { mode: 'keep' } | { mode: 'clear' } | { mode: 'new'; boundary: Boundary; fileName: string; polygons: number; points: number };

function DistrictForm({ district, onCancel, onSaved }: { district: District | null; onCancel: () => void; onSaved: (d: District, created: boolean) => void }) {
  const { t } = useTranslation('admin');
  const { number } = useFormats();
  const city = useCity();
  const nameOf = useNameOf();
  const formRef = useRef<HTMLFormElement>(null);
  const fileRef = useRef<HTMLInputElement>(null);
  const boundaryStatusId = useId();
  const [code, setCode] = useState(district?.code ?? '');
  const [name, setName] = useState(district?.name ?? emptyNames());
  const [kind, setKind] = useState<string>(district?.kind ?? 'district');
  const [population, setPopulation] = useState(district?.population === null || district === null ? '' : String(district.population));
  const [active, setActive] = useState(district?.active ?? true);
  const [change, setChange] = useState<BoundaryChange>({ mode: 'keep' });
  const [fileError, setFileError] = useState<string | undefined>(undefined);
  const { busy, problem, run, onFieldChange } = useSubmit();
  const fields = problem?.fields;

  const existing = district?.boundary ? polygonsOf(district.boundary) : [];
  const existingPoints = existing.reduce((s, p) => s + p.reduce((n, r) => n + r.length, 0), 0);

  async function readFile(file: File | undefined) {
    setFileError(undefined);
    if (!file) return;
    try {
      const parsed = boundaryOf(JSON.parse(await file.text()));
      if (!parsed) {
        setFileError(t('districts.boundaryNotPolygon'));
        return;
      }
      setChange({ mode: 'new', fileName: file.name, ...parsed });
    } catch {
      setFileError(t('districts.boundaryNotJson'));
    }
  }

  function resetFile() {
    if (fileRef.current) fileRef.current.value = '';
    setFileError(undefined);
  }

  const submit = (e: FormEvent) => {
    e.preventDefault();
    void run(async () => {
      check({ ...missingFields({ code, 'name.ky': name.ky, 'name.ru': name.ru, 'name.en': name.en }), ...(fileError ? { boundary: fileError } : {}) });
      const pop = population.trim() === '' ? null : Number(population);
      const base = { code: code.trim(), name, kind: kind as (typeof DISTRICT_KINDS)[number], population: pop };
      const boundary = change.mode === 'new' ? { boundary: change.boundary } : change.mode === 'clear' ? { boundary: null } : {};
      const saved = district
        ? await unwrap(api.PATCH('/api/v1/m/{municipality}/admin/districts/{id}', {
          params: { path: { municipality: city, id: district.id } }, body: { ...base, active, ...boundary },
        }))
        : await unwrap(api.POST('/api/v1/m/{municipality}/admin/districts', { params: { path: { municipality: city } }, body: { ...base, ...boundary } }));
      onSaved(saved, !district);
    });
  };

  const boundaryNow = change.mode === 'new'
    ? t('districts.boundaryLoaded', { file: change.fileName, polygons: change.polygons, points: number(change.points) })
    : change.mode === 'clear'
      ? t('districts.boundaryWillBeRemoved')
      : existing.length > 0
        ? t('districts.boundaryCurrent', { polygons: existing.length, points: number(existingPoints) })
        : t('districts.boundaryNone');

  return (
    <FormPanel title={district ? t('districts.editTitle', { name: nameOf(district.name) }) : t('districts.addTitle')}>
      <form ref={formRef} onSubmit={submit} onChange={onFieldChange} noValidate>
        <FormProblem problem={problem} formRef={formRef} />
        <TextInput label={t('fields.code')} hint={t('fields.codeHint')} name="code" value={code} onChange={(e) => setCode(e.target.value)}
          error={fields?.code} required maxLength={60} autoComplete="off" spellCheck={false} />
        <NamesFieldset legend={t('fields.names')} value={name} onChange={setName} fields={fields} />
        <Select label={t('districts.kind')} name="kind" value={kind} onChange={(e) => setKind(e.target.value)} error={fields?.kind}>
          {DISTRICT_KINDS.map((k) => <option key={k} value={k}>{t(`districtKind.${k}`)}</option>)}
        </Select>
        <TextInput label={t('districts.population')} hint={t('districts.populationHint')} type="number" inputMode="numeric" min={0} step={1}
          name="population" value={population} onChange={(e) => setPopulation(e.target.value)} error={fields?.population} />
        {district ? <Checkbox label={t('active')} hint={t('districts.activeHint')} checked={active} onChange={setActive} /> : null}

        <fieldset>
          <legend>{t('districts.boundary')}</legend>
          <p id={boundaryStatusId} className="boundary-status" role="status">{boundaryNow}</p>
          <Field label={t('districts.boundaryFile')} hint={t('districts.boundaryHint')} error={fileError ?? fieldError(fields, 'boundary')}>
            {(a) => (
              <input ref={fileRef} type="file" accept=".geojson,.json,application/geo+json,application/json"
                onChange={(e) => void readFile(e.target.files?.[0])} {...a}
                aria-describedby={[a['aria-describedby'], boundaryStatusId].filter(Boolean).join(' ')} />
            )}
          </Field>
          <div className="form-actions">
            {change.mode === 'new' ? (
              <Button variant="secondary" onClick={() => { resetFile(); setChange({ mode: 'keep' }); }}>{t('districts.boundaryDiscard')}</Button>
            ) : null}
            {change.mode === 'clear' ? (
              <Button variant="secondary" onClick={() => setChange({ mode: 'keep' })}>{t('districts.boundaryKeep')}</Button>
            ) : null}
            {change.mode !== 'clear' && district?.boundary ? (
              <Button variant="secondary" onClick={() => { resetFile(); setChange({ mode: 'clear' }); }}>
                {t('districts.boundaryRemove')}
              </Button>
            ) : null}
          </div>
        </fieldset>

        <FormActions busy={busy} onCancel={onCancel} />
      </form>
    </FormPanel>
  );
}
