// The `route` scenario: a page's WebSocket routed to wsmock by `route()` (the
// page opens wss://api.example.com/echo, carried over Playwright's
// routeWebSocket and a `ws` client in the test's process to the mock) against
// the baseline: the same page connecting to `mock.url` directly. Both run in
// Debian's Chromium (CHROMIUM_PATH, default /usr/bin/chromium) against the same
// echo mock, in this process (Playwright's routing lives in the test's process,
// so that is where its cost is paid). Measured in the page: sequential round
// trips (latency p50/p99), then round trips with 8 in flight (throughput).
import { chromium } from 'playwright-core';

/** The sizes: round trips per measurement. */
export function routeSizes(quick) {
  return quick ? { sequential: 100, windowed: 500, inFlight: 8 } : { sequential: 1_000, windowed: 5_000, inFlight: 8 };
}

function percentile(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

/** One round of the scenario, `routed` (wsmock) or direct (baseline). */
export async function measureRoute(kind, { quick }) {
  const { createMockServer } = await import('../dist/index.js');
  const { route } = await import('../dist/playwright.js');
  const { sequential, windowed, inFlight } = routeSizes(quick);
  const server = await createMockServer();
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
  try {
    const echo = server.websocket('/echo');
    const page = await browser.newPage();
    // A page on the server's own origin: loopback is reachable from it without Local Network Access prompts.
    await page.goto(`${server.httpUrl}/page`);
    let url = echo.url;
    if (kind === 'wsmock') {
      await route(server, page, 'wss://api.example.com/**');
      url = 'wss://api.example.com/echo';
    }
    const result = await page.evaluate(
      async ([u, seq, total, window]) => {
        const ws = new WebSocket(u);
        await new Promise((resolve, reject) => {
          ws.onopen = resolve;
          ws.onerror = () => reject(new Error(`the page's WebSocket to ${u} failed`));
        });
        let onMessage;
        ws.onmessage = (e) => onMessage(e.data);
        const latencies = [];
        for (let i = 0; i < seq; i++) {
          const started = performance.now();
          const back = await new Promise((resolve) => {
            onMessage = resolve;
            ws.send(`s${i}`);
          });
          if (back !== `s${i}`) throw new Error(`echo ${i} came back as ${back}`);
          latencies.push(performance.now() - started);
        }
        const started = performance.now();
        await new Promise((resolve, reject) => {
          let sent = 0;
          let received = 0;
          onMessage = (data) => {
            if (data !== `w${received}`) reject(new Error(`echo ${received} came back as ${data}`));
            received++;
            if (received === total) resolve();
            else if (sent < total) ws.send(`w${sent++}`);
          };
          while (sent < Math.min(window, total)) ws.send(`w${sent++}`);
        });
        const ms = performance.now() - started;
        ws.close();
        return { latencies, ms };
      },
      [url, sequential, windowed, inFlight],
    );
    const sorted = result.latencies.sort((a, b) => a - b);
    return { 'round trips/s': (windowed * 1000) / result.ms, 'p50 ms': percentile(sorted, 50), 'p99 ms': percentile(sorted, 99) };
  } finally {
    await browser.close();
    await server.close();
  }
}
