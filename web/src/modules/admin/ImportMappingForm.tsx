/**
 * Creating or changing an import source: its code, name and channel, and the mapping of the file's columns onto an
 * appeal. A sample file's header line (read here, never uploaded) turns every column field into a choice among the
 * file's own columns; without one (or for an .xlsx file) the column names are typed. Values the file writes its own
 * way (categories, kinds, districts, channels) are mapped row by row onto the city's codes.
 */
import { useEffect, useId, useMemo, useRef, useState, type ChangeEvent, type FormEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client.js';
import { Button, Select, TextInput } from '../../ui/ui.js';
import {
  check, fieldError, FormActions, FormPanel, FormProblem, missingFields, RequestFailed, unwrap, useCity, useNameOf, useSubmit,
} from './common.js';
import { categoryTree } from './CategoriesPage.js';
import type { Category, District } from './types.js';
import {
  CHANNELS, DATE_FORMATS, DELIMITERS, draftOf, guessDelimiter, headerColumns, KINDS, mappingOf, newRow, onRows, problems, readStart, rowField,
  type DateDraft, type ImportChannel, type ImportSource, type MapRow, type MappingDraft, type TextDraft, type ValueMapName,
} from './import-mapping-draft.js';

type Fields = Record<string, string> | undefined;
const LANGUAGES = ['ky', 'ru', 'en'] as const;
const DELIMITER_KEY: Record<string, string> = { ',': 'comma', ';': 'semicolon', '\t': 'tab', '|': 'bar' };

export function ImportSourceForm({ source, categories, districts, onCancel, onSaved }: {
  source: ImportSource | null; categories: Category[]; districts: District[];
  onCancel: () => void; onSaved: (s: ImportSource, created: boolean) => void;
}) {
  const { t } = useTranslation(['admin', 'common']);
  const city = useCity();
  const nameOf = useNameOf();
  const formRef = useRef<HTMLFormElement>(null);
  const [code, setCode] = useState(source?.code ?? '');
  const [name, setName] = useState(source?.name ?? '');
  const [channel, setChannel] = useState<ImportChannel | ''>((source?.channel as ImportChannel | undefined) ?? '');
  const [draft, setDraft] = useState<MappingDraft>(() => draftOf(source?.mapping ?? null));
  const [sample, setSample] = useState<{ text: string; name: string } | null>(null);
  const { busy, problem, run, onFieldChange } = useSubmit();
  const fields = problem?.fields;
  const columns = useMemo(() => (sample ? headerColumns(sample.text, draft.delimiter) : []), [sample, draft.delimiter]);
  const set = <K extends keyof MappingDraft>(key: K, value: MappingDraft[K]) => setDraft((d) => ({ ...d, [key]: value }));

  const submit = (e: FormEvent) => {
    e.preventDefault();
    void run(async () => {
      check({ ...missingFields(source ? { name } : { code, name }), ...(channel ? {} : { channel: t('admin:validation.choose') }), ...problems(draft, columns.length > 1) });
      const mapping = mappingOf(draft);
      try {
        const saved = source
          ? await unwrap(api.PATCH('/api/v1/m/{municipality}/admin/imports/sources/{id}', {
            params: { path: { municipality: city, id: source.id } }, body: { name: name.trim(), channel: channel as ImportChannel, mapping },
          }))
          : await unwrap(api.POST('/api/v1/m/{municipality}/admin/imports/sources', {
            params: { path: { municipality: city } }, body: { code: code.trim(), name: name.trim(), channel: channel as ImportChannel, mapping },
          }));
        onSaved(saved, !source);
      } catch (err) {
        if (!(err instanceof RequestFailed)) throw err;
        const fields = onRows(err.fields, draft);
        if (err.code === 'conflict') fields.code = t('admin:imports.codeTaken');
        throw new RequestFailed(err.message, err.status, err.code, fields);
      }
    });
  };

  const categoryOptions = useMemo(() => categoryTree(categories).map(({ group, children }) => (
    <optgroup key={group.id} label={nameOf(group.name)}>
      <option value={group.code}>{t('admin:imports.wholeGroup', { name: nameOf(group.name) })}</option>
      {children.map((c) => <option key={c.id} value={c.code}>{nameOf(c.name)}</option>)}
    </optgroup>
  )), [categories, nameOf, t]);
  // Names only: codes are the city's identifiers, not words of the page's language.
  const districtOptions = districts.map((d) => <option key={d.id} value={d.code}>{nameOf(d.name)}</option>);
  const kindOptions = KINDS.map((k) => <option key={k} value={k}>{t(`common:kind.${k}`)}</option>);
  const channelOptions = CHANNELS.map((c) => <option key={c} value={c}>{t(`common:channel.${c}`)}</option>);
  const col = { columns, fields };

  return (
    <FormPanel title={source ? t('admin:imports.editTitle', { name: source.name }) : t('admin:imports.addTitle')}>
      <form ref={formRef} onSubmit={submit} onChange={onFieldChange} noValidate className="import-mapping">
        <FormProblem problem={problem} formRef={formRef} />
        {source ? (
          <p className="readonly-value"><span className="label">{t('admin:fields.code')}</span> <code>{source.code}</code></p>
        ) : (
          <TextInput label={t('admin:fields.code')} hint={t('admin:imports.codeHint')} name="code" value={code} onChange={(e) => setCode(e.target.value)}
            error={fields?.code} required maxLength={60} autoComplete="off" spellCheck={false} />
        )}
        <TextInput label={t('admin:fields.name')} hint={t('admin:imports.nameHint')} name="name" value={name} onChange={(e) => setName(e.target.value)}
          error={fields?.name} required maxLength={200} autoComplete="off" />
        <Select label={t('admin:imports.channel')} hint={t('admin:imports.channelHint')} name="channel" value={channel} required
          onChange={(e) => setChannel(e.target.value as ImportChannel | '')} error={fields?.channel}>
          <option value="">{t('admin:choose')}</option>
          {channelOptions}
        </Select>

        <SampleFile sample={sample} columns={columns} delimiter={draft.delimiter}
          onSample={(s) => { setSample(s); if (s) set('delimiter', guessDelimiter(s.text)); }}
          onDelimiter={(d) => set('delimiter', d)} />

        <fieldset>
          <legend>{t('admin:imports.identityDates')}</legend>
          <ColumnField {...col} label={t('admin:imports.externalId')} hint={t('admin:imports.externalIdHint')} name="mapping.externalId"
            value={draft.externalId} onChange={(v) => set('externalId', v)} required />
          <DateFields {...col} path="receivedAt" value={draft.receivedAt} onChange={(v) => set('receivedAt', v)} required />
          <DateFields {...col} path="registeredAt" value={draft.registeredAt} onChange={(v) => set('registeredAt', v)} />
          <DateFields {...col} path="closedAt" value={draft.closedAt} onChange={(v) => set('closedAt', v)} />
        </fieldset>

        <fieldset>
          <legend>{t('admin:imports.kind')}</legend>
          <Select label={t('admin:imports.kindMode')} name="mapping.kind.mode" value={draft.kind.mode}
            onChange={(e) => set('kind', { ...draft.kind, mode: e.target.value as 'constant' | 'column' })}>
            <option value="constant">{t('admin:imports.kindConstant')}</option>
            <option value="column">{t('admin:imports.kindFromColumn')}</option>
          </Select>
          {draft.kind.mode === 'constant' ? (
            <Select label={t('admin:imports.kindAll')} name="mapping.kind.constant" value={draft.kind.constant} required
              onChange={(e) => set('kind', { ...draft.kind, constant: e.target.value as MappingDraft['kind']['constant'] })} error={fieldError(fields, 'mapping.kind.constant')}>
              <option value="">{t('admin:choose')}</option>
              {kindOptions}
            </Select>
          ) : (
            <>
              <ColumnField {...col} label={t('admin:imports.column')} name="mapping.kind.column" value={draft.kind.column}
                onChange={(v) => set('kind', { ...draft.kind, column: v })} required />
              <ValueMapFields map="kind" legend={t('admin:imports.kindValues')} rows={draft.kind.values} fields={fields}
                onChange={(values) => set('kind', { ...draft.kind, values })}>{kindOptions}</ValueMapFields>
              <Select label={t('admin:imports.kindDefault')} hint={t('admin:imports.defaultHint')} name="mapping.kind.default" value={draft.kind.default}
                onChange={(e) => set('kind', { ...draft.kind, default: e.target.value as MappingDraft['kind']['default'] })} error={fieldError(fields, 'mapping.kind.default')}>
                <option value="">{t('admin:imports.noDefault')}</option>
                {kindOptions}
              </Select>
            </>
          )}
        </fieldset>

        <fieldset>
          <legend>{t('admin:imports.category')}</legend>
          <ColumnField {...col} label={t('admin:imports.column')} name="mapping.category.column" value={draft.category.column}
            onChange={(v) => set('category', { ...draft.category, column: v })} required />
          <ValueMapFields map="category" legend={t('admin:imports.categoryValues')} hint={t('admin:imports.valuesHint')} rows={draft.category.values}
            fields={fields} onChange={(values) => set('category', { ...draft.category, values })}>{categoryOptions}</ValueMapFields>
          <Select label={t('admin:imports.categoryDefault')} hint={t('admin:imports.defaultHint')} name="mapping.category.default" value={draft.category.default}
            onChange={(e) => set('category', { ...draft.category, default: e.target.value })} error={fieldError(fields, 'mapping.category.default')}>
            <option value="">{t('admin:imports.noDefault')}</option>
            {categoryOptions}
          </Select>
        </fieldset>

        <fieldset>
          <legend>{t('admin:imports.district')}</legend>
          <ColumnField {...col} label={t('admin:imports.column')} hint={t('admin:imports.districtHint')} name="mapping.district.column" value={draft.district.column}
            onChange={(v) => set('district', { ...draft.district, column: v })} />
          {draft.district.column ? (
            <ValueMapFields map="district" legend={t('admin:imports.districtValues')} rows={draft.district.values} fields={fields}
              onChange={(values) => set('district', { ...draft.district, values })}>{districtOptions}</ValueMapFields>
          ) : null}
        </fieldset>

        <fieldset>
          <legend>{t('admin:imports.texts')}</legend>
          <TextFields {...col} path="subject" value={draft.subject} onChange={(v) => set('subject', v)} required />
          <TextFields {...col} path="body" value={draft.body} onChange={(v) => set('body', v)} required />
          <TextFields {...col} path="address" value={draft.address} onChange={(v) => set('address', v)} />
          <Select label={t('admin:imports.language')} hint={t('admin:imports.languageHint')} name="mapping.language" value={draft.language}
            onChange={(e) => set('language', e.target.value as MappingDraft['language'])}>
            {LANGUAGES.map((l) => <option key={l} value={l}>{t(`admin:names.${l}`)}</option>)}
          </Select>
        </fieldset>

        <fieldset>
          <legend>{t('admin:imports.place')}</legend>
          <Select label={t('admin:imports.placeMode')} name="mapping.location.mode" value={draft.location.mode}
            onChange={(e) => set('location', { ...draft.location, mode: e.target.value as MappingDraft['location']['mode'] })}>
            <option value="none">{t('admin:imports.placeNone')}</option>
            <option value="latlon">{t('admin:imports.placeLatLon')}</option>
            <option value="point">{t('admin:imports.placePoint')}</option>
          </Select>
          {draft.location.mode === 'latlon' ? (
            <div className="tool-fields">
              <ColumnField {...col} label={t('admin:imports.lat')} name="mapping.location.lat" value={draft.location.lat}
                onChange={(v) => set('location', { ...draft.location, lat: v })} required />
              <ColumnField {...col} label={t('admin:imports.lon')} name="mapping.location.lon" value={draft.location.lon}
                onChange={(v) => set('location', { ...draft.location, lon: v })} required />
            </div>
          ) : null}
          {draft.location.mode === 'point' ? (
            <ColumnField {...col} label={t('admin:imports.point')} hint={t('admin:imports.pointHint')} name="mapping.location.point" value={draft.location.point}
              onChange={(v) => set('location', { ...draft.location, point: v })} required />
          ) : null}
        </fieldset>

        <fieldset>
          <legend>{t('admin:imports.rowChannel')}</legend>
          <ColumnField {...col} label={t('admin:imports.column')} hint={t('admin:imports.rowChannelHint')} name="mapping.channel.column" value={draft.channel.column}
            onChange={(v) => set('channel', { ...draft.channel, column: v })} />
          {draft.channel.column ? (
            <ValueMapFields map="channel" legend={t('admin:imports.channelValues')} rows={draft.channel.values} fields={fields}
              onChange={(values) => set('channel', { ...draft.channel, values })}>{channelOptions}</ValueMapFields>
          ) : null}
          <ColumnField {...col} label={t('admin:imports.applicantName')} hint={t('admin:imports.applicantNameHint')} name="mapping.applicantName"
            value={draft.applicantName} onChange={(v) => set('applicantName', v)} />
        </fieldset>

        <FormActions busy={busy} onCancel={onCancel} submitLabel={source ? undefined : t('admin:imports.addSubmit')} />
      </form>
    </FormPanel>
  );
}

/** The sample file: its header line is read here, with the delimiter chosen (guessed when the file is picked). */
function SampleFile({ sample, columns, delimiter, onSample, onDelimiter }: {
  sample: { text: string; name: string } | null; columns: string[]; delimiter: string;
  onSample: (s: { text: string; name: string } | null) => void; onDelimiter: (d: MappingDraft['delimiter']) => void;
}) {
  const { t } = useTranslation('admin');
  const [note, setNote] = useState<{ kind: 'info' | 'error'; text: string } | null>(null);
  const statusId = useId();

  async function pick(e: ChangeEvent<HTMLInputElement>) {
    const file = e.target.files?.[0];
    setNote(null);
    if (!file) { onSample(null); return; }
    if (/\.xlsx$/i.test(file.name)) {
      onSample(null);
      setNote({ kind: 'info', text: t('imports.sampleXlsx') });
      return;
    }
    const text = await readStart(file);
    if (text === null) { onSample(null); setNote({ kind: 'error', text: t('imports.sampleNotUtf8') }); return; }
    onSample({ text, name: file.name });
  }

  const found = sample ? (columns.length > 1 ? t('imports.sampleColumns', { count: columns.length, columns: columns.join(', ') }) : t('imports.sampleOneColumn')) : '';
  return (
    <fieldset>
      <legend>{t('imports.sample')}</legend>
      <p className="hint">{t('imports.sampleIntro')}</p>
      <div className="tool-fields">
        <TextInput type="file" label={t('imports.sampleFile')} hint={t('imports.sampleFileHint')} accept=".csv,.xlsx,text/csv"
          onChange={(e) => void pick(e)} />
        <Select label={t('imports.delimiter')} name="mapping.delimiter" value={delimiter} onChange={(e) => onDelimiter(e.target.value as MappingDraft['delimiter'])}>
          {DELIMITERS.map((d) => <option key={d} value={d}>{t(`imports.delimiterName.${DELIMITER_KEY[d]}`)}</option>)}
        </Select>
      </div>
      <div id={statusId} role="status" aria-live="polite">
        {note ? <p className={note.kind === 'error' ? 'error-text' : 'hint'}>{note.text}</p> : null}
        {found ? <p className={columns.length > 1 ? 'hint' : 'error-text'}>{found}</p> : null}
      </div>
    </fieldset>
  );
}

/**
 * A column of the file: a choice among the sample's columns (the saved one kept even if the sample lacks it), or a
 * typed name when there is no sample.
 */
function ColumnField({ label, hint, name, value, onChange, columns, fields, required }: {
  label: string; hint?: string; name: string; value: string; onChange: (v: string) => void; columns: string[]; fields: Fields; required?: boolean;
}) {
  const { t } = useTranslation('admin');
  const error = fieldError(fields, name);
  if (columns.length > 1) {
    return (
      <Select label={label} hint={hint} name={name} value={value} onChange={(e) => onChange(e.target.value)} error={error} required={required}>
        <option value="">{required ? t('choose') : t('imports.notInFile')}</option>
        {value && !columns.includes(value) ? <option value={value}>{t('imports.notInSample', { column: value })}</option> : null}
        {columns.map((c) => <option key={c} value={c}>{c}</option>)}
      </Select>
    );
  }
  return (
    <TextInput label={label} hint={hint ?? t('imports.columnTyped')} name={name} value={value} onChange={(e) => onChange(e.target.value)} error={error}
      required={required} maxLength={200} autoComplete="off" spellCheck={false} />
  );
}

/** A date column and the pattern its dates are written in. */
function DateFields({ path, value, onChange, columns, fields, required }: {
  path: 'receivedAt' | 'registeredAt' | 'closedAt'; value: DateDraft; onChange: (v: DateDraft) => void; columns: string[]; fields: Fields; required?: boolean;
}) {
  const { t } = useTranslation('admin');
  const listId = useId();
  return (
    <div className="tool-fields">
      <ColumnField columns={columns} fields={fields} label={t(`imports.${path}`)} hint={t(`imports.${path}Hint`)} name={`mapping.${path}.column`}
        value={value.column} onChange={(column) => onChange({ ...value, column })} required={required} />
      {value.column ? (
        <>
          <TextInput label={t('imports.dateFormat')} hint={t('imports.dateFormatHint')} name={`mapping.${path}.format`} value={value.format} list={listId}
            onChange={(e) => onChange({ ...value, format: e.target.value })} error={fieldError(fields, `mapping.${path}.format`)} required
            maxLength={40} autoComplete="off" spellCheck={false} />
          <datalist id={listId}>{DATE_FORMATS.map((f) => <option key={f} value={f} />)}</datalist>
        </>
      ) : null}
    </div>
  );
}

/** A text of the appeal: one column, or a template naming columns in braces. */
function TextFields({ path, value, onChange, columns, fields, required }: {
  path: 'subject' | 'body' | 'address'; value: TextDraft; onChange: (v: TextDraft) => void; columns: string[]; fields: Fields; required?: boolean;
}) {
  const { t } = useTranslation('admin');
  const label = t(`imports.${path}`);
  return (
    <div className="tool-fields">
      <Select label={t('imports.textMode', { field: label })} name={`mapping.${path}.mode`} value={value.mode}
        onChange={(e) => onChange({ ...value, mode: e.target.value as TextDraft['mode'] })}>
        <option value="column">{t('imports.textColumn')}</option>
        <option value="template">{t('imports.textTemplate')}</option>
      </Select>
      {value.mode === 'column' ? (
        <ColumnField columns={columns} fields={fields} label={label} name={`mapping.${path}.column`} value={value.column}
          onChange={(column) => onChange({ ...value, column })} required={required} />
      ) : (
        <TextInput label={label} name={`mapping.${path}.template`} value={value.template} onChange={(e) => onChange({ ...value, template: e.target.value })}
          hint={columns.length > 1 ? t('imports.templateHintColumns', { example: `{${columns[0]}}` }) : t('imports.templateHint')}
          error={fieldError(fields, `mapping.${path}.template`) ?? fieldError(fields, `mapping.${path}`)} required={required} maxLength={2000} autoComplete="off" />
      )}
    </div>
  );
}

/** Values as the file writes them → our codes, one row each; rows are added and removed here. */
function ValueMapFields({ map, legend, hint, rows, onChange, fields, children }: {
  map: ValueMapName; legend: string; hint?: string; rows: MapRow[]; onChange: (rows: MapRow[]) => void; fields: Fields; children: ReactNode;
}) {
  const { t } = useTranslation('admin');
  const hintId = useId();
  const addRef = useRef<HTMLButtonElement>(null);
  const newest = useRef<HTMLInputElement>(null);
  const [focusNew, setFocusNew] = useState(false);
  // A row just added takes focus once it is rendered.
  useEffect(() => { if (focusNew) { newest.current?.focus(); setFocusNew(false); } }, [focusNew, rows.length]);
  const change = (id: number, part: 'from' | 'to', v: string) => onChange(rows.map((r) => (r.id === id ? { ...r, [part]: v } : r)));
  const remove = (id: number) => { onChange(rows.filter((r) => r.id !== id)); addRef.current?.focus(); };
  return (
    <fieldset className="value-map" aria-describedby={hint ? hintId : undefined}>
      <legend>{legend}</legend>
      {hint ? <p id={hintId} className="hint">{hint}</p> : null}
      {rows.length === 0 ? <p>{t('imports.noValues')}</p> : (
        <table>
          <caption className="visually-hidden">{legend}</caption>
          <thead>
            <tr>
              <th scope="col">{t('imports.valueFrom')}</th>
              <th scope="col">{t('imports.valueTo')}</th>
              <th scope="col"><span className="visually-hidden">{t('fields.actions')}</span></th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r, n) => {
              const fromError = fields?.[rowField(map, r, 'from')];
              const toError = fields?.[rowField(map, r, 'to')];
              return (
                <tr key={r.id}>
                  <td><div className={`field${fromError ? ' field-error' : ''}`}>
                    <input name={rowField(map, r, 'from')} value={r.from} onChange={(e) => change(r.id, 'from', e.target.value)} maxLength={200} autoComplete="off"
                      aria-label={t('imports.valueFromRow', { n: n + 1 })} aria-invalid={fromError ? true : undefined}
                      aria-describedby={fromError ? `${hintId}-${r.id}-from` : undefined}
                      ref={n === rows.length - 1 ? newest : undefined} />
                    {fromError ? <p id={`${hintId}-${r.id}-from`} className="error-text" role="alert">{fromError}</p> : null}
                  </div></td>
                  <td><div className={`field${toError ? ' field-error' : ''}`}>
                    <select name={rowField(map, r, 'to')} value={r.to} onChange={(e) => change(r.id, 'to', e.target.value)}
                      aria-label={t('imports.valueToRow', { n: n + 1 })} aria-invalid={toError ? true : undefined}
                      aria-describedby={toError ? `${hintId}-${r.id}-to` : undefined}>
                      <option value="">{t('choose')}</option>
                      {children}
                    </select>
                    {toError ? <p id={`${hintId}-${r.id}-to`} className="error-text" role="alert">{toError}</p> : null}
                  </div></td>
                  <td>
                    <Button variant="secondary" className="btn-small" onClick={() => remove(r.id)}>
                      {t('imports.removeValue')}<span className="visually-hidden">: {t('imports.rowN', { n: n + 1 })}</span>
                    </Button>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      <button ref={addRef} type="button" className="btn btn-secondary btn-small" onClick={() => { onChange([...rows, newRow()]); setFocusNew(true); }}>
        {t('imports.addValue')}
      </button>
    </fieldset>
  );
}
