// Malformed STOMP from a raw client: each gets an ERROR frame whose message
// says what was wrong, then the close (1002); the server and its other
// connections go on.
import { describe, expect, it } from 'vitest';
import { connect, type TestClient } from './helpers/client.js';
import { useMockServer } from './helpers/server.js';
import { frame, parseFrames, type RawFrame } from './helpers/stomp.js';

const server = useMockServer();
const PROTOCOLS = ['v12.stomp', 'v11.stomp', 'v10.stomp'];

/** The next frame from the server, skipping heart-beats. */
async function nextFrame(client: TestClient): Promise<RawFrame> {
  for (;;) {
    const frames = parseFrames(await client.next());
    if (frames.length > 0) return frames[0]!;
  }
}

/** A raw client past CONNECTED. */
async function connected(url: string, version = '1.2'): Promise<TestClient> {
  const client = await connect(url, { protocols: PROTOCOLS });
  await client.send(frame('CONNECT', { 'accept-version': version, host: 'localhost', 'heart-beat': '0,0' }));
  expect((await nextFrame(client)).command).toBe('CONNECTED');
  return client;
}

/** Sends `data`, expects ERROR whose message matches `message`, then the close with 1002. */
async function refused(client: TestClient, data: string | Buffer, message: RegExp): Promise<RawFrame> {
  await client.send(data);
  const error = await nextFrame(client);
  expect(error.command).toBe('ERROR');
  expect(error.headers.message).toMatch(message);
  expect((await client.closed).code).toBe(1002);
  return error;
}

describe('issue 25: bad STOMP input gets ERROR and the close, the connection alone', () => {
  it('a frame before CONNECT', async () => {
    const mock = server.stomp('/bad');
    const client = await connect(mock.url, { protocols: PROTOCOLS });
    await refused(client, frame('SEND', { destination: '/queue/a' }, 'x'), /SEND before CONNECT/);
  });

  it('an unknown command, and NACK on STOMP 1.0', async () => {
    const mock = server.stomp('/bad');
    await refused(await connected(mock.url), frame('PUBLISH', { destination: '/x' }), /unknown command "PUBLISH"/);
    await refused(await connected(mock.url, '1.0'), frame('NACK', { 'message-id': '1' }), /unknown command "NACK"/);
  });

  it('a header with an escape the version does not define (\\t; \\r on 1.1)', async () => {
    const mock = server.stomp('/bad');
    await refused(await connected(mock.url), frame('SEND', { destination: '/a\\tb' }), /escape STOMP 1\.2 does not define/);
    await refused(await connected(mock.url, '1.1'), frame('SEND', { destination: '/a\\rb' }), /escape STOMP 1\.1 does not define/);
  });

  it('escapes that are defined are read: \\c, \\n, \\\\ and \\r (1.2) in a header of SEND', async () => {
    const mock = server.stomp('/esc');
    const client = await connected(mock.url);
    await client.send(frame('SEND', { destination: '/q', 'x-v': 'a\\cb\\nc\\\\d\\re' }, 'body'));
    expect((await mock.waitForSend('/q')).headers['x-v']).toBe('a:b\nc\\d\re');
    // Escaped on the way out too: a subscriber of the relayed message reads them back.
    await client.send(frame('SUBSCRIBE', { id: 's:1', destination: '/t' }));
    await mock.waitForSubscribe('/t');
    mock.publish('/t', 'x', { 'x-v': 'a:b\nc' });
    const message = await nextFrame(client);
    expect(message.headers).toMatchObject({ subscription: 's\\c1', 'x-v': 'a\\cb\\nc' });
  });

  it('a frame without its NUL is held, and past maxFrameSize is an error naming the limit', async () => {
    const mock = server.stomp('/nul', { maxFrameSize: 256 });
    const client = await connected(mock.url);
    await client.send('SEND\ndestination:/q\n\nno terminator yet');
    await client.send(`${'x'.repeat(300)}`);
    const error = await nextFrame(client);
    expect(error.headers.message).toMatch(/larger than 256 bytes, or was sent without its NUL terminator/);
    expect((await client.closed).code).toBe(1002);
  });

  it('a content-length body not followed by NUL; an oversize content-length', async () => {
    const mock = server.stomp('/len', { maxFrameSize: 1024 });
    await refused(await connected(mock.url), 'SEND\ndestination:/q\ncontent-length:2\n\nabc\0', /content-length 2 is not followed by a NUL/);
    await refused(await connected(mock.url), 'SEND\ndestination:/q\ncontent-length:5000\n\nabc\0', /content-length 5000 is larger than the 1024 bytes/);
  });

  it('missing required headers, a duplicate subscription id, an unknown transaction, a bad ack mode', async () => {
    const mock = server.stomp('/req');
    await refused(await connected(mock.url), frame('SEND', {}, 'x'), /SEND needs a "destination" header/);
    await refused(await connected(mock.url), frame('SUBSCRIBE', { destination: '/t' }), /SUBSCRIBE needs a "id" header/);
    const twice = await connected(mock.url);
    await twice.send(frame('SUBSCRIBE', { id: '1', destination: '/t' }));
    await refused(twice, frame('SUBSCRIBE', { id: '1', destination: '/u' }), /subscription id "1" is already in use/);
    await refused(await connected(mock.url), frame('COMMIT', { transaction: 'nope' }), /transaction "nope", which is not open/);
    await refused(await connected(mock.url), frame('SEND', { destination: '/q', transaction: 'nope', receipt: 'r9' }), /not open/);
    await refused(await connected(mock.url), frame('SUBSCRIBE', { id: '1', destination: '/t', ack: 'sometimes' }), /ack "sometimes" is not a mode/);
  });

  it('an ERROR answering a frame with a receipt carries receipt-id', async () => {
    const mock = server.stomp('/rcpt');
    const error = await refused(await connected(mock.url), frame('BEGIN', { receipt: 'r-7' }), /BEGIN needs a "transaction" header/);
    expect(error.headers['receipt-id']).toBe('r-7');
  });

  it('no common version: ERROR listing the versions the mock speaks', async () => {
    const mock = server.stomp('/ver', { versions: ['1.2'] });
    const client = await connect(mock.url, { protocols: PROTOCOLS });
    await refused(client, frame('CONNECT', { 'accept-version': '1.0,1.1' }), /Supported protocol versions are 1\.2/);
  });

  it('a bad line (the ERROR\'s message header escaped as 1.2 has it): a header without ":", a command that is not one, a NUL inside the headers', async () => {
    const mock = server.stomp('/lines');
    await refused(await connected(mock.url), 'SEND\ndestination /q\n\n\0', /has no "\\c"/);
    await refused(await connected(mock.url), 'hello world\n\n\0', /is not a STOMP command/);
    await refused(await connected(mock.url), 'SEND\0\n\n', /NUL ended the frame before the blank line/);
  });

  it('the bystander is never disturbed, and several frames in one message or a frame split across messages are read', async () => {
    const mock = server.stomp('/split');
    const bystander = await connected(mock.url);
    await bystander.send(frame('SUBSCRIBE', { id: 'b', destination: '/t' }));
    await mock.waitForSubscribe('/t');
    await refused(await connected(mock.url), frame('WHAT'), /unknown command/);
    const client = await connected(mock.url);
    const two = frame('SEND', { destination: '/t' }, 'one') + '\n' + frame('SEND', { destination: '/t', 'content-length': '4' }, 'tw\0o');
    await client.send(two.slice(0, 10));
    await client.send(two.slice(10, 40));
    await client.send(two.slice(40));
    expect((await nextFrame(bystander)).body).toBe('one');
    const second = await mock.waitForSend('/t');
    expect(second.body).toBe('one');
    const withNul = await mock.waitForSend('/t');
    expect(withNul.bytes).toEqual(Buffer.from('tw\0o'));
    expect(bystander.isOpen).toBe(true);
  });
});
