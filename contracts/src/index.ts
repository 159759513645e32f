export * from './enums.js';
export * from './appeal-lifecycle.js';
export * from './working-calendar.js';
export * from './answer-check.js';
