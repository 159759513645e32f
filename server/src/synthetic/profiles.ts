/**
 * What a year of appeals looks like in Bishkek and Osh: which problems come in which season, where people live,
 * how they write in. Shares are plausible guesses for a demo city, not official statistics.
 */
import type { AppealKind, Channel } from '@shaar/contracts';

/** Relative weight of each subcategory in a month (1–12). */
export type SeasonalWeight = (month: number) => number;

const always = (w: number): SeasonalWeight => () => w;
/** Heating season: 15 October – 15 April; complaints peak in the coldest months. */
const heatingSeason = (w: number): SeasonalWeight => (m) => ([11, 12, 1, 2].includes(m) ? w : [10, 3, 4].includes(m) ? w * 0.5 : w * 0.03);
const winter = (w: number): SeasonalWeight => (m) => ([12, 1, 2].includes(m) ? w : m === 11 || m === 3 ? w * 0.25 : 0);
const summer = (w: number): SeasonalWeight => (m) => ([6, 7, 8].includes(m) ? w : [5, 9].includes(m) ? w * 0.5 : w * 0.05);
const warm = (w: number): SeasonalWeight => (m) => (m >= 4 && m <= 10 ? w : w * 0.2);
/** Potholes open up when the frost leaves the asphalt. */
const spring = (w: number): SeasonalWeight => (m) => ([3, 4, 5].includes(m) ? w * 2.2 : w);
/** The hot-water shut-off for maintenance comes every summer. */
const hotWater = (w: number): SeasonalWeight => (m) => ([6, 7].includes(m) ? w * 1.6 : [11, 12, 1, 2].includes(m) ? w : w * 0.5);

export const CATEGORY_SEASONS: Record<string, SeasonalWeight> = {
  'roads.pothole': spring(9), 'roads.courtyard': spring(5), 'roads.sidewalk': spring(3), 'roads.stop': always(1.5), 'roads.parking': always(2),
  'cleaning.rubbish': warm(7), 'cleaning.street': always(3), 'cleaning.snow': winter(9), 'cleaning.dump': warm(3),
  'greenery.tree': warm(3), 'greenery.lawn': summer(2), 'greenery.irrigation': summer(4),
  'parks.bench': summer(1.5), 'parks.playground': summer(2.5), 'parks.sports': summer(1.2),
  'lighting.off': (m) => ([10, 11, 12, 1, 2].includes(m) ? 5 : 2.5), 'lighting.new': always(1.2),
  'lifts.broken': always(2.5),
  'heating.cold': heatingSeason(14), 'heating.hotwater': hotWater(3), 'heating.leak': heatingSeason(3),
  'water.none': (m) => ([6, 7, 8].includes(m) ? 5 : 2.5), 'water.sewer': always(3), 'water.manhole': always(1.2),
  'electricity.outage': (m) => ([12, 1, 2].includes(m) ? 5 : 2),
  'transport.route': always(3), 'transport.driver': always(2),
  'building.illegal': warm(2), 'building.land': always(2),
  'social.assistance': always(2), 'social.accessibility': always(0.8),
};

/** Approximate centres of the districts (the demo has no boundaries) and the half-size of the box around them, in degrees. */
export const DISTRICT_CENTRES: Record<string, { lat: number; lon: number; spread: number; weight?: number }> = {
  leninsky: { lat: 42.852, lon: 74.555, spread: 0.022 },
  oktyabrsky: { lat: 42.835, lon: 74.625, spread: 0.022 },
  pervomaisky: { lat: 42.882, lon: 74.588, spread: 0.016 },
  sverdlovsky: { lat: 42.878, lon: 74.645, spread: 0.02 },
  // Osh has no census figures in the demo: the weights stand in for population.
  'alymbek-datka': { lat: 40.535, lon: 72.790, spread: 0.01, weight: 14 },
  'jibek-jolu': { lat: 40.520, lon: 72.815, spread: 0.01, weight: 15 },
  'kerme-too': { lat: 40.545, lon: 72.815, spread: 0.01, weight: 13 },
  'kurmanjan-datka': { lat: 40.510, lon: 72.790, spread: 0.01, weight: 14 },
  'manas-ata': { lat: 40.550, lon: 72.780, spread: 0.01, weight: 12 },
  'sulaiman-too': { lat: 40.525, lon: 72.775, spread: 0.008, weight: 12 },
  toloikon: { lat: 40.575, lon: 72.760, spread: 0.012, weight: 6 },
  'kyzyl-kyshtak': { lat: 40.495, lon: 72.835, spread: 0.012, weight: 8 },
  japalak: { lat: 40.560, lon: 72.840, spread: 0.012, weight: 6 },
};

export const CHANNEL_MIX: readonly (readonly [Channel, number])[] = [
  ['web', 30], ['mobile_app', 22], ['phone', 16], ['in_person', 12], ['letter', 8], ['tunduk', 7], ['email', 5],
];
/** Channels through which a signed-in resident files (an account, so they can rate answers). */
export const CITIZEN_CHANNELS: ReadonlySet<Channel> = new Set(['web', 'mobile_app']);

export const KIND_MIX: readonly (readonly [AppealKind, number])[] = [['complaint', 46], ['statement', 42], ['proposal', 12]];

export const LANGUAGE_MIX: Record<string, readonly (readonly ['ky' | 'ru', number])[]> = {
  bishkek: [['ru', 68], ['ky', 32]],
  osh: [['ky', 58], ['ru', 42]],
};

export const AGE_BAND_MIX = [['under_18', 2], ['18_29', 24], ['30_44', 34], ['45_59', 24], ['60_plus', 16]] as const;
export const SOCIAL_GROUP_MIX = [
  ['employed', 38], ['self_employed', 16], ['pensioner', 15], ['student', 9], ['unemployed', 8], ['parent_on_leave', 7],
  ['person_with_disability', 4], ['other', 3],
] as const;

/** Fictional names: common given names and family names combined at random, so no real person is meant. */
export const GIVEN_NAMES = {
  female: ['Айгүл', 'Бермет', 'Гүлмира', 'Жылдыз', 'Айжан', 'Нургүл', 'Елена', 'Ольга', 'Динара', 'Асель', 'Чынара', 'Мээрим', 'Наталья', 'Айпери'],
  male: ['Азамат', 'Бекжан', 'Данияр', 'Эрлан', 'Марат', 'Нурбек', 'Улан', 'Тилек', 'Сергей', 'Алексей', 'Руслан', 'Канат', 'Омурбек', 'Элдияр'],
};
export const FAMILY_NAMES = {
  female: ['Абдыкалыкова', 'Сатыбалдиева', 'Токтосунова', 'Жээнбекова', 'Иманалиева', 'Кудайбергенова', 'Мамбетова', 'Осмоналиева', 'Петрова', 'Ким'],
  male: ['Абдыкалыков', 'Сатыбалдиев', 'Токтосунов', 'Жээнбеков', 'Иманалиев', 'Кудайбергенов', 'Мамбетов', 'Осмоналиев', 'Петров', 'Ким'],
};

export const STREETS: Record<string, readonly string[]> = {
  bishkek: ['пр. Чуй', 'пр. Манаса', 'ул. Токтогула', 'ул. Киевская', 'пр. Жибек Жолу', 'ул. Ахунбаева', 'ул. Исанова',
    'пр. Мира', 'ул. Боконбаева', 'ул. Фрунзе', 'мкр. Джал', 'мкр. Асанбай', 'мкр. Восток-5', 'ул. Ибраимова', 'ул. Горького'],
  osh: ['ул. Ленина', 'ул. Курманжан Датки', 'пр. Масалиева', 'ул. Навои', 'ул. Алымбек Датки', 'ул. Кыргызстан',
    'ул. Монуева', 'мкр. Анар', 'ул. Гапара Айтиева', 'ул. Мырзаке'],
};

export const NO_CONSIDERATION_MIX = [['no_concrete_substance', 4], ['missing_name_address_or_contacts', 3], ['repeated_without_new_arguments', 2], ['unreadable_form', 1]] as const;
