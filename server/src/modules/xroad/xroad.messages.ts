/**
 * Texts of the Tunduk (X-Road) services in ky/ru/en. Kept with the module: its error body is X-Road's
 * {type, message, detail}, not the API's {error: {code, message}}.
 */
import type { Locale } from '@shaar/contracts';

const en = {
  client_missing: 'The X-Road-Client header is required: INSTANCE/CLASS/MEMBER/SUBSYSTEM, each part percent-encoded.',
  client_malformed: 'The X-Road-Client header is not a valid X-Road client identifier (INSTANCE/CLASS/MEMBER/SUBSYSTEM).',
  consumer_unknown: 'The X-Road client {client} is not registered with this city, or its access has been revoked.',
  address_refused: 'This service is available only through the city\'s X-Road security server.',
  scope_missing: 'The X-Road client {client} may not use this service.',
  list_not_allowed: 'The X-Road client {client} may not list appeals by personal number.',
  municipality_unknown: 'There is no such city on this platform.',
  appeal_not_found: 'No appeal {ref} is available to this X-Road client.',
  category_required: 'Give the category: its code (category) or a description of it (categoryText).',
  category_unknown: 'Unknown category: {value}.',
  category_unresolved: 'The category could not be recognised from the text; give its code (category).',
  personal_number: 'A personal number (ПИН) has 14 digits: 1 or 2, the date of birth as DDMMYYYY, then 5 digits.',
  validation: 'Some fields are not filled in correctly.',
  not_found: 'There is no such service. See openapi.json for the services.',
  internal: 'The service could not complete the request. Quote the detail when reporting it.',
  placeholder_subject: 'Appeal via Tunduk',
};
type Key = keyof typeof en;

const ru: Record<Key, string> = {
  client_missing: 'Нужен заголовок X-Road-Client: INSTANCE/CLASS/MEMBER/SUBSYSTEM, каждая часть в percent-encoding.',
  client_malformed: 'Заголовок X-Road-Client не является идентификатором клиента X-Road (INSTANCE/CLASS/MEMBER/SUBSYSTEM).',
  consumer_unknown: 'Клиент X-Road {client} не зарегистрирован в этом городе или его доступ отозван.',
  address_refused: 'Этот сервис доступен только через сервер безопасности X-Road города.',
  scope_missing: 'Клиенту X-Road {client} этот сервис недоступен.',
  list_not_allowed: 'Клиенту X-Road {client} не разрешено искать обращения по персональному номеру.',
  municipality_unknown: 'Такого города на платформе нет.',
  appeal_not_found: 'Обращение {ref} этому клиенту X-Road недоступно.',
  category_required: 'Укажите категорию: её код (category) или описание (categoryText).',
  category_unknown: 'Неизвестная категория: {value}.',
  category_unresolved: 'По тексту не удалось определить категорию; укажите её код (category).',
  personal_number: 'Персональный номер (ПИН) — 14 цифр: 1 или 2, дата рождения ДДММГГГГ и ещё 5 цифр.',
  validation: 'Некоторые поля заполнены неверно.',
  not_found: 'Такого сервиса нет. Список сервисов — в openapi.json.',
  internal: 'Сервис не смог выполнить запрос. Сообщая об ошибке, укажите detail.',
  placeholder_subject: 'Обращение через Тундук',
};

const ky: Record<Key, string> = {
  client_missing: 'X-Road-Client башчысы керек: INSTANCE/CLASS/MEMBER/SUBSYSTEM, ар бир бөлүгү percent-encoding менен.',
  client_malformed: 'X-Road-Client башчысы X-Road кардарынын идентификатору эмес (INSTANCE/CLASS/MEMBER/SUBSYSTEM).',
  consumer_unknown: '{client} X-Road кардары бул шаарда катталган эмес же анын мүмкүнчүлүгү жокко чыгарылган.',
  address_refused: 'Бул кызмат шаардын X-Road коопсуздук сервери аркылуу гана жеткиликтүү.',
  scope_missing: '{client} X-Road кардары бул кызматты колдоно албайт.',
  list_not_allowed: '{client} X-Road кардарына кайрылууларды жеке номер боюнча издөөгө уруксат жок.',
  municipality_unknown: 'Платформада мындай шаар жок.',
  appeal_not_found: '{ref} кайрылуусу бул X-Road кардарына жеткиликсиз.',
  category_required: 'Категорияны көрсөтүңүз: анын кодун (category) же сүрөттөмөсүн (categoryText).',
  category_unknown: 'Белгисиз категория: {value}.',
  category_unresolved: 'Тексттен категорияны аныктоо мүмкүн болгон жок; анын кодун (category) көрсөтүңүз.',
  personal_number: 'Жеке идентификациялык номер (ПИН) 14 сандан турат: 1 же 2, туулган күнү ККААЖЖЖЖ түрүндө, андан кийин дагы 5 сан.',
  validation: 'Айрым талаалар туура эмес толтурулган.',
  not_found: 'Мындай кызмат жок. Кызматтардын тизмеси openapi.json ичинде.',
  internal: 'Кызмат сурамды аткара алган жок. Ката жөнүндө кабарлаганда detail маанисин көрсөтүңүз.',
  placeholder_subject: 'Түндүк аркылуу кайрылуу',
};

const dict: Record<Locale, Record<Key, string>> = { en, ru, ky };

export type XRoadMessageKey = Key;

export function xr(locale: Locale, key: Key, params: Record<string, string | number> = {}): string {
  return dict[locale][key].replace(/\{(\w+)\}/g, (_, k: string) => String(params[k] ?? `{${k}}`));
}
