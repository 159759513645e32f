/**
 * Demo plots of the land dialogue: a handful of small, fictional municipal plots near real streets of Bishkek (one
 * with an open announcement of a temporary lease) and two in Osh. The cadastral numbers follow the usual pattern
 * but are made up. Demo mode only; idempotent (a plot that exists is left alone, and so is its announcement).
 */
import { and, eq } from 'drizzle-orm';
import type { Db } from '../platform/db/database.js';
import type { Clock } from '../platform/clock.js';
import { districts, landAnnouncements, municipalities } from '../platform/db/schema.js';
import { SYSTEM_ACTOR } from '../platform/audit.js';
import { derivedOf, type PlotGeometry } from '../modules/land/land-geometry.js';
import { plotByCadastral, savePlot, type PlotStatus } from '../modules/land/plots.service.js';
import { publishAnnouncement } from '../modules/land/announcements.service.js';

interface DemoPlot {
  cadastralNumber: string; address: string; district: string; zoning: string; permittedUse: string; currentUse: string;
  status: PlotStatus; leasedUntil?: string;
  /** The outline's corners (lon, lat), clockwise from the south-west; closed here. */
  corners: [number, number][];
}

/** A four-cornered outline from a south-west corner, a width and a depth in metres, slightly skewed like real plots. */
function quad(lon: number, lat: number, widthM: number, depthM: number, skewM = 4): [number, number][] {
  const dLon = (m: number) => m / (111_320 * Math.cos((lat * Math.PI) / 180));
  const dLat = (m: number) => m / 110_574;
  return [[lon, lat], [lon + dLon(skewM), lat + dLat(depthM)], [lon + dLon(widthM + skewM), lat + dLat(depthM - 2)], [lon + dLon(widthM), lat]];
}

const BISHKEK: DemoPlot[] = [
  { cadastralNumber: '1-02-03-0004-0005', address: 'ул. Ахунбаева, напротив д. 98', district: 'oktyabrsky', zoning: 'Ж-3', permittedUse: 'благоустройство, озеленение',
    currentUse: 'пустырь', status: 'available', corners: quad(74.6027, 42.8436, 48, 62) },
  { cadastralNumber: '1-03-05-0112-0017', address: 'пр. Жибек Жолу, между ул. Логвиненко и ул. Тыныстанова', district: 'pervomaisky', zoning: 'ОД-1',
    permittedUse: 'объекты торговли и общественного питания', currentUse: 'не используется', status: 'available', corners: quad(74.6047, 42.8857, 30, 25) },
  { cadastralNumber: '1-01-04-0031-0102', address: 'ул. Токтогула, угол пр. Манаса', district: 'leninsky', zoning: 'Р-2', permittedUse: 'сквер',
    currentUse: 'сквер', status: 'reserved_public', corners: quad(74.5876, 42.8707, 55, 40) },
  { cadastralNumber: '1-01-09-0207-0044', address: 'мкр. Джал-23, за школой', district: 'leninsky', zoning: 'Ж-2', permittedUse: 'спортивные площадки',
    currentUse: 'пустырь', status: 'available', corners: quad(74.5795, 42.8215, 60, 45) },
  { cadastralNumber: '1-04-02-0056-0009', address: 'ул. Фучика, у рынка', district: 'sverdlovsky', zoning: 'ОД-2', permittedUse: 'временные торговые объекты',
    currentUse: 'сезонная ярмарка', status: 'leased_temporarily', leasedUntil: '2026-12-31', corners: quad(74.6408, 42.8951, 35, 28) },
];

const OSH: DemoPlot[] = [
  { cadastralNumber: '2-01-02-0015-0031', address: 'ул. Ленина, у сквера Навои', district: 'manas-ata', zoning: 'Р-1', permittedUse: 'благоустройство, детская площадка',
    currentUse: 'пустырь', status: 'available', corners: quad(72.7979, 40.5287, 40, 35) },
  { cadastralNumber: '2-01-05-0102-0008', address: 'ул. Масалиева, напротив д. 44', district: 'kerme-too', zoning: 'ОД-1', permittedUse: 'объекты обслуживания',
    currentUse: 'не используется', status: 'available', corners: quad(72.8051, 40.5152, 30, 30) },
];

const geometryOf = (corners: [number, number][]): PlotGeometry => ({ type: 'Polygon', coordinates: [[...corners, corners[0]!]] });

/** Returns how many plots it added (0 on a rerun). */
export async function seedDemoLand(db: Db, clock: Clock): Promise<number> {
  let added = 0;
  for (const [slug, plots] of [['bishkek', BISHKEK], ['osh', OSH]] as const) {
    const [m] = await db.select().from(municipalities).where(eq(municipalities.slug, slug)).limit(1);
    if (!m) continue;
    const ds = await db.select({ id: districts.id, code: districts.code }).from(districts).where(eq(districts.municipalityId, m.id));
    for (const p of plots) {
      if (await plotByCadastral(db, m.id, p.cadastralNumber)) continue;
      const geometry = geometryOf(p.corners);
      await db.transaction(async (tx) => {
        await savePlot(tx, m, SYSTEM_ACTOR, null, {
          cadastralNumber: p.cadastralNumber, address: p.address, districtId: ds.find((d) => d.code === p.district)?.id ?? null, areaM2: Math.round(derivedOf(geometry).areaM2),
          zoning: p.zoning, permittedUse: p.permittedUse, currentUse: p.currentUse, status: p.status, leasedUntil: p.leasedUntil ?? null, geometry,
        }, 'import', clock.now());
      });
      added++;
    }
    if (slug === 'bishkek') {
      // The open announcement: a temporary summer lease on Jibek Jolu, with the default comment period.
      const plot = await plotByCadastral(db, m.id, BISHKEK[1]!.cadastralNumber);
      const [existing] = plot ? await db.select({ id: landAnnouncements.id }).from(landAnnouncements)
        .where(and(eq(landAnnouncements.municipalityId, m.id), eq(landAnnouncements.plotId, plot.id))).limit(1) : [];
      if (plot && !existing) {
        // The coming season's end: this year's 31 October until July, next year's after.
        const now = clock.now();
        const leaseUntil = `${now.getUTCFullYear() + (now.getUTCMonth() >= 7 ? 1 : 0)}-10-31`;
        await publishAnnouncement({ db, clock }, m, SYSTEM_ACTOR, {
          plotId: plot.id, kind: 'temporary_lease', leaseUntil, proposedUse: 'сезонная летняя терраса кафе',
          title: {
            ky: 'Жибек Жолу проспектиндеги жер тилкесин жайкы терраса үчүн убактылуу ижарага берүү',
            ru: 'Временная аренда участка на пр. Жибек Жолу под летнюю террасу',
            en: 'Temporary lease of a plot on Jibek Jolu Avenue for a summer terrace',
          },
          description: {
            ky: 'Ишкер 300 м² жерди жайкы мезгилге (октябрдын аягына чейин) кафенин террасасы үчүн ижарага алууну суранды. Тротуар ачык калат. Пикириңизди жазыңыз.',
            ru: 'Предприниматель просит в аренду около 300 м² на летний сезон (до конца октября) под террасу кафе. Тротуар остаётся свободным. Выскажите своё мнение.',
            en: 'A business asks to lease about 300 m² for the summer season (until the end of October) for a café terrace. The sidewalk stays clear. Tell us what you think.',
          },
        });
      }
    }
  }
  return added;
}
