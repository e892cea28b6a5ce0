//
// The HTTP side of a Pusher mock: the auth endpoint a backend would serve
// (`mock.authUrl`), on the mock's own path, so tests with no backend can use
// private and presence channels. pusher-js posts a form: `socket_id` and
// `channel_name` for a channel (the answer `{ auth, channel_data? }`), or
// `socket_id` alone for a user sign-in (`{ auth, user_data }`). WebSocket
// upgrades on the path are the seam's: they become Pusher connections.
//
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { KitTransport } from '../../kit/index.js';
import type { ChannelRules } from './channels.js';
import { channelAuthText, channelKind, isChannelName, sign, userAuthText, CHANNEL_NAME_RULE } from './protocol.js';
import type { PusherMember, PusherMockConfig } from './types.js';

/** The most bytes an auth request's body may have. */
const MAX_BODY = 64 * 1024;
const SOCKET_ID = /^\d+\.\d+$/;
const CORS = { 'access-control-allow-origin': '*' };

function answer(response: ServerResponse, status: number, body: Record<string, unknown>, headers: Record<string, string> = {}): void {
  response.writeHead(status, { 'content-type': 'application/json', ...CORS, ...headers });
  response.end(JSON.stringify(body));
}

/** The form (or JSON object) a request posted, or why it could not be read. */
function readForm(request: IncomingMessage): Promise<Record<string, string> | string> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY) chunks.push(chunk);
    });
    request.on('error', () => resolve('the request failed'));
    request.on('end', () => {
      if (size > MAX_BODY) return resolve(`the body is over ${MAX_BODY} bytes`);
      const text = Buffer.concat(chunks).toString('utf8');
      if (!String(request.headers['content-type'] ?? '').includes('json')) return resolve(Object.fromEntries(new URLSearchParams(text)));
      try {
        const value = JSON.parse(text) as unknown;
        if (typeof value !== 'object' || value === null || Array.isArray(value)) return resolve('the JSON body must be an object');
        resolve(Object.fromEntries(Object.entries(value).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)])));
      } catch {
        resolve('the body is not JSON');
      }
    });
  });
}

/** The user a presence subscription signs as when `authorize` names none: the form's `user_id`/`user_info`, else one made from the socket id. */
function memberFromForm(form: Record<string, string>, socketId: string): PusherMember {
  const userId = form.user_id ?? `user-${socketId}`;
  if (form.user_info === undefined) return { user_id: userId };
  try {
    return { user_id: userId, user_info: JSON.parse(form.user_info) as unknown };
  } catch {
    return { user_id: userId, user_info: form.user_info };
  }
}

/** The transport of one version of a Pusher mock: its auth endpoint. */
export function pusherTransport(config: PusherMockConfig, rules: ChannelRules): KitTransport {
  // Without a secret nothing is checked; the signatures are still real ones (with the key as secret).
  const secret = config.secret ?? config.key;
  const signed = (text: string) => `${config.key}:${sign(secret, text)}`;

  const handle = async (request: IncomingMessage, response: ServerResponse) => {
    const form = await readForm(request);
    if (typeof form === 'string') return answer(response, 400, { error: 'invalid_request', message: form });
    const socketId = form.socket_id;
    if (socketId === undefined || !SOCKET_ID.test(socketId)) {
      return answer(response, 400, { error: 'invalid_socket_id', message: `socket_id must be two integers joined by "." (as the mock's connection_established gave), got ${JSON.stringify(socketId) ?? 'nothing'}` });
    }
    const channel = form.channel_name;
    if (channel !== undefined && !isChannelName(channel)) {
      return answer(response, 400, { error: 'invalid_channel_name', message: `channel_name must be ${CHANNEL_NAME_RULE}` });
    }
    if (channel !== undefined && rules.rule(channel)?.refuse) return answer(response, 403, { error: 'forbidden', message: `the mock refuses ${channel}` });
    const decision = config.authorize ? await config.authorize({ socketId, ...(channel !== undefined ? { channel } : {}), params: form }) : true;
    if (decision === false) return answer(response, 403, { error: 'forbidden', message: channel === undefined ? 'authorize refused the user' : `authorize refused ${channel}` });
    const member = typeof decision === 'object' && decision !== null ? { ...decision, user_id: String(decision.user_id) } : memberFromForm(form, socketId);
    if (channel === undefined) {
      const userData = JSON.stringify({ id: member.user_id, ...(member.user_info !== undefined ? { user_info: member.user_info } : {}) });
      return answer(response, 200, { auth: signed(userAuthText(socketId, userData)), user_data: userData });
    }
    if (channelKind(channel) !== 'presence') return answer(response, 200, { auth: signed(channelAuthText(socketId, channel)) });
    const channelData = JSON.stringify(member);
    return answer(response, 200, { auth: signed(channelAuthText(socketId, channel, channelData)), channel_data: channelData });
  };

  return {
    request(request, response) {
      const method = request.method ?? 'GET';
      if (method === 'OPTIONS') {
        const asked = request.headers['access-control-request-headers'];
        response.writeHead(204, { ...CORS, 'access-control-allow-methods': 'POST', ...(asked ? { 'access-control-allow-headers': asked } : {}), allow: 'POST, OPTIONS' });
        response.end();
        return;
      }
      if (method !== 'POST') {
        answer(response, 405, { error: 'method_not_allowed', method, message: 'This path is a Pusher app: open it as a WebSocket, or POST socket_id (and channel_name) to authorise' }, { allow: 'POST, OPTIONS' });
        return;
      }
      handle(request, response).catch((err: unknown) => {
        if (!response.headersSent) answer(response, 500, { error: 'authorize_failed', message: err instanceof Error ? err.message : String(err) });
        else response.end();
      });
    },
  };
}
