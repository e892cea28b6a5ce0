//
// The package's version, compiled in by the build (tsup's `define`) and by the
// test runner's config: the admin API reports it (`GET /version`) and a remote
// client compares it with its own before driving a server.
//
declare const __WSMOCK_VERSION__: string | undefined;

/** This copy of wsmock's version (`0.0.0-dev` when run from source without the build's definition). */
export const WSMOCK_VERSION: string = typeof __WSMOCK_VERSION__ === 'string' ? __WSMOCK_VERSION__ : '0.0.0-dev';

/**
 * The version of the remote-handle protocol: the admin routes a remote client
 * calls and the shape of their answers. A client and a server of different
 * protocols refuse each other, naming both package versions.
 */
export const REMOTE_PROTOCOL = 1;

/**
 * The longest one remote wait is held by the server, ms: below the idle
 * timeouts of common proxies (30 s and up). A client asks again until its
 * own deadline.
 */
export const LONG_POLL_LIMIT = 25_000;
