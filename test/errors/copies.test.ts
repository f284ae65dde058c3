import { describe, expect, it } from 'vitest';
import { RoutingError } from '../../src/errors.js';
import { RedisRouterError } from '../../src/redis/errors.js';

// An application that loads fenliu both as an ES module and through `require` (a CommonJS
// dependency of it, say) holds two copies of each error class. A query string makes the module
// loader evaluate the source again, as a second copy of the package would be.
describe('instanceof across copies of the package', () => {
  it('a RoutingError of another copy is a RoutingError, and matches on its code', async () => {
    const other = (await import(/* @vite-ignore */ `../../src/errors.js?copy=${Date.now()}`)) as typeof import('../../src/errors.js');
    expect(other.RoutingError).not.toBe(RoutingError);
    const error: unknown = new other.RoutingError('UNKNOWN_AGENT', 'Unknown agent "x"', 'agentId');
    expect(error instanceof RoutingError).toBe(true);
    expect(new RoutingError('INVALID_ARGUMENT', 'x') instanceof other.RoutingError).toBe(true);
    if (error instanceof RoutingError) expect(error.code).toBe('UNKNOWN_AGENT');
  });

  it('nothing else passes for one: a plain Error, a look-alike, a RedisRouterError, a primitive', async () => {
    const otherRedis = (await import(/* @vite-ignore */ `../../src/redis/errors.js?copy=${Date.now()}`)) as typeof import('../../src/redis/errors.js');
    const lookAlike = Object.assign(new Error('x'), { name: 'RoutingError', code: 'INVALID_ARGUMENT' });
    for (const value of [new Error('x'), lookAlike, new RedisRouterError('CLOSED', 'closed'), 'RoutingError', null, undefined, 42]) {
      expect(value instanceof RoutingError).toBe(false);
    }
    expect(new otherRedis.RedisRouterError('CLOSED', 'closed') instanceof RedisRouterError).toBe(true);
    expect(new RoutingError('INVALID_ARGUMENT', 'x') instanceof RedisRouterError).toBe(false);
    expect(new RoutingError('INVALID_ARGUMENT', 'x') instanceof Error).toBe(true);
  });

  it('a subclass of RoutingError is tested by its prototype: a plain RoutingError is not one', () => {
    class ShopError extends RoutingError {}
    expect(new RoutingError('INVALID_ARGUMENT', 'x') instanceof ShopError).toBe(false);
    expect(new ShopError('INVALID_ARGUMENT', 'x') instanceof RoutingError).toBe(true);
    expect(new RoutingError('INVALID_ARGUMENT', 'x').field).toBeUndefined();
  });
});
