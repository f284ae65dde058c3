import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

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
      it(`${file} block ${i + 1}`, async () => {
        const path = join(out, `${file.replace(/[/.]/g, '_')}_${i + 1}.ts`);
        writeFileSync(path, block);
        await expect(import(/* @vite-ignore */ path)).resolves.toBeDefined();
      });
    });
  }
});
