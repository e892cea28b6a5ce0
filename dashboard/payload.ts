// The send and broadcast boxes: what the user typed, checked before anything is sent.

export type PayloadType = 'text' | 'json' | 'binary';

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** The body of a send or broadcast call, or why the input cannot be sent. */
export function readPayload(type: PayloadType, input: string): { body: { type: PayloadType; data: unknown } } | { error: string } {
  if (type === 'json') {
    try {
      return { body: { type, data: JSON.parse(input) } };
    } catch (err) {
      return { error: `Not valid JSON, nothing sent: ${(err as Error).message}` };
    }
  }
  if (type === 'binary') {
    const compact = input.replace(/\s+/g, '');
    if (compact === '' || !BASE64.test(compact)) return { error: 'Not valid base64 (A-Z, a-z, 0-9, "+", "/", padded with "="), nothing sent.' };
    return { body: { type, data: compact } };
  }
  return { body: { type, data: input } };
}
