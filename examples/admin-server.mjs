// A wsmock server with its HTTP admin API on fixed ports, for the curl
// walkthrough in docs/admin-api.md ("Walkthrough with curl"). Build first (`npm run build`), then:
//
//   node examples/admin-server.mjs
//   WSMOCK_ADMIN_TOKEN=s3cret node examples/admin-server.mjs   # with auth
//
// Ctrl-C closes every client with 1001 and exits.
import { createMockServer } from '../dist/index.js';

const token = process.env.WSMOCK_ADMIN_TOKEN || undefined;

const server = await createMockServer({
  port: 4280,
  admin: { port: 4290, token },
});

// A chat room: greets each client, then echoes what it sends.
server.websocket('/ws/chat', {
  id: 'chat',
  name: 'Chat room',
  echoMode: true,
  onConnection: (connection) => connection.send({ type: 'welcome', connection: connection.id }),
});

console.log(`WebSocket  ${server.url}/ws/chat`);
console.log(`Admin API  ${server.adminUrl}${token ? '  (token required)' : ''}`);
console.log('Press Ctrl-C to stop.');

let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, async () => {
    if (stopping) return;
    stopping = true;
    await server.close();
    process.exit(0);
  });
}
