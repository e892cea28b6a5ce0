//
// A refused handshake must fail the page's socket as a browser fails it: an
// `error` event, then `close` with 1006 and `wasClean: false`, never `open`.
// Playwright's WebSocketRoute can close the page's socket before it opens
// (`route.close()` before the handler returns, so its auto-accept finds the
// socket closed), but it always dispatches `close` with `wasClean: true` and
// no `error`. This script, run in every frame of the routed pages, turns the
// one close a real socket never reports cleanly (1006: no close frame) into
// the browser's failure. It patches `dispatchEvent`, which only Playwright's
// scripted socket calls (a native WebSocket dispatches its events inside the
// browser), so it holds whatever order the init scripts run in.
//
import type { BrowserContext, Page } from '@playwright/test';

/** The close code a route sends the page for a failed handshake or a connection lost without a close frame. */
export const ABNORMAL_CLOSURE = 1006;

function failShim(code: number): void {
  const key = Symbol.for('wsmock.route.failShim');
  const scope = globalThis as unknown as Record<symbol, boolean>;
  if (scope[key]) return;
  scope[key] = true;
  const dispatch = EventTarget.prototype.dispatchEvent;
  EventTarget.prototype.dispatchEvent = function (this: EventTarget, event: Event): boolean {
    const isSocket = typeof (this as { readyState?: unknown }).readyState === 'number' && typeof (this as { url?: unknown }).url === 'string';
    if (isSocket && event instanceof CloseEvent && event.code === code && event.wasClean) {
      dispatch.call(this, new Event('error', { cancelable: true }));
      return dispatch.call(this, new CloseEvent('close', { code, reason: event.reason, wasClean: false, cancelable: true }));
    }
    return dispatch.call(this, event);
  };
}

const installed = new WeakSet<Page | BrowserContext>();

/** Adds the script to every document `target` loads from now on, and runs it in the frames already there. */
export async function installFailShim(target: Page | BrowserContext): Promise<void> {
  if (installed.has(target)) return;
  installed.add(target);
  await target.addInitScript(failShim, ABNORMAL_CLOSURE);
  const pages = 'pages' in target ? target.pages() : [target];
  const frames = pages.flatMap((page) => page.frames());
  // A frame navigating away meanwhile gets the script from addInitScript.
  await Promise.all(frames.map((frame) => frame.evaluate(failShim, ABNORMAL_CLOSURE).catch(() => undefined)));
}
