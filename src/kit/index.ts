// wsmock/kit: the public seam protocol kits are written on. The built-in kits
// (src/kits/) import only this folder and src/util/; so can yours.
//
// Everything here is @beta: the seam may still grow as more kits are written
// on it.

// Defining a kit
export { defineKit, KIT_ENDPOINT_FIELDS } from './defineKit.js';
export type {
  KitCompileContext,
  KitConfigOf,
  KitConnect,
  KitConnectionHandle,
  KitDefinition,
  KitEndpointConfig,
  KitEndpointField,
  KitMockClass,
  KitMockHandle,
} from './defineKit.js';
export { isKit } from './Kit.js';
export type { Kit, ConfigOfKit, ConnectionOfKit, MockOfKit } from './Kit.js';
export type { KitContext, KitHost } from './context.js';

// The handles
export { KitMock } from './KitMock.js';
export { KitConnection } from './KitConnection.js';
export type { KitCloseListener, KitMessageListener } from './KitConnection.js';

// The zod a kit's schema is written with (the one wsmock validates with)
export { z } from 'zod';
