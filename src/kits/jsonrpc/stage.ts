//
// The JSON-RPC stage: every inbound frame is JSON-RPC. A frame is one request
// object or a batch (an array of them); each entry is a request (answered),
// a notification (never answered), the client's answer to a call the server
// made, or invalid (-32600). A batch is answered with one array holding the
// answers of its requests, in order, once all are settled; a batch of
// notifications only is answered with nothing; an empty batch with one
// -32600. Answers that take time (a delay, a promise, the test) leave when
// ready, so a slow call never holds back the next frame's answers.
//
import { randomOf, type Connection, type KitHost, type Stage } from '../../kit/index.js';
import { CallState, describeCall, JsonRpcCall } from './JsonRpcCall.js';
import { errorObjectOf, JsonRpcError } from './JsonRpcError.js';
import type { CompiledMethod } from './methods.js';
import { classify, JsonRpcErrorCode, response, standardError, type JsonRpcOutcome, type JsonRpcResponse } from './protocol.js';
import type { RpcSession } from './session.js';
import type { JsonRpcState } from './state.js';
import type { UnknownMethods } from './types.js';
import { isPromiseLike } from '../../util/promise.js';
import { toError } from '../../util/toError.js';

/** A response ready to go: its JSON text, made once, and the value journaled with it. */
interface Written {
  readonly json: JsonRpcResponse;
  readonly text: string;
}

type Answer = Written | undefined;

/**
 * A response as text. A result or error data that JSON cannot carry (nested
 * deeper than the stack allows, a BigInt, a cycle) becomes -32603 for the
 * same id, so the client is answered whatever the method produced.
 */
function serialise(answer: JsonRpcResponse): Written & { failed?: Error } {
  try {
    return { json: answer, text: JSON.stringify(answer) };
  } catch (err) {
    const failed = toError(err);
    const json = response(answer.id, { error: standardError(JsonRpcErrorCode.INTERNAL_ERROR, `the answer could not be serialised as JSON: ${failed.message}`) });
    return { json, text: JSON.stringify(json), failed };
  }
}


/** What one version of a JSON-RPC mock does with frames. */
export function jsonRpcStage(options: {
  methods: ReadonlyMap<string, CompiledMethod>;
  unknownMethods: UnknownMethods;
  state: JsonRpcState;
  host: KitHost;
}): Stage {
  const { methods, state, host } = options;
  const known = [...methods.keys()];

  const notFound = (method: string) =>
    standardError(
      JsonRpcErrorCode.METHOD_NOT_FOUND,
      known.length === 0 ? `the mock has no method "${method}" (it lists none)` : `the mock has no method "${method}"; it has ${known.map((m) => `"${m}"`).join(', ')}`,
    );

  /** Runs a method; a thrown error or a rejected promise becomes the error outcome. */
  const run = (method: CompiledMethod, call: JsonRpcCall, callState: CallState, session: RpcSession): JsonRpcOutcome | Promise<JsonRpcOutcome> => {
    switch (method.kind) {
      case 'manual':
        return callState.answer(describeCall(call));
      case 'handler': {
        let value: unknown;
        try {
          value = method.handler(call.params, call, state.handle(session.connection));
        } catch (err) {
          return { error: errorObjectOf(err) };
        }
        if (!isPromiseLike(value)) return { result: value };
        return Promise.resolve(value).then(
          (result) => ({ result }),
          (err: unknown) => ({ error: errorObjectOf(err) }),
        );
      }
      case 'answer': {
        // A template that fails to render answers -32603: in a delay's timer, a throw would end the process.
        const render = (): JsonRpcOutcome => {
          try {
            return method.render(
              { connection: session.connection, message: undefined, connectionCount: host.connectionCount, sequence: ++session.sequence, uuid: () => randomOf(session.connection).uuid() },
              call,
            );
          } catch (err) {
            return { error: errorObjectOf(err) };
          }
        };
        if (method.delay === 0) return render();
        return new Promise((resolve) => session.after(method.delay, () => resolve(render())));
      }
    }
  };

  /** One entry of a frame: its answer, a promise of it, or nothing (a notification, a client's answer). */
  const handle = (entry: unknown, session: RpcSession): Answer | Promise<Answer> => {
    const parsed = classify(entry);
    switch (parsed.kind) {
      case 'invalid':
        return serialise(response(parsed.id, { error: standardError(JsonRpcErrorCode.INVALID_REQUEST, parsed.reason) }));
      case 'response':
        session.answered(parsed.id, parsed.outcome);
        return undefined;
      case 'notification': {
        const method = methods.get(parsed.method);
        const callState = new CallState(undefined, false);
        const call = new JsonRpcCall({ ...parsed, id: undefined, connection: session.connection, state: callState });
        state.record(session, call);
        // Nothing goes back for a notification; a handler that fails is reported, as nobody else would see it.
        if (method?.kind === 'handler') {
          const done = (outcome: JsonRpcOutcome) => {
            if ('error' in outcome) host.report(new JsonRpcError(outcome.error.code, `notification "${call.method}" failed: ${outcome.error.message}`, outcome.error.data), session.connection);
          };
          const outcome = run(method, call, callState, session);
          if (isPromiseLike(outcome)) outcome.then(done).catch(reportTo(session));
          else done(outcome);
        }
        return undefined;
      }
      case 'request': {
        const method = methods.get(parsed.method);
        const manual = method?.kind === 'manual' || (method === undefined && options.unknownMethods === 'wait');
        const callState = new CallState(parsed.id, manual);
        const call = new JsonRpcCall({ ...parsed, connection: session.connection, state: callState });
        session.own(call, callState);
        state.record(session, call);
        const settle = (outcome: JsonRpcOutcome): Written => {
          const written = serialise(response(parsed.id, outcome));
          if (written.failed) {
            const message = `the answer to ${describeCall(call)} could not be serialised as JSON (sent -32603 instead): ${written.failed.message}`;
            host.report(new JsonRpcError(JsonRpcErrorCode.INTERNAL_ERROR, message), session.connection);
          }
          // The call records what the client got.
          callState.outcome = written.failed && 'error' in written.json ? { error: written.json.error } : outcome;
          return written;
        };
        if (method === undefined && !manual) return settle({ error: notFound(parsed.method) });
        const outcome = run(method ?? { kind: 'manual' }, call, callState, session);
        return isPromiseLike(outcome) ? outcome.then(settle) : settle(outcome);
      }
    }
  };

  const batch = (entries: unknown[], session: RpcSession): void => {
    if (entries.length === 0) {
      session.write(response(null, { error: standardError(JsonRpcErrorCode.INVALID_REQUEST, 'an empty batch') }));
      return;
    }
    const answers = entries.map((entry) => handle(entry, session));
    const send = (settled: Answer[]) => {
      const out = settled.filter((answer) => answer !== undefined);
      // A batch of notifications only gets nothing back, not an empty array.
      if (out.length > 0) session.writeText(`[${out.map((answer) => answer.text).join(',')}]`, out.map((answer) => answer.json));
    };
    if (answers.some(isPromiseLike)) Promise.all(answers).then(send).catch(reportTo(session));
    else send(answers as Answer[]);
  };

  const single = (entry: unknown, session: RpcSession): void => {
    const answer = handle(entry, session);
    if (isPromiseLike(answer)) answer.then((settled) => settled && session.writeText(settled.text, settled.json)).catch(reportTo(session));
    else if (answer) session.writeText(answer.text, answer.json);
  };

  // Every answer is settled and serialised above; what could still fail here is ours, reported rather than left unhandled.
  const reportTo = (session: RpcSession) => (err: unknown) => host.report(toError(err), session.connection);

  return {
    name: 'jsonrpc',
    connect(connection: Connection) {
      state.session(connection);
    },
    inbound({ connection, message, raw }) {
      const session = state.session(connection);
      let value = message.json;
      if (message.binary) {
        try {
          value = JSON.parse(raw.toString('utf8'));
        } catch {
          value = undefined;
        }
      }
      if (value === undefined) {
        session.write(response(null, { error: standardError(JsonRpcErrorCode.PARSE_ERROR, 'the frame is not JSON') }));
      } else if (Array.isArray(value)) batch(value, session);
      else single(value, session);
      return true;
    },
    disconnect(connection: Connection) {
      state.session(connection).close();
    },
  };
}
