// Checks the built package as a user gets it: `npm run check:package` (after `npm run build`).
//
// 1. publint --strict and @arethetypeswrong/cli report nothing.
// 2. The tarball stays small (TARBALL_BUDGET), ships no source maps, and its declarations are
//    readable: one file per entry, declaring its names under their own names. Every relative link
//    of the markdown it ships points at a file it ships (the example chat backend runs from a
//    clone, importing the sources: the READMEs say it is in the repository).
// 3. The packed tarball installs into an empty folder, and `import` (ESM), `require` (CJS) of every
//    entry — `fenliu`, `fenliu/metrics`, `fenliu/simulate`, `fenliu/planning`, `fenliu/redis` —
//    work: a consultation is routed, a report computed, a day simulated, a team sized, all entries
//    share one RoutingError class, and the `fenliu` bin runs.
// 4. The core stays within its size budget: a bundle of `import { Router } from 'fenliu'`,
//    minified and gzipped, at most SIZE_BUDGET bytes; each entry is reported too.
// 5. The core has no `node:` import and no runtime dependency but heap-js (today: none at all).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

const SIZE_BUDGET = 25.5 * 1024;
const TARBALL_BUDGET = 312 * 1000;
const root = join(import.meta.dirname, '..');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
// `npm pack` would run `prepare` (the build) again and mix its output into the JSON: dist/ is built.
const env = { ...process.env, npm_config_ignore_scripts: 'true' };
const run = (cmd: string, args: string[], cwd = root): string => execFileSync(cmd, args, { cwd, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
const say = (line: string): void => void process.stdout.write(`${line}\n`);
let failures = 0;
/** The package's entries: their import name, built file (without extension) and a name each declares. */
const ENTRIES = [
  { name: 'fenliu', dist: 'dist/index', declares: 'Router' },
  { name: 'fenliu/metrics', dist: 'dist/metrics/index', declares: 'computeMetrics' },
  { name: 'fenliu/simulate', dist: 'dist/simulate/index', declares: 'simulate' },
  { name: 'fenliu/planning', dist: 'dist/planning/index', declares: 'requiredAgents' },
  { name: 'fenliu/redis', dist: 'dist/redis/index', declares: 'RedisRouter' },
];
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

// 2. The tarball: small, no source maps, readable declarations.
const work = mkdtempSync(join(tmpdir(), 'fenliu-smoke-'));
try {
  type Packed = { filename: string; size: number; unpackedSize: number; files: { path: string }[] };
  const packed = (JSON.parse(run(npm, ['pack', '--json', '--pack-destination', work])) as Packed[])[0] as Packed;
  const tarball = join(work, packed.filename);
  const paths = packed.files.map((file) => file.path);
  check(packed.size <= TARBALL_BUDGET, `tarball: ${packed.size} B packed, ${packed.unpackedSize} B unpacked, ${paths.length} files (budget ${TARBALL_BUDGET} B)`);
  const maps = paths.filter((path) => path.endsWith('.map'));
  check(maps.length === 0, `no source maps in the package${maps.length > 0 ? `: ${maps.join(', ')}` : ''}`);
  // Declarations are named after their entry; a declaration chunk named by a content hash would
  // export its types under one-letter aliases, where a reader cannot find them.
  const declarations = paths.filter((path) => /\.d\.c?ts$/.test(path)).sort();
  const expectedDeclarations = ENTRIES.flatMap(({ dist }) => [`${dist}.d.cts`, `${dist}.d.ts`]).sort();
  check(JSON.stringify(declarations) === JSON.stringify(expectedDeclarations), `declarations: one per entry and format (${declarations.join(', ')})`);
  const shipped = new Set(paths);
  const dangling = paths.filter((path) => path.endsWith('.md')).flatMap((path) => {
    const dir = path.includes('/') ? path.slice(0, path.lastIndexOf('/') + 1) : '';
    return [...readFileSync(join(root, path), 'utf8').matchAll(/\]\(([^)#\s]+)(?:#[^)]*)?\)/g)]
      .map((m) => m[1] as string)
      .filter((target) => !/^[a-z]+:/.test(target))
      .map((target) => new URL(target, `file:///${dir}`).pathname.slice(1))
      .filter((target) => !target.startsWith('examples/'))
      .filter((target) => !shipped.has(target) && !paths.some((p) => p.startsWith(`${target.replace(/\/$/, '')}/`)))
      .map((target) => `${path} → ${target}`);
  });
  check(dangling.length === 0, `links in the shipped markdown point at shipped files${dangling.length > 0 ? `; not: ${dangling.join(', ')}` : ''}`);
  const unreadable = ENTRIES.filter(({ dist, declares }) => !new RegExp(`^(export )?declare (class|function|const) ${declares}\\b`, 'm').test(readFileSync(join(root, `${dist}.d.cts`), 'utf8')));
  check(unreadable.length === 0, `each entry's declarations declare its names under their own names (${ENTRIES.map((e) => e.declares).join(', ')})${unreadable.length > 0 ? `; not: ${unreadable.map((e) => e.dist).join(', ')}` : ''}`);

  // 3. Install the tarball into an empty folder and use every entry both ways.
  const app = join(work, 'app');
  run('mkdir', ['-p', app]);
  writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'smoke', version: '1.0.0', private: true }));
  run(npm, ['install', '--no-audit', '--no-fund', '--loglevel=error', tarball], app);
  const installed = readdirSync(join(app, 'node_modules')).filter((name) => !name.startsWith('.')).sort();
  check(installed.every((name) => name === 'fenliu' || name === 'heap-js'), `installed with it: ${installed.join(', ')}`);

  const use = `
    const fail = (what) => { throw new Error(what); };
    const refuses = (call) => { try { call(); } catch (error) { return error instanceof RoutingError; } return false; };
    // fenliu is the routing surface and nothing else.
    const names = Object.keys(fenliu).sort().join(',');
    if (names !== 'DEFAULT_ORDER_STATES,Router,RoutingError,SNAPSHOT_VERSION') fail('fenliu exports ' + names);
    const router = new Router({ clock: () => 0 });
    router.upsertAgent({ id: 'xiaomei', status: 'online' });
    const d = router.route({ customerId: 'buyer-1' });
    if (d.kind !== 'agent' || d.agentId !== 'xiaomei') fail('unexpected decision ' + JSON.stringify(d));
    // fenliu/metrics
    const log = [...toEvents(d), { type: 'customer-message', at: 0, customerId: 'buyer-1' }, { type: 'agent-reply', at: 30000, customerId: 'buyer-1', agentId: 'xiaomei' }];
    const report = computeMetrics(log);
    if (report.shop.firstResponseTimeMs !== 30000) fail('fenliu/metrics: ' + JSON.stringify(report.shop));
    if (!refuses(() => computeMetrics(null))) fail('fenliu/metrics threw another RoutingError class');
    // fenliu/simulate
    const day = simulate({ agents: [{ id: 'a1', cap: 3 }], arrivals: { perHour: 30 }, durationMs: 3600000, seed: 1 });
    if (!(day.decisions.length > 0)) fail('fenliu/simulate: no decisions');
    if (!refuses(() => simulate({}))) fail('fenliu/simulate threw another RoutingError class');
    // fenliu/planning
    const staffing = requiredAgents({ arrivalsPerHour: 200, handleTimeMs: 180000, target: { serviceLevel: 0.8, withinMs: 20000 } });
    if (!(staffing.agents > 0)) fail('fenliu/planning: ' + JSON.stringify(staffing));
    if (!refuses(() => requiredAgents({}))) fail('fenliu/planning threw another RoutingError class');
    // fenliu/redis: a shop id with braces is refused before any I/O.
    RedisRouter.open({ redis: {}, shopId: 'bad{id}' }).then(
      () => fail('expected a rejection'),
      (error) => {
        if (!(error instanceof RoutingError)) fail('fenliu/redis threw another RoutingError class: ' + error);
        console.log('ok');
      },
    );`;
  writeFileSync(join(app, 'esm.mjs'), [
    "import * as fenliu from 'fenliu';",
    "import { Router, RoutingError } from 'fenliu';",
    "import { computeMetrics, toEvents } from 'fenliu/metrics';",
    "import { simulate } from 'fenliu/simulate';",
    "import { requiredAgents } from 'fenliu/planning';",
    "import { RedisRouter } from 'fenliu/redis';",
    use,
  ].join('\n'));
  writeFileSync(join(app, 'cjs.cjs'), [
    "const fenliu = require('fenliu');",
    'const { Router, RoutingError } = fenliu;',
    "const { computeMetrics, toEvents } = require('fenliu/metrics');",
    "const { simulate } = require('fenliu/simulate');",
    "const { requiredAgents } = require('fenliu/planning');",
    "const { RedisRouter } = require('fenliu/redis');",
    use,
  ].join('\n'));
  const entries = ENTRIES.map((e) => e.name).join(', ');
  check(run('node', ['esm.mjs'], app).trim() === 'ok', `ESM: import of ${entries} works, one RoutingError class`);
  check(run('node', ['cjs.cjs'], app).trim() === 'ok', `CJS: require of ${entries} works, one RoutingError class`);
  const plan = run(join(app, 'node_modules', '.bin', 'fenliu'), ['plan', '--arrivals-per-hour', '300', '--handle-time', '4m', '--concurrency', '3', '--target', '90%@60s'], app);
  check(plan.includes('→'), 'the fenliu bin runs (fenliu plan)');

  // 4. Size budget of the core.
  const sizeOf = async (code: string): Promise<{ min: number; gz: number }> => {
    const result = await build({
      stdin: { contents: code, resolveDir: app, loader: 'js' },
      bundle: true, minify: true, write: false, format: 'esm', platform: 'neutral', mainFields: ['module', 'main'],
      external: ['ioredis', 'node:*'],
    });
    const bytes = (result.outputFiles[0] as { contents: Uint8Array }).contents;
    return { min: bytes.length, gz: gzipSync(bytes, { level: 9 }).length };
  };
  const core = await sizeOf(`export { Router, RoutingError } from 'fenliu';`);
  check(core.gz <= SIZE_BUDGET, `core size (Router + RoutingError): ${core.min} B minified, ${core.gz} B gzipped (budget ${SIZE_BUDGET} B)`);
  for (const { name } of ENTRIES) {
    const entry = await sizeOf(`export * from '${name}';`);
    say(`     ${name}: ${entry.min} B minified, ${entry.gz} B gzipped`);
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}

// 5. The core is portable.
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
