/**
 * The list of systemic problems as a table for the development programme (CSV, XLSX): headers and values in the
 * request's language, dates in the city's calendar. Figures only: no appeal text, no applicants.
 */
import { localDate, type Locale } from '@shaar/contracts';
import type { ExportColumn } from '../../platform/export/table-export.js';
import type { Directory } from '../directory/directory.cache.js';
import type { ProblemRow } from './systemic-store.js';

const LABELS = {
  en: {
    rank: 'No.', id: 'Id', category: 'Category', district: 'District', kinds: 'Rules met', status: 'Status', active: 'Still found',
    score: 'Score', appeals: 'Appeals', distinctApplicants: 'Residents', weeksActive: 'Weeks active', repeats: 'Returns after closure',
    seasonalYears: 'Seasonal years', trend: 'Trend', firstSeen: 'First appeal', lastSeen: 'Last appeal', detectedAt: 'Detected',
    statusReason: 'Reason', mergedIntoId: 'Merged into',
    'kind.spatial': 'spatial cluster', 'kind.repeat': 'repeat after closure', 'kind.seasonal': 'seasonal',
    'status.new': 'new', 'status.confirmed': 'confirmed', 'status.dismissed': 'dismissed', 'status.merged': 'merged',
    'trend.rising': 'rising', 'trend.steady': 'steady', 'trend.falling': 'falling', yes: 'yes', no: 'no',
    sheet: 'Systemic problems',
  },
  ru: {
    rank: '№', id: 'Идентификатор', category: 'Категория', district: 'Район', kinds: 'Выполненные правила', status: 'Статус', active: 'Обнаруживается',
    score: 'Оценка', appeals: 'Обращения', distinctApplicants: 'Жители', weeksActive: 'Недель активности', repeats: 'Возвраты после закрытия',
    seasonalYears: 'Сезонных лет', trend: 'Тенденция', firstSeen: 'Первое обращение', lastSeen: 'Последнее обращение', detectedAt: 'Обнаружена',
    statusReason: 'Причина', mergedIntoId: 'Объединена с',
    'kind.spatial': 'пространственный кластер', 'kind.repeat': 'повтор после закрытия', 'kind.seasonal': 'сезонная',
    'status.new': 'новая', 'status.confirmed': 'подтверждена', 'status.dismissed': 'отклонена', 'status.merged': 'объединена',
    'trend.rising': 'растёт', 'trend.steady': 'стабильно', 'trend.falling': 'снижается', yes: 'да', no: 'нет',
    sheet: 'Системные проблемы',
  },
  ky: {
    rank: '№', id: 'Идентификатор', category: 'Категория', district: 'Район', kinds: 'Аткарылган эрежелер', status: 'Абалы', active: 'Дагы эле табылууда',
    score: 'Баа', appeals: 'Кайрылуулар', distinctApplicants: 'Тургундар', weeksActive: 'Активдүү жумалар', repeats: 'Жабылгандан кийин кайталоолор',
    seasonalYears: 'Мезгилдүү жылдар', trend: 'Багыты', firstSeen: 'Биринчи кайрылуу', lastSeen: 'Акыркы кайрылуу', detectedAt: 'Табылган',
    statusReason: 'Себеби', mergedIntoId: 'Бириктирилген көйгөй',
    'kind.spatial': 'мейкиндик топтому', 'kind.repeat': 'жабылгандан кийин кайталоо', 'kind.seasonal': 'мезгилдүү',
    'status.new': 'жаңы', 'status.confirmed': 'ырасталды', 'status.dismissed': 'четке кагылды', 'status.merged': 'бириктирилди',
    'trend.rising': 'өсүүдө', 'trend.steady': 'туруктуу', 'trend.falling': 'төмөндөөдө', yes: 'ооба', no: 'жок',
    sheet: 'Системалык көйгөйлөр',
  },
} satisfies Record<Locale, Record<string, string>>;

type LabelKey = keyof typeof LABELS.en;
const label = (locale: Locale, key: string) => LABELS[locale][key as LabelKey] ?? key;

const COLUMNS: (keyof typeof LABELS.en)[] = [
  'rank', 'category', 'district', 'kinds', 'status', 'active', 'score', 'appeals', 'distinctApplicants', 'weeksActive', 'repeats',
  'seasonalYears', 'trend', 'firstSeen', 'lastSeen', 'detectedAt', 'statusReason', 'mergedIntoId', 'id',
];

export function systemicTable(locale: Locale, timezone: string, directory: Directory, rows: ProblemRow[]) {
  const columns: ExportColumn[] = COLUMNS.map((key) => ({ key, header: label(locale, key) }));
  const day = (d: Date) => localDate(d, timezone);
  return {
    sheetName: label(locale, 'sheet'),
    columns,
    rows: rows.map((r, i) => ({
      rank: i + 1,
      category: r.categoryId ? directory.categories.get(r.categoryId)?.name[locale] ?? null : null,
      district: r.districtId ? directory.districts.get(r.districtId)?.name[locale] ?? null : null,
      kinds: r.kinds.map((k) => label(locale, `kind.${k}`)).join(', '),
      status: label(locale, `status.${r.status}`),
      active: label(locale, r.active ? 'yes' : 'no'),
      score: Math.round(r.score * 1000) / 1000,
      appeals: r.appeals, distinctApplicants: r.distinctApplicants, weeksActive: r.weeksActive, repeats: r.repeats,
      seasonalYears: r.seasonalYears, trend: label(locale, `trend.${r.trend}`),
      firstSeen: day(r.firstSeen), lastSeen: day(r.lastSeen), detectedAt: day(r.detectedAt),
      statusReason: r.statusReason, mergedIntoId: r.mergedIntoId, id: r.id,
    })),
  };
}
