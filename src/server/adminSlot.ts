//
// The server's one admin listener (`server.listenAdmin()`): the admin modules
// (and prom-client) are loaded only when it starts; `close()` stops it.
//
import type { AdminListenOptions } from '../admin/options.js';
import type { AdminTarget } from '../admin/target.js';
import { adminAlreadyListening } from '../errors.js';
import type { TlsMaterial } from './tls.js';

/** A running admin listener, as the server holds it (admin/listen.ts, loaded on demand). */
interface AdminListener {
  readonly url: string;
  close(): Promise<void>;
}

/** Where a server keeps its admin listener. */
export class AdminSlot {
  #admin: AdminListener | undefined;
  #starting = false;

  /** The listener's base URL while it runs. */
  get url(): string | undefined {
    return this.#admin?.url;
  }

  /** Starts the listener; throws when one is running or starting. `tls` gives the server's certificate, made on first use. */
  async start(server: AdminTarget, options: AdminListenOptions, tls: () => Promise<TlsMaterial>): Promise<string> {
    if (this.#admin || this.#starting) {
      throw adminAlreadyListening(this.#admin?.url);
    }
    this.#starting = true;
    try {
      const { startAdminListener } = await import('../admin/listen.js');
      this.#admin = await startAdminListener(server, options, tls);
      return this.#admin.url;
    } finally {
      this.#starting = false;
    }
  }

  /** Stops the listener, if one runs. */
  async close(): Promise<void> {
    await this.#admin?.close();
    this.#admin = undefined;
  }
}
