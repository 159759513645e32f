/**
 * "Import plots": a GeoJSON FeatureCollection or a CSV file is checked first (a dry run: counts, and each rejected
 * feature or line with its number, field and reason); only then can it be imported. Importing again changes only
 * what changed (plots are matched by cadastral number).
 */
import { useId, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Button, Field } from '../../../ui/ui.js';
import { asFailure, postForm, useFormat, type ImportReport } from './shared.js';

export function ImportPanel({ city, onImported }: { city: string; onImported: () => void }) {
  const { t } = useTranslation('landStaff');
  const { num } = useFormat();
  const headingId = useId();
  const input = useRef<HTMLInputElement>(null);
  const [file, setFile] = useState<File | null>(null);
  const [report, setReport] = useState<ImportReport | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | undefined>();

  async function run(dryRun: boolean) {
    if (!file) { setError(t('import.chooseFile')); input.current?.focus(); return; }
    setBusy(true);
    setError(undefined);
    try {
      const form = new FormData();
      form.append('file', file, file.name);
      const r = await postForm<ImportReport>('/api/v1/m/{municipality}/admin/land/plots/import', { path: { municipality: city }, query: { dryRun: String(dryRun) } }, form);
      setReport(r);
      if (!dryRun) onImported();
    } catch (err) {
      setReport(null);
      setError(asFailure(err).message);
    } finally {
      setBusy(false);
    }
  }
  const check = (e: FormEvent) => { e.preventDefault(); void run(true); };

  return (
    <section aria-labelledby={headingId} className="card">
      <h2 id={headingId}>{t('import.title')}</h2>
      <form onSubmit={check} noValidate>
        <Field label={t('import.file')} hint={t('import.fileHint')} error={error}>
          {(a) => <input {...a} ref={input} type="file" accept=".geojson,.json,.csv,application/geo+json,application/json,text/csv"
            onChange={(e) => { setFile(e.target.files?.[0] ?? null); setReport(null); setError(undefined); }} />}
        </Field>
        <p className="row-actions">
          <Button type="submit" variant="secondary" disabled={busy}>{t('import.check')}</Button>
          {report?.dryRun && report.created + report.updated > 0
            ? <Button disabled={busy} onClick={() => void run(false)}>{t('import.run', { count: report.created + report.updated, n: num(report.created + report.updated) })}</Button>
            : null}
        </p>
      </form>
      {report ? (
        <div className="ls-report" role="status">
          <h3>{report.dryRun ? t('import.dryRunReport') : t('import.doneReport')}</h3>
          <dl>
            <dt>{t('import.total')}</dt><dd>{num(report.total)}</dd>
            <dt>{report.dryRun ? t('import.toCreate') : t('import.created')}</dt><dd>{num(report.created)}</dd>
            <dt>{report.dryRun ? t('import.toUpdate') : t('import.updated')}</dt><dd>{num(report.updated)}</dd>
            <dt>{t('import.unchanged')}</dt><dd>{num(report.unchanged)}</dd>
            <dt>{t('import.failed')}</dt><dd>{num(report.failed)}</dd>
          </dl>
          {report.issues.length ? (
            <div className="table-wrap" tabIndex={0} role="region" aria-label={t('import.issues')}>
              <table className="ls-issues">
                <caption>{t('import.issues')}</caption>
                <thead><tr><th scope="col">{t('import.number')}</th><th scope="col">{t('import.field')}</th><th scope="col">{t('import.reason')}</th></tr></thead>
                <tbody>{report.issues.map((i, n) => (
                  <tr key={n}><td>{num(i.number)}</td><td>{i.field}</td><td>{i.message}</td></tr>
                ))}</tbody>
              </table>
            </div>
          ) : null}
          {!report.dryRun ? <p className="alert alert-success">{t('import.done', { count: report.created + report.updated, n: num(report.created + report.updated) })}</p> : null}
        </div>
      ) : null}
    </section>
  );
}
