//
// The matchers stage (first match wins, `times`, `noResponse`, responses and
// in-process `respond` functions) and the default-response stage behind it.
//
import type { Connection } from '../../connections/Connection.js';
import type { Message } from '../../connections/Message.js';
import type { MatcherConfig, RespondFunction, RespondResult, WebSocketMockConfig } from '../../mocks/types.js';
import { toError } from '../../util/toError.js';
import { compileMatch, jsonEquality, MISSING, type CompiledMatch } from '../../behaviour/match.js';
import type { Stage, StageContext } from '../stage.js';
import { compileResponse, responseFromResult, type CompiledResponse } from '../../behaviour/responses.js';
import { isPromiseLike } from '../../util/promise.js';

type Answer = (connection: Connection, message: Message) => void;

interface CompiledMatcher {
  readonly test: CompiledMatch<Connection>;
  /** Firings left; `times` counts per mock, across its connections. */
  remaining: number;
  readonly answer: Answer;
  /** Proxy mocks: pass the frame on after answering. */
  readonly forward: boolean;
}


/**
 * What a `respond` function returned, as a response. It is user data too:
 * serialising it (a circular object, a BigInt) can throw, and must be
 * reported like a throw, so the error is returned.
 */
function toResponse(result: RespondResult): CompiledResponse | undefined | Error {
  try {
    return responseFromResult(result);
  } catch (err) {
    return toError(err);
  }
}

/**
 * Calls an in-process `respond`. A synchronous answer joins the send queue at
 * once; a promise keeps its place in the queue until it settles, so replies
 * leave in the order the frames arrived. A function that throws or rejects
 * sends nothing and is reported; the connection keeps being served.
 */
function respondWith(respond: RespondFunction, host: StageContext): Answer {
  return (connection, message) => {
    const queue = host.queues.of(connection);
    let result: ReturnType<RespondFunction>;
    try {
      result = respond(message, connection);
    } catch (err) {
      host.report(toError(err), connection);
      return;
    }
    if (!isPromiseLike<RespondResult>(result)) {
      const response = toResponse(result);
      if (response instanceof Error) host.report(response, connection);
      else if (response) queue.respond(response, message);
      return;
    }
    const fill = queue.reserve();
    Promise.resolve(result).then(
      (value) => {
        const response = toResponse(value);
        if (response instanceof Error) host.report(response, connection);
        if (!response || response instanceof Error) return fill(undefined);
        // The slot holds the place; the response's own delay starts now.
        fill(() => queue.writeNow(response, message), response.delay);
      },
      (err: unknown) => {
        host.report(toError(err), connection);
        fill(undefined);
      },
    );
  };
}

function answerFor(matcher: MatcherConfig, host: StageContext): Answer {
  if (matcher.respond) return respondWith(matcher.respond, host);
  if (matcher.noResponse) return () => {};
  const responses: CompiledResponse[] = (matcher.responses ?? (matcher.response ? [matcher.response] : [])).map((spec) =>
    compileResponse(spec),
  );
  if (responses.length === 1) {
    const [response] = responses as [CompiledResponse];
    return (connection, message) => host.queues.of(connection).respond(response, message);
  }
  return (connection, message) => {
    const queue = host.queues.of(connection);
    for (const response of responses) queue.respond(response, message);
  };
}

/**
 * A run of consecutive `json` equality matchers on one simple path (a
 * protocol dispatching on `$.type`): the path is selected once per frame and
 * the candidates found in a table, so twenty such matchers cost one lookup.
 * Candidates keep their config order, so the first live one still wins.
 */
interface DispatchRun {
  readonly select: (json: unknown) => unknown;
  readonly table: Map<unknown, { matcher: CompiledMatcher; value: unknown }[]>;
}

type Entry = { kind: 'one'; matcher: CompiledMatcher } | { kind: 'run'; run: DispatchRun };

function plan(config: MatcherConfig[], host: StageContext): Entry[] {
  const entries: Entry[] = [];
  let open: { path: string; run: DispatchRun } | undefined;
  for (const matcherConfig of config) {
    const matcher: CompiledMatcher = {
      test: compileMatch(matcherConfig.match),
      remaining: matcherConfig.times ?? Number.POSITIVE_INFINITY,
      answer: answerFor(matcherConfig, host),
      forward: matcherConfig.forward === true,
    };
    const equality = jsonEquality(matcherConfig.match);
    if (!equality) {
      open = undefined;
      entries.push({ kind: 'one', matcher });
      continue;
    }
    if (open?.path !== equality.path) {
      open = { path: equality.path, run: { select: equality.select, table: new Map() } };
      entries.push({ kind: 'run', run: open.run });
    }
    const candidates = open.run.table.get(equality.value) ?? [];
    candidates.push({ matcher, value: equality.value });
    open.run.table.set(equality.value, candidates);
  }
  return entries;
}

/**
 * Rules in the matchers' language, compiled: the returned function tries each
 * in order, and the first live one that matches answers (its responses join the
 * connection's send queue) and is returned; `undefined` when none matched.
 * The matchers stage runs it on client frames, a proxy's `intercept` on the
 * upstream's.
 */
export function compileMatchers(config: MatcherConfig[], host: StageContext): (connection: Connection, message: Message) => { readonly forward: boolean } | undefined {
  const entries = plan(config, host);

  const fire = (matcher: CompiledMatcher, connection: Connection, message: Message) => {
    matcher.remaining--;
    matcher.answer(connection, message);
    return matcher;
  };

  return (connection, message) => {
    for (const entry of entries) {
      if (entry.kind === 'run') {
        if (message.binary) continue;
        const value = entry.run.select(message.json);
        if (value === MISSING) continue;
        // Map keys treat 0 and -0 alike; Object.is keeps the matchers' own equality.
        const candidates = entry.run.table.get(value);
        if (!candidates) continue;
        for (const candidate of candidates) {
          if (candidate.matcher.remaining > 0 && Object.is(value, candidate.value)) return fire(candidate.matcher, connection, message);
        }
        continue;
      }
      const { matcher } = entry;
      if (matcher.remaining <= 0) continue;
      let hit: boolean;
      try {
        hit = matcher.test(message, connection);
      } catch (err) {
        // An in-process predicate threw: report it and treat it as no match.
        host.report(toError(err), connection);
        continue;
      }
      if (hit) return fire(matcher, connection, message);
    }
    return undefined;
  };
}

/** The matchers stage: tries each matcher in order; the first that matches answers and stops the frame (`forward: true` passes it on to the layers' last stages too: a proxy sends it upstream). */
export function matchersStage(config: WebSocketMockConfig, host: StageContext): Stage | undefined {
  if (!config.matchers?.length) return undefined;
  const run = compileMatchers(config.matchers, host);
  return {
    name: 'matchers',
    inbound(frame) {
      const hit = run(frame.connection, frame.message);
      if (hit === undefined) return false;
      if (hit.forward) host.passOn(frame);
      return true;
    },
    disconnect: (connection) => host.queues.dispose(connection),
  };
}

/** The default-response stage: answers every frame no earlier stage handled. Echo never sees those frames. */
export function defaultResponseStage(config: WebSocketMockConfig, host: StageContext): Stage | undefined {
  if (!config.defaultResponse) return undefined;
  const response = compileResponse(config.defaultResponse);
  return {
    name: 'defaultResponse',
    inbound({ connection, message }) {
      host.queues.of(connection).respond(response, message);
      return true;
    },
    disconnect: (connection) => host.queues.dispose(connection),
  };
}
