// sse-broadcast: one event to many Server-Sent Events streams. The baseline is a
// bare `node:http` server keeping its responses and writing the same event text
// to each in a loop; the clients are raw HTTP GETs in the load process (what an
// EventSource does on the wire), each reporting when a whole event has arrived.
import { createServer, request, Agent } from 'node:http';

const HEADERS = {
  'content-type': 'text/event-stream; charset=utf-8',
  'cache-control': 'no-cache, no-transform',
  connection: 'keep-alive',
  'x-accel-buffering': 'no',
};

/** The baseline server: GET opens a stream; `broadcast(text)` writes `data: text` to every open one. */
export async function sseBaseline() {
  const streams = new Set();
  const server = createServer((req, res) => {
    res.writeHead(200, HEADERS);
    res.flushHeaders();
    streams.add(res);
    res.on('close', () => streams.delete(res));
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}/feed`,
    broadcast(text) {
      const event = `data: ${text}\n\n`;
      for (const res of streams) res.write(event);
      return streams.size;
    },
    close: () =>
      new Promise((resolve) => {
        for (const res of streams) res.end();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** `count` raw GETs held open; each keeps the text it has not consumed yet. */
export async function holdStreams(url, count, batch = 250) {
  const agent = new Agent({ keepAlive: false, maxSockets: Infinity });
  const streams = [];
  for (let i = 0; i < count; i += batch) {
    const group = [];
    for (let j = i; j < Math.min(count, i + batch); j++) {
      group.push(
        new Promise((resolve, reject) => {
          const req = request(url, { agent, headers: { accept: 'text/event-stream' } }, (res) => {
            if (res.statusCode !== 200) return reject(new Error(`SSE stream answered ${res.statusCode}`));
            const stream = { req, res, pending: '', onEvent: undefined };
            res.setEncoding('utf8');
            res.on('data', (chunk) => {
              stream.pending += chunk;
              const end = stream.pending.indexOf('\n\n');
              if (end === -1) return;
              const event = stream.pending.slice(0, end);
              stream.pending = stream.pending.slice(end + 2);
              stream.onEvent?.(event);
            });
            resolve(stream);
          });
          req.on('error', reject);
          req.end();
        }),
      );
    }
    streams.push(...(await Promise.all(group)));
  }
  return streams;
}

/** Calls `done(at)` with the wall-clock time when every stream has had one more event. */
export function armStreams(streams, wallNow, done) {
  let waiting = streams.length;
  for (const stream of streams) {
    stream.onEvent = (event) => {
      stream.onEvent = undefined;
      if (!event.startsWith('data: tick')) throw new Error(`unexpected event ${JSON.stringify(event)}`);
      if (--waiting === 0) done(wallNow());
    };
  }
}

/** Drops every held stream. */
export function dropStreams(streams) {
  for (const { req, res } of streams) {
    res.destroy();
    req.destroy();
  }
}
