//
// classify: which contract message a payload is (the first it fits, else the
// closest by discriminator, else by fewest errors); correlate: the request's
// correlation id copied into the reply.
//
import { beforeAll, describe, expect, it } from 'vitest';
import { classify } from '../src/asyncapi/classify.js';
import { correlate } from '../src/asyncapi/correlation.js';
import { loadAsyncApi } from '../src/index.js';
import type { AsyncApiContract, ContractMessage } from '../src/index.js';

let contract: AsyncApiContract;
let messages: readonly ContractMessage[];

// Kraken-like: every message has an `event` fixed to one value.
beforeAll(async () => {
  contract = await loadAsyncApi({
    asyncapi: '3.0.0',
    info: { title: 'Exchange', version: '1' },
    channels: {
      root: {
        address: '/',
        messages: {
          ping: { $ref: '#/components/messages/ping' },
          pong: { $ref: '#/components/messages/pong' },
          subscribe: { $ref: '#/components/messages/subscribe' },
          heartbeat: { $ref: '#/components/messages/heartbeat' },
          status: { $ref: '#/components/messages/status' },
        },
      },
    },
    components: {
      messages: {
        ping: { correlationId: { location: '$message.payload#/reqid' }, payload: { type: 'object', properties: { event: { const: 'ping' }, reqid: { type: 'integer' } }, required: ['event'] } },
        pong: {
          correlationId: { location: '$message.payload#/reqid' },
          payload: { type: 'object', properties: { event: { const: 'pong' }, reqid: { type: 'integer' } }, required: ['event'] },
          examples: [{ payload: { event: 'pong' } }],
        },
        subscribe: {
          payload: {
            type: 'object',
            properties: {
              event: { type: 'string', enum: ['subscribe'] },
              pair: { type: 'array', items: { type: 'string', pattern: '^[A-Z]+/[A-Z]+$' } },
              subscription: { type: 'object', properties: { name: { enum: ['book', 'ticker'] } }, required: ['name'] },
            },
            required: ['event', 'pair', 'subscription'],
          },
        },
        heartbeat: { payload: { type: 'object', properties: { event: { const: 'heartbeat' } }, required: ['event'], additionalProperties: false } },
        status: { payload: { allOf: [{ type: 'object', properties: { event: { const: 'systemStatus' } } }, { required: ['event', 'status'] }] } },
      },
    },
  });
  messages = contract.channels[0]!.messages;
});

describe('issue 26: classify', () => {
  it('names the first message a payload fits, with no errors', () => {
    expect(classify(messages, { event: 'ping', reqid: 1 })).toEqual({ message: contract.message('ping'), errors: [] });
    expect(classify(messages, { event: 'subscribe', pair: ['XBT/USD'], subscription: { name: 'book' } }).message?.key).toBe('subscribe');
    expect(classify(messages, { event: 'heartbeat' }).message?.key).toBe('heartbeat');
    expect(classify(messages, { event: 'systemStatus', status: 'online' }).message?.key).toBe('status');
  });

  it('a payload that fits none is the message of its discriminator, with that message\'s errors and paths', () => {
    expect(classify(messages, { event: 'subscribe', pair: ['xbt-usd'], subscription: { name: 'candles' } })).toEqual({
      message: contract.message('subscribe'),
      errors: [
        { path: '$.pair[0]', message: 'must match pattern "^[A-Z]+/[A-Z]+$"', keyword: 'pattern' },
        { path: '$.subscription.name', message: 'must be one of "book", "ticker"', keyword: 'enum' },
      ],
    });
    // A discriminator under allOf counts too.
    expect(classify(messages, { event: 'systemStatus' })).toEqual({ message: contract.message('status'), errors: [{ path: '$.status', message: 'is required', keyword: 'required' }] });
    expect(classify(messages, { event: 'ping', reqid: 'seven' })).toEqual({ message: contract.message('ping'), errors: [{ path: '$.reqid', message: 'must be integer', keyword: 'type' }] });
    // heartbeat fits nothing else than its own discriminator, even with more errors than another message has.
    expect(classify(messages, { event: 'heartbeat', extra: 1, more: 2 }).message?.key).toBe('heartbeat');
  });

  it('without a discriminator, the closest is the message with the fewest errors', () => {
    const result = classify(messages, { event: 'unknown', reqid: 1 });
    expect(result.message?.key).toBe('ping');
    expect(result.errors).toEqual([{ path: '$.event', message: 'must be "ping"', keyword: 'const' }]);
    expect(classify(messages, 'text')).toMatchObject({ message: contract.message('ping'), errors: [{ path: '$', message: 'must be object', keyword: 'type' }] });
  });

  it('no message declared: message undefined and an error at the root', () => {
    expect(classify([], { event: 'ping' })).toEqual({ message: undefined, errors: [{ path: '$', message: 'no message of the contract is declared here', keyword: 'message' }] });
  });

  it('a payload that trips the validator itself (own toString) is an error, never a throw', async () => {
    const odd = await loadAsyncApi({
      asyncapi: '3.0.0',
      info: { title: 'T', version: '1' },
      channels: { c: { address: '/c', messages: { m: { payload: { type: 'object', properties: { v: { const: { a: 1 } } } } } } } },
    });
    const errors = odd.message('c.m')!.validate({ v: { toString: 0 } });
    expect(errors).toEqual([{ path: '$', message: expect.stringContaining('cannot be checked'), keyword: 'exception' }]);
  });
});

describe('issue 26: correlate', () => {
  it('copies the request\'s correlation id into the reply, without changing the reply given', () => {
    const ping = contract.message('ping')!;
    const pong = contract.message('pong')!;
    const reply = { event: 'pong' };
    expect(correlate({ message: ping, payload: { event: 'ping', reqid: 42 } }, { message: pong, payload: reply })).toEqual({ event: 'pong', reqid: 42 });
    expect(reply).toEqual({ event: 'pong' });
  });

  it('leaves the reply as it is when the request carries no id or declares no correlation id', () => {
    const ping = contract.message('ping')!;
    const pong = contract.message('pong')!;
    const heartbeat = contract.message('heartbeat')!;
    const reply = { event: 'pong', reqid: 1 };
    expect(correlate({ message: ping, payload: { event: 'ping' } }, { message: pong, payload: reply })).toBe(reply);
    expect(correlate({ message: heartbeat, payload: { event: 'heartbeat', reqid: 5 } }, { message: pong, payload: reply })).toBe(reply);
    expect(correlate({ message: ping, payload: { event: 'ping', reqid: 5 } }, { message: pong, payload: 'text' })).toBe('text');
  });

  it('writes at the request\'s place when the reply declares none, creating nested maps', async () => {
    const nested = await loadAsyncApi({
      asyncapi: '2.6.0',
      info: { title: 'T', version: '1' },
      channels: {
        '/rpc': {
          publish: { message: { $ref: '#/components/messages/call' } },
          subscribe: { message: { $ref: '#/components/messages/result' } },
        },
      },
      components: {
        messages: {
          call: { correlationId: { location: '$message.payload#/meta/id' }, payload: { type: 'object' } },
          result: { payload: { type: 'object' } },
        },
      },
    });
    const call = nested.message('call')!;
    expect(call.correlationPointer).toBe('/meta/id');
    expect(correlate({ message: call, payload: { meta: { id: 'abc' } } }, { message: nested.message('result')!, payload: { ok: true } })).toEqual({ ok: true, meta: { id: 'abc' } });
  });
});
