/**
 * Words of the analytics exports (CSV, XLSX) in Kyrgyz, Russian and English: column headers and the names of codes
 * (statuses, channels, forms, groups of residents). The same names as the web app's (web/src/i18n/locales), so a
 * file reads like the dashboard it came from. Directory rows (categories, districts, services) use their own names.
 */
import type { Locale } from '@shaar/contracts';

const en = {
  // Dimensions
  'dim.category': 'Category', 'dim.category_group': 'Category group', 'dim.district': 'District', 'dim.service': 'Service',
  'dim.channel': 'Channel', 'dim.form': 'Form of appeal', 'dim.kind': 'Kind', 'dim.status': 'Status', 'dim.month': 'Month',
  'dim.age_band': 'Age', 'dim.gender': 'Gender', 'dim.social_group': 'Social group',
  // Measures
  'm.appeals': 'Appeals', 'm.share': 'Share, %', 'm.collective': 'Collective', 'm.repeats': 'Repeated', 'm.answered': 'Answered',
  'm.answeredOnTime': 'Answered on time', 'm.onTimePct': 'On time, %', 'm.averageDays': 'Average, working days', 'm.ratings': 'Ratings',
  'm.averageRating': 'Average rating', 'm.solvedPct': 'Solved, %', 'm.partlySolvedPct': 'Partly solved, %',
  'm.compareAppeals': 'Appeals, comparison period', 'm.compareOnTimePct': 'On time, %, comparison period',
  // Drill-down
  'col.registrationNumber': 'Registration number', 'col.registeredAt': 'Registered', 'col.dueDate': 'Due date',
  'col.answeredAt': 'Answered', 'col.onTime': 'On time', 'col.rating': 'Rating', 'yes': 'yes', 'no': 'no',
  'none': 'Not set', 'total': 'Total',
  // Codes
  'status.registered': 'Registered', 'status.assigned': 'Assigned', 'status.in_progress': 'In progress', 'status.extended': 'Deadline extended',
  'status.answered': 'Answered', 'status.closed': 'Closed', 'status.redirected': 'Redirected',
  'status.left_without_consideration': 'Left without consideration', 'status.reopened': 'Reopened',
  'kind.proposal': 'Proposal', 'kind.statement': 'Statement', 'kind.complaint': 'Complaint',
  'channel.in_person': 'In person', 'channel.phone': 'By phone', 'channel.letter': 'Letter', 'channel.web': 'Website',
  'channel.mobile_app': 'Mobile app', 'channel.tunduk': 'Tunduk', 'channel.open311': 'Open311', 'channel.email': 'E-mail', 'channel.import': 'Import',
  'form.oral': 'Oral', 'form.written': 'Written', 'form.electronic': 'Electronic',
  'age_band.under_18': 'Under 18', 'age_band.18_29': '18–29', 'age_band.30_44': '30–44', 'age_band.45_59': '45–59', 'age_band.60_plus': '60 and over',
  'gender.female': 'Female', 'gender.male': 'Male', 'gender.other': 'Other',
  'social_group.student': 'Student or pupil', 'social_group.employed': 'Employed', 'social_group.self_employed': 'Self-employed',
  'social_group.unemployed': 'Unemployed', 'social_group.pensioner': 'Pensioner', 'social_group.person_with_disability': 'Person with a disability',
  'social_group.parent_on_leave': 'Parent on childcare leave', 'social_group.other': 'Other',
};

export type LabelKey = keyof typeof en;

const ru: Record<LabelKey, string> = {
  'dim.category': 'Категория', 'dim.category_group': 'Группа категорий', 'dim.district': 'Район', 'dim.service': 'Служба',
  'dim.channel': 'Канал', 'dim.form': 'Форма обращения', 'dim.kind': 'Вид', 'dim.status': 'Статус', 'dim.month': 'Месяц',
  'dim.age_band': 'Возраст', 'dim.gender': 'Пол', 'dim.social_group': 'Социальная группа',
  'm.appeals': 'Обращения', 'm.share': 'Доля, %', 'm.collective': 'Коллективные', 'm.repeats': 'Повторные', 'm.answered': 'Дано ответов',
  'm.answeredOnTime': 'Ответов в срок', 'm.onTimePct': 'В срок, %', 'm.averageDays': 'В среднем, раб. дней', 'm.ratings': 'Оценки',
  'm.averageRating': 'Средняя оценка', 'm.solvedPct': 'Решено, %', 'm.partlySolvedPct': 'Частично решено, %',
  'm.compareAppeals': 'Обращения, период сравнения', 'm.compareOnTimePct': 'В срок, %, период сравнения',
  'col.registrationNumber': 'Регистрационный номер', 'col.registeredAt': 'Зарегистрировано', 'col.dueDate': 'Срок',
  'col.answeredAt': 'Дан ответ', 'col.onTime': 'В срок', 'col.rating': 'Оценка', 'yes': 'да', 'no': 'нет',
  'none': 'Не указано', 'total': 'Итого',
  'status.registered': 'Зарегистрировано', 'status.assigned': 'Назначено', 'status.in_progress': 'В работе', 'status.extended': 'Срок продлён',
  'status.answered': 'Дан ответ', 'status.closed': 'Закрыто', 'status.redirected': 'Перенаправлено',
  'status.left_without_consideration': 'Оставлено без рассмотрения', 'status.reopened': 'Открыто повторно',
  'kind.proposal': 'Предложение', 'kind.statement': 'Заявление', 'kind.complaint': 'Жалоба',
  'channel.in_person': 'Лично', 'channel.phone': 'По телефону', 'channel.letter': 'Письмо', 'channel.web': 'Сайт',
  'channel.mobile_app': 'Мобильное приложение', 'channel.tunduk': 'Түндүк', 'channel.open311': 'Open311', 'channel.email': 'Электронная почта',
  'channel.import': 'Импорт',
  'form.oral': 'Устная', 'form.written': 'Письменная', 'form.electronic': 'Электронная',
  'age_band.under_18': 'До 18 лет', 'age_band.18_29': '18–29 лет', 'age_band.30_44': '30–44 года', 'age_band.45_59': '45–59 лет',
  'age_band.60_plus': '60 лет и старше',
  'gender.female': 'Женский', 'gender.male': 'Мужской', 'gender.other': 'Другой',
  'social_group.student': 'Студент или школьник', 'social_group.employed': 'Работаю по найму', 'social_group.self_employed': 'Работаю на себя',
  'social_group.unemployed': 'Безработный(ая)', 'social_group.pensioner': 'Пенсионер(ка)', 'social_group.person_with_disability': 'Человек с инвалидностью',
  'social_group.parent_on_leave': 'Родитель в отпуске по уходу за ребёнком', 'social_group.other': 'Другое',
};

const ky: Record<LabelKey, string> = {
  'dim.category': 'Категория', 'dim.category_group': 'Категориялар тобу', 'dim.district': 'Район', 'dim.service': 'Кызмат',
  'dim.channel': 'Канал', 'dim.form': 'Кайрылуунун формасы', 'dim.kind': 'Түрү', 'dim.status': 'Абалы', 'dim.month': 'Ай',
  'dim.age_band': 'Жашы', 'dim.gender': 'Жынысы', 'dim.social_group': 'Социалдык топ',
  'm.appeals': 'Кайрылуулар', 'm.share': 'Үлүшү, %', 'm.collective': 'Жамааттык', 'm.repeats': 'Кайталанган', 'm.answered': 'Жооп берилди',
  'm.answeredOnTime': 'Өз убагында жооп берилди', 'm.onTimePct': 'Өз убагында, %', 'm.averageDays': 'Орточо, иш күнү', 'm.ratings': 'Баалар',
  'm.averageRating': 'Орточо баа', 'm.solvedPct': 'Чечилди, %', 'm.partlySolvedPct': 'Жарым-жартылай чечилди, %',
  'm.compareAppeals': 'Кайрылуулар, салыштыруу мезгили', 'm.compareOnTimePct': 'Өз убагында, %, салыштыруу мезгили',
  'col.registrationNumber': 'Каттоо номери', 'col.registeredAt': 'Катталды', 'col.dueDate': 'Мөөнөт',
  'col.answeredAt': 'Жооп берилди', 'col.onTime': 'Өз убагында', 'col.rating': 'Баа', 'yes': 'ооба', 'no': 'жок',
  'none': 'Көрсөтүлгөн эмес', 'total': 'Бардыгы',
  'status.registered': 'Катталды', 'status.assigned': 'Дайындалды', 'status.in_progress': 'Иштелүүдө', 'status.extended': 'Мөөнөтү узартылды',
  'status.answered': 'Жооп берилди', 'status.closed': 'Жабылды', 'status.redirected': 'Башка органга жөнөтүлдү',
  'status.left_without_consideration': 'Кароосуз калтырылды', 'status.reopened': 'Кайра ачылды',
  'kind.proposal': 'Сунуш', 'kind.statement': 'Арыз', 'kind.complaint': 'Даттануу',
  'channel.in_person': 'Жеке', 'channel.phone': 'Телефон аркылуу', 'channel.letter': 'Кат', 'channel.web': 'Сайт',
  'channel.mobile_app': 'Мобилдик тиркеме', 'channel.tunduk': 'Түндүк', 'channel.open311': 'Open311', 'channel.email': 'Электрондук почта',
  'channel.import': 'Импорт',
  'form.oral': 'Оозеки', 'form.written': 'Жазуу жүзүндө', 'form.electronic': 'Электрондук',
  'age_band.under_18': '18 жашка чейин', 'age_band.18_29': '18–29 жаш', 'age_band.30_44': '30–44 жаш', 'age_band.45_59': '45–59 жаш',
  'age_band.60_plus': '60 жана андан улуу',
  'gender.female': 'Аял', 'gender.male': 'Эркек', 'gender.other': 'Башка',
  'social_group.student': 'Студент же окуучу', 'social_group.employed': 'Жалданып иштейт', 'social_group.self_employed': 'Өз алдынча иштейт',
  'social_group.unemployed': 'Жумушсуз', 'social_group.pensioner': 'Пенсионер', 'social_group.person_with_disability': 'Ден соолугунун мүмкүнчүлүгү чектелген адам',
  'social_group.parent_on_leave': 'Бала багуу өргүүсүндөгү ата же эне', 'social_group.other': 'Башка',
};

const catalogs: Record<Locale, Record<LabelKey, string>> = { ky, ru, en };

/** A word in the language asked for. */
export function label(locale: Locale, key: LabelKey): string {
  return catalogs[locale][key];
}

/** The name of a code of a dimension ('channel', 'phone') in a language; 'none' for not set; the code itself if unknown. */
export function codeLabel(locale: Locale, dimension: string, code: string): string {
  if (code === 'none') return catalogs[locale].none;
  const key = `${dimension}.${code}`;
  return key in en ? catalogs[locale][key as LabelKey] : code;
}
