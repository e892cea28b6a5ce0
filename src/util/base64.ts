// Buffer.from(text, 'base64') never fails: it skips what it cannot read. Input
// from configs and the admin API is checked with this first, so a typo is an
// error instead of different bytes on the wire.
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** Whether `text` is standard base64 (A-Z, a-z, 0-9, "+", "/"), padded with "=", without white space. */
export function isBase64(text: string): boolean {
  return BASE64.test(text);
}
