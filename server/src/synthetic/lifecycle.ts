/**
 * From an appeal's spec (when, what, where) to its whole synthetic life: who filed it and how, the service the
 * routing rules give, the legal due dates, and the outcome up to "now" — answered in a realistic number of working
 * days (some late), closed, rated, asked for review, reopened, left without consideration, or still open.
 */
import type { AppealKind, Channel, IsoDate } from '@shaar/contracts';
import type { Category, District } from '../modules/directory/directory.cache.js';
import type { DeadlineRule } from '../modules/deadlines/working-time.js';
import { DAY_MS, instantAt, localDateOf, type DueDates } from './calendar-time.js';
import type { AppealSpec } from './planted.js';
import {
  AGE_BAND_MIX, CHANNEL_MIX, CITIZEN_CHANNELS, FAMILY_NAMES, GIVEN_NAMES, KIND_MIX, LANGUAGE_MIX,
  NO_CONSIDERATION_MIX, SOCIAL_GROUP_MIX, STREETS,
} from './profiles.js';
import type { Random } from './random.js';
import type { SyntheticReference } from './generate.js';
import type {
  SyntheticAnswer, SyntheticAppeal, SyntheticApplicant, SyntheticAudit, SyntheticCitizen, SyntheticData,
  SyntheticDemographics, SyntheticRating, SyntheticReviewRequest,
} from './records.js';

export interface LifecycleInput {
  rng: Random; ref: SyntheticReference; nowMs: number; dueDates: DueDates; specs: AppealSpec[]; seed: number;
  categoryOf: (code: string) => Category; districtOf: (code: string) => District;
  route: (categoryId: string, districtId: string) => string | null;
  ruleFor: (kind: AppealKind, date: IsoDate) => DeadlineRule | null;
}

interface Person { fullName: string; gender: 'female' | 'male'; phone: string; citizen: SyntheticCitizen | null }

export function buildLifecycle(input: LifecycleInput): Omit<SyntheticData, 'planted'> {
  const { rng, ref, nowMs, dueDates, specs } = input;
  const out: Omit<SyntheticData, 'planted'> = {
    appeals: [], applicants: [], demographics: [], answers: [], ratings: [], reviewRequests: [], audits: [], citizens: [],
  };
  const operator = ref.staff.find((s) => s.roles.includes('operator')) ?? ref.staff[0];
  const supervisor = ref.staff.find((s) => s.roles.includes('supervisor')) ?? operator;
  if (!operator || !supervisor) throw new Error('the municipality has no staff: seed its reference data first');
  const executors = new Map<string, string[]>();
  for (const s of ref.staff) if (s.serviceId && s.roles.includes('executor')) executors.set(s.serviceId, [...(executors.get(s.serviceId) ?? []), s.id]);
  // Some services are slower than others, steadily: what the scorecards should rank.
  const slowness = new Map([...ref.directory.services.keys()].sort().map((id) => [id, 0.75 + rng.next() * 0.6]));
  const streets = STREETS[ref.municipality.slug] ?? STREETS.bishkek!;
  const languages = LANGUAGE_MIX[ref.municipality.slug] ?? LANGUAGE_MIX.bishkek!;

  let people = 0;
  const newPerson = (withAccount: boolean, language: string): Person => {
    const gender = rng.chance(0.55) ? 'female' : 'male';
    const fullName = `${rng.pick(GIVEN_NAMES[gender])} ${rng.pick(FAMILY_NAMES[gender])}`;
    const n = people++;
    // Clearly fake contacts: +996 555 0xx xxx and example.kg.
    const phone = `+9965550${String((n * 7919 + input.seed) % 100_000).padStart(5, '0')}`;
    let citizen: SyntheticCitizen | null = null;
    if (withAccount) {
      citizen = { id: rng.uuid(), email: `resident.${input.seed}.${n}@example.kg`, fullName, locale: language };
      out.citizens.push(citizen);
    }
    return { fullName, gender, phone, citizen };
  };
  // Residents with an account often come back: a pool they are drawn from again.
  const accountPool: Person[] = [];
  const chainPeople = new Map<string, Person>();

  for (const spec of specs) {
    const channel: Channel = spec.channel ?? rng.weighted(CHANNEL_MIX);
    const kind: AppealKind = spec.kind ?? rng.weighted(KIND_MIX);
    const language = rng.weighted(languages);
    const withAccount = CITIZEN_CHANNELS.has(channel);
    let person: Person;
    if (spec.applicantKey) {
      person = chainPeople.get(spec.applicantKey) ?? newPerson(withAccount, language);
      chainPeople.set(spec.applicantKey, person);
    } else if (withAccount && accountPool.length > 20 && rng.chance(0.3) && !isPlanted(spec)) {
      person = rng.pick(accountPool);
    } else {
      person = newPerson(withAccount, language);
      if (withAccount) accountPool.push(person);
    }

    const category = input.categoryOf(spec.categoryCode);
    const district = input.districtOf(spec.districtCode);
    const serviceId = input.route(category.id, district.id);
    const registeredAt = spec.at;
    const registeredDate = localDateOf(registeredAt);
    // Letters arrive a few days before the desk registers them; everything else within minutes.
    const receivedAt = channel === 'letter' ? registeredAt - rng.int(0, 3) * DAY_MS : registeredAt - rng.int(1, 30) * 60_000;
    const rule = input.ruleFor(kind, registeredDate);
    if (!rule) throw new Error(`no deadline rule in force on ${registeredDate}`);
    const dueDate = dueDates.add(registeredDate, rule.answerWithinDays);
    const executorId = serviceId ? pickOrNull(rng, executors.get(serviceId)) : null;
    const address = `${rng.pick(streets)}, ${rng.int(1, 240)}`;
    const cosigners = !spec.applicantKey && rng.chance(0.03) ? Array.from({ length: rng.int(2, 8) }, () => newName(rng)) : [];
    const name = category.name[language];
    const appeal: SyntheticAppeal = {
      id: spec.id, kind, channel, status: 'registered', isCollective: cosigners.length > 0, cosignersCount: cosigners.length,
      subject: name, body: bodyText(language, kind, name, address), language, categoryId: category.id, districtId: district.id,
      serviceId, executorId: null, lat: round6(spec.lat), lon: round6(spec.lon), address, receivedAt: new Date(receivedAt),
      registeredAt: new Date(registeredAt), year: Number(registeredDate.slice(0, 4)),
      registrationDueDate: dueDates.add(localDateOf(receivedAt), rule.registerWithinDays), dueDate, originalDueDate: dueDate,
      deadlineRuleId: rule.id, answeredAt: null, closedAt: null, citizenId: person.citizen?.id ?? null,
      submittedByKind: person.citizen ? 'citizen' : channel === 'tunduk' ? 'integrator' : 'staff',
      submittedById: person.citizen ? person.citizen.id : channel === 'tunduk' ? null : operator.id,
      repeatOfId: spec.repeatOfId ?? null, noConsiderationGround: null, version: 1,
    };
    out.appeals.push(appeal);
    out.applicants.push({
      appealId: spec.id, fullName: person.fullName, address,
      email: person.citizen?.email ?? (channel === 'email' ? `applicant.${input.seed}.${out.appeals.length}@example.kg` : null),
      phone: person.citizen && rng.chance(0.5) ? null : person.phone, cosigners,
    } satisfies SyntheticApplicant);
    if (rng.chance(0.25)) {
      out.demographics.push({
        appealId: spec.id, ageBand: rng.weighted(AGE_BAND_MIX), gender: rng.chance(0.01) ? 'other' : person.gender,
        socialGroup: rng.weighted(SOCIAL_GROUP_MIX), consentedAt: new Date(registeredAt),
      } satisfies SyntheticDemographics);
    }
    live(input, out, appeal, spec, executorId ?? null, serviceId ? slowness.get(serviceId) ?? 1 : 1, supervisor.id, rule, nowMs);
  }
  return out;
}

/** The outcome of one appeal up to now. */
function live(
  input: LifecycleInput, out: Omit<SyntheticData, 'planted'>, appeal: SyntheticAppeal, spec: AppealSpec,
  executorId: string | null, slowness: number, supervisorId: string, rule: DeadlineRule, nowMs: number,
) {
  const { rng, dueDates } = input;
  const registeredDate = localDateOf(appeal.registeredAt.getTime());
  const r = rng.next();
  if (!spec.closeOnTime && r < 0.015) {
    appeal.status = 'left_without_consideration';
    appeal.noConsiderationGround = rng.weighted(NO_CONSIDERATION_MIX);
    appeal.closedAt = new Date(Math.min(nowMs, appeal.registeredAt.getTime() + rng.int(1, 3) * DAY_MS));
    appeal.version = 2;
    return;
  }
  appeal.executorId = executorId;
  // A few appeals are stuck: never answered, so the older ones are overdue now.
  const stuck = !spec.closeOnTime && r < 0.045;
  const days = spec.closeOnTime ? rng.int(2, 10) : answerDays(rng, slowness);
  const answer = stuck ? null : answerAt(input, out, appeal, registeredDate, days, appeal.dueDate, executorId ?? supervisorId, nowMs);
  if (!answer) {
    appeal.status = nowMs - appeal.registeredAt.getTime() < DAY_MS ? 'registered' : executorId ? 'in_progress' : 'assigned';
    appeal.version = appeal.status === 'registered' ? 1 : 3;
    return;
  }
  close(input, appeal, answer.createdAt.getTime(), nowMs, spec.closeOnTime ? 1 : 0.88);
  if (!appeal.citizenId || spec.closeOnTime || !rng.chance(0.35)) return;

  const rating = rate(rng, appeal, answer, nowMs);
  if (!rating) return;
  out.ratings.push(rating);
  if (!(rating.overall <= 2 || rating.solved === 'no') || !rng.chance(0.45)) return;
  const askedAt = rating.createdAt.getTime() + rng.int(1, 48) * 3_600_000;
  if (askedAt > nowMs) return;
  const decidedAt = askedAt + rng.int(1, 4) * DAY_MS;
  const decided = decidedAt <= nowMs;
  const reopen = decided && rng.chance(0.45);
  out.reviewRequests.push({
    id: rng.uuid(), appealId: appeal.id, answerId: answer.id, citizenId: appeal.citizenId, serviceId: appeal.serviceId,
    reason: appeal.language === 'ky' ? 'Көйгөй чечилген жок.' : 'Проблема не решена.',
    status: !decided ? 'pending' : reopen ? 'reopened' : 'closure_confirmed', decidedById: decided ? supervisorId : null,
    decidedAt: decided ? new Date(decidedAt) : null,
    decisionReason: !decided ? null : reopen ? 'Повторная проверка на месте.' : 'Работы выполнены, подтверждено актом осмотра.',
    createdAt: new Date(askedAt),
  } satisfies SyntheticReviewRequest);
  if (!reopen) return;

  // Reopened: a fresh legal term from the day of reopening, then (usually) a second answer.
  const reopenDate = localDateOf(decidedAt);
  const newDue = dueDates.add(reopenDate, rule.answerWithinDays);
  out.audits.push({
    appealId: appeal.id, occurredAt: new Date(decidedAt), actorId: supervisorId, action: 'reopen',
    before: { status: appeal.status, dueDate: appeal.dueDate }, after: { status: 'reopened', dueDate: newDue },
    reason: 'Пересмотр по запросу заявителя.',
  } satisfies SyntheticAudit);
  appeal.dueDate = newDue;
  appeal.answeredAt = null;
  appeal.closedAt = null;
  appeal.status = 'reopened';
  appeal.version += 1;
  const second = answerAt(input, out, appeal, reopenDate, answerDays(rng, slowness), newDue, executorId ?? supervisorId, nowMs, decidedAt);
  if (second) close(input, appeal, second.createdAt.getTime(), nowMs, 0.9);
}

/** Working days to answer: log-normal around a week, scaled by the service's pace; about one in ten is late. */
function answerDays(rng: Random, slowness: number): number {
  return Math.min(60, Math.max(1, Math.round(Math.exp(Math.log(7) + 0.5 * rng.normal()) * slowness)));
}

function answerAt(
  input: LifecycleInput, out: Omit<SyntheticData, 'planted'>, appeal: SyntheticAppeal, termStart: IsoDate, days: number, dueDate: IsoDate, authorId: string,
  nowMs: number, notBefore = 0,
): SyntheticAnswer | null {
  const { rng } = input;
  const answeredOn = input.dueDates.add(termStart, days);
  const at = Math.max(instantAt(answeredOn, rng.int(9 * 60, 18 * 60)), notBefore + 3_600_000);
  // Not answered yet: the caller leaves the appeal open (a reopened one stays 'reopened').
  if (at > nowMs) return null;
  const answer: SyntheticAnswer = {
    id: rng.uuid(), appealId: appeal.id, language: appeal.language, authorId, serviceId: appeal.serviceId, dueDate,
    body: appeal.language === 'ky' ? 'Кайрылууңуз каралды, тиешелүү иштер аткарылды. Кайрылганыңыз үчүн рахмат.'
      : 'Ваше обращение рассмотрено, необходимые работы выполнены. Спасибо за обращение.',
    workingDays: days, onTime: answeredOn <= dueDate, createdAt: new Date(at),
  };
  appeal.answeredAt = answer.createdAt;
  appeal.status = 'answered';
  appeal.version += 3;
  out.answers.push(answer);
  return answer;
}

function close(input: LifecycleInput, appeal: SyntheticAppeal, answeredMs: number, nowMs: number, share: number) {
  const at = answeredMs + input.rng.int(2, 120) * 3_600_000;
  if (input.rng.next() < share && at <= nowMs) {
    appeal.status = 'closed';
    appeal.closedAt = new Date(at);
    appeal.version += 1;
  }
}

function rate(rng: Random, appeal: SyntheticAppeal, answer: SyntheticAnswer, nowMs: number): SyntheticRating | null {
  const createdAt = answer.createdAt.getTime() + rng.int(2, 96) * 3_600_000;
  if (createdAt > nowMs) return null;
  const overall = answer.onTime
    ? rng.weighted([[1, 5], [2, 7], [3, 18], [4, 35], [5, 35]] as const)
    : rng.weighted([[1, 25], [2, 25], [3, 25], [4, 15], [5, 10]] as const);
  const solved = overall >= 4 ? rng.weighted([['yes', 80], ['partly', 15], ['no', 5]] as const)
    : overall === 3 ? rng.weighted([['partly', 50], ['yes', 25], ['no', 25]] as const)
      : rng.weighted([['no', 70], ['partly', 25], ['yes', 5]] as const);
  const near = () => Math.min(5, Math.max(1, overall + rng.int(-1, 1)));
  return {
    id: rng.uuid(), appealId: appeal.id, answerId: answer.id, citizenId: appeal.citizenId!, serviceId: appeal.serviceId,
    executorId: appeal.executorId, overall, solved, clarity: near(), accuracy: near(),
    onTimeFelt: answer.onTime ? rng.chance(0.9) : rng.chance(0.15), comment: overall <= 2 ? 'Ничего не изменилось.' : null,
    createdAt: new Date(createdAt), followUpDueAt: solved === 'yes' ? new Date(createdAt + 30 * DAY_MS) : null,
  };
}

const isPlanted = (spec: AppealSpec) => Boolean(spec.kind);
const round6 = (x: number) => Math.round(x * 1e6) / 1e6;
const pickOrNull = (rng: Random, items: string[] | undefined) => (items && items.length > 0 ? rng.pick(items) : null);
const newName = (rng: Random) => {
  const g = rng.chance(0.5) ? 'female' : 'male';
  return `${rng.pick(GIVEN_NAMES[g])} ${rng.pick(FAMILY_NAMES[g])}`;
};

function bodyText(language: 'ky' | 'ru', kind: AppealKind, topic: string, address: string): string {
  if (language === 'ky') {
    return kind === 'proposal' ? `Сунуш: ${topic.toLowerCase()} маселесин ${address} дарегинде чечүүнү сунуштайм.`
      : `${topic}. Дареги: ${address}. Чара көрүүңүздөрдү суранам.`;
  }
  return kind === 'proposal' ? `Предлагаю решить вопрос «${topic.toLowerCase()}» по адресу ${address}.`
    : `${topic}. Адрес: ${address}. Прошу принять меры.`;
}
