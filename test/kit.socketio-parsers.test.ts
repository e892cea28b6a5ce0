import { describe, expect, it } from 'vitest';
import { decodePacket, decodePayload, encodePayload } from '../src/kits/socketio/engineParser.js';
import { encodeIoPacket, IoDecoder, IoParseError, IoType } from '../src/kits/socketio/ioParser.js';

// The Engine.IO v4 and Socket.IO v5 codecs on their own: the cases the real
// clients seldom send.
describe('Engine.IO packets and payloads', () => {
  it('decodes every packet type and binary in both forms', () => {
    expect(decodePacket('0{"sid":"x"}', false)).toEqual({ type: 'open', data: '{"sid":"x"}' });
    expect(decodePacket('2', false)).toEqual({ type: 'ping' });
    expect(decodePacket('2probe', false)).toEqual({ type: 'ping', data: 'probe' });
    expect(decodePacket('6', false)).toEqual({ type: 'noop' });
    expect(decodePacket(Buffer.from([1, 2]), true)).toEqual({ type: 'message', data: Buffer.from([1, 2]) });
    expect(decodePacket('bAQI=', false)).toEqual({ type: 'message', data: Buffer.from([1, 2]) });
    expect(decodePacket('9', false)).toBeUndefined();
    expect(decodePacket('', false)).toBeUndefined();
  });

  it('joins and splits polling payloads with the record separator', () => {
    const body = encodePayload([{ type: 'message', data: '2["a"]' }, { type: 'message', data: Buffer.from('hi') }, { type: 'ping' }]);
    expect(body).toBe('42["a"]\x1ebaGk=\x1e2');
    expect(decodePayload(body)).toEqual([{ type: 'message', data: '2["a"]' }, { type: 'message', data: Buffer.from('hi') }, { type: 'ping' }]);
    expect(decodePayload('40\x1e7')).toBeUndefined();
  });
});

describe('Socket.IO packets', () => {
  it('writes namespace, ack id and payload in the protocol order', () => {
    expect(encodeIoPacket({ type: IoType.CONNECT, nsp: '/', data: { sid: 'a' } }).text).toBe('0{"sid":"a"}');
    expect(encodeIoPacket({ type: IoType.EVENT, nsp: '/admin', id: 12, data: ['x', 1] }).text).toBe('2/admin,12["x",1]');
    expect(encodeIoPacket({ type: IoType.DISCONNECT, nsp: '/admin' }).text).toBe('1/admin,');
  });

  it('takes Buffers out as attachments and puts them back', () => {
    const encoded = encodeIoPacket({ type: IoType.ACK, nsp: '/', id: 3, data: [{ file: Buffer.from('ab') }, new Uint8Array([7])] });
    expect(encoded.text).toBe('62-3[{"file":{"_placeholder":true,"num":0}},{"_placeholder":true,"num":1}]');
    const decoder = new IoDecoder();
    expect(decoder.add(encoded.text)).toBeUndefined();
    expect(decoder.add(encoded.attachments[0]!)).toBeUndefined();
    expect(decoder.add(encoded.attachments[1]!)).toEqual({ type: IoType.ACK, nsp: '/', id: 3, data: [{ file: Buffer.from('ab') }, Buffer.from([7])] });
  });

  it('reads a namespace with an ack id and a payload', () => {
    expect(new IoDecoder().add('2/admin,7["x",{"a":1}]')).toEqual({ type: IoType.EVENT, nsp: '/admin', id: 7, data: ['x', { a: 1 }] });
    expect(new IoDecoder().add('0/admin,{"token":"t"}')).toEqual({ type: IoType.CONNECT, nsp: '/admin', data: { token: 't' } });
    expect(new IoDecoder().add('1/admin,')).toEqual({ type: IoType.DISCONNECT, nsp: '/admin' });
  });

  it.each([
    ['7', /unknown packet type/],
    ['2{"not":"an array"}', /invalid payload/],
    ['2["disconnect"]', /invalid payload/],
    ['2["x"', /invalid payload/],
    ['0[1]', /invalid payload/],
    ['5x-["a"]', /illegal attachments/],
  ])('refuses %s', (text, message) => {
    expect(() => new IoDecoder().add(text)).toThrow(message);
  });

  it('refuses bytes out of place and placeholders that point nowhere', () => {
    expect(() => new IoDecoder().add(Buffer.from('x'))).toThrow(/binary data when not reconstructing/);
    const pending = new IoDecoder();
    pending.add('51-["a",{"_placeholder":true,"num":0}]');
    expect(() => pending.add('2["b"]')).toThrow(IoParseError);
    const wrong = new IoDecoder();
    wrong.add('51-["a",{"_placeholder":true,"num":4}]');
    expect(() => wrong.add(Buffer.from('x'))).toThrow(/illegal attachments/);
  });
});
