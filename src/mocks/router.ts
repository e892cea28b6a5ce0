/** A compiled path template such as `/rooms/:room/users/:id`. */
export interface PathPattern {
  readonly template: string;
  /** The template with parameter names erased: two mocks with the same key serve the same URLs. */
  readonly key: string;
  readonly exact: boolean;
  /** Static segments, for ordering: more specific templates are tried first. */
  readonly staticSegments: number;
  match(pathname: string): Record<string, string> | undefined;
}

/** Drops one trailing slash so `/ws/` and `/ws` are the same path. */
export function normalizePath(pathname: string): string {
  return pathname.length > 1 && pathname.endsWith('/') ? pathname.slice(0, -1) : pathname;
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
      match: (pathname) => (normalizePath(pathname) === normalized ? {} : undefined),
    };
  }
  return {
    template,
    key,
    exact: false,
    staticSegments: segments.length - names.length,
    match(pathname) {
      const parts = normalizePath(pathname).split('/');
      if (parts.length !== segments.length) return undefined;
      const params: Record<string, string> = {};
      for (let i = 0; i < segments.length; i++) {
        const segment = segments[i]!;
        const part = parts[i]!;
        if (segment.startsWith(':')) {
          if (part === '') return undefined;
          try {
            params[segment.slice(1)] = decodeURIComponent(part);
          } catch {
            params[segment.slice(1)] = part;
          }
        } else if (segment !== part) {
          return undefined;
        }
      }
      return params;
    },
  };
}
