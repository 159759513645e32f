/**
 * Logs carry no personal data: after appeals are filed, searched, refused and answered, no applicant's name,
 * phone, e-mail or text appears in any log line — while the request lines themselves are there.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../src/test-support/test-app.js';

const lines: string[] = [];
let t: TestApp;
beforeAll(async () => { t = await createTestApp({ logLines: lines }); });
afterAll(async () => { await t?.close(); });

it('keeps names, contacts, texts, codes and tokens out of the logs', async () => {
  const ids = await t.ids();
  const operator = await t.staff('operator');
  const citizen = await t.citizen('secret.person@example.kg');
  const applicant = { fullName: 'Чолпон Секретова', phone: '+996 555 987 654', email: 'cholpon.secret@example.kg' };
  const body = { kind: 'complaint', categoryId: ids.category('water.none'), subject: 'Нет воды третий день', body: 'Уникальная-фраза-для-проверки-логов: нет воды.' };
  const filed = await t.app.inject({ method: 'POST', url: '/api/v1/m/bishkek/reception/appeals', headers: operator.headers, payload: { ...body, channel: 'phone', applicant } });
  expect(filed.statusCode).toBe(201);
  await t.app.inject({ method: 'POST', url: '/api/v1/m/bishkek/appeals', headers: citizen.headers, payload: { ...body, applicant } });
  // A search by name, a refused request carrying personal data, and a broken body.
  await t.app.inject({ method: 'GET', url: `/api/v1/m/bishkek/appeals?q=${encodeURIComponent(applicant.fullName)}`, headers: operator.headers });
  await t.app.inject({ method: 'POST', url: '/api/v1/m/bishkek/reception/appeals', headers: operator.headers, payload: { ...body, channel: 'fax', applicant } });
  await t.app.inject({ method: 'POST', url: '/api/v1/m/bishkek/reception/appeals', headers: { ...operator.headers, 'content-type': 'application/json' }, payload: `{"applicant":"${applicant.fullName}"` });

  const log = lines.join('\n');
  expect(lines.some((l) => l.includes('/api/v1/m/bishkek/reception/appeals'))).toBe(true); // requests are logged…
  for (const secret of ['Чолпон', '987654', 'cholpon.secret', 'secret.person', 'Уникальная-фраза', operator.token, citizen.token]) {
    expect(log, `log contains ${secret}`).not.toContain(secret); // …but nothing personal
  }
});
