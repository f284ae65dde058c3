export { RedisRouter } from './redis-router.js';
export { RedisRouterError } from './errors.js';
export { ShopReplica, STORED_SNAPSHOT_VERSION } from './replica.js';
export { ENTRY_VERSION } from './entry.js';
export { shopKeys } from './keys.js';

export type { RedisConnection, RedisRouterEvent, RedisRouterOpenOptions } from './redis-router.js';
export type { RedisRouterErrorCode } from './errors.js';
export type { Applied, StoredSnapshot } from './replica.js';
export type { ShopKeys } from './keys.js';
