/**
 * Reference data for the demo cities: realistic for Bishkek and Osh (districts, who answers what, the 2025–2026
 * working calendars), with fictional people. A city going live replaces all of it through the admin API.
 */
import type { LocalizedText } from '../platform/db/schema.js';

const t = (ky: string, ru: string, en: string): LocalizedText => ({ ky, ru, en });

export interface CategorySeed { code: string; name: LocalizedText; keywords?: string[]; children: { code: string; name: LocalizedText; keywords?: string[] }[] }
export interface ServiceSeed { code: string; name: LocalizedText; kind: 'department' | 'municipal_enterprise' | 'district_administration' | 'other' }

export const CATEGORIES: CategorySeed[] = [
  { code: 'roads', name: t('Жолдор жана транспорт инфраструктурасы', 'Дороги и транспортная инфраструктура', 'Roads and transport infrastructure'), children: [
    { code: 'roads.pothole', name: t('Жолдогу чуңкур', 'Яма на дороге', 'Pothole'), keywords: ['яма', 'асфальт', 'чуңкур', 'pothole'] },
    { code: 'roads.courtyard', name: t('Короодогу жол', 'Дворовая дорога', 'Courtyard road'), keywords: ['двор', 'короо'] },
    { code: 'roads.sidewalk', name: t('Тротуар', 'Тротуар', 'Sidewalk'), keywords: ['тротуар', 'пешеход'] },
    { code: 'roads.stop', name: t('Аялдама', 'Остановка', 'Public transport stop'), keywords: ['остановка', 'аялдама'] },
    { code: 'roads.parking', name: t('Токтотмо жай', 'Парковка', 'Parking'), keywords: ['парковка'] },
  ] },
  { code: 'cleaning', name: t('Таштанды жана тазалоо', 'Мусор и уборка', 'Rubbish and cleaning'), children: [
    { code: 'cleaning.rubbish', name: t('Таштанды чыгарылбайт', 'Не вывозится мусор', 'Rubbish not collected'), keywords: ['мусор', 'таштанды', 'контейнер'] },
    { code: 'cleaning.street', name: t('Көчө тазалоо', 'Уборка улиц', 'Street cleaning'), keywords: ['уборка', 'грязь'] },
    { code: 'cleaning.snow', name: t('Кар тазалоо', 'Уборка снега', 'Snow clearing'), keywords: ['снег', 'кар', 'гололёд'] },
    { code: 'cleaning.dump', name: t('Уруксатсыз таштанды жайы', 'Несанкционированная свалка', 'Illegal dump'), keywords: ['свалка'] },
  ] },
  { code: 'greenery', name: t('Жашыл аймактар', 'Озеленение', 'Trees and green areas'), children: [
    { code: 'greenery.tree', name: t('Дарак кесүү же кароо', 'Обрезка или снос деревьев', 'Tree pruning or removal'), keywords: ['дерево', 'дарак', 'арык'] },
    { code: 'greenery.lawn', name: t('Газон жана гүлзарлар', 'Газоны и клумбы', 'Lawns and flower beds'), keywords: ['газон'] },
    { code: 'greenery.irrigation', name: t('Арыктар жана сугаруу', 'Арыки и полив', 'Irrigation ditches'), keywords: ['арык', 'полив'] },
  ] },
  { code: 'parks', name: t('Сейил бактар жана эс алуу', 'Парки и отдых', 'Parks and recreation'), children: [
    { code: 'parks.bench', name: t('Отургучтар жана урналар', 'Скамейки и урны', 'Benches and bins'), keywords: ['скамейка'] },
    { code: 'parks.playground', name: t('Балдар аянтчасы', 'Детская площадка', 'Playground'), keywords: ['площадка', 'аянтча'] },
    { code: 'parks.sports', name: t('Спорт аянтчасы', 'Спортивная площадка', 'Sports ground'), keywords: ['спорт'] },
  ] },
  { code: 'lighting', name: t('Көчө жарыгы', 'Уличное освещение', 'Street lighting'), children: [
    { code: 'lighting.off', name: t('Чырак күйбөйт', 'Не горит фонарь', 'Street light out'), keywords: ['фонарь', 'свет', 'чырак'] },
    { code: 'lighting.new', name: t('Жаңы жарык керек', 'Нужно новое освещение', 'New lighting needed'), keywords: ['освещение'] },
  ] },
  { code: 'lifts', name: t('Лифттер', 'Лифты', 'Lifts'), children: [
    { code: 'lifts.broken', name: t('Лифт иштебейт', 'Лифт не работает', 'Lift out of order'), keywords: ['лифт'] },
  ] },
  { code: 'heating', name: t('Жылуулук жана ысык суу', 'Отопление и горячая вода', 'Heating and hot water'), children: [
    { code: 'heating.cold', name: t('Батарея суук', 'Холодные батареи', 'Cold radiators'), keywords: ['отопление', 'батарея', 'жылуулук'] },
    { code: 'heating.hotwater', name: t('Ысык суу жок', 'Нет горячей воды', 'No hot water'), keywords: ['горячая вода'] },
    { code: 'heating.leak', name: t('Жылуулук түтүгү агып жатат', 'Порыв теплотрассы', 'Heating main leak'), keywords: ['порыв', 'теплотрасса'] },
  ] },
  { code: 'water', name: t('Суу жана канализация', 'Вода и канализация', 'Water and sewerage'), children: [
    { code: 'water.none', name: t('Суу жок', 'Нет воды', 'No water'), keywords: ['вода', 'суу'] },
    { code: 'water.sewer', name: t('Канализация толуп кетти', 'Засор канализации', 'Sewer blockage'), keywords: ['канализация'] },
    { code: 'water.manhole', name: t('Ачык кудук', 'Открытый люк', 'Open manhole'), keywords: ['люк'] },
  ] },
  { code: 'electricity', name: t('Электр энергиясы', 'Электроснабжение', 'Electricity'), children: [
    { code: 'electricity.outage', name: t('Жарык өчүп калды', 'Отключение электричества', 'Power outage'), keywords: ['свет', 'электричество'] },
  ] },
  { code: 'transport', name: t('Коомдук транспорт', 'Общественный транспорт', 'Public transport'), children: [
    { code: 'transport.route', name: t('Каттам жана график', 'Маршрут и расписание', 'Route and timetable'), keywords: ['маршрут', 'автобус', 'троллейбус'] },
    { code: 'transport.driver', name: t('Айдоочунун жүрүм-туруму', 'Поведение водителя', "Driver's conduct"), keywords: ['водитель'] },
  ] },
  { code: 'building', name: t('Архитектура жана курулуш', 'Архитектура и строительство', 'Architecture and building'), children: [
    { code: 'building.illegal', name: t('Мыйзамсыз курулуш', 'Незаконное строительство', 'Illegal construction'), keywords: ['стройка', 'курулуш'] },
    { code: 'building.land', name: t('Жер маселелери', 'Земельные вопросы', 'Land matters'), keywords: ['земля', 'жер', 'участок'] },
  ] },
  { code: 'social', name: t('Социалдык колдоо', 'Социальная поддержка', 'Social support'), children: [
    { code: 'social.assistance', name: t('Социалдык жардам', 'Социальная помощь', 'Social assistance'), keywords: ['пособие', 'жардам'] },
    { code: 'social.accessibility', name: t('Мүмкүнчүлүгү чектелген адамдар үчүн жеткиликтүүлүк', 'Доступность для людей с инвалидностью', 'Accessibility'), keywords: ['пандус', 'инвалид'] },
  ] },
];

export const BISHKEK_SERVICES: ServiceSeed[] = [
  { code: 'roads-enterprise', kind: 'municipal_enterprise', name: t('Жол-транспорт инфраструктурасы муниципалдык ишканасы', 'МП по дорожно-транспортной инфраструктуре', 'Municipal enterprise for road and transport infrastructure') },
  { code: 'tazalyk', kind: 'municipal_enterprise', name: t('«Тазалык» МИ', 'МП «Тазалык»', 'Tazalyk municipal enterprise') },
  { code: 'zelenkhoz', kind: 'municipal_enterprise', name: t('«Бишкекзеленхоз» МИ', 'МП «Бишкекзеленхоз»', 'Bishkekzelenkhoz municipal enterprise') },
  { code: 'parks', kind: 'municipal_enterprise', name: t('«Шаардык сейил бактар» МИ', 'МП «Городские парки»', 'City Parks municipal enterprise') },
  { code: 'svet', kind: 'municipal_enterprise', name: t('«Бишкексвет» МИ', 'МП «Бишкексвет»', 'Bishkeksvet municipal enterprise') },
  { code: 'gorlift', kind: 'municipal_enterprise', name: t('«Бишкекгорлифт» МИ', 'МП «Бишкекгорлифт»', 'Bishkekgorlift municipal enterprise') },
  { code: 'teploset', kind: 'municipal_enterprise', name: t('«Бишкектеплосеть»', '«Бишкектеплосеть»', 'Bishkekteploset') },
  { code: 'vodokanal', kind: 'municipal_enterprise', name: t('«Бишкекводоканал» МИ', 'МП «Бишкекводоканал»', 'Bishkekvodokanal municipal enterprise') },
  { code: 'severelectro', kind: 'other', name: t('«Северэлектро»', '«Северэлектро»', 'Severelectro') },
  { code: 'transport-dept', kind: 'department', name: t('Шаардык транспорт башкармалыгы', 'Управление городского транспорта', 'City transport department') },
  { code: 'glavarkhitektura', kind: 'municipal_enterprise', name: t('«Бишкекглавархитектура» МИ', 'МП «Бишкекглавархитектура»', 'Bishkekglavarkhitektura municipal enterprise') },
  { code: 'land-dept', kind: 'department', name: t('Жер ресурстары башкармалыгы', 'Управление земельных ресурсов', 'Land resources department') },
  { code: 'social-dept', kind: 'department', name: t('Социалдык өнүктүрүү башкармалыгы', 'Управление социального развития', 'Social development department') },
];

/** Bishkek's four districts, with the 2009 census populations (boundaries: none published; admins may load them). */
export const BISHKEK_DISTRICTS = [
  { code: 'leninsky', population: 198_019, name: t('Ленин району', 'Ленинский район', 'Leninsky district') },
  { code: 'oktyabrsky', population: 238_329, name: t('Октябрь району', 'Октябрьский район', 'Oktyabrsky district') },
  { code: 'pervomaisky', population: 171_467, name: t('Биринчи Май району', 'Первомайский район', 'Pervomaisky district') },
  { code: 'sverdlovsky', population: 214_100, name: t('Свердлов району', 'Свердловский район', 'Sverdlovsky district') },
];

export const OSH_TERRITORIES = [
  { code: 'alymbek-datka', kind: 'territorial_administration', name: t('Алымбек Датка', 'Алымбек Датка', 'Alymbek Datka') },
  { code: 'jibek-jolu', kind: 'territorial_administration', name: t('Жибек Жолу', 'Жибек Жолу', 'Jibek Jolu') },
  { code: 'kerme-too', kind: 'territorial_administration', name: t('Керме-Тоо', 'Керме-Тоо', 'Kerme-Too') },
  { code: 'kurmanjan-datka', kind: 'territorial_administration', name: t('Курманжан Датка', 'Курманжан Датка', 'Kurmanjan Datka') },
  { code: 'manas-ata', kind: 'territorial_administration', name: t('Манас Ата', 'Манас Ата', 'Manas Ata') },
  { code: 'sulaiman-too', kind: 'territorial_administration', name: t('Сулайман-Тоо', 'Сулайман-Тоо', 'Sulaiman-Too') },
  { code: 'toloikon', kind: 'rural_administration', name: t('Төлөйкөн', 'Тoлойкон', 'Toloikon') },
  { code: 'kyzyl-kyshtak', kind: 'rural_administration', name: t('Кызыл-Кыштак', 'Кызыл-Кыштак', 'Kyzyl-Kyshtak') },
  { code: 'japalak', kind: 'rural_administration', name: t('Жапалак', 'Жапалак', 'Japalak') },
];

export const OSH_SERVICES: ServiceSeed[] = [
  { code: 'city-economy', kind: 'department', name: t('Шаар чарбасы башкармалыгы', 'Управление городского хозяйства', 'City economy department') },
  { code: 'tazalyk', kind: 'municipal_enterprise', name: t('«Ош Тазалык» МИ', 'МП «Ош Тазалык»', 'Osh Tazalyk municipal enterprise') },
  { code: 'vodokanal', kind: 'municipal_enterprise', name: t('«Ош Водоканал» МИ', 'МП «Ошводоканал»', 'Osh Vodokanal municipal enterprise') },
  { code: 'teplo', kind: 'municipal_enterprise', name: t('«Ош Теплоэнерго» МИ', 'МП «Ош Теплоэнерго»', 'Osh Teploenergo municipal enterprise') },
  { code: 'zelenstroy', kind: 'municipal_enterprise', name: t('«Ош Зеленстрой» МИ', 'МП «Ош Зеленстрой»', 'Osh Zelenstroy municipal enterprise') },
  { code: 'transport', kind: 'department', name: t('Транспорт бөлүмү', 'Отдел транспорта', 'Transport department') },
  { code: 'architecture', kind: 'department', name: t('Архитектура жана курулуш башкармалыгы', 'Управление архитектуры и строительства', 'Architecture and building department') },
  { code: 'social', kind: 'department', name: t('Социалдык өнүктүрүү бөлүмү', 'Отдел социального развития', 'Social development department') },
];

/** Bishkek: top-level category → service; roads.courtyard goes to the district administrations (category × district). */
export const BISHKEK_ROUTING: Record<string, string> = {
  roads: 'roads-enterprise', cleaning: 'tazalyk', greenery: 'zelenkhoz', parks: 'parks', lighting: 'svet', lifts: 'gorlift',
  heating: 'teploset', water: 'vodokanal', electricity: 'severelectro', transport: 'transport-dept', building: 'glavarkhitektura',
  'building.land': 'land-dept', social: 'social-dept',
};

export const OSH_ROUTING: Record<string, string> = {
  roads: 'city-economy', cleaning: 'tazalyk', greenery: 'zelenstroy', parks: 'zelenstroy', lighting: 'city-economy', lifts: 'city-economy',
  heating: 'teplo', water: 'vodokanal', electricity: 'city-economy', transport: 'transport', building: 'architecture', social: 'social',
};

/**
 * Non-working days (exceptions to Monday–Friday). 2026 per the Labour Code of 2025: holidays falling on a
 * weekend are not carried over; 23 Feb, 7 Apr and 7–8 Nov are holidays but working days. Kurman Ait 2026 is set by
 * the muftiate (about 70 days after Orozo Ait): the date below is an estimate for an admin to confirm.
 */
export const HOLIDAYS: { date: string; name: LocalizedText }[] = [
  // 2025
  { date: '2025-01-01', name: t('Жаңы жыл', 'Новый год', "New Year's Day") },
  { date: '2025-01-07', name: t('Рождество', 'Рождество Христово', 'Orthodox Christmas') },
  { date: '2025-03-21', name: t('Нооруз', 'Нооруз', 'Nooruz') },
  { date: '2025-03-31', name: t('Орозо айт', 'Орозо Айт', 'Orozo Ait') },
  { date: '2025-04-07', name: t('Элдик Апрель революциясынын күнү', 'День Народной Апрельской революции', "People's April Revolution Day") },
  { date: '2025-05-01', name: t('Эмгек майрамы', 'Праздник труда', 'Labour Day') },
  { date: '2025-05-05', name: t('Конституция күнү', 'День Конституции', 'Constitution Day') },
  { date: '2025-05-09', name: t('Жеңиш күнү', 'День Победы', 'Victory Day') },
  { date: '2025-06-06', name: t('Курман айт', 'Курман Айт', 'Kurman Ait') },
  { date: '2025-09-01', name: t('Эгемендүүлүк күнү', 'День независимости', 'Independence Day') },
  { date: '2025-11-07', name: t('Тарых жана ата-бабаларды эскерүү күндөрү', 'Дни истории и памяти предков', 'Days of History and Remembrance') },
  // 2026
  ...['01', '02', '03', '04', '05', '06', '07'].map((d) => ({ date: `2026-01-${d}`, name: t('Жаңы жыл майрамы', 'Новогодние праздники', 'New Year holidays') })),
  { date: '2026-03-20', name: t('Орозо айт', 'Орозо Айт', 'Orozo Ait') },
  ...['01', '04', '05', '06', '07', '08'].map((d) => ({ date: `2026-05-${d}`, name: t('Май майрамдары', 'Майские праздники', 'May holidays') })),
  { date: '2026-05-27', name: t('Курман айт (болжолдуу)', 'Курман Айт (ориентировочно)', 'Kurman Ait (estimated)') },
  { date: '2026-08-31', name: t('Эгемендүүлүк күнү', 'День независимости', 'Independence Day') },
];

export const MUNICIPALITIES = {
  bishkek: { slug: 'bishkek', code: 'BSK', name: t('Бишкек', 'Бишкек', 'Bishkek'), centerLat: 42.8746, centerLon: 74.5698, population: 1_321_900 },
  osh: { slug: 'osh', code: 'OSH', name: t('Ош', 'Ош', 'Osh'), centerLat: 40.5283, centerLon: 72.7985, population: 334_000 },
};

/** Fictional staff. Demo passwords are printed at start in demo mode only. */
export const DEMO_STAFF = [
  { key: 'admin', fullName: 'Айгерим Токтогулова', roles: ['admin'] as const, service: null },
  { key: 'operator', fullName: 'Нурлан Осмонов', roles: ['operator'] as const, service: null },
  { key: 'supervisor', fullName: 'Гүлнара Жумабаева', roles: ['supervisor'] as const, service: null },
  { key: 'analyst', fullName: 'Тимур Асанов', roles: ['analyst'] as const, service: null },
  // The land dialogue: a moderator of its discussion, the land commission's secretary.
  { key: 'moderator', fullName: 'Санжар Алымкулов', roles: ['moderator'] as const, service: null },
  { key: 'commission', fullName: 'Мээрим Турдубекова', roles: ['land_commission'] as const, service: null },
  { key: 'executor.roads', fullName: 'Бакыт Мамытов', roles: ['executor'] as const, service: 'roads' },
  { key: 'executor.water', fullName: 'Жылдыз Бекова', roles: ['executor'] as const, service: 'water' },
  { key: 'executor.heating', fullName: 'Эрлан Садыков', roles: ['executor'] as const, service: 'heating' },
  // Heads of services answer too, and are told of their service's deadlines and low ratings.
  { key: 'head.roads', fullName: 'Азамат Исаков', roles: ['executor', 'service_head'] as const, service: 'roads' },
  { key: 'head.water', fullName: 'Чолпон Абдыкадырова', roles: ['executor', 'service_head'] as const, service: 'water' },
];

/** Categories whose answers must show the result in a photo (the answer composer warns without one). */
export const RESULT_PHOTO_CATEGORIES = new Set(['roads.pothole', 'roads.sidewalk', 'cleaning.dump', 'lighting.off']);
