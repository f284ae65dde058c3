/**
 * Stores a snapshot and trims the log, atomically (one script, all keys in the shop's slot).
 *
 * KEYS: snapshot hash, log stream, trims stream. ARGV: entry id, entry count, snapshot JSON.
 * Returns 1 when stored, 0 when the stored snapshot is as new or newer (a late writer never
 * moves it back). The log is trimmed behind the *previous* snapshot, not this one: a replica
 * less than one snapshot interval behind keeps reading the log instead of reloading. The trim
 * point goes to the one-entry trims stream, which every replica reads with the log.
 */
export const SAVE_SNAPSHOT = `
local function parse(id)
  local ms, seq = string.match(id, '^(%d+)-(%d+)$')
  return tonumber(ms), tonumber(seq)
end
local current = redis.call('HGET', KEYS[1], 'id')
if current then
  local cm, cs = parse(current)
  local nm, ns = parse(ARGV[1])
  if cm and (nm < cm or (nm == cm and ns <= cs)) then return 0 end
end
redis.call('HSET', KEYS[1], 'v', '1', 'id', ARGV[1], 'count', ARGV[2], 'data', ARGV[3])
if current then
  redis.call('XTRIM', KEYS[2], 'MINID', current)
  redis.call('XADD', KEYS[3], 'MAXLEN', '1', '*', 'minid', current)
end
return 1
`;
