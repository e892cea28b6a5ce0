//
// issue 22 item 3: the Engine.IO protocol's own test suite
// (socketio/engine.io-protocol, test-suite/test-suite.js), and the Engine.IO
// part of socketio/socket.io-protocol's suite (the same cases against a
// Socket.IO server, without the echo), as tests of ours: the facts carry
// over, the code does not. Every case runs against the Socket.IO mock and
// against the real socket.io 4.8 server (test/helpers/socketioSuites.ts), so
// each expectation is the reference server's too.
//
// Suite case (engine.io-protocol; [S] also in socket.io-protocol's "Engine.IO protocol") → our test
//   handshake / HTTP long-polling
//     successfully opens a session [S]                       → "polling: successfully opens a session"
//     fails with an invalid 'EIO' query parameter [S]        → "polling: fails with an invalid 'EIO' query parameter"
//     fails with an invalid 'transport' query parameter [S]  → "polling: fails with an invalid 'transport' query parameter"
//     fails with an invalid request method [S]               → "polling: fails with an invalid request method"
//   handshake / WebSocket
//     successfully opens a session [S]                       → "websocket: successfully opens a session"
//     fails with an invalid 'EIO' query parameter [S]        → "websocket: fails with an invalid 'EIO' query parameter"
//     fails with an invalid 'transport' query parameter [S]  → "websocket: fails with an invalid 'transport' query parameter"
//   message / HTTP long-polling
//     sends and receives a payload containing one plain text packet           → not applicable: a bare Engine.IO
//     sends and receives a payload containing several plain text packets         echo server (the real socket.io
//     sends and receives a payload containing plain text and binary packets      server fails them too); the
//                                                                                 polling payloads are covered by
//                                                                                 "polling: carries several packets
//                                                                                 and binary in one payload" with
//                                                                                 Socket.IO packets
//     closes the session upon invalid packet format          → "polling: closes the session upon invalid packet format"
//     closes the session upon duplicate poll requests        → "polling: closes the session upon duplicate poll requests"
//   message / WebSocket
//     sends and receives a plain text packet                 → not applicable (echo); a text packet: every Socket.IO case
//     sends and receives a binary packet                     → not applicable (echo); binary: kit.socketio-protocol's
//                                                               "should send a packet with binary attachments"
//     closes the session upon invalid packet format          → "websocket: closes the session upon invalid packet format"
//   heartbeat
//     HTTP long-polling: sends ping/pong packets [S]         → "polling: sends ping/pong packets"
//     HTTP long-polling: closes the session upon ping timeout [S] → "polling: closes the session upon ping timeout"
//     WebSocket: sends ping/pong packets [S]                 → "websocket: sends ping/pong packets"
//     WebSocket: closes the session upon ping timeout [S]    → "websocket: closes the session upon ping timeout, with a close frame"
//   close
//     HTTP long-polling: forcefully closes the session [S]   → "polling: forcefully closes the session (the pending GET gets a noop)"
//     WebSocket: forcefully closes the session [S]           → "websocket: forcefully closes the session"
//   upgrade
//     successfully upgrades from HTTP long-polling to WebSocket [S] → "upgrade: successfully upgrades from HTTP long-polling to WebSocket"
//     ignores HTTP requests with same sid after upgrade [S]         → "upgrade: ignores HTTP requests with same sid after upgrade"
//     ignores WebSocket connection with same sid after upgrade [S]  → "upgrade: ignores WebSocket connection with same sid after upgrade"
//   (the three upgrade cases end with an echo of "4hello"; ours send a Socket.IO CONNECT instead and expect its answer)
//
import { describe, expect, it } from 'vitest';
import { startClient } from './helpers/client.js';
import {
  endpoint,
  engineSocket,
  nextPacket,
  pollingSession,
  request,
  sentGet,
  sentRequest,
  sessionUrl,
  SUITE,
  useSuiteTargets,
} from './helpers/socketioSuites.js';

const OPEN_KEYS = ['maxPayload', 'pingInterval', 'pingTimeout', 'sid', 'upgrades'];

describe.each(useSuiteTargets())('issue 22 item 3: the Engine.IO protocol suite against $name', ({ target }) => {
  describe('handshake', () => {
    it('polling: successfully opens a session', async () => {
      const { status, text } = await request(endpoint(target().http, 'EIO=4&transport=polling'));
      expect(status).toBe(200);
      expect(text.startsWith('0')).toBe(true);
      const open = JSON.parse(text.slice(1)) as Record<string, unknown>;
      expect(Object.keys(open).sort()).toEqual(OPEN_KEYS);
      expect(open).toEqual({ sid: expect.any(String), upgrades: ['websocket'], pingInterval: SUITE.pingInterval, pingTimeout: SUITE.pingTimeout, maxPayload: 1_000_000 });
    });

    it("polling: fails with an invalid 'EIO' query parameter", async () => {
      expect((await request(endpoint(target().http, 'transport=polling'))).status).toBe(400);
      expect((await request(endpoint(target().http, 'EIO=abc&transport=polling'))).status).toBe(400);
    });

    it("polling: fails with an invalid 'transport' query parameter", async () => {
      expect((await request(endpoint(target().http, 'EIO=4'))).status).toBe(400);
      expect((await request(endpoint(target().http, 'EIO=4&transport=abc'))).status).toBe(400);
    });

    it('polling: fails with an invalid request method', async () => {
      expect((await request(endpoint(target().http, 'EIO=4&transport=polling'), { method: 'POST' })).status).toBe(400);
      expect((await request(endpoint(target().http, 'EIO=4&transport=polling'), { method: 'PUT' })).status).toBe(400);
    });

    it('websocket: successfully opens a session', async () => {
      const client = await engineSocket(target());
      const open = await nextPacket(client);
      expect(typeof open === 'string' && open.startsWith('0')).toBe(true);
      const value = JSON.parse((open as string).slice(1)) as Record<string, unknown>;
      expect(Object.keys(value).sort()).toEqual(OPEN_KEYS);
      expect(value).toEqual({ sid: expect.any(String), upgrades: [], pingInterval: SUITE.pingInterval, pingTimeout: SUITE.pingTimeout, maxPayload: 1_000_000 });
    });

    // The suite opens these and waits for nothing. wsmock refuses the handshake with 400; the real server
    // refuses a bad transport with 400 but answers a bad EIO after the upgrade with an HTTP response the
    // client cannot parse (an error, then 1006). Either way no session opens and the socket closes.
    for (const [name, queries] of [
      ["websocket: fails with an invalid 'EIO' query parameter", ['transport=websocket', 'EIO=abc&transport=websocket']],
      ["websocket: fails with an invalid 'transport' query parameter", ['EIO=4', 'EIO=4&transport=abc']],
    ] as const) {
      it(name, async () => {
        for (const query of queries) {
          const client = startClient(endpoint(target().ws, query));
          expect(await client.closed).toMatchObject({ code: 1006 });
          expect(client.received).toEqual([]);
        }
      });
    }
  });

  describe('message', () => {
    it('polling: carries several packets and binary in one payload (the echo cases, with Socket.IO packets)', async () => {
      const sid = await pollingSession(target());
      /** Polls (answering pings) until a record satisfies `until`; returns the records. */
      const pollUntil = async (until: (record: string) => boolean): Promise<string[]> => {
        const records: string[] = [];
        while (!records.some(until)) {
          const { status, text } = await request(sessionUrl(target(), sid));
          expect(status).toBe(200);
          for (const record of text.split('\x1e')) {
            if (record === '2') await request(sessionUrl(target(), sid), { method: 'POST', body: '3' });
            else records.push(record);
          }
        }
        return records;
      };
      expect(await request(sessionUrl(target(), sid), { method: 'POST', body: '40' })).toEqual({ status: 200, text: 'ok' });
      const connect = await pollUntil((r) => r === '42["auth",{}]');
      expect(connect[0]).toMatch(/^40\{"sid":"[^"]+"\}$/);
      // An event with a binary attachment: two records in one payload each way, the bytes as `b` + base64.
      const post = await request(sessionUrl(target(), sid), { method: 'POST', body: '451-["message",{"_placeholder":true,"num":0}]\x1ebAQIDBA==' });
      expect(post).toEqual({ status: 200, text: 'ok' });
      expect(await pollUntil((r) => r.startsWith('b'))).toEqual(['451-["message-back",{"_placeholder":true,"num":0}]', 'bAQIDBA==']);
    });

    it('polling: closes the session upon invalid packet format', async () => {
      const sid = await pollingSession(target());
      // The real server answers the POST 200 and closes the session; the suite accepts a 400 too.
      expect([200, 400]).toContain((await request(sessionUrl(target(), sid), { method: 'POST', body: 'abc' })).status);
      expect((await request(sessionUrl(target(), sid))).status).toBe(400);
    });

    it('polling: closes the session upon duplicate poll requests', async () => {
      const sid = await pollingSession(target());
      const first = sentGet(sessionUrl(target(), sid));
      await first.sent;
      const second = sentGet(`${sessionUrl(target(), sid)}&t=burst`);
      // Whichever the server holds gets the close packet; the other is refused (engine.io: 500; the
      // suite allows 400, which wsmock sends).
      const replies = [await first.reply, await second.reply].sort((a, b) => a.status - b.status);
      expect(replies[0]).toEqual({ status: 200, text: '1' });
      expect([400, 500]).toContain(replies[1]!.status);
      expect((await request(sessionUrl(target(), sid))).status).toBe(400);
    });

    it('websocket: closes the session upon invalid packet format', async () => {
      const client = await engineSocket(target());
      await nextPacket(client);
      void client.send('abc');
      expect(await client.closed).toMatchObject({ code: expect.any(Number) });
    });
  });

  describe('heartbeat', () => {
    it('polling: sends ping/pong packets', async () => {
      const sid = await pollingSession(target());
      for (let i = 0; i < 3; i++) {
        expect(await request(sessionUrl(target(), sid))).toEqual({ status: 200, text: '2' });
        expect((await request(sessionUrl(target(), sid), { method: 'POST', body: '3' })).status).toBe(200);
      }
    });

    it('polling: closes the session upon ping timeout', async () => {
      const sid = await pollingSession(target());
      // The suite sleeps pingInterval + pingTimeout; the server's own close is the event to wait for.
      await target().sessionEnded(sid);
      expect((await request(sessionUrl(target(), sid))).status).toBe(400);
    });

    it('websocket: sends ping/pong packets', async () => {
      const client = await engineSocket(target());
      await client.next();
      for (let i = 0; i < 3; i++) {
        expect(await client.next()).toBe('2');
        void client.send('3');
      }
    });

    it('websocket: closes the session upon ping timeout, with a close frame (the client sees 1005, not 1006)', async () => {
      const client = await engineSocket(target());
      expect(await client.closed).toEqual({ code: 1005, reason: '' });
    });
  });

  describe('close', () => {
    it('polling: forcefully closes the session (the pending GET gets a noop)', async () => {
      const sid = await pollingSession(target());
      const poll = sentGet(sessionUrl(target(), sid));
      await poll.sent;
      const close = sentRequest(sessionUrl(target(), sid), 'POST', '1');
      expect((await close.reply).status).toBe(200);
      expect(await poll.reply).toEqual({ status: 200, text: '6' });
      expect((await request(sessionUrl(target(), sid))).status).toBe(400);
    });

    it('websocket: forcefully closes the session', async () => {
      const client = await engineSocket(target());
      await nextPacket(client);
      void client.send('1');
      expect(await client.closed).toMatchObject({ code: expect.any(Number) });
    });
  });

  describe('upgrade', () => {
    /** A polling session upgraded to a WebSocket (probe, then the upgrade packet). */
    const upgraded = async () => {
      const sid = await pollingSession(target());
      const socket = await engineSocket(target(), `EIO=4&transport=websocket&sid=${sid}`);
      void socket.send('2probe');
      void socket.send('5');
      return { sid, socket };
    };

    it('upgrade: successfully upgrades from HTTP long-polling to WebSocket', async () => {
      const sid = await pollingSession(target());
      const socket = await engineSocket(target(), `EIO=4&transport=websocket&sid=${sid}`);
      void socket.send('2probe');
      expect(await socket.next()).toBe('3probe');
      // The pending poll is released with a noop so the client can pause polling.
      expect(await request(sessionUrl(target(), sid))).toEqual({ status: 200, text: '6' });
      void socket.send('5');
      void socket.send('40');
      expect(await nextPacket(socket)).toMatch(/^40\{"sid":"[^"]+"\}$/);
    });

    it('upgrade: ignores HTTP requests with same sid after upgrade', async () => {
      const { sid, socket } = await upgraded();
      expect(await nextPacket(socket)).toBe('3probe');
      expect((await request(sessionUrl(target(), sid))).status).toBe(400);
      void socket.send('40');
      expect(await nextPacket(socket)).toMatch(/^40\{"sid":"[^"]+"\}$/);
    });

    it('upgrade: ignores WebSocket connection with same sid after upgrade (accepted, then closed; not a 400)', async () => {
      const { sid, socket } = await upgraded();
      expect(await nextPacket(socket)).toBe('3probe');
      const second = startClient(sessionUrl(target(), sid, 'websocket'));
      await second.opened;
      expect(await second.closed).toEqual({ code: 1005, reason: '' });
      void socket.send('40');
      expect(await nextPacket(socket)).toMatch(/^40\{"sid":"[^"]+"\}$/);
    });
  });
});
