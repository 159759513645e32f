/**
 * Checks of an answer before it is sent to the resident. They are warnings, not rules: the executor may send
 * anyway after confirming, since only a person can tell a short but complete answer from an empty one.
 * The server runs them (POST …/answer-check) with the templates and category of the appeal; the web composer
 * may run them as the executor types.
 */

export const ANSWER_WARNINGS = ['too_short', 'template_unchanged', 'result_photo_missing'] as const;
export type AnswerWarningCode = (typeof ANSWER_WARNINGS)[number];
export interface AnswerWarning { code: AnswerWarningCode }

/**
 * The fewest characters of real text (letters and digits, one space between words) of an answer that says
 * what was done or decided, when, and what the resident can do next — Law No. 67 asks for a reasoned answer.
 * "The pothole at 253 Chui Ave was patched on 30 April by crew 3; call 1313 if it opens again" has 89;
 * the usual non-answers ("Рассмотрено.", "Выполнено, спасибо за обращение.", "Иш аткарылды.") are under 40.
 * 80 sits between them: about one full sentence with a clause, in Kyrgyz, Russian or English alike.
 */
export const MIN_ANSWER_CHARS = 80;

export interface AnswerCheckInput {
  body: string;
  /** Bodies of the answer templates that apply to the appeal (any language). */
  templateBodies: readonly string[];
  /** The appeal's category (or its group) wants a photo of the result. */
  requiresResultPhoto: boolean;
  /** Photos (images, not PDFs) the executor attaches to this answer. */
  resultPhotoCount: number;
}

/**
 * The text reduced to its words: letters and digits only, lower case, one space between words. Whitespace,
 * punctuation, symbols and case are what "trivially different" means; "…" or "!!!!" add no substance.
 */
export function realText(text: string): string {
  return (text.normalize('NFC').toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []).join(' ');
}

/** Characters (code points, not UTF-16 units) of real text. */
export function realTextLength(text: string): number {
  return [...realText(text)].length;
}

export function answerWarnings(input: AnswerCheckInput): AnswerWarning[] {
  const warnings: AnswerWarning[] = [];
  const text = realText(input.body);
  if ([...text].length < MIN_ANSWER_CHARS) warnings.push({ code: 'too_short' });
  // An empty template would match every empty answer, which too_short already says.
  if (text !== '' && input.templateBodies.some((t) => realText(t) === text)) warnings.push({ code: 'template_unchanged' });
  if (input.requiresResultPhoto && input.resultPhotoCount < 1) warnings.push({ code: 'result_photo_missing' });
  return warnings;
}
