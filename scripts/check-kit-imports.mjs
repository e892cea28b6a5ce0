// The kit seam's import rules (npm run check:kits; CI runs it after check:cycles):
//
// 1. A file under src/kits/<kit>/ imports only the public seam (src/kit/),
//    src/util/, its own kit's folder, Node's builtins and the package's
//    declared runtime dependencies (package.json `dependencies`). Anything
//    else a kit needs, the seam grows to offer, publicly.
// 2. src/mocks/, src/server/ and src/connections/ import nothing from
//    src/kits/: the arrow runs from the kits down into the seam, never up.
//    Type-only imports count as imports (a type ties the modules together as
//    much as a value), except the ones listed in TYPE_ONLY_ALLOWED: the
//    built-in factories of server/KitFactories.ts are sugar over the registry
//    by type and name the handle types they return; no kit code is loaded.
//
// Imports are read with the TypeScript parser: import and export
// declarations, `import type`, `import('…')` types and dynamic import() calls.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const src = join(root, 'src');
const kitsDir = join(src, 'kits');

// Type-only imports of src/kits/ allowed outside it, by importing file (see 2. above).
const TYPE_ONLY_ALLOWED = new Set(['src/server/KitFactories.ts']);

const NO_KITS = ['mocks', 'server', 'connections'];

const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const dependencies = new Set(Object.keys(pkg.dependencies ?? {}));
const builtins = new Set(builtinModules);

function files(dir) {
  const out = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...files(path));
    else if (name.endsWith('.ts')) out.push(path);
  }
  return out;
}

/** Every module specifier of `file`, with whether the import is for types only. */
function importsOf(file) {
  const text = readFileSync(file, 'utf8');
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const found = [];
  const visit = (node) => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
      const clause = node.importClause;
      const named = clause?.namedBindings && ts.isNamedImports(clause.namedBindings) ? clause.namedBindings.elements : undefined;
      const typeOnly = Boolean(clause?.isTypeOnly || (clause && !clause.name && named && named.length > 0 && named.every((e) => e.isTypeOnly)));
      found.push({ specifier: node.moduleSpecifier.text, typeOnly, line: lineOf(source, node) });
    } else if (ts.isExportDeclaration(node) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      found.push({ specifier: node.moduleSpecifier.text, typeOnly: node.isTypeOnly, line: lineOf(source, node) });
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument) && ts.isStringLiteral(node.argument.literal)) {
      found.push({ specifier: node.argument.literal.text, typeOnly: true, line: lineOf(source, node) });
    } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword && node.arguments[0] && ts.isStringLiteral(node.arguments[0])) {
      found.push({ specifier: node.arguments[0].text, typeOnly: false, line: lineOf(source, node) });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

function lineOf(source, node) {
  return source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1;
}

/** The npm package a bare specifier names (`@scope/name/sub` → `@scope/name`). */
function packageOf(specifier) {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

const inside = (path, dir) => path === dir || path.startsWith(dir + sep);
const show = (path) => relative(root, path).split(sep).join('/');

const problems = [];

// 1. What a kit imports.
for (const kit of readdirSync(kitsDir)) {
  const kitDir = join(kitsDir, kit);
  if (!statSync(kitDir).isDirectory()) continue;
  for (const file of files(kitDir)) {
    for (const { specifier, line } of importsOf(file)) {
      if (specifier.startsWith('.')) {
        const target = resolve(dirname(file), specifier);
        if (inside(target, kitDir) || inside(target, join(src, 'kit')) || inside(target, join(src, 'util'))) continue;
        problems.push(`${show(file)}:${line}: imports ${show(target)}; a kit imports only src/kit/, src/util/ and its own folder`);
      } else if (specifier.startsWith('node:') || builtins.has(specifier)) {
        continue;
      } else if (!dependencies.has(packageOf(specifier))) {
        problems.push(`${show(file)}:${line}: imports "${specifier}", which is not a dependency in package.json`);
      }
    }
  }
}

// 2. Nothing below the seam imports a kit.
for (const dir of NO_KITS) {
  for (const file of files(join(src, dir))) {
    for (const { specifier, typeOnly, line } of importsOf(file)) {
      if (!specifier.startsWith('.')) continue;
      const target = resolve(dirname(file), specifier);
      if (!inside(target, kitsDir)) continue;
      if (typeOnly && TYPE_ONLY_ALLOWED.has(show(file))) continue;
      problems.push(`${show(file)}:${line}: imports ${show(target)}${typeOnly ? ' (type-only)' : ''}; src/${dir}/ must not depend on a kit`);
    }
  }
}

if (problems.length > 0) {
  console.error(`check:kits: ${problems.length} import${problems.length === 1 ? '' : 's'} break the kit seam's rules:\n${problems.map((p) => `  ${p}`).join('\n')}`);
  process.exit(1);
}
console.log('check:kits: every kit imports only the seam, src/util/, its own folder and its dependencies; nothing below the seam imports a kit.');
