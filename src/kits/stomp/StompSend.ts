/**
 * A SEND a client made, as `mock.waitForSend()` and a destination function
 * get it (a transactional one once its transaction is committed).
 */
export interface StompSend {
  /** The `destination` header. */
  readonly destination: string;
  /** Every header of the frame (unescaped), the first of a repeated one. */
  readonly headers: Readonly<Record<string, string>>;
  /** The body as UTF-8 text. */
  readonly body: string;
  /** The body's bytes (a body with NULs needs `content-length`). */
  readonly bytes: Buffer;
  /** The body parsed as JSON, or undefined when it is not JSON. */
  readonly json: unknown;
  /** The transaction it was sent in, if any. */
  readonly transaction: string | undefined;
  /** The id of the connection that sent it (`conn-3`). */
  readonly connectionId: string;
}

/** Makes the frozen record of a SEND; `json` is parsed on first read. */
export function makeSend(destination: string, headers: Readonly<Record<string, string>>, bytes: Buffer, connectionId: string): StompSend {
  const body = bytes.toString('utf8');
  let parsed: { value: unknown } | undefined;
  return Object.freeze({
    destination,
    headers: Object.freeze({ ...headers }),
    body,
    bytes,
    get json(): unknown {
      if (!parsed) {
        try {
          parsed = { value: JSON.parse(body) };
        } catch {
          parsed = { value: undefined };
        }
      }
      return parsed.value;
    },
    transaction: headers.transaction,
    connectionId,
  });
}
