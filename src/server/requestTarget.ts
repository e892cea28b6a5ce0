//
// The request target of a request on the mock port, read once where it
// enters. A target that is not a URL (`//[`, `http://[/ws`) is the client's
// mistake: the caller answers 400 and the server goes on.
//

/** What a client gets for a request target that is not a URL. */
export const INVALID_TARGET_ERROR = 'invalid_request_target';

/** The path of `target` (origin or absolute form), or undefined when it is not a URL. */
export function targetPath(target: string | undefined): string | undefined {
  try {
    return new URL(target ?? '/', 'http://localhost').pathname;
  } catch {
    return undefined;
  }
}
