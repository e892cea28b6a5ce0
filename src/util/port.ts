import { z } from 'zod';

const PORT_RULE = 'must be from 0 to 65535';

/** A TCP port to listen on, 0 for one the system picks: the server, admin and config-file options all take this. */
export const portSchema = z.int('must be a whole number').min(0, PORT_RULE).max(65535, PORT_RULE);
