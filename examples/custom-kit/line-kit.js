// A protocol kit written outside wsmock, on its public seam `wsmock/kit`:
// a tiny line protocol. The client sends `HELLO <name>`; the server answers
// `<greeting> <name>` (WELCOME unless the mock's config says otherwise), and
// `ERR <what it did not understand>` to anything else.
//
// Plain JavaScript (an ES module), so that `wsmock serve --kit ./line-kit.js`
// imports it as it is; the example's tsconfig type-checks it all the same.
import { defineKit, z } from 'wsmock/kit';

/** The name in a `HELLO <name>` line, or undefined for any other line. */
function helloName(text = '') {
  const match = /^HELLO (\S+)$/.exec(text);
  return match?.[1];
}

export const lineKit = defineKit({
  // The envelope's type: `{ type: line, line: { path: /line, greeting: HI } }` in a config file.
  type: 'line',
  // Where `server.mocks.add(lineKit)` puts a mock whose config names no path.
  defaultPath: '/line',
  // The declarative fields of a mock, what config files and the admin API may
  // write. wsmock adds path, id, name, enabled and the WebSocket endpoint
  // fields (maxConnections, handshake, …), and refuses any other field.
  schema: z.object({
    greeting: z.string().min(1).default('WELCOME'),
  }),
  // Methods on each connection handle the test gets (`this` is that handle).
  // `connection` and `mock` come before `connect`: TypeScript reads the
  // definition in order, and then knows the handles have these methods.
  connection: {
    /** Resolves with the name in this client's next HELLO (one it sent before the call counts). */
    async waitForHello() {
      const hello = await this.connection.waitForMessage((message) => helloName(message.text) !== undefined);
      return /** @type {string} */ (helloName(hello.text));
    },
  },
  // Methods on the mock handle `server.mocks.add(lineKit, …)` returns (`this` is the mock).
  mock: {
    /**
     * Resolves with the name in the HELLO of the next client (a client that
     * connected before the call counts; each call takes the next one).
     */
    async waitForHello() {
      const conn = await this.waitForConnection();
      return conn.waitForHello();
    },
  },
  // Runs for every client that connects to a mock of this kit. A listener
  // returns what it sends: if the client has gone by then, wsmock reports the
  // failed send on server.on('error') instead of leaving it unhandled.
  connect(conn, config) {
    conn.onMessage((message) => {
      const name = helloName(message.text);
      return conn.send(name === undefined ? `ERR ${message.text ?? 'binary frame'}` : `${config.greeting} ${name}`);
    });
  },
});

export default lineKit;
