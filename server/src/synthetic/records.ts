/** The rows the synthetic generator produces, shaped like the tables they go to (numbers are given at write time). */
import type { AppealKind, Channel } from '@shaar/contracts';

export interface SyntheticAppeal {
  id: string; kind: AppealKind; channel: Channel; status: string; isCollective: boolean; cosignersCount: number;
  subject: string; body: string; language: 'ky' | 'ru'; categoryId: string; districtId: string; serviceId: string | null;
  executorId: string | null; lat: number; lon: number; address: string; receivedAt: Date; registeredAt: Date;
  /** The registration year in the city's calendar: registration numbers count per year. */
  year: number; registrationDueDate: string; dueDate: string; originalDueDate: string; deadlineRuleId: string;
  answeredAt: Date | null; closedAt: Date | null; citizenId: string | null; submittedByKind: string;
  submittedById: string | null; repeatOfId: string | null; noConsiderationGround: string | null; version: number;
}
export interface SyntheticApplicant { appealId: string; fullName: string; email: string | null; phone: string | null; address: string; cosigners: string[] }
export interface SyntheticDemographics { appealId: string; ageBand: string; gender: string; socialGroup: string; consentedAt: Date }
export interface SyntheticAnswer {
  id: string; appealId: string; body: string; language: string; authorId: string; serviceId: string | null;
  dueDate: string; workingDays: number; onTime: boolean; createdAt: Date;
}
export interface SyntheticRating {
  id: string; appealId: string; answerId: string; citizenId: string; serviceId: string | null; executorId: string | null;
  overall: number; solved: 'yes' | 'partly' | 'no'; clarity: number; accuracy: number; onTimeFelt: boolean; comment: string | null;
  createdAt: Date; followUpDueAt: Date | null;
}
export interface SyntheticReviewRequest {
  id: string; appealId: string; answerId: string; citizenId: string; serviceId: string | null; reason: string;
  status: 'pending' | 'reopened' | 'closure_confirmed'; decidedById: string | null; decidedAt: Date | null;
  decisionReason: string | null; createdAt: Date;
}
export interface SyntheticAudit {
  appealId: string; occurredAt: Date; actorId: string | null; action: 'reopen';
  before: Record<string, unknown>; after: Record<string, unknown>; reason: string;
}
export interface SyntheticCitizen { id: string; email: string; fullName: string; locale: string }

export type PlantedKind = 'hotspot' | 'repeat_after_closure' | 'seasonal';
/** Ground truth for a detector: what was planted, where (H3 resolution 9 cells) and which appeals belong to it. */
export interface PlantedProblem {
  kind: PlantedKind; categoryCode: string; districtCode: string; cells: string[]; appealIds: string[];
  from: string; to: string; distinctApplicants: number;
}

export interface SyntheticData {
  appeals: SyntheticAppeal[]; applicants: SyntheticApplicant[]; demographics: SyntheticDemographics[];
  answers: SyntheticAnswer[]; ratings: SyntheticRating[]; reviewRequests: SyntheticReviewRequest[];
  audits: SyntheticAudit[]; citizens: SyntheticCitizen[]; planted: PlantedProblem[];
}
