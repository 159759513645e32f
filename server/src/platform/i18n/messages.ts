/**
 * Server-side messages (errors, notifications) in Kyrgyz, Russian and English. {name} placeholders are filled
 * from params. Every key must exist in all three languages: the type below makes a missing one a compile error.
 */
import type { Locale } from '@shaar/contracts';

const en = {
  // HTTP and validation
  'error.validation_failed': 'Some fields are not filled in correctly.',
  'error.malformed_json': 'The request body is not valid JSON.',
  'error.body_too_large': 'The request is too large (at most {limit} bytes).',
  'error.unsupported_media_type': 'This type of content is not accepted here.',
  'error.route_not_found': 'There is no such address in the API.',
  'error.not_found': 'Not found.',
  'error.municipality_not_found': 'There is no such city on this platform.',
  'error.unauthorized': 'Please sign in.',
  'error.forbidden': 'You do not have the right to do this.',
  'error.csrf_failed': 'The request was refused for your security. Reload the page and try again.',
  'error.invalid_credentials': 'Wrong e-mail or password.',
  'error.otp_invalid': 'The code is wrong or has expired. Request a new one.',
  'error.too_many_attempts': 'Too many attempts. Try again later.',
  'error.rate_limited': 'Too many requests. Try again in {seconds} seconds.',
  'error.conflict': 'This conflicts with existing data: {what}.',
  'error.transition_not_allowed': 'An appeal with status "{status}" cannot be {action}.',
  'error.reason_required': 'A reason is required for this action.',
  'error.extension_limit': 'The deadline can be extended by at most {max} working days in total ({left} left).',
  'error.not_in_your_service': 'This appeal is not in your service.',
  'error.invalid_reference': 'Unknown {field}.',
  'error.file_too_large': 'The file is too large (at most {limit} bytes).',
  'error.file_type_not_allowed': 'Files of this type are not accepted. Allowed: {allowed}.',
  'error.internal': 'Something went wrong on our side. Please try again.',
  'error.unavailable': 'The service is temporarily unavailable. Please try again.',
  // Validation issues
  'issue.required': 'Required.',
  'issue.invalid_type': 'Expected {expected}.',
  'issue.too_small_string': 'At least {minimum} characters.',
  'issue.too_big_string': 'At most {maximum} characters.',
  'issue.too_small_number': 'Must be at least {minimum}.',
  'issue.too_big_number': 'Must be at most {maximum}.',
  'issue.too_small_array': 'At least {minimum} items.',
  'issue.too_big_array': 'At most {maximum} items.',
  'issue.invalid_format': 'Invalid format ({format}).',
  'issue.invalid_value': 'Must be one of: {values}.',
  'issue.unrecognized_keys': 'Unknown fields: {keys}.',
  'issue.invalid': 'Invalid value.',
  // Messages to people
  'otp.subject': 'Your sign-in code',
  'otp.body': 'Your Shaar sign-in code: {code}. It is valid for {minutes} minutes. Do not tell it to anyone.',
};

export type MessageKey = keyof typeof en;
type Catalog = Record<MessageKey, string>;

const ru: Catalog = {
  'error.validation_failed': 'Некоторые поля заполнены неверно.',
  'error.malformed_json': 'Тело запроса — не корректный JSON.',
  'error.body_too_large': 'Запрос слишком большой (не более {limit} байт).',
  'error.unsupported_media_type': 'Такой тип содержимого здесь не принимается.',
  'error.route_not_found': 'В API нет такого адреса.',
  'error.not_found': 'Не найдено.',
  'error.municipality_not_found': 'Такого города на платформе нет.',
  'error.unauthorized': 'Пожалуйста, войдите.',
  'error.forbidden': 'У вас нет права на это действие.',
  'error.csrf_failed': 'Запрос отклонён ради вашей безопасности. Обновите страницу и попробуйте снова.',
  'error.invalid_credentials': 'Неверный e-mail или пароль.',
  'error.otp_invalid': 'Код неверный или истёк. Запросите новый.',
  'error.too_many_attempts': 'Слишком много попыток. Попробуйте позже.',
  'error.rate_limited': 'Слишком много запросов. Попробуйте через {seconds} с.',
  'error.conflict': 'Это противоречит существующим данным: {what}.',
  'error.transition_not_allowed': 'Для обращения со статусом «{status}» действие «{action}» недоступно.',
  'error.reason_required': 'Для этого действия нужно указать причину.',
  'error.extension_limit': 'Срок можно продлить не более чем на {max} рабочих дней в сумме (осталось {left}).',
  'error.not_in_your_service': 'Это обращение не относится к вашей службе.',
  'error.invalid_reference': 'Неизвестное значение поля {field}.',
  'error.file_too_large': 'Файл слишком большой (не более {limit} байт).',
  'error.file_type_not_allowed': 'Файлы такого типа не принимаются. Допустимы: {allowed}.',
  'error.internal': 'У нас что-то пошло не так. Попробуйте ещё раз.',
  'error.unavailable': 'Сервис временно недоступен. Попробуйте ещё раз.',
  'issue.required': 'Обязательное поле.',
  'issue.invalid_type': 'Ожидается {expected}.',
  'issue.too_small_string': 'Не менее {minimum} символов.',
  'issue.too_big_string': 'Не более {maximum} символов.',
  'issue.too_small_number': 'Не меньше {minimum}.',
  'issue.too_big_number': 'Не больше {maximum}.',
  'issue.too_small_array': 'Не менее {minimum} элементов.',
  'issue.too_big_array': 'Не более {maximum} элементов.',
  'issue.invalid_format': 'Неверный формат ({format}).',
  'issue.invalid_value': 'Допустимые значения: {values}.',
  'issue.unrecognized_keys': 'Неизвестные поля: {keys}.',
  'issue.invalid': 'Недопустимое значение.',
  'otp.subject': 'Ваш код для входа',
  'otp.body': 'Ваш код для входа в Shaar: {code}. Он действует {minutes} мин. Никому его не сообщайте.',
};

const ky: Catalog = {
  'error.validation_failed': 'Айрым талаалар туура эмес толтурулган.',
  'error.malformed_json': 'Сурамдын денеси туура JSON эмес.',
  'error.body_too_large': 'Сурам өтө чоң ({limit} байттан ашпашы керек).',
  'error.unsupported_media_type': 'Мындай мазмундун түрү бул жерде кабыл алынбайт.',
  'error.route_not_found': 'API\'де мындай дарек жок.',
  'error.not_found': 'Табылган жок.',
  'error.municipality_not_found': 'Платформада мындай шаар жок.',
  'error.unauthorized': 'Сураныч, кириңиз.',
  'error.forbidden': 'Бул аракетке укугуңуз жок.',
  'error.csrf_failed': 'Коопсуздугуңуз үчүн сурам четке кагылды. Баракты жаңыртып, кайра аракет кылыңыз.',
  'error.invalid_credentials': 'E-mail же сырсөз туура эмес.',
  'error.otp_invalid': 'Код туура эмес же мөөнөтү өттү. Жаңысын сураңыз.',
  'error.too_many_attempts': 'Аракеттер өтө көп. Кийинчерээк кайталаңыз.',
  'error.rate_limited': 'Сурамдар өтө көп. {seconds} секунддан кийин кайталаңыз.',
  'error.conflict': 'Бул бар маалыматка карама-каршы келет: {what}.',
  'error.transition_not_allowed': '«{status}» абалындагы кайрылууга «{action}» аракети жеткиликсиз.',
  'error.reason_required': 'Бул аракет үчүн себебин көрсөтүү керек.',
  'error.extension_limit': 'Мөөнөттү жалпысынан {max} жумуш күнүнөн ашык узартууга болбойт ({left} калды).',
  'error.not_in_your_service': 'Бул кайрылуу сиздин кызматка тиешелүү эмес.',
  'error.invalid_reference': '{field} талаасынын белгисиз мааниси.',
  'error.file_too_large': 'Файл өтө чоң ({limit} байттан ашпашы керек).',
  'error.file_type_not_allowed': 'Мындай түрдөгү файлдар кабыл алынбайт. Уруксат: {allowed}.',
  'error.internal': 'Биз тарапта ката кетти. Кайра аракет кылыңыз.',
  'error.unavailable': 'Кызмат убактылуу жеткиликсиз. Кайра аракет кылыңыз.',
  'issue.required': 'Милдеттүү талаа.',
  'issue.invalid_type': '{expected} күтүлөт.',
  'issue.too_small_string': 'Кеминде {minimum} белги.',
  'issue.too_big_string': 'Эң көп {maximum} белги.',
  'issue.too_small_number': 'Кеминде {minimum}.',
  'issue.too_big_number': 'Эң көп {maximum}.',
  'issue.too_small_array': 'Кеминде {minimum} элемент.',
  'issue.too_big_array': 'Эң көп {maximum} элемент.',
  'issue.invalid_format': 'Формат туура эмес ({format}).',
  'issue.invalid_value': 'Уруксат берилген маанилер: {values}.',
  'issue.unrecognized_keys': 'Белгисиз талаалар: {keys}.',
  'issue.invalid': 'Жараксыз маани.',
  'otp.subject': 'Кирүү үчүн кодуңуз',
  'otp.body': 'Shaar\'га кирүү кодуңуз: {code}. Ал {minutes} мүнөт жарактуу. Аны эч кимге айтпаңыз.',
};

const catalogs: Record<Locale, Catalog> = { ky, ru, en };

export type MessageParams = Record<string, string | number>;

export function translate(locale: Locale, key: MessageKey, params: MessageParams = {}): string {
  const template = catalogs[locale][key] ?? en[key];
  return template.replace(/\{(\w+)\}/g, (_, name: string) => (name in params ? String(params[name]) : `{${name}}`));
}
