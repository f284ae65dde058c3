import { defineConfig } from 'tsup';

export default defineConfig([
  // The core and the Redis adapter: no Node-specific imports, so a neutral build.
  {
    entry: { index: 'src/index.ts', 'redis/index': 'src/redis/index.ts' },
    format: ['esm', 'cjs'],
    dts: true,
    clean: true,
    sourcemap: true,
    target: 'es2022',
    platform: 'neutral',
    external: ['ioredis'],
    // Shared code in one chunk for both formats, so an error thrown by fenliu/redis is the same
    // RoutingError class as fenliu's under require() too.
    splitting: true,
  },
  // The `fenliu` command: Node only.
  {
    entry: { cli: 'src/cli/bin.ts' },
    format: ['esm'],
    sourcemap: true,
    target: 'node18',
    platform: 'node',
  },
]);
