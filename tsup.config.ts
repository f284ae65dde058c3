import { mkdir, writeFile } from 'node:fs/promises';
import { defineConfig } from 'tsup';
import type { Options } from 'tsup';

// The package's entries: `fenliu` (the router), `fenliu/metrics`, `fenliu/simulate`,
// `fenliu/planning`, and `fenliu/redis` (see "Subpath exports" in docs/decisions.md).
const entries = {
  index: 'src/index.ts',
  'metrics/index': 'src/metrics/index.ts',
  'simulate/index': 'src/simulate/index.ts',
  'planning/index': 'src/planning/index.ts',
  'redis/index': 'src/redis/index.ts',
} as const;

const js: Options = {
  target: 'es2022',
  // The library has no Node imports except the Redis adapter's `node:crypto` and the command's
  // `node:fs`; they stay imports. Everything else is built for any runtime.
  platform: 'neutral',
  external: ['ioredis', /^node:/],
  // Keep the `node:` prefix: Deno and Bun resolve `node:crypto` but not a bare `crypto`.
  removeNodeProtocol: false,
  // Shared code in chunks, so that an error thrown by one entry is the same RoutingError class as
  // the others' (under require() too), and the command reuses the library's chunks instead of
  // carrying a second copy of it.
  splitting: true,
  // No source maps: they would triple the package. Minified to keep the tarball within its
  // 180 kB budget (scripts/check-package.ts), with function and class names kept (`keepNames`) so stack traces still read.
  sourcemap: false,
  minify: true,
  keepNames: true,
};

/**
 * The declarations of each entry are written once, as `.d.cts` (CommonJS), and the `.d.ts` the
 * `import` condition reads re-exports them: an ES module may import a CommonJS one, not the
 * reverse. Two full copies would take a fifth of the tarball.
 */
async function writeEsmDeclarations(): Promise<void> {
  for (const name of Object.keys(entries)) {
    const file = name.split('/').at(-1) as string;
    await mkdir(`dist/${name.split('/').slice(0, -1).join('/')}`, { recursive: true });
    await writeFile(
      `dist/${name}.d.ts`,
      `// The declarations of this entry are in ${file}.d.cts, shared by import and require.\nexport * from './${file}.cjs';\n`,
    );
  }
}

export default defineConfig([
  // ESM: the entries and the `fenliu` command, which shares their chunks.
  { ...js, entry: { ...entries, cli: 'src/cli/bin.ts' }, format: ['esm'], clean: true, onSuccess: writeEsmDeclarations },
  // CommonJS: the entries only (the command is ESM). tsup rewrites `??` and `?.` in CommonJS
  // output after minifying, and on `return (await x)?.y ?? z` that rewrite joins `return await`
  // into one word: the source avoids that shape (check:package loads every entry both ways).
  { ...js, entry: entries, format: ['cjs'] },
  // Declarations: one self-contained file per entry, named after the entry, so that a reader finds
  // `Router` in dist/index.d.cts under its own name (a shared declaration chunk would be named by
  // a hash and export its types under one-letter aliases).
  ...Object.entries(entries).map(([name, file]): Options => ({
    entry: { [name]: file },
    format: ['cjs'],
    dts: { only: true },
    external: ['ioredis'],
  })),
]);
