/**
 * Running a source's import: a file is checked first (a dry run: counts and the rejected rows with their reasons,
 * nothing written), then imported; rows already imported are counted, never added twice. The source's runs, newest
 * first, each with its rejected rows and their CSV report.
 */
import { useCallback, useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api, type ApiError } from '../../api/client.js';
import { formatDate } from '../../i18n/index.js';
import { useSession } from '../../app/session.js';
import { Alert, Button, TextInput } from '../../ui/ui.js';
import {
  FormPanel, failure, RequestFailed, ResourceView, TableHead, TableWrap, unwrap, useCity, useFormats, useResource, useSubmit,
} from './common.js';
import type { ImportSource } from './import-mapping-draft.js';
import type { paths } from '../../api/schema.js';

type RunsPath = paths['/api/v1/m/{municipality}/admin/imports/sources/{id}/runs'];
export type ImportRun = RunsPath['get']['responses'][200]['content']['application/json']['items'][number];
type RowError = Extract<paths['/api/v1/m/{municipality}/admin/imports/runs/{id}/errors']['get']['responses'][200]['content']['application/json'], { items: unknown }>['items'][number];

const ERRORS_PAGE = 50;

/**
 * Sends the file. XMLHttpRequest rather than fetch: only it reports the upload's progress, and the server reads the
 * file as it arrives, so the progress is the import's own. The session's CSRF token goes along as on every change.
 */
function sendRun(url: string, file: File, csrfToken: string, lang: string, onProgress: (fraction: number) => void): Promise<{ status: number; body: unknown }> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', url);
    xhr.setRequestHeader('x-csrf-token', csrfToken);
    xhr.setRequestHeader('accept-language', lang);
    xhr.upload.onprogress = (e) => { if (e.lengthComputable && e.total > 0) onProgress(e.loaded / e.total); };
    xhr.onload = () => {
      let body: unknown = null;
      try { body = JSON.parse(xhr.responseText); } catch { body = null; }
      resolve({ status: xhr.status, body });
    };
    xhr.onerror = () => reject(new Error('network'));
    xhr.onabort = () => reject(new Error('aborted'));
    const form = new FormData();
    form.append('file', file, file.name);
    xhr.send(form);
  });
}

export function ImportRunPanel({ source, onClose }: { source: ImportSource; onClose: () => void }) {
  const { t, i18n } = useTranslation(['admin', 'common']);
  const city = useCity();
  const { me } = useSession();
  const [file, setFile] = useState<File | null>(null);
  const [progress, setProgress] = useState<{ dryRun: boolean; fraction: number | null } | null>(null);
  const [shown, setShown] = useState<ImportRun | null>(null);
  const { busy, problem, run } = useSubmit();
  const runs = useResource(
    () => unwrap(api.GET('/api/v1/m/{municipality}/admin/imports/sources/{id}/runs', { params: { path: { municipality: city, id: source.id } } })).then((r) => r.items),
    [city, source.id],
  );
  const resultRef = useRef<HTMLHeadingElement>(null);
  const progressId = useId();

  const start = (dryRun: boolean) => void run(async () => {
    if (!file) throw failure(t('admin:imports.fileRequired'), { file: t('admin:imports.fileRequired') });
    const csrf = me && 'csrfToken' in me ? me.csrfToken : '';
    setProgress({ dryRun, fraction: 0 });
    try {
      const url = `/api/v1/m/${encodeURIComponent(city)}/admin/imports/sources/${encodeURIComponent(source.id)}/runs?dryRun=${dryRun}`;
      const answer = await sendRun(url, file, csrf, i18n.language, (fraction) => setProgress({ dryRun, fraction }))
        .catch(() => { throw failure(t(navigator.onLine ? 'common:error.generic' : 'common:error.offline')); });
      if (answer.status !== 201) throw refusal(answer.status, answer.body, t);
      setShown(answer.body as ImportRun);
      void runs.reload();
    } finally {
      setProgress(null);
    }
  });
  useEffect(() => { if (shown) resultRef.current?.focus(); }, [shown]);

  const submit = (e: FormEvent) => { e.preventDefault(); start(true); };
  const percent = progress?.fraction == null ? null : Math.round(progress.fraction * 100);
  // The live region says only what is happening; the percentage is the progress bar's, not announced at every step.
  const uploading = percent !== null && percent < 100;
  const phase = !progress ? '' : uploading ? t('admin:imports.uploading') : t(progress.dryRun ? 'admin:imports.checking' : 'admin:imports.importing');

  return (
    <FormPanel title={t('admin:imports.runTitle', { name: source.name })}>
      <form onSubmit={submit} noValidate className="import-run">
        {problem && !problem.fields.file ? <Alert kind="error">{problem.message}</Alert> : null}
        <TextInput type="file" name="file" label={t('admin:imports.file')} hint={t('admin:imports.fileHint')} accept=".csv,.xlsx,text/csv"
          required error={problem?.fields.file} onChange={(e) => setFile(e.target.files?.[0] ?? null)} />
        <div className="form-actions">
          <Button type="submit" aria-disabled={busy || undefined}>{t('admin:imports.check')}</Button>
          <Button variant="secondary" onClick={() => start(false)} aria-disabled={busy || undefined}>{t('admin:imports.import')}</Button>
          <Button variant="secondary" onClick={onClose}>{t('admin:imports.close')}</Button>
        </div>
        {progress ? (
          <div className="import-progress">
            <progress max={100} {...(uploading ? { value: percent } : {})} aria-labelledby={progressId} />
            {uploading ? <span aria-hidden="true"> {percent} %</span> : null}
          </div>
        ) : null}
        <p id={progressId} role="status" aria-live="polite" className={phase ? 'hint' : 'status-empty'}>{phase}</p>
      </form>
      {shown ? (
        <section aria-labelledby={`${progressId}-result`}>
          <h3 id={`${progressId}-result`} ref={resultRef} tabIndex={-1}>{t(shown.dryRun ? 'admin:imports.checkResult' : 'admin:imports.importResult')}</h3>
          <RunResult key={shown.id} run={shown} />
          {shown.dryRun && shown.status === 'done' && shown.rowsImported > 0 ? <p className="hint">{t('admin:imports.nowImport')}</p> : null}
        </section>
      ) : null}
      <section aria-labelledby={`${progressId}-history`}>
        <h3 id={`${progressId}-history`}>{t('admin:imports.history')}</h3>
        <ResourceView resource={runs}>
          {(items) => items.length === 0 ? <p>{t('admin:imports.noRuns')}</p> : (
            <TableWrap label={t('admin:imports.history')}>
              <table>
                <caption className="visually-hidden">{t('admin:imports.historyCaption', { name: source.name })}</caption>
                <TableHead actionsLabel={t('admin:fields.actions')} columns={[
                  t('admin:imports.startedAt'), t('admin:imports.fileName'), t('admin:imports.runKind'), t('admin:fields.status'),
                  t('admin:imports.rowsTotal'), t('admin:imports.rowsImported'), t('admin:imports.rowsExisting'), t('admin:imports.rowsRejected'),
                ]} />
                <tbody>
                  {items.map((r) => (
                    <tr key={r.id}>
                      <th scope="row">{formatDate(r.startedAt, i18n.language, true)}</th>
                      <td>{r.fileName}</td>
                      <td>{t(r.dryRun ? 'admin:imports.dryRun' : 'admin:imports.realRun')}</td>
                      <td><RunStatus run={r} /></td>
                      <td className="num">{r.rowsTotal}</td>
                      <td className="num">{r.rowsImported}</td>
                      <td className="num">{r.rowsExisting}</td>
                      <td className="num">{r.rowsRejected}</td>
                      <td>
                        <Button variant="secondary" className="btn-small" onClick={() => setShown(r)}>
                          {t('admin:imports.showRun')}<span className="visually-hidden">: {r.fileName}, {formatDate(r.startedAt, i18n.language, true)}</span>
                        </Button>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </TableWrap>
          )}
        </ResourceView>
      </section>
    </FormPanel>
  );
}

/** The server's refusal of a file as a failure to show: a missing column is named, in the page's language. */
function refusal(status: number, body: unknown, t: (key: string, o?: Record<string, unknown>) => string): RequestFailed {
  const error = (body as Partial<ApiError> | null)?.error;
  const details = Array.isArray(error?.details) ? error.details as { path?: string; code?: string; column?: string }[] : [];
  const missing = details.filter((d) => d.code === 'missing_column' && d.column).map((d) => d.column!);
  if (missing.length) return new RequestFailed(error!.message, status, error!.code, { file: t('admin:imports.missingColumns', { columns: missing.join(', '), count: missing.length }) });
  const onFile = details.some((d) => d.path === 'file');
  const message = error?.message ?? t('common:error.generic');
  return new RequestFailed(message, status, error?.code ?? 'unknown', onFile || status === 413 || status === 415 ? { file: message } : {});
}

export function RunStatus({ run }: { run: ImportRun }) {
  const { t } = useTranslation('admin');
  const kind = run.status === 'done' ? 'sent' : run.status === 'failed' ? 'failed' : 'pending';
  return <span className={`badge badge-delivery-${kind}`}>{t(`imports.status.${run.status === 'done' || run.status === 'failed' ? run.status : 'running'}`)}</span>;
}

/** A run's counts, why it stopped if it did, and its rejected rows. */
function RunResult({ run }: { run: ImportRun }) {
  const { t } = useTranslation('admin');
  const { number } = useFormats();
  const facts: [string, number][] = [
    [t('imports.rowsTotal'), run.rowsTotal],
    [t(run.dryRun ? 'imports.rowsWouldImport' : 'imports.rowsImported'), run.rowsImported],
    [t('imports.rowsExisting'), run.rowsExisting],
    [t('imports.rowsRejected'), run.rowsRejected],
  ];
  return (
    <div className="import-result">
      <p><RunStatus run={run} /> <span>{run.fileName}</span></p>
      {run.failure ? <Alert kind="error">{t('imports.failed')} <code>{run.failure}</code></Alert> : null}
      <dl className="facts import-counts">
        {facts.map(([label, value]) => <div className="fact" key={label}><dt>{label}</dt><dd>{number(value)}</dd></div>)}
      </dl>
      {run.rowsRejected > 0 ? <RejectedRows run={run} /> : null}
    </div>
  );
}

/** The rejected rows in file order, a page at a time, and the whole list as a CSV report. */
function RejectedRows({ run }: { run: ImportRun }) {
  const { t } = useTranslation('admin');
  const city = useCity();
  const [items, setItems] = useState<RowError[]>([]);
  const [total, setTotal] = useState(0);
  const { busy, problem, run: load } = useSubmit();
  const more = useCallback((offset: number) => void load(async () => {
    const page = await unwrap(api.GET('/api/v1/m/{municipality}/admin/imports/runs/{id}/errors', {
      params: { path: { municipality: city, id: run.id }, query: { limit: ERRORS_PAGE, offset } },
    }));
    if (typeof page === 'string') return;
    setItems((prev) => (offset === 0 ? page.items : [...prev, ...page.items]));
    setTotal(page.total);
  }), [city, run.id, load]);
  useEffect(() => { more(0); }, [more]);
  const report = `/api/v1/m/${encodeURIComponent(city)}/admin/imports/runs/${encodeURIComponent(run.id)}/errors?format=csv`;
  return (
    <div className="import-errors">
      {problem ? <Alert kind="error">{problem.message}</Alert> : null}
      {items.length > 0 ? (
        <TableWrap label={t('imports.rejectedTitle')}>
          <table>
            <caption>{t('imports.rejectedCaption', { shown: items.length, total })}</caption>
            <TableHead columns={[t('imports.rowNumber'), t('imports.column'), t('imports.reason')]} />
            <tbody>
              {items.map((e) => (
                <tr key={`${e.rowNumber}-${e.code}`}>
                  <th scope="row" className="num">{e.rowNumber}</th>
                  <td>{e.column ?? '—'}</td>
                  <td>{e.message}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      ) : null}
      <div className="form-actions">
        {items.length < total ? (
          <Button variant="secondary" onClick={() => more(items.length)} aria-disabled={busy || undefined}>{busy ? t('working') : t('imports.moreErrors')}</Button>
        ) : null}
        <a className="btn btn-secondary" href={report} download>{t('imports.report')}</a>
      </div>
    </div>
  );
}
