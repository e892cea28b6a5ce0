//
// Plain HTTP on the WebSocket port: a kit's own transport (Engine.IO polling,
// an SSE stream) answers on its mock's path; anything else is told what this
// port is for, in JSON.
//
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Route } from '../mocks/MockRegistry.js';
import type { Admission } from './accept.js';
import { INVALID_TARGET_ERROR, targetPath } from './requestTarget.js';

/** What answering a plain request needs from the server. */
export interface RequestHost {
  running(): boolean;
  route(pathname: string): Route;
  readonly admission: Admission;
}

/** Answers one plain HTTP request. */
export function answerRequest(host: RequestHost, req: IncomingMessage, res: ServerResponse): void {
  const pathname = targetPath(req.url);
  if (pathname === undefined) {
    const body = JSON.stringify({ error: INVALID_TARGET_ERROR, target: req.url });
    res.writeHead(400, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), connection: 'close' });
    res.end(body);
    return;
  }
  const route = host.route(pathname);
  const kit = route.kind === 'mock' ? route.compiled.transport?.request : undefined;
  if (route.kind === 'mock' && kit && host.running()) {
    kit(req, res, (transport, create) => host.admission.connect(transport, req, route.mock, route.compiled, route.params, { create }));
    return;
  }
  let status = 426;
  let body: Record<string, unknown> = { error: 'upgrade_required', path: pathname };
  if (route.kind === 'none') [status, body] = [404, { error: 'websocket_endpoint_not_found', path: pathname }];
  else if (route.kind === 'disabled' && route.compiled.transport?.request) [status, body] = [503, { error: 'endpoint_disabled', path: pathname, mockId: route.mock.id }];
  res.writeHead(status, { 'content-type': 'application/json', ...(status === 426 ? { upgrade: 'websocket' } : {}) });
  res.end(JSON.stringify(body));
}
