import { describe, expect, it } from 'vitest';
import { answerWarnings, MIN_ANSWER_CHARS, realText, realTextLength } from './answer-check.js';

const complete = 'Яма у дома 253 по проспекту Чуй заделана 30 апреля бригадой №3. Если она появится снова, позвоните по номеру 1313.';
const template = 'Ваше обращение рассмотрено. Работы выполнены в установленный срок, результат проверен на месте мастером участка.';
const codes = (input: Partial<Parameters<typeof answerWarnings>[0]>) =>
  answerWarnings({ body: complete, templateBodies: [template], requiresResultPhoto: false, resultPhotoCount: 0, ...input }).map((w) => w.code);

describe('answerWarnings', () => {
  it('has nothing to say about a complete, own answer', () => {
    expect(realTextLength(complete)).toBeGreaterThanOrEqual(MIN_ANSWER_CHARS);
    expect(codes({})).toEqual([]);
  });

  it('counts only real text: padding with spaces, dots or exclamation marks does not make an answer long', () => {
    expect(codes({ body: 'Выполнено, спасибо за обращение.' })).toEqual(['too_short']);
    expect(codes({ body: `Сделано${'!'.repeat(100)}${' '.repeat(100)}${'.'.repeat(100)}` })).toEqual(['too_short']);
    expect(codes({ body: '   ' })).toEqual(['too_short']);
    expect(realText('  Яма\n\n заделана!!!  ')).toBe('яма заделана');
  });

  it('draws the line at MIN_ANSWER_CHARS characters, counting letters beyond UTF-16 (Kyrgyz ң, ө, ү) as one each', () => {
    const word = 'өңүр ';
    const exactly = word.repeat(MIN_ANSWER_CHARS / word.length);
    expect(realTextLength(exactly)).toBe(MIN_ANSWER_CHARS - 1); // the trailing space is not text
    expect(codes({ body: exactly })).toEqual(['too_short']);
    expect(codes({ body: `${exactly}ы` })).toEqual([]);
  });

  it('warns when the text is a template left as it was, or changed only in spaces, punctuation and case', () => {
    expect(codes({ body: template })).toEqual(['template_unchanged']);
    expect(codes({ body: `  ${template.toUpperCase().replaceAll('.', ';').replaceAll(' ', '\n  ')}!! ` })).toEqual(['template_unchanged']);
    // One real word changed is an edit.
    expect(codes({ body: template.replace('мастером', 'инженером') })).toEqual([]);
    // An empty template matches nothing.
    expect(codes({ body: '...', templateBodies: [''] })).toEqual(['too_short']);
  });

  it('warns when the category wants a photo of the result and none is attached', () => {
    expect(codes({ requiresResultPhoto: true, resultPhotoCount: 0 })).toEqual(['result_photo_missing']);
    expect(codes({ requiresResultPhoto: true, resultPhotoCount: 2 })).toEqual([]);
    expect(codes({ requiresResultPhoto: false, resultPhotoCount: 0 })).toEqual([]);
  });

  it('gives every warning that applies, in a stable order', () => {
    const shortTemplate = 'Рассмотрено.';
    expect(codes({ body: 'рассмотрено', templateBodies: [template, shortTemplate], requiresResultPhoto: true }))
      .toEqual(['too_short', 'template_unchanged', 'result_photo_missing']);
  });
});
