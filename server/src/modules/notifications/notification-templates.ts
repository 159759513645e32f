/**
 * What each event tells people, in Kyrgyz, Russian and English: a subject and a short text. The text is the same on
 * every channel; e-mail and SMS add the link to the page where the person acts (the in-app feed shows it as a link).
 * Names inserted into a sentence (a service, an outside body) follow a colon, so no grammatical case is needed.
 *
 * The event details each template reads (set by whoever announces the event):
 *   registered, reopened — dueDate;  redirected — serviceId or redirectedTo, reason;  extended — dueDate, reason;
 *   left_without_consideration — ground;  review_decided — decision ('reopened' | 'closure_confirmed'), dueDate,
 *   reason;  assigned — dueDate;  due_soon — daysLeft, dueDate;  due_today, overdue — dueDate;  low_rating — overall;
 *   review_requested — reason;  extension_requested — days, reason;  extension_decided — decision ('approved' |
 *   'refused'), dueDate, reason.
 */
import type { Locale, NoConsiderationGround } from '@shaar/contracts';
import type { AppealEvent } from './appeal-events.js';

export interface MessageContext {
  /** BSK-2026-000123 */
  number: string;
  /** DD.MM.YYYY */
  dueDate: string | null;
  reason: string | null;
  /** Where a redirected appeal went: a service's name in this language, or the outside body as written. */
  to: string | null;
  /** The legal ground of leaving without consideration, in this language. */
  ground: string | null;
  days: number | null;
  daysLeft: number | null;
  decision: string | null;
  overall: number | null;
  /** 'assigned' to a service with no executor yet: told to the service's heads. */
  toService: boolean;
}

export interface Message { subject: string; text: string }
type Template = (c: MessageContext) => Message;

/** '2026-05-25' → '25.05.2026'. */
export function formatDate(isoDate: string | null | undefined): string | null {
  const m = isoDate ? /^(\d{4})-(\d{2})-(\d{2})/.exec(isoDate) : null;
  return m ? `${m[3]}.${m[2]}.${m[1]}` : null;
}

/** A clause that is there only when its value is: `Причина: …`. Ends with a full stop unless it already ends a sentence. */
function clause(label: string, value: string | number | null): string {
  if (value === null || value === '') return '';
  const v = String(value).trim();
  return ` ${label}: ${v}${/[.!?…]$/.test(v) ? '' : '.'}`;
}

const ruWorkingDays = (n: number) => {
  const d10 = n % 10;
  const d100 = n % 100;
  if (d10 === 1 && d100 !== 11) return `${n} рабочий день`;
  if (d10 >= 2 && d10 <= 4 && (d100 < 12 || d100 > 14)) return `${n} рабочих дня`;
  return `${n} рабочих дней`;
};
const enWorkingDays = (n: number) => `${n} working day${n === 1 ? '' : 's'}`;
const kyWorkingDays = (n: number) => `${n} жумуш күн`;

const ru: Record<AppealEvent, Template> = {
  registered: (c) => ({
    subject: `Обращение № ${c.number} зарегистрировано`,
    text: `Ваше обращение зарегистрировано под номером ${c.number}.${c.dueDate ? ` Ответ будет дан не позднее ${c.dueDate}.` : ''}`,
  }),
  redirected: (c) => ({
    subject: `Обращение № ${c.number} передано на рассмотрение`,
    text: `Ваше обращение № ${c.number} передано на рассмотрение по компетенции.${clause('Куда передано', c.to)}${clause('Причина', c.reason)}`,
  }),
  extended: (c) => ({
    subject: `Срок рассмотрения обращения № ${c.number} продлён`,
    text: `Срок рассмотрения вашего обращения № ${c.number} продлён.${clause('Новый срок ответа', c.dueDate)}${clause('Причина', c.reason)}`,
  }),
  answered: (c) => ({
    subject: `Дан ответ на обращение № ${c.number}`,
    text: `На ваше обращение № ${c.number} дан ответ. Прочитать его можно в разделе «Мои обращения» → «Ответ».`,
  }),
  closed: (c) => ({
    subject: `Обращение № ${c.number} закрыто`,
    text: `Рассмотрение вашего обращения № ${c.number} завершено, обращение закрыто.`,
  }),
  left_without_consideration: (c) => ({
    subject: `Обращение № ${c.number} оставлено без рассмотрения`,
    text: `Ваше обращение № ${c.number} оставлено без рассмотрения.${clause('Основание', c.ground)}`,
  }),
  reopened: (c) => ({
    subject: `Обращение № ${c.number} открыто повторно`,
    text: `Ваше обращение № ${c.number} открыто повторно.${clause('Новый срок ответа', c.dueDate)}`,
  }),
  review_decided: (c) => c.decision === 'reopened'
    ? {
      subject: `Обращение № ${c.number} открыто повторно по вашей просьбе`,
      text: `Ваша просьба о пересмотре удовлетворена: обращение № ${c.number} открыто повторно.${clause('Новый срок ответа', c.dueDate)}${clause('Пояснение', c.reason)}`,
    }
    : {
      subject: `Просьба о пересмотре обращения № ${c.number} рассмотрена`,
      text: `Ваша просьба о пересмотре обращения № ${c.number} рассмотрена: закрытие обращения подтверждено.${clause('Пояснение', c.reason)}`,
    },
  follow_up_question: (c) => ({
    subject: `Проблема по обращению № ${c.number} по-прежнему решена?`,
    text: `Недавно вы отметили, что проблема по обращению № ${c.number} решена. Она по-прежнему решена? Пожалуйста, ответьте на странице обращения.`,
  }),
  assigned: (c) => c.toService
    ? {
      subject: `Обращение № ${c.number} поступило в вашу службу`,
      text: `Обращение № ${c.number} поступило в вашу службу, исполнитель ещё не назначен.${clause('Срок ответа', c.dueDate)}`,
    }
    : {
      subject: `Вам назначено обращение № ${c.number}`,
      text: `Вам назначено на исполнение обращение № ${c.number}.${clause('Срок ответа', c.dueDate)}`,
    },
  due_soon: (c) => ({
    subject: `Срок ответа на обращение № ${c.number} истекает`,
    text: `До срока ответа на обращение № ${c.number} ${c.daysLeft === 1 ? 'остался' : 'осталось'} ${ruWorkingDays(c.daysLeft ?? 0)}.${clause('Срок ответа', c.dueDate)}`,
  }),
  due_today: (c) => ({
    subject: `Сегодня последний день для ответа на обращение № ${c.number}`,
    text: `Сегодня${c.dueDate ? ` (${c.dueDate})` : ''} последний день, когда можно ответить на обращение № ${c.number} в срок.`,
  }),
  overdue: (c) => ({
    subject: `Просрочен ответ на обращение № ${c.number}`,
    text: `Срок ответа на обращение № ${c.number} истёк${c.dueDate ? ` ${c.dueDate}` : ''}, ответ не дан.`,
  }),
  low_rating: (c) => ({
    subject: `Низкая оценка ответа на обращение № ${c.number}`,
    text: `Заявитель низко оценил ответ на обращение № ${c.number}.${clause('Оценка', c.overall === null ? null : `${c.overall} из 5`)}`,
  }),
  review_requested: (c) => ({
    subject: `Просьба о пересмотре обращения № ${c.number}`,
    text: `Заявитель просит пересмотреть ответ на обращение № ${c.number}: открыть обращение повторно или подтвердить закрытие.${clause('Довод заявителя', c.reason)}`,
  }),
  extension_requested: (c) => ({
    subject: `Просьба продлить срок по обращению № ${c.number}`,
    text: `Исполнитель просит продлить срок ответа на обращение № ${c.number}${c.days ? ` на ${ruWorkingDays(c.days)}` : ''}.${clause('Причина', c.reason)}`,
  }),
  extension_decided: (c) => c.decision === 'approved'
    ? {
      subject: `Срок по обращению № ${c.number} продлён`,
      text: `Ваша просьба о продлении срока по обращению № ${c.number} одобрена.${clause('Новый срок ответа', c.dueDate)}`,
    }
    : {
      subject: `В продлении срока по обращению № ${c.number} отказано`,
      text: `Ваша просьба о продлении срока по обращению № ${c.number} отклонена.${clause('Причина', c.reason)}`,
    },
};

const ky: Record<AppealEvent, Template> = {
  registered: (c) => ({
    subject: `№ ${c.number} кайрылуу катталды`,
    text: `Сиздин кайрылууңуз ${c.number} номери менен катталды.${clause('Жооп берүүнүн акыркы мөөнөтү', c.dueDate)}`,
  }),
  redirected: (c) => ({
    subject: `№ ${c.number} кайрылуу кароого жөнөтүлдү`,
    text: `Сиздин № ${c.number} кайрылууңуз ыйгарым укугуна ылайык кароого жөнөтүлдү.${clause('Кайда жөнөтүлдү', c.to)}${clause('Себеби', c.reason)}`,
  }),
  extended: (c) => ({
    subject: `№ ${c.number} кайрылууну кароо мөөнөтү узартылды`,
    text: `Сиздин № ${c.number} кайрылууңузду кароо мөөнөтү узартылды.${clause('Жооп берүүнүн жаңы мөөнөтү', c.dueDate)}${clause('Себеби', c.reason)}`,
  }),
  answered: (c) => ({
    subject: `№ ${c.number} кайрылууга жооп берилди`,
    text: `Сиздин № ${c.number} кайрылууңузга жооп берилди. Жоопту «Менин кайрылууларым» → «Жооп» бөлүмүнөн окуй аласыз.`,
  }),
  closed: (c) => ({
    subject: `№ ${c.number} кайрылуу жабылды`,
    text: `Сиздин № ${c.number} кайрылууңузду кароо аяктады, кайрылуу жабылды.`,
  }),
  left_without_consideration: (c) => ({
    subject: `№ ${c.number} кайрылуу кароосуз калтырылды`,
    text: `Сиздин № ${c.number} кайрылууңуз кароосуз калтырылды.${clause('Негизи', c.ground)}`,
  }),
  reopened: (c) => ({
    subject: `№ ${c.number} кайрылуу кайра ачылды`,
    text: `Сиздин № ${c.number} кайрылууңуз кайра ачылды.${clause('Жооп берүүнүн жаңы мөөнөтү', c.dueDate)}`,
  }),
  review_decided: (c) => c.decision === 'reopened'
    ? {
      subject: `Өтүнүчүңүз боюнча № ${c.number} кайрылуу кайра ачылды`,
      text: `Кайра кароо жөнүндө өтүнүчүңүз канааттандырылды: № ${c.number} кайрылуу кайра ачылды.${clause('Жооп берүүнүн жаңы мөөнөтү', c.dueDate)}${clause('Түшүндүрмө', c.reason)}`,
    }
    : {
      subject: `№ ${c.number} кайрылууну кайра кароо жөнүндө өтүнүч каралды`,
      text: `№ ${c.number} кайрылууну кайра кароо жөнүндө өтүнүчүңүз каралды: кайрылуунун жабылышы ырасталды.${clause('Түшүндүрмө', c.reason)}`,
    },
  follow_up_question: (c) => ({
    subject: `№ ${c.number} кайрылуу боюнча көйгөй чечилген бойдон калдыбы?`,
    text: `Жакында сиз № ${c.number} кайрылуу боюнча көйгөй чечилгенин белгилегенсиз. Ал азыр да чечилген бойдонбу? Сураныч, кайрылуунун барагында жооп бериңиз.`,
  }),
  assigned: (c) => c.toService
    ? {
      subject: `№ ${c.number} кайрылуу сиздин кызматка келип түштү`,
      text: `№ ${c.number} кайрылуу сиздин кызматка келип түштү, аткаруучу али дайындала элек.${clause('Жооп берүүнүн мөөнөтү', c.dueDate)}`,
    }
    : {
      subject: `Сизге № ${c.number} кайрылуу дайындалды`,
      text: `Сизге № ${c.number} кайрылуу аткаруу үчүн дайындалды.${clause('Жооп берүүнүн мөөнөтү', c.dueDate)}`,
    },
  due_soon: (c) => ({
    subject: `№ ${c.number} кайрылууга жооп берүү мөөнөтү бүтүп баратат`,
    text: `№ ${c.number} кайрылууга жооп берүү мөөнөтүнө ${kyWorkingDays(c.daysLeft ?? 0)} калды.${clause('Жооп берүүнүн мөөнөтү', c.dueDate)}`,
  }),
  due_today: (c) => ({
    subject: `Бүгүн № ${c.number} кайрылууга жооп берүүнүн акыркы күнү`,
    text: `Бүгүн${c.dueDate ? ` (${c.dueDate})` : ''} № ${c.number} кайрылууга мөөнөтүндө жооп берүүгө мүмкүн болгон акыркы күн.`,
  }),
  overdue: (c) => ({
    subject: `№ ${c.number} кайрылууга жооп берүү мөөнөтү өтүп кетти`,
    text: `№ ${c.number} кайрылууга жооп берүү мөөнөтү өтүп кетти${c.dueDate ? ` (${c.dueDate})` : ''}, жооп берилген жок.`,
  }),
  low_rating: (c) => ({
    subject: `№ ${c.number} кайрылууга берилген жоопко төмөн баа коюлду`,
    text: `Арыз ээси № ${c.number} кайрылууга берилген жоопко төмөн баа койду.${clause('Баа', c.overall === null ? null : `${c.overall}/5`)}`,
  }),
  review_requested: (c) => ({
    subject: `№ ${c.number} кайрылууну кайра кароо жөнүндө өтүнүч`,
    text: `Арыз ээси № ${c.number} кайрылууга берилген жоопту кайра кароону суранат: кайрылууну кайра ачуу же жабылышын ырастоо керек.${clause('Арыз ээсинин жүйөсү', c.reason)}`,
  }),
  extension_requested: (c) => ({
    subject: `№ ${c.number} кайрылуу боюнча мөөнөттү узартуу өтүнүчү`,
    text: `Аткаруучу № ${c.number} кайрылууга жооп берүү мөөнөтүн${c.days ? ` ${kyWorkingDays(c.days)}гө` : ''} узартууну суранат.${clause('Себеби', c.reason)}`,
  }),
  extension_decided: (c) => c.decision === 'approved'
    ? {
      subject: `№ ${c.number} кайрылуу боюнча мөөнөт узартылды`,
      text: `№ ${c.number} кайрылуу боюнча мөөнөттү узартуу жөнүндө өтүнүчүңүз жактырылды.${clause('Жооп берүүнүн жаңы мөөнөтү', c.dueDate)}`,
    }
    : {
      subject: `№ ${c.number} кайрылуу боюнча мөөнөттү узартуудан баш тартылды`,
      text: `№ ${c.number} кайрылуу боюнча мөөнөттү узартуу жөнүндө өтүнүчүңүз четке кагылды.${clause('Себеби', c.reason)}`,
    },
};

const en: Record<AppealEvent, Template> = {
  registered: (c) => ({
    subject: `Appeal No. ${c.number} registered`,
    text: `Your appeal has been registered under number ${c.number}.${c.dueDate ? ` The answer is due by ${c.dueDate}.` : ''}`,
  }),
  redirected: (c) => ({
    subject: `Appeal No. ${c.number} passed on for consideration`,
    text: `Your appeal No. ${c.number} has been passed on to the body responsible for it.${clause('Passed on to', c.to)}${clause('Reason', c.reason)}`,
  }),
  extended: (c) => ({
    subject: `The term of appeal No. ${c.number} has been extended`,
    text: `The term for considering your appeal No. ${c.number} has been extended.${clause('New due date of the answer', c.dueDate)}${clause('Reason', c.reason)}`,
  }),
  answered: (c) => ({
    subject: `Your appeal No. ${c.number} has been answered`,
    text: `Your appeal No. ${c.number} has been answered. You can read the answer under My appeals → Response.`,
  }),
  closed: (c) => ({
    subject: `Appeal No. ${c.number} closed`,
    text: `The consideration of your appeal No. ${c.number} is complete and the appeal has been closed.`,
  }),
  left_without_consideration: (c) => ({
    subject: `Appeal No. ${c.number} left without consideration`,
    text: `Your appeal No. ${c.number} has been left without consideration.${clause('Legal ground', c.ground)}`,
  }),
  reopened: (c) => ({
    subject: `Appeal No. ${c.number} reopened`,
    text: `Your appeal No. ${c.number} has been reopened.${clause('New due date of the answer', c.dueDate)}`,
  }),
  review_decided: (c) => c.decision === 'reopened'
    ? {
      subject: `Appeal No. ${c.number} reopened at your request`,
      text: `Your request for review has been granted: appeal No. ${c.number} has been reopened.${clause('New due date of the answer', c.dueDate)}${clause('Explanation', c.reason)}`,
    }
    : {
      subject: `Your request for review of appeal No. ${c.number} has been decided`,
      text: `Your request for review of appeal No. ${c.number} has been considered: the closure of the appeal is confirmed.${clause('Explanation', c.reason)}`,
    },
  follow_up_question: (c) => ({
    subject: `Is the problem of appeal No. ${c.number} still solved?`,
    text: `Some time ago you said that the problem of appeal No. ${c.number} was solved. Is it still solved? Please answer on the appeal's page.`,
  }),
  assigned: (c) => c.toService
    ? {
      subject: `Appeal No. ${c.number} has come to your service`,
      text: `Appeal No. ${c.number} has come to your service; no executor has been assigned yet.${clause('Due date of the answer', c.dueDate)}`,
    }
    : {
      subject: `Appeal No. ${c.number} assigned to you`,
      text: `Appeal No. ${c.number} has been assigned to you.${clause('Due date of the answer', c.dueDate)}`,
    },
  due_soon: (c) => ({
    subject: `The answer to appeal No. ${c.number} is due soon`,
    text: `${enWorkingDays(c.daysLeft ?? 0)} left until the answer to appeal No. ${c.number} is due.${clause('Due date of the answer', c.dueDate)}`,
  }),
  due_today: (c) => ({
    subject: `Today is the last day to answer appeal No. ${c.number}`,
    text: `Today${c.dueDate ? ` (${c.dueDate})` : ''} is the last day to answer appeal No. ${c.number} in time.`,
  }),
  overdue: (c) => ({
    subject: `The answer to appeal No. ${c.number} is overdue`,
    text: `The answer to appeal No. ${c.number} was due${c.dueDate ? ` on ${c.dueDate}` : ''} and has not been given.`,
  }),
  low_rating: (c) => ({
    subject: `Low rating of the answer to appeal No. ${c.number}`,
    text: `The applicant rated the answer to appeal No. ${c.number} low.${clause('Rating', c.overall === null ? null : `${c.overall} of 5`)}`,
  }),
  review_requested: (c) => ({
    subject: `Request for review of appeal No. ${c.number}`,
    text: `The applicant asks for a review of the answer to appeal No. ${c.number}: reopen the appeal or confirm its closure.${clause("The applicant's argument", c.reason)}`,
  }),
  extension_requested: (c) => ({
    subject: `Request to extend the term of appeal No. ${c.number}`,
    text: `The executor asks to extend the term of the answer to appeal No. ${c.number}${c.days ? ` by ${enWorkingDays(c.days)}` : ''}.${clause('Reason', c.reason)}`,
  }),
  extension_decided: (c) => c.decision === 'approved'
    ? {
      subject: `The term of appeal No. ${c.number} has been extended`,
      text: `Your request to extend the term of appeal No. ${c.number} has been approved.${clause('New due date of the answer', c.dueDate)}`,
    }
    : {
      subject: `Extension of the term of appeal No. ${c.number} refused`,
      text: `Your request to extend the term of appeal No. ${c.number} has been refused.${clause('Reason', c.reason)}`,
    },
};

const TEMPLATES: Record<Locale, Record<AppealEvent, Template>> = { ky, ru, en };

export function renderMessage(locale: Locale, event: AppealEvent, context: MessageContext): Message {
  return TEMPLATES[locale][event](context);
}

/** The words around the link and the automatic-message note, per channel. */
const LINK_LABEL: Record<Locale, string> = { ky: 'Кайрылуунун барагы', ru: 'Страница обращения', en: "The appeal's page" };
const EMAIL_FOOTER: Record<Locale, string> = {
  ky: 'Бул кат автоматтык түрдө жөнөтүлдү, ага жооп берүүнүн кереги жок.',
  ru: 'Это письмо отправлено автоматически, отвечать на него не нужно.',
  en: 'This message was sent automatically; there is no need to reply to it.',
};

/** The body as each channel carries it: e-mail and SMS add the absolute link; the in-app feed has it beside. */
export function bodyFor(channel: 'email' | 'sms' | 'in_app', locale: Locale, text: string, url: string): string {
  if (channel === 'email') return `${text}\n\n${LINK_LABEL[locale]}: ${url}\n\n${EMAIL_FOOTER[locale]}`;
  if (channel === 'sms') return `${text} ${url}`;
  return text;
}

/** The legal grounds of leaving an appeal without consideration, as the applicant reads them. */
export const GROUND_NAMES: Record<NoConsiderationGround, Record<Locale, string>> = {
  profanity_or_insults: {
    ky: 'кайрылууда уятсыз же кордогон сөздөр бар', ru: 'в обращении есть нецензурные или оскорбительные выражения',
    en: 'the appeal contains obscene or insulting language',
  },
  calls_for_violence_or_hatred: {
    ky: 'кайрылууда зордук-зомбулукка же кастыкка чакырыктар бар', ru: 'в обращении есть призывы к насилию или вражде',
    en: 'the appeal contains calls for violence or hatred',
  },
  missing_name_address_or_contacts: {
    ky: 'арыз ээсинин аты-жөнү, дареги же байланыш маалыматы көрсөтүлгөн эмес', ru: 'не указаны имя, адрес или контакты заявителя',
    en: "the applicant's name, address or contacts are missing",
  },
  unreadable_form: { ky: 'кайрылуунун текстин окуу мүмкүн эмес', ru: 'текст обращения невозможно прочитать', en: 'the text of the appeal cannot be read' },
  no_concrete_substance: { ky: 'кайрылууда так маани-маңыз жок', ru: 'в обращении нет конкретной сути', en: 'the appeal has no concrete substance' },
  repeated_without_new_arguments: {
    ky: 'жаңы жүйөлөрү жок кайталанган кайрылуу', ru: 'повторное обращение без новых доводов', en: 'a repeated appeal without new arguments',
  },
  anonymous: { ky: 'аты-жөнү жок (жашыруун) кайрылуу', ru: 'анонимное обращение', en: 'an anonymous appeal' },
};
