export { RedisRouter } from './redis-router.js';
export { RedisShops } from './shops.js';
export { RedisRouterError } from './errors.js';
export { ShopReplica, STORED_SNAPSHOT_VERSION } from './replica.js';
export { ENTRY_VERSION } from './entry.js';
export { shopKeys } from './keys.js';

export type { RedisRouterOpenOptions } from './redis-router.js';
export type { RedisShopsOptions } from './shops.js';
export type { LogOptions } from './options.js';
export type { RedisConnection } from './link.js';
export type { RedisRouterEvent } from './shop.js';
export type { RedisRouterErrorCode } from './errors.js';
export type { Applied, StoredSnapshot } from './replica.js';
export type { ShopKeys } from './keys.js';
