// The main job of wsmock, end to end: start a mock server, define a mock,
// connect a real client, push a server-initiated message, wait for the client's
// answer, and close everything. Run with `npm run example` after `npm run build`.
import WebSocket from 'ws';
import { createMockServer } from '../../dist/index.js';

const server = await createMockServer();
// echoMode off: this mock only speaks when the test tells it to.
const prices = server.websocket('/prices/:symbol', { id: 'prices', echoMode: false });
console.log(`mock server listening on ${server.url}`);

// The "application": a client that subscribes and acknowledges every price.
const client = new WebSocket(`${server.url}/prices/ACME?currency=EUR`);
client.on('message', (data) => {
  const price = JSON.parse(String(data));
  console.log(`client got ${price.symbol} at ${price.value}`);
  client.send(JSON.stringify({ type: 'ack', symbol: price.symbol }));
});

// The "test": take the connection, push a price, wait for the acknowledgement.
const conn = await prices.waitForConnection();
console.log(`connection ${conn.id} params=${JSON.stringify(conn.params)} query=${JSON.stringify(conn.query)}`);
await conn.send({ symbol: conn.params.symbol, value: 101.5 });
const ack = await conn.waitForMessage({ type: 'json', path: '$.type', value: 'ack' });
console.log(`server got ${ack.text}`);
console.log('stats', server.stats());

await server.close();
console.log('closed: the process exits by itself');
