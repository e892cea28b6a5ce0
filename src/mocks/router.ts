import { matchSegments, NO_VALUES, normalizePath } from '../util/pathSegments.js';

/** A compiled path template such as `/rooms/:room/users/:id`. */
export interface PathPattern {
  readonly template: string;
  /** The template with parameter names erased: two mocks with the same key serve the same URLs. */
  readonly key: string;
  readonly exact: boolean;
  /** Static segments, for ordering: more specific templates are tried first. */
  readonly staticSegments: number;
  match(pathname: string): Readonly<Record<string, string>> | undefined;
}

/** Decodes a parameter; one that is not valid percent-encoding stays as the client sent it. */
function decodeLeniently(raw: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}

/** Compiles a validated path template. */
export function compilePath(template: string): PathPattern {
  const normalized = normalizePath(template);
  const segments = normalized.split('/');
  const names = segments.filter((s) => s.startsWith(':')).map((s) => s.slice(1));
  const key = segments.map((s) => (s.startsWith(':') ? ':' : s)).join('/');
  if (names.length === 0) {
    return {
      template,
      key,
      exact: true,
      staticSegments: segments.length,
      match: (pathname) => (normalizePath(pathname) === normalized ? NO_VALUES : undefined),
    };
  }
  return {
    template,
    key,
    exact: false,
    staticSegments: segments.length - names.length,
    match(pathname) {
      const params = matchSegments(segments, normalizePath(pathname).split('/'));
      if (params) for (const name of names) params[name] = decodeLeniently(params[name]!);
      return params;
    },
  };
}
