/**
 * "What is it about?": a search over the city's two-level category list (names in the current language and
 * keywords), or the groups opened one by one. Plain radio buttons, so the keyboard and screen readers just work.
 */
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Button, TextInput } from '../../../ui/ui.js';
import { nameIn, type Category } from '../shared.js';

interface Group { category: Category; children: Category[] }

function normalize(s: string): string {
  return s.toLocaleLowerCase().normalize('NFC').replaceAll('ё', 'е');
}

function buildGroups(categories: Category[]): Group[] {
  const top = categories.filter((c) => !c.parentId);
  return top.map((category) => ({ category, children: categories.filter((c) => c.parentId === category.id) }));
}

/** Categories whose name (current language), group name or keywords contain every word typed. */
function search(groups: Group[], query: string, lang: string): { category: Category; group: Category | null }[] {
  const words = normalize(query).split(/\s+/).filter(Boolean);
  const out: { category: Category; group: Category | null }[] = [];
  for (const g of groups) {
    const groupText = normalize(`${nameIn(g.category.name, lang)} ${g.category.keywords.join(' ')}`);
    const items = g.children.length ? g.children : [g.category];
    for (const c of items) {
      const text = c === g.category ? groupText : `${groupText} ${normalize(`${nameIn(c.name, lang)} ${c.keywords.join(' ')}`)}`;
      if (words.every((w) => text.includes(w))) out.push({ category: c, group: c === g.category ? null : g.category });
    }
  }
  return out;
}

export function CategoryPicker({ categories, value, onChange, error }: {
  categories: Category[]; value: string; onChange: (id: string) => void; error?: string | undefined;
}) {
  const { t, i18n } = useTranslation('resident');
  const lang = i18n.language;
  const [query, setQuery] = useState('');
  const [listOpen, setListOpen] = useState(!value);
  const groups = useMemo(() => buildGroups(categories), [categories]);
  const chosen = categories.find((c) => c.id === value);
  const chosenGroup = chosen?.parentId ? categories.find((c) => c.id === chosen.parentId) : undefined;
  const [openGroups, setOpenGroups] = useState<Set<string>>(() => new Set(chosenGroup ? [chosenGroup.id] : []));
  const results = query.trim() ? search(groups, query, lang) : null;

  const radio = (c: Category, label: string, extra?: string) => (
    <label key={c.id} className="r-choice">
      <input type="radio" name="categoryId" value={c.id} checked={value === c.id} onChange={() => onChange(c.id)} />
      <span>{label}{extra ? <span className="r-muted"> — {extra}</span> : null}</span>
    </label>
  );

  return (
    <fieldset id="f-categoryId" className="r-section" aria-describedby={error ? 'f-categoryId-error' : undefined}>
      <legend>{t('new.category.legend')}<span aria-hidden="true"> *</span></legend>
      {error ? <p id="f-categoryId-error" className="error-text">{error}</p> : null}
      {chosen ? (
        <p className="r-chosen">
          {t('new.category.chosen')} <strong>{chosenGroup ? `${nameIn(chosenGroup.name, lang)} → ` : ''}{nameIn(chosen.name, lang)}</strong>
          {!listOpen ? <> <Button variant="secondary" onClick={() => setListOpen(true)}>{t('new.category.change')}</Button></> : null}
        </p>
      ) : null}
      {listOpen ? (
        <>
          <TextInput
            label={t('new.category.search')} hint={t('new.category.searchHint')} type="search" autoComplete="off"
            value={query} onChange={(e) => setQuery(e.target.value)}
          />
          <p className="hint" role="status">
            {results ? (results.length ? t('new.category.found', { count: results.length }) : t('new.category.none')) : ''}
          </p>
          {results ? (
            <div className="r-choices r-category-results">
              {results.map(({ category, group }) => radio(category, nameIn(category.name, lang), group ? nameIn(group.name, lang) : undefined))}
              {!results.length ? <Button variant="link" onClick={() => setQuery('')}>{t('new.category.showAll')}</Button> : null}
            </div>
          ) : (
            <div className="r-groups">
              {groups.map((g) => g.children.length ? (
                <details
                  key={g.category.id} open={openGroups.has(g.category.id)}
                  onToggle={(e) => {
                    const isOpen = e.currentTarget.open;
                    setOpenGroups((prev) => {
                      if (prev.has(g.category.id) === isOpen) return prev;
                      const next = new Set(prev);
                      if (isOpen) next.add(g.category.id); else next.delete(g.category.id);
                      return next;
                    });
                  }}
                >
                  <summary>{nameIn(g.category.name, lang)}</summary>
                  <div className="r-choices">{g.children.map((c) => radio(c, nameIn(c.name, lang)))}</div>
                </details>
              ) : <div key={g.category.id} className="r-choices">{radio(g.category, nameIn(g.category.name, lang))}</div>)}
            </div>
          )}
        </>
      ) : null}
    </fieldset>
  );
}
