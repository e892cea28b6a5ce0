//
// Raw TCP clients for fault injection: a hand-written upgrade request, and
// hand-built frames, so a test can stop at any byte.
//
import { randomBytes } from 'node:crypto';
import { connect, type Socket } from 'node:net';

/** The upgrade request for `path` on `port`, as bytes. */
export function upgradeRequest(port: number, path: string): Buffer {
  return Buffer.from(
    [
      `GET ${path} HTTP/1.1`,
      `Host: 127.0.0.1:${port}`,
      'Upgrade: websocket',
      'Connection: Upgrade',
      `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}`,
      'Sec-WebSocket-Version: 13',
      '',
      '',
    ].join('\r\n'),
  );
}

/** A TCP connection to 127.0.0.1:`port`, resolved once connected. */
export function tcp(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect({ port, host: '127.0.0.1' }, () => resolve(socket));
    socket.once('error', reject);
  });
}

/** Resolves with the socket's bytes up to the end of the HTTP response head. */
export function readHead(socket: Socket): Promise<string> {
  return new Promise((resolve, reject) => {
    let head = '';
    const onData = (chunk: Buffer) => {
      head += chunk.toString('latin1');
      const end = head.indexOf('\r\n\r\n');
      if (end >= 0) {
        socket.off('data', onData);
        resolve(head.slice(0, end));
      }
    };
    socket.on('data', onData);
    socket.once('close', () => reject(new Error(`socket closed before the response head; got ${JSON.stringify(head)}`)));
  });
}

/** A WebSocket connection opened by hand: the 101 has been read, frames are written raw. */
export async function rawWebSocket(port: number, path: string): Promise<Socket> {
  const socket = await tcp(port);
  socket.on('error', () => {});
  const head = readHead(socket);
  socket.write(upgradeRequest(port, path));
  const status = (await head).split('\r\n')[0];
  if (!status?.startsWith('HTTP/1.1 101')) throw new Error(`expected 101, got ${status}`);
  return socket;
}

/** A masked client frame (as a client must send). `fin` false starts a fragmented message. */
export function clientFrame(opcode: number, payload: Buffer, fin = true): Buffer {
  const mask = randomBytes(4);
  const length = payload.length;
  const header: number[] = [(fin ? 0x80 : 0) | opcode];
  if (length < 126) header.push(0x80 | length);
  else if (length < 65536) header.push(0x80 | 126, length >> 8, length & 0xff);
  else {
    header.push(0x80 | 127, 0, 0, 0, 0);
    header.push((length >>> 24) & 0xff, (length >>> 16) & 0xff, (length >>> 8) & 0xff, length & 0xff);
  }
  const masked = Buffer.alloc(length);
  for (let i = 0; i < length; i++) masked[i] = payload[i]! ^ mask[i % 4]!;
  return Buffer.concat([Buffer.from(header), mask, masked]);
}

/** Destroys the socket and resolves once it is closed. */
export function drop(socket: Socket): Promise<void> {
  if (socket.destroyed) return Promise.resolve();
  return new Promise((resolve) => {
    socket.once('close', () => resolve());
    socket.destroy();
  });
}
