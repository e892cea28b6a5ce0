// Writes schema/wsmock.schema.json from the zod definition (npm run schema).
// test/config.schema.test.ts fails when the committed file and the definition differ.
import { writeFileSync } from 'node:fs';
import { configJsonSchema } from '../src/config/schema.js';

writeFileSync(new URL('../schema/wsmock.schema.json', import.meta.url), `${JSON.stringify(configJsonSchema(), null, 2)}\n`);
