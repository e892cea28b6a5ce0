//
// What `wsmock serve` prints while it runs: one line per connection and close
// and per contract violation (`--log connections`, the default), every frame as well (`--log frames`), or
// nothing (`--log quiet`); as text for people or, with `--json-log`, one JSON
// object per line for machines. It listens to the server's public events.
//
import type { Connection } from '../connections/Connection.js';
import type { Message } from '../connections/Message.js';
import type { CloseInfo } from '../connections/types.js';
import type { MockServer } from '../server/MockServer.js';
import type { RejectionInfo } from '../server/upgrade.js';
import type { ContractViolation } from '../asyncapi/types.js';

/** How much `serve` logs. */
export type LogLevel = 'connections' | 'frames' | 'quiet';

export const LOG_LEVELS: readonly LogLevel[] = ['connections', 'frames', 'quiet'];

/** A frame's text in a log line is cut to this many characters. */
export const LOGGED_FRAME_CHARS = 120;

function clock(date: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${p(date.getHours())}:${p(date.getMinutes())}:${p(date.getSeconds())}`;
}

/** `12s`, `3m05s`, `1h02m`. */
export function shortDuration(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor(s / 60) % 60).padStart(2, '0')}m`;
}

function cut(text: string): { text: string; truncated: boolean } {
  const truncated = text.length > LOGGED_FRAME_CHARS;
  return { text: truncated ? `${text.slice(0, LOGGED_FRAME_CHARS)}…` : text, truncated };
}

/** Control characters (line breaks, tabs, escapes) as JSON writes them: one frame stays one line, quotes stay as they are. */
function oneLine(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f]/g, (c) => JSON.stringify(c).slice(1, -1));
}

/** Starts logging `server`'s traffic to `out`; returns how to stop. */
export function logServer(server: MockServer, level: LogLevel, json: boolean, out: (line: string) => void): () => void {
  if (level === 'quiet') return () => {};
  const line = (event: string, fields: Record<string, unknown>, text: string) => {
    const now = new Date();
    out(json ? JSON.stringify({ time: now.toISOString(), event, ...fields }) : `${clock(now)} ${text}`);
  };
  const onConnection = (c: Connection) => {
    const { clientIp } = c.info;
    line('connection', { id: c.id, mockId: c.mockId, url: c.url, clientIp, type: c.type }, `+ ${c.id} ${c.url} ${clientIp}`);
  };
  const onClose = (c: Connection, info: CloseInfo) => {
    const { messagesRecv, messagesSent, connectedAt } = c.info;
    const duration = Date.now() - Date.parse(connectedAt);
    line(
      'close',
      { id: c.id, mockId: c.mockId, code: info.code, reason: info.reason, by: info.by, durationMs: duration, messagesRecv, messagesSent },
      `- ${c.id} ${info.code} ${JSON.stringify(info.reason)} ${shortDuration(duration)} ${messagesRecv}↓ ${messagesSent}↑`,
    );
  };
  const onRejected = (info: RejectionInfo) => {
    line('rejected', { ...info }, `! ${info.path} refused ${info.status} ${info.error}`);
  };
  const onFrame = (c: Connection, message: Message) => {
    const arrow = message.direction === 'in' ? '↓' : '↑';
    const { text, truncated } = message.binary ? { text: `<binary ${message.size} bytes>`, truncated: false } : cut(message.text ?? '');
    line(
      'message',
      { id: c.id, direction: message.direction, binary: message.binary, size: message.size, ...(message.binary ? {} : { text, truncated }) },
      `${arrow} ${c.id} ${message.binary ? text : oneLine(text)}`,
    );
  };
  const onViolation = (violation: ContractViolation, c: Connection) => {
    const arrow = violation.direction === 'in' ? '↓' : '↑';
    const what = violation.handshake ? `handshake ${violation.handshake}` : (violation.message ?? 'frame');
    const errors = violation.errors.map((e) => `${e.path} ${e.message}`).join('; ');
    line(
      'contract:violation',
      { id: c.id, mockId: c.mockId, direction: violation.direction, channel: violation.channel, message: violation.message ?? null, errors: violation.errors, frame: cut(violation.frame).text },
      `✗ ${c.id} ${arrow} ${what} ${oneLine(cut(errors).text)}`,
    );
  };
  server.on('connection', onConnection);
  server.on('close', onClose);
  server.on('rejected', onRejected);
  server.on('contract:violation', onViolation);
  if (level === 'frames') {
    server.on('message', onFrame);
    server.on('sent', onFrame);
  }
  return () => {
    server.off('connection', onConnection);
    server.off('close', onClose);
    server.off('rejected', onRejected);
    server.off('contract:violation', onViolation);
    server.off('message', onFrame);
    server.off('sent', onFrame);
  };
}
