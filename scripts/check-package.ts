// Checks the built package as a user gets it: `npm run check:package` (after `npm run build`).
//
// 1. publint --strict and @arethetypeswrong/cli report nothing.
// 2. The packed tarball installs into an empty folder, and `import` (ESM), `require` (CJS) of
//    `fenliu` and `fenliu/redis` work, a consultation is routed both ways, and the `fenliu` bin runs.
// 3. The core stays within its size budget: a bundle of `import { Router } from 'fenliu'`,
//    minified and gzipped, at most SIZE_BUDGET bytes; the whole package entry is reported too.
// 4. The core has no `node:` import and no runtime dependency but heap-js (today: none at all).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

const SIZE_BUDGET = 15 * 1024;
const root = join(import.meta.dirname, '..');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
// `npm pack` would run `prepare` (the build) again and mix its output into the JSON: dist/ is built.
const env = { ...process.env, npm_config_ignore_scripts: 'true' };
const run = (cmd: string, args: string[], cwd = root): string => execFileSync(cmd, args, { cwd, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
const say = (line: string): void => void process.stdout.write(`${line}\n`);
let failures = 0;
const check = (ok: boolean, what: string): void => {
  say(`${ok ? 'ok  ' : 'FAIL'} ${what}`);
  if (!ok) failures++;
};

// 1. Lints.
run('npx', ['publint', '--strict']);
check(true, 'publint --strict: no problems');
const attw = run('npx', ['attw', '--pack', '.', '--format', 'json']);
const problems = (JSON.parse(attw) as { analysis?: { problems?: unknown[] } }).analysis?.problems ?? [];
check(problems.length === 0, `attw --pack: ${problems.length} problems`);

// 2. Install the tarball into an empty folder and use it.
const work = mkdtempSync(join(tmpdir(), 'fenliu-smoke-'));
try {
  const packed = JSON.parse(run(npm, ['pack', '--json', '--pack-destination', work])) as { filename: string; files: { path: string }[] }[];
  const tarball = join(work, (packed[0] as { filename: string }).filename);
  const app = join(work, 'app');
  run('mkdir', ['-p', app]);
  writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'smoke', version: '1.0.0', private: true }));
  run(npm, ['install', '--no-audit', '--no-fund', '--loglevel=error', tarball], app);
  const installed = readdirSync(join(app, 'node_modules')).filter((name) => !name.startsWith('.')).sort();
  check(installed.every((name) => name === 'fenliu' || name === 'heap-js'), `installed with it: ${installed.join(', ')}`);

  const route = `
    const router = new Router({ clock: () => 0 });
    router.upsertAgent({ id: 'xiaomei', status: 'online' });
    const d = router.route({ customerId: 'buyer-1' });
    if (d.kind !== 'agent' || d.agentId !== 'xiaomei') throw new Error('unexpected decision ' + JSON.stringify(d));
    if (typeof RedisRouter !== 'function') throw new Error('fenliu/redis has no RedisRouter');
    // One RoutingError class across both entries (a shop id with braces is refused before any I/O).
    RedisRouter.open({ redis: {}, shopId: 'bad{id}' }).then(
      () => { throw new Error('expected a rejection'); },
      (error) => {
        if (!(error instanceof RoutingError)) throw new Error('fenliu/redis threw another RoutingError class: ' + error);
        console.log('routed');
      },
    );`;
  writeFileSync(join(app, 'esm.mjs'), `import { Router, RoutingError } from 'fenliu';\nimport { RedisRouter } from 'fenliu/redis';\n${route}`);
  writeFileSync(join(app, 'cjs.cjs'), `const { Router, RoutingError } = require('fenliu');\nconst { RedisRouter } = require('fenliu/redis');\n${route}`);
  check(run('node', ['esm.mjs'], app).trim() === 'routed', "ESM: import { Router } from 'fenliu' routes; fenliu/redis loads and shares RoutingError");
  check(run('node', ['cjs.cjs'], app).trim() === 'routed', "CJS: require('fenliu') routes; fenliu/redis loads and shares RoutingError");
  const plan = run(join(app, 'node_modules', '.bin', 'fenliu'), ['plan', '--arrivals-per-hour', '300', '--handle-time', '4m', '--concurrency', '3', '--target', '90%@60s'], app);
  check(plan.includes('→'), 'the fenliu bin runs (fenliu plan)');

  // 3. Size budget of the core.
  const sizeOf = async (code: string): Promise<{ min: number; gz: number }> => {
    const result = await build({
      stdin: { contents: code, resolveDir: app, loader: 'js' },
      bundle: true, minify: true, write: false, format: 'esm', platform: 'neutral', mainFields: ['module', 'main'],
    });
    const bytes = (result.outputFiles[0] as { contents: Uint8Array }).contents;
    return { min: bytes.length, gz: gzipSync(bytes, { level: 9 }).length };
  };
  const core = await sizeOf(`export { Router, RoutingError } from 'fenliu';`);
  const all = await sizeOf(`export * from 'fenliu';`);
  check(core.gz <= SIZE_BUDGET, `core size (Router + RoutingError): ${core.min} B minified, ${core.gz} B gzipped (budget ${SIZE_BUDGET} B)`);
  say(`     whole entry (router, metrics, simulation, planning): ${all.min} B minified, ${all.gz} B gzipped`);
} finally {
  rmSync(work, { recursive: true, force: true });
}

// 4. The core is portable.
const coreDirs = ['src', 'src/pipeline', 'src/structures', 'src/metrics', 'src/planning', 'src/planning/_internals', 'src/simulate', 'src/simulate/_internals'];
const nodeImports = coreDirs.flatMap((dir) => readdirSync(join(root, dir)).filter((f) => f.endsWith('.ts')).map((f) => join(dir, f)))
  .filter((file) => /from ['"]node:|require\(['"]node:/.test(readFileSync(join(root, file), 'utf8')));
check(nodeImports.length === 0, `no node: imports in the core${nodeImports.length > 0 ? `: ${nodeImports.join(', ')}` : ''}`);
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { dependencies?: Record<string, string> };
const deps = Object.keys(pkg.dependencies ?? {});
check(deps.every((name) => name === 'heap-js'), `runtime dependencies: ${deps.join(', ') || 'none'}`);

if (failures > 0) {
  say(`${failures} package check(s) failed`);
  process.exit(1);
}
say('package checks passed');
