/**
 * Working time: the city's calendar of exceptions to Monday–Friday (holidays on weekdays, weekend days worked),
 * a tool that counts working days the way due dates are counted, and the deadline rules in working days (a new
 * rule takes effect today or later; only a rule not yet in effect may be deleted).
 */
import { useId, useMemo, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client.js';
import { Button, Select, TextArea, TextInput } from '../../ui/ui.js';
import {
  AdminFrame, check, ConfirmDialog, emptyNames, FormActions, missingFields, FormPanel, FormProblem, ListSection, NamesFieldset, ResourceView,
  TableWrap, todayIso, unwrap, useAnnouncer, useCity, useConfirm, useFormats, useEditor, useNameOf, useResource, useSubmit, TableHead } from './common.js';
import { APPEAL_KINDS, type AppealKind, type CalendarDay, type DeadlineRule } from './types.js';

export function CalendarPage() {
  const { t } = useTranslation('admin');
  return (
    <AdminFrame title={t('calendar.title')} intro={t('calendar.intro')}>
      <CalendarSection />
      <WorkingDaysTool />
      <DeadlineRulesSection />
    </AdminFrame>
  );
}

// ---- the calendar -----------------------------------------------------------------------------------------

function CalendarSection() {
  const { t } = useTranslation('admin');
  const dates = useFormats();
  const city = useCity();
  const nameOf = useNameOf();
  const thisYear = new Date().getFullYear();
  const [year, setYear] = useState(thisYear);
  const days = useResource(
    () => unwrap(api.GET('/api/v1/m/{municipality}/admin/calendar', { params: { path: { municipality: city }, query: { year } } })).then((r) => r.items),
    [city, year],
  );
  const editor = useEditor<CalendarDay>();
  const status = useAnnouncer();
  const removal = useConfirm<CalendarDay>();
  const years = useMemo(() => {
    const list = Array.from({ length: 5 }, (_, i) => thisYear - 2 + i);
    return list.includes(year) ? list : [...list, year].sort();
  }, [thisYear, year]);
  const dayLabel = dates.dayWithWeekday;

  const remove = () => void removal.run(async () => {
    const day = removal.target;
    if (!day) return;
    await unwrap(api.DELETE('/api/v1/m/{municipality}/admin/calendar/{date}', { params: { path: { municipality: city, date: day.date } } }));
    removal.done();
    status.announce(t('calendar.deleted', { date: dates.date(day.date) }));
    void days.reload();
  });

  return (
    <>
      {editor.editing ? (
        <DayForm
          key={editor.editing.item?.date ?? 'new'}
          day={editor.editing.item}
          year={year}
          onCancel={editor.cancel}
          onSaved={(d) => {
            editor.close();
            status.announce(t('calendar.saved', { date: dates.date(d.date) }));
            const savedYear = Number(d.date.slice(0, 4));
            if (savedYear !== year) setYear(savedYear); else void days.reload();
          }}
        />
      ) : null}
      <ListSection
        title={t('calendar.listTitle', { year })}
        headingRef={status.headingRef}
        message={status.message}
        action={<Button onClick={() => { status.clear(); editor.open(null); }}>{t('calendar.add')}</Button>}
      >
        <div className="year-picker">
          <Select label={t('calendar.year')} value={String(year)} onChange={(e) => setYear(Number(e.target.value))}>
            {years.map((y) => <option key={y} value={y}>{y}</option>)}
          </Select>
        </div>
        <ResourceView resource={days}>
          {(items) => items.length === 0 ? <p>{t('calendar.empty', { year })}</p> : (
            <TableWrap label={t('calendar.listTitle', { year })}>
              <table>
                <TableHead columns={[t('calendar.date'), t('calendar.dayType'), t('calendar.name')]} actionsLabel={t('fields.actions')} />
                <tbody>
                  {[...items].sort((a, b) => a.date.localeCompare(b.date)).map((d) => (
                    <tr key={d.date}>
                      <th scope="row">{dayLabel(d.date)}</th>
                      <td><span className={`badge ${d.isWorking ? 'badge-on' : 'badge-holiday'}`}>{d.isWorking ? t('calendar.working') : t('calendar.holiday')}</span></td>
                      <td>{d.name ? nameOf(d.name) : '—'}</td>
                      <td><div className="row-actions">
                        <Button variant="secondary" className="btn-small" onClick={() => { status.clear(); editor.open(d); }}>
                          {t('edit')}<span className="visually-hidden">: {dates.date(d.date)}</span>
                        </Button>
                        <Button variant="secondary" className="btn-small" onClick={() => removal.ask(d)}>
                          {t('delete')}<span className="visually-hidden">: {dates.date(d.date)}</span>
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
      {removal.target ? (
        <ConfirmDialog title={t('calendar.deleteTitle')} confirmLabel={t('delete')} busy={removal.busy} problem={removal.problem}
          onConfirm={remove} onClose={removal.cancel}>
          <p>{t(removal.target.isWorking ? 'calendar.deleteWorkingText' : 'calendar.deleteHolidayText', { date: dayLabel(removal.target.date) })}</p>
        </ConfirmDialog>
      ) : null}
    </>
  );
}

function DayForm({ day, year, onCancel, onSaved }: { day: CalendarDay | null; year: number; onCancel: () => void; onSaved: (d: CalendarDay) => void }) {
  const { t } = useTranslation('admin');
  const dates = useFormats();
  const city = useCity();
  const formRef = useRef<HTMLFormElement>(null);
  const typeName = useId();
  const [date, setDate] = useState(day?.date ?? (year === new Date().getFullYear() ? todayIso() : `${year}-01-01`));
  const [isWorking, setIsWorking] = useState(day?.isWorking ?? false);
  const [name, setName] = useState(day?.name ?? emptyNames());
  const { busy, problem, run, onFieldChange } = useSubmit();
  const fields = problem?.fields;

  const submit = (e: FormEvent) => {
    e.preventDefault();
    void run(async () => {
      const named = name.ky.trim() || name.ru.trim() || name.en.trim();
      // A name in all three languages or none.
      check({
        ...(/^\d{4}-\d{2}-\d{2}$/.test(date) ? {} : { date: t('validation.date') }),
        ...(named ? missingFields({ 'name.ky': name.ky, 'name.ru': name.ru, 'name.en': name.en }) : {}),
      });
      const saved = await unwrap(api.PUT('/api/v1/m/{municipality}/admin/calendar/{date}', {
        params: { path: { municipality: city, date } }, body: { isWorking, name: named ? name : null },
      }));
      onSaved(saved);
    });
  };

  return (
    <FormPanel title={day ? t('calendar.editTitle', { date: dates.date(day.date) }) : t('calendar.addTitle')}>
      <form ref={formRef} onSubmit={submit} onChange={onFieldChange} noValidate>
        <FormProblem problem={problem} formRef={formRef} />
        <TextInput label={t('calendar.date')} hint={day ? t('calendar.dateFixed') : undefined} type="date" name="date" value={date}
          onChange={(e) => setDate(e.target.value)} readOnly={!!day} error={fields?.date} required min="2000-01-01" max="2100-12-31" />
        <fieldset>
          <legend>{t('calendar.dayType')}</legend>
          <div className="radio-field">
            <input type="radio" id={`${typeName}-h`} name={typeName} checked={!isWorking} onChange={() => setIsWorking(false)} aria-describedby={`${typeName}-h-hint`} />
            <label htmlFor={`${typeName}-h`}>{t('calendar.holiday')}</label>
            <p id={`${typeName}-h-hint`} className="hint">{t('calendar.holidayHint')}</p>
          </div>
          <div className="radio-field">
            <input type="radio" id={`${typeName}-w`} name={typeName} checked={isWorking} onChange={() => setIsWorking(true)} aria-describedby={`${typeName}-w-hint`} />
            <label htmlFor={`${typeName}-w`}>{t('calendar.working')}</label>
            <p id={`${typeName}-w-hint`} className="hint">{t('calendar.workingHint')}</p>
          </div>
        </fieldset>
        <NamesFieldset legend={t('calendar.names')} hint={t('calendar.namesHint')} value={name} onChange={setName} fields={fields} required={false} />
        <FormActions busy={busy} onCancel={onCancel} />
      </form>
    </FormPanel>
  );
}

/** N working days after a date, counted by the server on this city's calendar. */
function WorkingDaysTool() {
  const { t } = useTranslation('admin');
  const dates = useFormats();
  const city = useCity();
  const headingId = useId();
  const formRef = useRef<HTMLFormElement>(null);
  const [from, setFrom] = useState(todayIso());
  const [days, setDays] = useState('14');
  const [answer, setAnswer] = useState('');
  const { busy, problem, run, onFieldChange } = useSubmit();
  const fields = problem?.fields;

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setAnswer('');
    void run(async () => {
      const n = Number(days);
      check({
        ...(/^\d{4}-\d{2}-\d{2}$/.test(from) ? {} : { from: t('validation.date') }),
        ...(days.trim() !== '' && Number.isInteger(n) ? {} : { days: t('validation.wholeNumber') }),
      });
      const r = await unwrap(api.GET('/api/v1/m/{municipality}/admin/calendar/working-days', {
        params: { path: { municipality: city }, query: { from, days: n } },
      }));
      setAnswer(t('calendar.countResult', { count: r.days, from: dates.date(r.from), due: dates.dayWithWeekday(r.dueDate) }));
    });
  };

  return (
    <section className="card tool" aria-labelledby={headingId}>
      <h2 id={headingId}>{t('calendar.countTitle')}</h2>
      <p>{t('calendar.countIntro')}</p>
      <form ref={formRef} onSubmit={submit} onChange={onFieldChange} noValidate>
        <FormProblem problem={problem} formRef={formRef} />
        <div className="tool-fields">
          <TextInput label={t('calendar.countFrom')} type="date" name="from" value={from} onChange={(e) => { setFrom(e.target.value); setAnswer(''); }}
            error={fields?.from} required min="2000-01-01" max="2100-12-31" />
          <TextInput label={t('calendar.countDays')} type="number" name="days" inputMode="numeric" min={0} max={365} step={1} value={days}
            onChange={(e) => { setDays(e.target.value); setAnswer(''); }} error={fields?.days} required />
        </div>
        <Button type="submit" aria-disabled={busy || undefined}>{busy ? t('working') : t('calendar.count')}</Button>
      </form>
      <p className={answer ? 'tool-answer' : 'status-empty'} role="status" aria-live="polite">{answer}</p>
    </section>
  );
}

// ---- deadline rules ---------------------------------------------------------------------------------------

type RuleState = 'scheduled' | 'inEffect' | 'replaced';

/** Whether each rule is the one now in force for its kind, a later one, or an earlier one. */
function ruleStates(rules: readonly DeadlineRule[], today: string): Map<string, RuleState> {
  const states = new Map<string, RuleState>();
  const current = new Map<string, string>();
  for (const r of [...rules].sort((a, b) => b.effectiveFrom.localeCompare(a.effectiveFrom))) {
    const kind = r.kind ?? '*';
    if (r.effectiveFrom > today) states.set(r.id, 'scheduled');
    else if (!current.has(kind)) { current.set(kind, r.id); states.set(r.id, 'inEffect'); }
    else states.set(r.id, 'replaced');
  }
  return states;
}

function DeadlineRulesSection() {
  const { t } = useTranslation(['admin', 'common']);
  const dates = useFormats();
  const city = useCity();
  const rules = useResource(
    () => unwrap(api.GET('/api/v1/m/{municipality}/admin/deadline-rules', { params: { path: { municipality: city } } })).then((r) => r.items),
    [city],
  );
  const editor = useEditor<DeadlineRule>();
  const status = useAnnouncer();
  const removal = useConfirm<DeadlineRule>();
  const states = useMemo(() => ruleStates(rules.data ?? [], todayIso()), [rules.data]);
  const kindLabel = (k: DeadlineRule['kind']) => (k ? t(`common:kind.${k}`) : t('admin:deadlines.allKinds'));

  const remove = () => void removal.run(async () => {
    const rule = removal.target;
    if (!rule) return;
    await unwrap(api.DELETE('/api/v1/m/{municipality}/admin/deadline-rules/{id}', { params: { path: { municipality: city, id: rule.id } } }));
    removal.done();
    status.announce(t('admin:deadlines.deleted', { date: dates.date(rule.effectiveFrom) }));
    void rules.reload();
  });

  return (
    <>
      {editor.editing ? (
        <RuleForm
          onCancel={editor.cancel}
          onSaved={(r) => {
            editor.close();
            status.announce(t('admin:deadlines.created', { date: dates.date(r.effectiveFrom) }));
            void rules.reload();
          }}
        />
      ) : null}
      <ListSection
        title={t('admin:deadlines.listTitle')}
        headingRef={status.headingRef}
        message={status.message}
        action={<Button onClick={() => { status.clear(); editor.open(null); }}>{t('admin:deadlines.add')}</Button>}
      >
        <p>{t('admin:deadlines.intro')}</p>
        <ResourceView resource={rules}>
          {(items) => items.length === 0 ? <p>{t('admin:deadlines.empty')}</p> : (
            <TableWrap label={t('admin:deadlines.listTitle')}>
              <table>
                <thead>
                  <tr>
                    <th scope="col">{t('admin:deadlines.effectiveFrom')}</th>
                    <th scope="col">{t('admin:deadlines.kind')}</th>
                    <th scope="col" className="num">{t('admin:deadlines.registerWithin')}</th>
                    <th scope="col" className="num">{t('admin:deadlines.answerWithin')}</th>
                    <th scope="col" className="num">{t('admin:deadlines.maxExtension')}</th>
                    <th scope="col">{t('admin:deadlines.note')}</th>
                    <th scope="col">{t('admin:fields.status')}</th>
                    <th scope="col"><span className="visually-hidden">{t('admin:fields.actions')}</span></th>
                  </tr>
                </thead>
                <tbody>
                  {items.map((r) => (
                    <tr key={r.id}>
                      <th scope="row">{dates.date(r.effectiveFrom)}</th>
                      <td>{kindLabel(r.kind)}</td>
                      <td className="num">{t('admin:deadlines.days', { count: r.registerWithinDays })}</td>
                      <td className="num">{t('admin:deadlines.days', { count: r.answerWithinDays })}</td>
                      <td className="num">{t('admin:deadlines.days', { count: r.maxExtensionDays })}</td>
                      <td>{r.note ?? '—'}</td>
                      <td><span className={`badge badge-${states.get(r.id) ?? 'replaced'}`}>{t(`admin:deadlines.state.${states.get(r.id) ?? 'replaced'}`)}</span></td>
                      <td>
                        {r.deletable ? (
                          <Button variant="secondary" className="btn-small" onClick={() => removal.ask(r)}>
                            {t('admin:delete')}<span className="visually-hidden">: {dates.date(r.effectiveFrom)}, {kindLabel(r.kind)}</span>
                          </Button>
                        ) : null}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </TableWrap>
          )}
        </ResourceView>
      </ListSection>
      {removal.target ? (
        <ConfirmDialog title={t('admin:deadlines.deleteTitle')} confirmLabel={t('admin:delete')} busy={removal.busy} problem={removal.problem}
          onConfirm={remove} onClose={removal.cancel}>
          <p>{t('admin:deadlines.deleteText', { date: dates.date(removal.target.effectiveFrom), kind: kindLabel(removal.target.kind) })}</p>
        </ConfirmDialog>
      ) : null}
    </>
  );
}

function RuleForm({ onCancel, onSaved }: { onCancel: () => void; onSaved: (r: DeadlineRule) => void }) {
  const { t } = useTranslation(['admin', 'common']);
  const city = useCity();
  const formRef = useRef<HTMLFormElement>(null);
  const today = todayIso();
  const [effectiveFrom, setEffectiveFrom] = useState(today);
  const [kind, setKind] = useState<AppealKind | ''>('');
  const [registerWithin, setRegisterWithin] = useState('1');
  const [answerWithin, setAnswerWithin] = useState('14');
  const [maxExtension, setMaxExtension] = useState('14');
  const [note, setNote] = useState('');
  const { busy, problem, run, onFieldChange } = useSubmit();
  const fields = problem?.fields;

  const submit = (e: FormEvent) => {
    e.preventDefault();
    void run(async () => {
      const numbers = { registerWithinDays: registerWithin, answerWithinDays: answerWithin, maxExtensionDays: maxExtension };
      const bad = Object.fromEntries(Object.entries(numbers).filter(([, v]) => v.trim() === '' || !Number.isInteger(Number(v))).map(([k]) => [k, t('admin:validation.wholeNumber')]));
      if (!/^\d{4}-\d{2}-\d{2}$/.test(effectiveFrom)) bad.effectiveFrom = t('admin:validation.date');
      check(bad);
      const saved = await unwrap(api.POST('/api/v1/m/{municipality}/admin/deadline-rules', {
        params: { path: { municipality: city } },
        body: {
          effectiveFrom, kind: kind || null,
          registerWithinDays: Number(registerWithin), answerWithinDays: Number(answerWithin), maxExtensionDays: Number(maxExtension),
          note: note.trim() || null,
        },
      }));
      onSaved(saved);
    });
  };

  return (
    <FormPanel title={t('admin:deadlines.addTitle')}>
      <p>{t('admin:deadlines.addIntro')}</p>
      <form ref={formRef} onSubmit={submit} onChange={onFieldChange} noValidate>
        <FormProblem problem={problem} formRef={formRef} />
        <TextInput label={t('admin:deadlines.effectiveFrom')} hint={t('admin:deadlines.effectiveFromHint')} type="date" min={today} max="2100-12-31"
          name="effectiveFrom" value={effectiveFrom} onChange={(e) => setEffectiveFrom(e.target.value)} error={fields?.effectiveFrom} required />
        <Select label={t('admin:deadlines.kind')} hint={t('admin:deadlines.kindHint')} name="kind" value={kind} onChange={(e) => setKind(e.target.value as AppealKind | '')} error={fields?.kind}>
          <option value="">{t('admin:deadlines.allKinds')}</option>
          {APPEAL_KINDS.map((k) => <option key={k} value={k}>{t(`common:kind.${k}`)}</option>)}
        </Select>
        <fieldset>
          <legend>{t('admin:deadlines.termsLegend')}</legend>
          <TextInput label={t('admin:deadlines.registerWithin')} hint={t('admin:deadlines.registerWithinHint')} type="number" inputMode="numeric" min={0} max={30} step={1}
            name="registerWithinDays" value={registerWithin} onChange={(e) => setRegisterWithin(e.target.value)} error={fields?.registerWithinDays} required />
          <TextInput label={t('admin:deadlines.answerWithin')} hint={t('admin:deadlines.answerWithinHint')} type="number" inputMode="numeric" min={1} max={365} step={1}
            name="answerWithinDays" value={answerWithin} onChange={(e) => setAnswerWithin(e.target.value)} error={fields?.answerWithinDays} required />
          <TextInput label={t('admin:deadlines.maxExtension')} hint={t('admin:deadlines.maxExtensionHint')} type="number" inputMode="numeric" min={0} max={365} step={1}
            name="maxExtensionDays" value={maxExtension} onChange={(e) => setMaxExtension(e.target.value)} error={fields?.maxExtensionDays} required />
        </fieldset>
        <TextArea label={t('admin:deadlines.note')} hint={t('admin:deadlines.noteHint')} rows={3} maxLength={1000} name="note" value={note}
          onChange={(e) => setNote(e.target.value)} error={fields?.note} />
        <FormActions busy={busy} onCancel={onCancel} submitLabel={t('admin:deadlines.addSubmit')} />
      </form>
    </FormPanel>
  );
}
