// The public API report of every entry point: runs API Extractor (config in
// api-extractor.json) over the built declarations of each subpath of
// package.json's `exports` and compares the result with etc/<name>.api.md.
//
//   node scripts/api-report.mjs           CI (npm run api:check): fails when a report differs
//   node scripts/api-report.mjs --local   rewrites the reports (npm run api, after a build)
//
// Reads dist/, so it needs a build first.
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Extractor, ExtractorConfig } from '@microsoft/api-extractor';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const configPath = join(root, 'api-extractor.json');
const packageJsonPath = join(root, 'package.json');
const reportFolder = join(root, 'etc');
const local = process.argv.includes('--local');

/** `.` → wsmock, `./jest/setup` → wsmock-jest-setup, with the ESM declarations of each. */
function entryPoints() {
  const pkg = JSON.parse(readFileSync(packageJsonPath, 'utf8'));
  const entries = [];
  for (const [subpath, target] of Object.entries(pkg.exports)) {
    const types = typeof target === 'object' ? (target.import?.types ?? target.types) : undefined;
    if (typeof types !== 'string') continue; // ./package.json, the JSON schema
    const name = subpath === '.' ? pkg.name : `${pkg.name}-${subpath.slice(2).replaceAll('/', '-')}`;
    entries.push({ subpath, name, types: types.replace(/^\.\//, '') });
  }
  return entries;
}

const entries = entryPoints();
const missing = entries.filter((e) => !existsSync(join(root, e.types)));
if (missing.length > 0) {
  console.error(`api-report: ${missing.map((e) => e.types).join(', ')} not found: run \`npm run build\` first.`);
  process.exit(1);
}

const changed = [];
let failed = false;
for (const entry of entries) {
  const config = ExtractorConfig.loadFile(configPath);
  config.mainEntryPointFilePath = `<projectFolder>/${entry.types}`;
  config.apiReport.reportFileName = entry.name;
  config.compiler.overrideTsconfig.files = [entry.types];
  const prepared = ExtractorConfig.prepare({ configObject: config, configObjectFullPath: configPath, packageJsonFullPath: packageJsonPath });
  console.log(`\n${entry.subpath} (${entry.types}) → etc/${entry.name}.api.md`);
  const result = Extractor.invoke(prepared, {
    localBuild: local,
    printApiReportDiff: !local,
    messageCallback(message) {
      // Replaced by one message below that says what to run.
      if (message.messageId === 'console-api-report-not-copied') message.handled = true;
    },
  });
  if (result.apiReportChanged) changed.push(`etc/${entry.name}.api.md`);
  if (!result.succeeded) failed = true;
}

// A report whose entry point is gone (a subpath removed or renamed).
const expected = new Set(entries.map((e) => `${e.name}.api.md`));
const stale = existsSync(reportFolder) ? readdirSync(reportFolder).filter((f) => f.endsWith('.api.md') && !expected.has(f)) : [];
for (const file of stale) {
  if (local) {
    rmSync(join(reportFolder, file));
    console.log(`\nRemoved etc/${file}: no entry point of package.json's exports writes it.`);
  } else {
    changed.push(`etc/${file} (no such entry point any more)`);
    failed = true;
  }
}

if (local) {
  console.log(changed.length > 0 ? `\nUpdated: ${changed.join(', ')}. Review and commit them.` : '\nThe API reports are unchanged.');
} else if (changed.length > 0) {
  console.error(
    `\nThe public API differs from the committed report: ${changed.join(', ')}.\n` +
      `If the change is intended, run \`npm run api\` and commit etc/ (reviewers see the API change in its diff).`,
  );
}
if (failed) process.exit(1);
