/**
 * wsmock's errors: the {@link WsMockError} type with its stable codes
 * (`errors/WsMockError.ts`) and the catalogue of builders that make every
 * error the library raises on purpose (`errors/catalogue.ts`).
 */
export * from './errors/WsMockError.js';
export * from './errors/catalogue.js';
