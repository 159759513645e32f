/**
 * Texts of the Open311 interface (error descriptions, notices, datatype hints) in ky/ru/en. Kept with the module:
 * the spec's error body is {code, description}, not the API's {error: {code, message}}.
 */
import type { Locale } from '@shaar/contracts';

const en = {
  jurisdiction_required: 'jurisdiction_id is required: this server serves several cities ({list}).',
  jurisdiction_unknown: 'Unknown jurisdiction_id: {value}.',
  api_key_invalid: 'Invalid api_key received -- cannot proceed with create_request.',
  service_code_required: 'service_code is required.',
  service_code_unknown: 'Unknown service_code: {value}.',
  location_required: 'A location is required: lat and long, or address_string.',
  lat_long_invalid: 'lat and long must be numbers in WGS84 (lat -90…90, long -180…180), given together.',
  field_too_long: '{field} is too long (at most {max} characters).',
  field_invalid: '{field} is not valid.',
  attribute_required: 'attribute[{code}] is required.',
  attribute_invalid: 'attribute[{code}] is not a valid {datatype}.',
  attribute_value_unknown: 'attribute[{code}]: {value} is not one of the listed values.',
  attribute_unknown: 'attribute[{code}] is not an attribute of this service.',
  date_invalid: '{field} must be an ISO 8601 date and time.',
  date_range: 'start_date must not be after end_date, and the range may span at most 90 days.',
  status_invalid: 'status must be open, closed, or both separated by a comma.',
  request_not_found: 'No service request with id {value}.',
  token_not_found: 'No service request with token {value}.',
  not_found: 'Not found. Resources are .json or .xml.',
  body_invalid: 'The request body could not be read.',
  internal: 'The server could not complete the request.',
  notice: 'Registered under number {number}. By law the answer is due by {due}.',
  placeholder_name: 'Not given (Open311)',
  hint_number: 'A number, e.g. 12 or 3.5',
  hint_datetime: 'A date and time in ISO 8601, e.g. 2026-04-27T10:00:00+06:00',
  hint_string: 'A short text',
  hint_text: 'A text',
  hint_singlevaluelist: 'One key from the values',
  hint_multivaluelist: 'One or more keys from the values',
};
type Key = keyof typeof en;

const ru: Record<Key, string> = {
  jurisdiction_required: 'Нужен jurisdiction_id: сервер обслуживает несколько городов ({list}).',
  jurisdiction_unknown: 'Неизвестный jurisdiction_id: {value}.',
  api_key_invalid: 'Недействительный api_key — создать обращение нельзя.',
  service_code_required: 'Нужен service_code.',
  service_code_unknown: 'Неизвестный service_code: {value}.',
  location_required: 'Нужно место: lat и long или address_string.',
  lat_long_invalid: 'lat и long — числа WGS84 (lat -90…90, long -180…180), только вместе.',
  field_too_long: '{field} слишком длинное (не более {max} символов).',
  field_invalid: '{field} указано неверно.',
  attribute_required: 'Нужен attribute[{code}].',
  attribute_invalid: 'attribute[{code}] не является допустимым значением типа {datatype}.',
  attribute_value_unknown: 'attribute[{code}]: значения {value} нет в списке.',
  attribute_unknown: 'attribute[{code}] не относится к этой услуге.',
  date_invalid: '{field} должно быть датой и временем ISO 8601.',
  date_range: 'start_date не может быть позже end_date, а промежуток — длиннее 90 дней.',
  status_invalid: 'status: open, closed или оба через запятую.',
  request_not_found: 'Обращения с номером {value} нет.',
  token_not_found: 'Обращения с токеном {value} нет.',
  not_found: 'Не найдено. Ресурсы имеют вид .json или .xml.',
  body_invalid: 'Не удалось прочитать тело запроса.',
  internal: 'Сервер не смог выполнить запрос.',
  notice: 'Зарегистрировано под номером {number}. По закону ответ будет дан до {due}.',
  placeholder_name: 'Не указано (Open311)',
  hint_number: 'Число, например 12 или 3.5',
  hint_datetime: 'Дата и время ISO 8601, например 2026-04-27T10:00:00+06:00',
  hint_string: 'Короткий текст',
  hint_text: 'Текст',
  hint_singlevaluelist: 'Один ключ из списка',
  hint_multivaluelist: 'Один или несколько ключей из списка',
};

const ky: Record<Key, string> = {
  jurisdiction_required: 'jurisdiction_id керек: сервер бир нече шаарды тейлейт ({list}).',
  jurisdiction_unknown: 'Белгисиз jurisdiction_id: {value}.',
  api_key_invalid: 'api_key жараксыз — кайрылуу түзүүгө болбойт.',
  service_code_required: 'service_code керек.',
  service_code_unknown: 'Белгисиз service_code: {value}.',
  location_required: 'Орун керек: lat жана long же address_string.',
  lat_long_invalid: 'lat жана long — WGS84 сандары (lat -90…90, long -180…180), экөө бирге.',
  field_too_long: '{field} өтө узун ({max} белгиден ашпашы керек).',
  field_invalid: '{field} туура эмес.',
  attribute_required: 'attribute[{code}] керек.',
  attribute_invalid: 'attribute[{code}] {datatype} түрүндөгү туура маани эмес.',
  attribute_value_unknown: 'attribute[{code}]: {value} тизмеде жок.',
  attribute_unknown: 'attribute[{code}] бул кызматка тиешелүү эмес.',
  date_invalid: '{field} ISO 8601 күнү жана убактысы болушу керек.',
  date_range: 'start_date end_date\'ден кеч болбошу керек, аралык 90 күндөн ашпашы керек.',
  status_invalid: 'status: open, closed же экөө тең үтүр менен.',
  request_not_found: '{value} номериндеги кайрылуу жок.',
  token_not_found: '{value} токенине кайрылуу жок.',
  not_found: 'Табылган жок. Ресурстар .json же .xml болот.',
  body_invalid: 'Сурамдын мазмунун окуу мүмкүн болгон жок.',
  internal: 'Сервер сурамды аткара алган жок.',
  notice: '{number} номери менен катталды. Мыйзам боюнча жооп {due} чейин берилет.',
  placeholder_name: 'Көрсөтүлгөн эмес (Open311)',
  hint_number: 'Сан, мисалы 12 же 3.5',
  hint_datetime: 'ISO 8601 күнү жана убактысы, мисалы 2026-04-27T10:00:00+06:00',
  hint_string: 'Кыска текст',
  hint_text: 'Текст',
  hint_singlevaluelist: 'Тизмеден бир ачкыч',
  hint_multivaluelist: 'Тизмеден бир же бир нече ачкыч',
};

const dict: Record<Locale, Record<Key, string>> = { en, ru, ky };

export type Open311MessageKey = Key;

export function o311(locale: Locale, key: Key, params: Record<string, string | number> = {}): string {
  return dict[locale][key].replace(/\{(\w+)\}/g, (_, k: string) => String(params[k] ?? `{${k}}`));
}
