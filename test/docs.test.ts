import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

// Blocks that use fenliu/redis start a redis-server; on a machine without one they are skipped
// (in CI they always run, as the Redis suites do).
const hasRedis = spawnSync(process.env.REDIS_SERVER ?? 'redis-server', ['--version']).status === 0;
if (!hasRedis && process.env.CI) throw new Error('redis-server is missing: apt-get install -y redis-server');

// Every ```ts block of README.md and docs/*.md is written to a module and run, so that no
// example can rot. Blocks in one file run in order, each as its own module.
const root = join(import.meta.dirname, '..');
const out = join(root, '.tmp', 'docs');
const files = ['README.md', 'README.zh-CN.md', ...readdirSync(join(root, 'docs')).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`)]
  .filter((f) => { try { readFileSync(join(root, f)); return true; } catch { return false; } });

function blocks(markdown: string): string[] {
  return [...markdown.matchAll(/^```ts\n([\s\S]*?)^```$/gm)].map((m) => m[1] as string);
}

describe('code blocks in the docs run', () => {
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  for (const file of files) {
    const code = blocks(readFileSync(join(root, file), 'utf8'));
    code.forEach((block, i) => {
      const needsRedis = block.includes("'fenliu/redis'");
      const name = needsRedis && !hasRedis ? `${file} block ${i + 1} (skipped: needs redis-server — apt-get install redis-server)` : `${file} block ${i + 1}`;
      it.skipIf(needsRedis && !hasRedis)(name, async () => {
        const path = join(out, `${file.replace(/[/.]/g, '_')}_${i + 1}.ts`);
        writeFileSync(path, block);
        await expect(import(/* @vite-ignore */ path)).resolves.toBeDefined();
      });
    });
  }
});

describe('code blocks in the docs type-check', () => {
  it('every block compiles under the repository tsconfig (strict, noUncheckedIndexedAccess) with exactOptionalPropertyTypes', () => {
    // Written apart from the running blocks above, with `fenliu` mapped to the sources, so that an
    // example that runs but would not compile in a user's strict project fails here. The strictest
    // setting a user may have: under exactOptionalPropertyTypes, `{ answerTimeoutMs: undefined }`
    // (a compare variant turning an option off) compiles only if the input types say `| undefined`.
    const dir = join(root, '.tmp', 'docs-types');
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    for (const file of files) {
      blocks(readFileSync(join(root, file), 'utf8')).forEach((block, i) => writeFileSync(join(dir, `${file.replace(/[/.]/g, '_')}_${i + 1}.ts`), block));
    }
    const paths = { fenliu: ['../../src/index.ts'], 'fenliu/*': ['../../src/*/index.ts'] };
    writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({ extends: '../../tsconfig.json', compilerOptions: { baseUrl: '.', paths, exactOptionalPropertyTypes: true }, include: ['*.ts'] }));
    const tsc = spawnSync(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(dir, 'tsconfig.json')], { encoding: 'utf8' });
    expect(tsc.stdout + tsc.stderr).toBe('');
    expect(tsc.status).toBe(0);
  });
});
