//
// Subprotocol choice (as `ws` keeps it in `subprotocol.js`): what the client
// offered, and what a mock version accepts it with, by list, by function, or
// as a layer chose (a proxy: the upstream's choice).
//
import type { IncomingMessage } from 'node:http';
import type { Adoption, HookRefusal } from '../layers/layer.js';
import type { CompiledMock } from '../mocks/compile.js';
import type { HandshakeRequest } from '../mocks/types.js';
import { toError } from '../util/toError.js';

/** The subprotocols in a handshake's `Sec-WebSocket-Protocol`, in the client's order. */
export function offeredProtocols(request: IncomingMessage): string[] {
  const header = request.headers['sec-websocket-protocol'];
  if (!header) return [];
  return header.split(',').map((p) => p.trim()).filter(Boolean);
}

/** The choice: a subprotocol (or none), or a refusal, with the user's error when their function threw. */
export type SubprotocolChoice = { chosen: string | undefined } | { refuse: HookRefusal; failed?: Error };

/** Chooses the subprotocol a mock version accepts the client with. */
export function chooseSubprotocol(compiled: CompiledMock, offered: string[], request: () => HandshakeRequest, adoption?: Adoption): SubprotocolChoice {
  let chosen: string | undefined;
  if (adoption) {
    chosen = adoption.protocol;
  } else if (typeof compiled.subprotocols === 'function') {
    let selected: string | false | undefined;
    try {
      selected = compiled.subprotocols(offered, request());
    } catch (err) {
      const error = toError(err);
      return { refuse: { status: 500, body: { error: 'subprotocol_selection_failed', message: error.message } }, failed: error };
    }
    if (selected === false || (selected !== undefined && !offered.includes(selected))) {
      return { refuse: { status: 400, body: { error: 'subprotocol_not_supported', offered, ...(selected === false ? {} : { chosen: selected }) } } };
    }
    chosen = selected;
  } else {
    const supported = compiled.subprotocols;
    chosen = offered.find((p) => supported.includes(p));
  }
  if (compiled.requireSubprotocol && chosen === undefined) {
    const error = offered.length === 0 ? 'subprotocol_required' : 'subprotocol_not_supported';
    const supported = typeof compiled.subprotocols === 'function' ? {} : { supported: compiled.subprotocols };
    return { refuse: { status: 400, body: { error, offered, ...supported } } };
  }
  return { chosen };
}
