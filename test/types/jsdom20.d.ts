// jsdom 20 under an alias (what jest-environment-jsdom 29 ships): the API the
// tests use is the same as in the jsdom whose types are installed.
declare module 'jsdom20' {
  export { JSDOM } from 'jsdom';
}
