/**
 * Why an import row was rejected, in the admin's language. Kept with the importer: these are report lines stored
 * with the run (in the language of the admin who ran it), not API errors.
 */
import type { Locale } from '@shaar/contracts';

export const ROW_ERROR_CODES = [
  'required', 'invalid_date', 'unknown_value', 'out_of_range', 'too_long', 'too_short', 'in_future', 'closed_before_received',
  'registered_before_received', 'wrong_column_count',
] as const;
export type RowErrorCode = (typeof ROW_ERROR_CODES)[number];

const catalogs: Record<Locale, Record<RowErrorCode, string>> = {
  en: {
    required: 'Column "{column}" is empty but required.',
    invalid_date: 'Column "{column}": "{value}" is not a date in the format {format}.',
    unknown_value: 'Column "{column}": the value "{value}" has no match in the mapping.',
    out_of_range: 'Column "{column}": "{value}" is out of range ({range}).',
    too_long: 'Column "{column}" is too long (at most {max} characters).',
    too_short: 'Column "{column}" is too short (at least {min} characters).',
    in_future: 'Column "{column}": the date {value} lies in the future.',
    closed_before_received: 'Column "{column}": closed before the appeal was received.',
    registered_before_received: 'Column "{column}": registered before the appeal was received.',
    wrong_column_count: 'The row has {value} columns; the header has {range}.',
  },
  ru: {
    required: 'Столбец «{column}» пуст, а он обязателен.',
    invalid_date: 'Столбец «{column}»: «{value}» — не дата в формате {format}.',
    unknown_value: 'Столбец «{column}»: для значения «{value}» нет соответствия в сопоставлении.',
    out_of_range: 'Столбец «{column}»: «{value}» вне допустимых пределов ({range}).',
    too_long: 'Столбец «{column}» слишком длинный (не более {max} символов).',
    too_short: 'Столбец «{column}» слишком короткий (не менее {min} символов).',
    in_future: 'Столбец «{column}»: дата {value} ещё не наступила.',
    closed_before_received: 'Столбец «{column}»: обращение закрыто раньше, чем поступило.',
    registered_before_received: 'Столбец «{column}»: обращение зарегистрировано раньше, чем поступило.',
    wrong_column_count: 'В строке {value} столбцов, в заголовке — {range}.',
  },
  ky: {
    required: '«{column}» мамычасы бош, бирок ал милдеттүү.',
    invalid_date: '«{column}» мамычасы: «{value}» {format} форматындагы дата эмес.',
    unknown_value: '«{column}» мамычасы: «{value}» маанисине дал келүү жок.',
    out_of_range: '«{column}» мамычасы: «{value}» уруксат берилген чектен тышкары ({range}).',
    too_long: '«{column}» мамычасы өтө узун ({max} белгиден ашпашы керек).',
    too_short: '«{column}» мамычасы өтө кыска (жок дегенде {min} белги).',
    in_future: '«{column}» мамычасы: {value} датасы али келе элек.',
    closed_before_received: '«{column}» мамычасы: кайрылуу келгенге чейин жабылган.',
    registered_before_received: '«{column}» мамычасы: кайрылуу келгенге чейин катталган.',
    wrong_column_count: 'Сапта {value} мамыча, баш сапта — {range}.',
  },
};

export function rowErrorMessage(locale: Locale, code: RowErrorCode, params: Record<string, string | number>): string {
  return catalogs[locale][code].replace(/\{(\w+)\}/g, (_, k: string) => {
    const v = params[k];
    // A value from the file is shown shortened: the report must stay readable, and it is the admin's own file.
    return v === undefined ? '' : String(v).slice(0, 80);
  });
}
