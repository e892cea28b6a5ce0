//
// `GET /` on the admin API: the dashboard, one HTML page with its script and
// styles inlined (built by scripts/build-dashboard.mjs from dashboard/ into
// dashboardPage.ts, so it ships inside the package and works from src/ and
// from both builds). It is loaded on the first request, like prom-client.
//
import { gunzipSync } from 'node:zlib';
import type { Route } from './router.js';

interface Page {
  gzip: Buffer;
  html: Buffer;
  csp: string;
}

let page: Promise<Page> | undefined;

function loadPage(): Promise<Page> {
  page ??= import('./dashboardPage.js').then(({ PAGE_GZIP_BASE64, PAGE_SCRIPT_SHA256 }) => {
    const gzip = Buffer.from(PAGE_GZIP_BASE64, 'base64');
    // Only the page's own inline script runs, and it talks to this origin only.
    const csp = `default-src 'none'; script-src 'sha256-${PAGE_SCRIPT_SHA256}'; style-src 'unsafe-inline'; connect-src 'self'; img-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'self'`;
    return { gzip, html: gunzipSync(gzip), csp };
  });
  return page;
}

/** The dashboard route: public (the page holds no data; it asks for the token and sends it as a header). */
export const dashboardRoutes: Route[] = [
  {
    method: 'GET',
    path: '/',
    public: true,
    handle: async ({ req }) => {
      const { gzip, html, csp } = await loadPage();
      const accepts = /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''));
      return {
        status: 200,
        bytes: accepts ? gzip : html,
        headers: {
          'content-type': 'text/html; charset=utf-8',
          ...(accepts ? { 'content-encoding': 'gzip' } : {}),
          vary: 'accept-encoding',
          'content-security-policy': csp,
          'x-content-type-options': 'nosniff',
          'referrer-policy': 'no-referrer',
        },
      };
    },
  },
];
