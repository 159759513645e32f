/**
 * No personal data in any public output. Appeals are filed with distinctive names, phones, e-mails, addresses
 * and texts in Kyrgyz, Russian and English, answered and rated with comments; then every GET route of the
 * OpenAPI document is called WITHOUT sign-in (path parameters filled with every real id that fits, so routes
 * answer 200 rather than 404), and the open-data files are read from disk. No applicant's name, phone (in any
 * formatting), e-mail, address, subject, text, co-signer, answer, rating comment, staff name or staff e-mail may
 * appear in any of them. A route added later that shows such a field makes this test fail.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import { appealAnswers, appeals, categories, citizens, districts, landAnnouncements, landComments, landPlots, landProposals, publicHearings, services, staffUsers } from '../src/platform/db/schema.js';
import { createTestApp, json, type TestApp } from '../src/test-support/test-app.js';
import { openDataDir } from '../src/modules/open-data/open-data.files.js';

interface Person {
  fullName: string; phone: string; email: string; address: string; place: string;
  subject: string; body: string; answer: string; comment: string; cosigner: string; language: 'ky' | 'ru' | 'en';
}
// Fictional people; the texts are distinctive so that a hit cannot be a coincidence.
const PEOPLE: Person[] = [
  {
    language: 'ky', fullName: 'Бегайым Жолдошбекова-Курманалиева', phone: '+996 (555) 71-93-28', email: 'begaiym.zholdoshbekova@example.kg',
    address: 'Жал-29 кичи району, 14-үй, 37-батир', place: 'Токтогул көчөсү, 211-үйдүн короосу', subject: 'Короодогу чуңкурлар эч оңдолбойт',
    body: 'Биздин короодогу жол үч жылдан бери оңдолбой келет, жамгырдан кийин балдар мектепке өтө албай калышат.',
    answer: 'Короодогу жолду оңдоо иши июнь айынын планына киргизилди, бригада Токтогул көчөсүнө чыгат.',
    comment: 'Бригада келген жок, жооп туура эмес болуп чыкты', cosigner: 'Майрамбек Сулайманкулов',
  },
  {
    language: 'ru', fullName: 'Всеволод Тишкевич-Рахманов', phone: '0770 48 26 13', email: 'v.tishkevich.rakhmanov@example.ru',
    address: 'ул. Боконбаева, 144, кв. 52', place: 'перекрёсток Боконбаева и Тыныстанова', subject: 'Третью неделю не вывозят мусор у дома',
    body: 'Контейнерная площадка переполнена с начала месяца, мусор разносит ветер по всему двору, появились крысы.',
    answer: 'График вывоза на Боконбаева восстановлен, площадка очищена бригадой Тазалыка во вторник.',
    comment: 'Вывезли один раз, потом снова всё заросло мусором', cosigner: 'Евфросиния Калмыкова',
  },
  {
    language: 'en', fullName: 'Eleanor Whitcombe-Osmonova', phone: '+996 312 90-47-65', email: 'eleanor.whitcombe@example.org',
    address: '7 Frunze Street, flat 19', place: 'the playground behind Frunze Street 7', subject: 'Broken swing at the courtyard playground',
    body: 'The chain of the swing snapped last Thursday and the seat hangs at an angle; small children still try to use it.',
    answer: 'The swing was replaced by the parks enterprise and the playground inspected for other hazards.',
    comment: 'They replaced the swing but left the rusty slide untouched', cosigner: 'Bartholomew Quigley-Asanov',
  },
];

let t: TestApp;
const haystacks: Array<{ where: string; text: string }> = [];

/** The 9-digit national number of a Kyrgyz phone, matched with any separators between its digits. */
function phonePattern(phone: string): RegExp {
  const national = phone.replace(/\D/g, '').replace(/^996/, '').replace(/^0/, '');
  return new RegExp(national.split('').join('[\\s\\-().\\/]*'));
}

beforeAll(async () => {
  t = await createTestApp({ now: '2026-03-02T05:00:00Z', env: { OPEN_DATA_SALT: 'pii-test-secret-0123456789' } });
  const ids = await t.ids();
  const operator = await t.staff('operator');
  const executor = await t.staff('executor.roads');
  const executorId = json(await t.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: executor.headers })).id;
  const moderator = await t.staff('moderator');
  const commission = await t.staff('commission');
  let hearing: string | undefined;
  const inject = (method: 'GET' | 'POST' | 'PUT', url: string, headers: Record<string, string>, payload?: object) =>
    t.app.inject({ method, url, headers, ...(payload ? { payload } : {}) });
  const M = '/api/v1/m/bishkek';
  for (const [i, p] of PEOPLE.entries()) {
    const applicant = { fullName: p.fullName, phone: p.phone, email: p.email, address: p.address };
    const appeal = {
      kind: 'complaint', categoryId: ids.category('roads.pothole'), language: p.language, subject: p.subject, body: p.body,
      location: { lat: 42.87 + i / 100, lon: 74.59 + i / 100, address: p.place, districtId: ids.district('leninsky') },
      cosigners: [p.cosigner], demographics: { consent: true, ageBand: '30_44', gender: i % 2 ? 'male' : 'female' },
    };
    // Each person files once at reception and once online (their own account), so both paths are covered.
    const reception = await inject('POST', `${M}/reception/appeals`, operator.headers, { ...appeal, channel: 'letter', applicant });
    expect(reception.statusCode, reception.body).toBe(201);
    const resident = await t.citizen(p.email);
    const online = await inject('POST', `${M}/appeals`, resident.headers, { ...appeal, applicant });
    expect(online.statusCode, online.body).toBe(201);
    for (const id of [json(reception).id, json(online).id]) {
      const assigned = await inject('POST', `${M}/appeals/${id}/assign`, operator.headers, { executorId });
      expect(assigned.statusCode, assigned.body).toBe(200);
      await inject('POST', `${M}/appeals/${id}/notes`, executor.headers, { body: `Позвонил заявителю ${p.fullName}` });
    }
    t.clock.advance(3 * 24 * 3600_000);
    const answered = await inject('POST', `${M}/appeals/${json(online).id}/answer`, executor.headers, { body: p.answer });
    expect(answered.statusCode, answered.body).toBe(200);
    const rated = await inject('PUT', `${M}/my/appeals/${json(online).id}/answers/${json(answered).answerId}/rating`, resident.headers,
      { overall: 2, solved: 'no', clarity: 2, accuracy: 2, onTimeFelt: true, comment: p.comment });
    expect(rated.statusCode, rated.body).toBe(201);
    // The land dialogue: a proposal under a chosen public name; a comment in the person's words (under their account's
    // name) that a moderator hides; a hearing registration (names on the staff's sign-in sheet only).
    await t.services.database.db.update(citizens).set({ fullName: p.fullName }).where(eq(citizens.email, p.email));
    const proposal = await inject('POST', `${M}/land/proposals`, resident.headers, { useKind: 'playground', lat: 42.87, lon: 74.6,
      title: `Аянтча ${i + 1}`, description: 'Балдар үчүн оюн аянтчасы керек.', authorName: `Жашоочу ${i + 1}`, language: p.language });
    expect(proposal.statusCode, proposal.body).toBe(201);
    const remark = await inject('POST', `${M}/land/proposals/${json(proposal).id}/comments`, resident.headers, { body: p.comment });
    expect((await inject('POST', `${M}/admin/land/comments/${json(remark).id}/hide`, moderator.headers, { reason: 'Эрежелерди бузат' })).statusCode).toBe(200);
    hearing ??= json(await inject('POST', `${M}/admin/land/hearings`, commission.headers, { title: 'Угуу', startsAt: '2026-04-01T05:00:00Z', place: 'Мэрия' })).id;
    expect((await inject('POST', `${M}/land/hearings/${hearing}/registration`, resident.headers)).statusCode).toBe(200);
  }
  // A plot with an announcement, put in by the commission's secretary (whose name must not show on the passport).
  const plot = await inject('POST', `${M}/admin/land/plots`, commission.headers, { cadastralNumber: '1-01-01-0001-0001', address: 'ул. Тоголок Молдо, 1',
    geometry: { type: 'Polygon', coordinates: [[[74.6, 42.87], [74.601, 42.87], [74.601, 42.871], [74.6, 42.87]]] } });
  expect(plot.statusCode, plot.body).toBe(201);
  expect((await inject('POST', `${M}/admin/land/announcements`, commission.headers, { plotId: json(plot).id, kind: 'other', title: { ru: 'Объявление' } })).statusCode).toBe(201);
  // The background work public outputs come from: scorecards' roll-up and the open-data files.
  await t.services.jobs.runDue({ includeRecurring: true });
});
afterAll(async () => { await t?.close(); });

it('every public route and file is free of applicants\' and staff members\' personal data', async () => {
  const db = t.services.database.db;
  // Every real id, so that /{id} routes find something to show whatever kind of id they take.
  const idRows = await Promise.all([
    db.select({ id: appeals.id }).from(appeals), db.select({ id: services.id }).from(services),
    db.select({ id: categories.id }).from(categories), db.select({ id: districts.id }).from(districts),
    db.select({ id: appealAnswers.id }).from(appealAnswers), db.select({ id: staffUsers.id }).from(staffUsers),
    db.select({ id: landProposals.id }).from(landProposals), db.select({ id: landComments.id }).from(landComments),
    db.select({ id: publicHearings.id }).from(publicHearings),
    db.select({ id: landPlots.id }).from(landPlots), db.select({ id: landAnnouncements.id }).from(landAnnouncements),
  ]);
  const allIds = idRows.flat().map((r) => r.id);
  // Routes that declare a sign-in are still called anonymously, with one id of each kind (they should all refuse).
  const someIds = idRows.flatMap((rows) => rows.slice(0, 1).map((r) => r.id));
  const staff = await db.select({ fullName: staffUsers.fullName, email: staffUsers.email }).from(staffUsers);
  expect(staff.length).toBeGreaterThan(5);

  const doc = json<{ paths: Record<string, Record<string, { security?: unknown[]; parameters?: Array<{ in: string; name: string; required?: boolean }> }>> }>(
    await t.app.inject({ method: 'GET', url: '/api/openapi.json' }));
  const publicOk = new Set<string>();
  for (const [path, item] of Object.entries(doc.paths)) {
    const op = item.get;
    if (!op) continue;
    const pathParams = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!);
    // A file's id is tried as any other id (downloads of public documents answer with the file, or 404).
    const unknown = pathParams.filter((p) => p !== 'municipality' && p !== 'id' && p !== 'fileId');
    expect(unknown, `${path}: this test does not know how to fill ${unknown.join(', ')} — teach it`).toEqual([]);
    const requiredQuery = (op.parameters ?? []).filter((p) => p.in === 'query' && p.required).map((p) => p.name);
    const query = new URLSearchParams();
    for (const name of requiredQuery) {
      if (name === 'categoryId') query.set(name, idRows[2]![0]!.id);
      else expect(op.security, `${path}: public route with a required query parameter ${name} this test cannot fill`).toBeDefined();
    }
    // Every GET is called without sign-in, whatever it declares: anything it answers is public.
    for (const municipality of ['bishkek', 'osh']) {
      for (const id of pathParams.includes('id') ? (op.security ? someIds : allIds) : [null]) {
        const url = path.replace('{municipality}', municipality).replace('{id}', id ?? '').replace('{fileId}', id ?? '') + (requiredQuery.length ? `?${query}` : '');
        const res = await t.app.inject({ method: 'GET', url });
        if (res.statusCode < 300) {
          publicOk.add(path);
          haystacks.push({ where: `GET ${url}`, text: res.body });
        }
        if (res.statusCode >= 500) throw new Error(`GET ${url}: ${res.statusCode}`);
      }
    }
  }
  // The test is not vacuous: the public outputs that carry appeal data did answer.
  for (const p of ['/api/v1/m/{municipality}/scorecards', '/api/v1/m/{municipality}/scorecards/services/{id}',
    '/api/v1/m/{municipality}/open-data', '/api/v1/m/{municipality}/open-data/appeals', '/api/v1/m/{municipality}/open-data/appeals.csv',
    '/api/v1/m/{municipality}/open-data/appeals.json', '/api/v1/m/{municipality}/land/proposals/{id}/comments', '/api/v1/m/{municipality}/land/hearings/{id}',
    '/api/v1/m/{municipality}/land/plots/{id}', '/api/v1/m/{municipality}/land/announcements/{id}']) {
    expect(publicOk.has(p), p).toBe(true);
  }
  // The published files themselves, as written on disk.
  const dir = openDataDir(t.services.config.dataDir, 'bishkek');
  for (const name of await readdir(dir)) {
    if (!name.startsWith('.')) haystacks.push({ where: `file ${name}`, text: await readFile(join(dir, name), 'utf8') });
  }
  const rows = json(await t.app.inject({ method: 'GET', url: '/api/v1/m/bishkek/open-data/appeals?limit=1000' })).items;
  expect(rows).toHaveLength(PEOPLE.length * 2);
  expect(rows.filter((r: { rating_overall: number | null }) => r.rating_overall === 2)).toHaveLength(PEOPLE.length);

  const needles: Array<{ what: string; find: (text: string) => boolean }> = [];
  const literal = (what: string, value: string) => {
    const v = value.toLowerCase();
    needles.push({ what: `${what} "${value}"`, find: (text) => text.includes(v) || text.includes(encodeURIComponent(v).toLowerCase()) });
  };
  for (const p of PEOPLE) {
    literal('name', p.fullName);
    for (const part of p.fullName.split(/[\s-]+/).filter((s) => s.length >= 6)) literal('name part', part);
    literal('e-mail', p.email);
    literal('address', p.address);
    literal('place', p.place);
    literal('subject', p.subject);
    literal('body', p.body);
    literal('body fragment', p.body.slice(0, 30));
    literal('answer', p.answer.slice(0, 30));
    literal('rating comment', p.comment);
    literal('co-signer', p.cosigner);
    const phone = phonePattern(p.phone);
    needles.push({ what: `phone ${p.phone}`, find: (text) => phone.test(text) });
  }
  for (const s of staff) { literal('staff name', s.fullName); literal('staff e-mail', s.email); }

  expect(haystacks.length).toBeGreaterThan(10);
  const found: string[] = [];
  for (const h of haystacks) {
    // JSON may escape non-ASCII as \uXXXX: read it back before searching.
    const text = h.text.replace(/\\u([0-9a-fA-F]{4})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16))).toLowerCase();
    for (const n of needles) if (n.find(text)) found.push(`${n.what} in ${h.where}`);
  }
  expect(found).toEqual([]);
// Every public GET × every id × two cities: far more requests than any other test; it needs more than the default time.
}, 120_000);

it('the search finds personal data where it is (the needles work)', async () => {
  // Staff see the applicant: the same needles must hit a signed-in staff page, or the test above proves nothing.
  const operator = await t.staff('operator');
  const res = await t.app.inject({ method: 'GET', url: '/api/v1/m/bishkek/appeals?limit=50', headers: operator.headers });
  expect(res.statusCode).toBe(200);
  const list = json<{ items: Array<{ id: string }> }>(res).items;
  const detail = await t.app.inject({ method: 'GET', url: `/api/v1/m/bishkek/appeals/${list[0]!.id}`, headers: operator.headers });
  const text = detail.body.toLowerCase();
  const person = PEOPLE.find((p) => text.includes(p.fullName.toLowerCase()));
  expect(person, 'a staff view shows an applicant').toBeDefined();
  expect(phonePattern(person!.phone).test(detail.body)).toBe(true);
  expect(text).toContain(person!.email);
});
