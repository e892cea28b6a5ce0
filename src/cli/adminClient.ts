import { CliError } from './args.js';

/** Where the admin API is and how to authenticate. */
export interface AdminTarget {
  url: string;
  token: string | undefined;
}

/** The default admin URL: `--admin-url`, else `WSMOCK_ADMIN_URL`, else the CLI's default port. */
export function adminTarget(flags: { 'admin-url'?: string | undefined; 'admin-token'?: string | undefined }): AdminTarget {
  const url = (flags['admin-url'] ?? process.env.WSMOCK_ADMIN_URL ?? 'http://127.0.0.1:4290').replace(/\/+$/, '');
  return { url, token: flags['admin-token'] ?? process.env.WSMOCK_ADMIN_TOKEN };
}

/** Calls the admin API; errors become one line saying which URL and what to check. */
export async function call(target: AdminTarget, method: string, path: string, body?: unknown): Promise<unknown> {
  const headers: Record<string, string> = {};
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (target.token) headers.authorization = `Bearer ${target.token}`;
  let response: Response;
  try {
    response = await fetch(`${target.url}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  } catch (err) {
    // fetch wraps the socket error; an AggregateError when several addresses were tried.
    const cause = (err as { cause?: { code?: string; message?: string; errors?: { code?: string }[] } }).cause;
    const why = cause?.code ?? cause?.errors?.[0]?.code ?? cause?.message ?? (err as Error).message;
    throw new CliError(
      `Cannot reach the wsmock admin API at ${target.url} (${why}). Check that \`wsmock serve\` is running with its admin API and that --admin-url (or WSMOCK_ADMIN_URL) points at it.`,
    );
  }
  const text = await response.text();
  let data: unknown = undefined;
  if (text !== '') {
    try {
      data = JSON.parse(text);
    } catch {
      data = text;
    }
  }
  if (!response.ok) {
    const problem = data as { error?: string; message?: string } | undefined;
    if (response.status === 401) throw new CliError(`The admin API at ${target.url} refused the request (401): pass --admin-token or set WSMOCK_ADMIN_TOKEN.`);
    if (response.status === 408) throw new CliError(`Timed out: ${problem?.message ?? text}`);
    throw new CliError(`${method} ${path} failed with ${response.status} ${problem?.error ?? ''}: ${problem?.message ?? text}`.replace(/\s+:/, ':'));
  }
  return data;
}
