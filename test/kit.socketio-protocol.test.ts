//
// issue 22 item 3: the "Socket.IO protocol" part of the official suite
// (socketio/socket.io-protocol, test-suite/test-suite.js) as tests of ours,
// run against the Socket.IO mock and the real socket.io 4.8 server
// (test/helpers/socketioSuites.ts). Its "Engine.IO protocol" part is in
// kit.socketio-conformance.test.ts. Every case applies to a Socket.IO server.
//
// Suite case → our test
//   connect
//     should allow connection to the main namespace                        → same name
//     should allow connection to the main namespace with a payload         → same name
//     should allow connection to a custom namespace                        → same name
//     should allow connection to a custom namespace with a payload         → same name
//     should disallow connection to an unknown namespace                   → same name
//     should disallow connection with an invalid handshake                 → same name
//     should close the connection if no handshake is received              → same name
//   disconnect
//     should disconnect from the main namespace                            → same name
//     should connect then disconnect from a custom namespace               → same name
//   message
//     should send a plain-text packet                                      → same name
//     should send a packet with binary attachments                         → same name
//     should send a plain-text packet with an ack                          → same name (several ack arguments: ack(...args))
//     should send a packet with binary attachments and an ack              → same name
//     should close the connection upon invalid format (unknown packet type)   → same name
//     should close the connection upon invalid format (invalid payload format) → same name
//     should close the connection upon invalid format (invalid ack id)     → same name
//
import { describe, expect, it } from 'vitest';
import { engineSocket, nextPacket, socketIoConnection, useSuiteTargets } from './helpers/socketioSuites.js';

const PLACEHOLDERS = '{"_placeholder":true,"num":0},{"_placeholder":true,"num":1}';

describe.each(useSuiteTargets())('issue 22 item 3: the Socket.IO protocol suite against $name', ({ target }) => {
  describe('connect', () => {
    for (const [name, connect, prefix, auth] of [
      ['should allow connection to the main namespace', '40', '40', '{}'],
      ['should allow connection to the main namespace with a payload', '40{"token":"123"}', '40', '{"token":"123"}'],
      ['should allow connection to a custom namespace', '40/custom,', '40/custom,', '{}'],
      ['should allow connection to a custom namespace with a payload', '40/custom,{"token":"abc"}', '40/custom,', '{"token":"abc"}'],
    ] as const) {
      it(name, async () => {
        const socket = await engineSocket(target());
        await nextPacket(socket); // Engine.IO open
        void socket.send(connect);
        const ack = (await nextPacket(socket)) as string;
        expect(ack.startsWith(prefix)).toBe(true);
        const handshake = JSON.parse(ack.slice(prefix.length)) as Record<string, unknown>;
        expect(Object.keys(handshake)).toEqual(['sid']);
        expect(handshake.sid).toEqual(expect.any(String));
        const nsp = prefix === '40' ? '' : '/custom,';
        expect(await nextPacket(socket)).toBe(`42${nsp}["auth",${auth}]`);
      });
    }

    it('should disallow connection to an unknown namespace', async () => {
      const socket = await engineSocket(target());
      await nextPacket(socket);
      void socket.send('40/random');
      expect(await nextPacket(socket)).toBe('44/random,{"message":"Invalid namespace"}');
    });

    it('should disallow connection with an invalid handshake', async () => {
      const socket = await engineSocket(target());
      await nextPacket(socket);
      void socket.send('4abc');
      await socket.closed;
      expect(socket.received.map((f) => f.text).filter((t) => t !== '2')).toHaveLength(1); // the open packet only
    });

    it('should close the connection if no handshake is received', async () => {
      const socket = await engineSocket(target());
      await nextPacket(socket);
      // connectTimeout (1000 ms): the session closes without a CONNECT.
      await socket.closed;
      expect(socket.received.map((f) => f.text).filter((t) => t !== '2' && !t.startsWith('0'))).toEqual([]);
    });
  });

  describe('disconnect', () => {
    it('should disconnect from the main namespace', async () => {
      const socket = await socketIoConnection(target());
      void socket.send('41');
      // Nothing answers a DISCONNECT: the next frame is the heartbeat's ping, the session stays.
      expect(await socket.next()).toBe('2');
      expect(socket.isOpen).toBe(true);
    });

    it('should connect then disconnect from a custom namespace', async () => {
      const socket = await socketIoConnection(target());
      void socket.send('40/custom');
      expect(await nextPacket(socket)).toMatch(/^40\/custom,\{"sid":"[^"]+"\}$/);
      expect(await nextPacket(socket)).toBe('42/custom,["auth",{}]');
      void socket.send('41/custom');
      void socket.send('42["message","message to main namespace"]');
      expect(await nextPacket(socket)).toBe('42["message-back","message to main namespace"]');
    });
  });

  describe('message', () => {
    it('should send a plain-text packet', async () => {
      const socket = await socketIoConnection(target());
      void socket.send('42["message",1,"2",{"3":[true]}]');
      expect(await nextPacket(socket)).toBe('42["message-back",1,"2",{"3":[true]}]');
    });

    it('should send a packet with binary attachments', async () => {
      const socket = await socketIoConnection(target());
      void socket.send(`452-["message",${PLACEHOLDERS}]`);
      void socket.send(Buffer.from([1, 2, 3]));
      void socket.send(Buffer.from([4, 5, 6]));
      expect(await nextPacket(socket)).toBe(`452-["message-back",${PLACEHOLDERS}]`);
      expect(await nextPacket(socket)).toEqual(Buffer.from([1, 2, 3]));
      expect(await nextPacket(socket)).toEqual(Buffer.from([4, 5, 6]));
    });

    it('should send a plain-text packet with an ack', async () => {
      const socket = await socketIoConnection(target());
      void socket.send('42456["message-with-ack",1,"2",{"3":[false]}]');
      expect(await nextPacket(socket)).toBe('43456[1,"2",{"3":[false]}]');
    });

    it('should send a packet with binary attachments and an ack', async () => {
      const socket = await socketIoConnection(target());
      void socket.send(`452-789["message-with-ack",${PLACEHOLDERS}]`);
      void socket.send(Buffer.from([1, 2, 3]));
      void socket.send(Buffer.from([4, 5, 6]));
      expect(await nextPacket(socket)).toBe(`462-789[${PLACEHOLDERS}]`);
      expect(await nextPacket(socket)).toEqual(Buffer.from([1, 2, 3]));
      expect(await nextPacket(socket)).toEqual(Buffer.from([4, 5, 6]));
    });

    for (const [name, packet] of [
      ['should close the connection upon invalid format (unknown packet type)', '4abc'],
      ['should close the connection upon invalid format (invalid payload format)', '42{}'],
      ['should close the connection upon invalid format (invalid ack id)', '42abc["message-with-ack",1,"2",{"3":[false]}]'],
    ] as const) {
      it(name, async () => {
        const socket = await socketIoConnection(target());
        void socket.send(packet);
        await socket.closed;
        expect(socket.isOpen).toBe(false);
      });
    }
  });
});
