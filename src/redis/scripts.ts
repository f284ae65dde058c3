/**
 * Stores a snapshot and trims the log, atomically (one script, all keys in the shop's slot).
 *
 * KEYS: snapshot hash, log stream, trims stream. ARGV: entry id, entry count, snapshot JSON,
 * retention (ms). Returns 1 when stored, 0 when the stored snapshot is as new or newer (a late
 * writer never moves it back).
 *
 * The log is trimmed to the older of this snapshot and "now minus the retention" by Redis's own
 * clock, which also stamps stream ids: never past the snapshot (a new process must find every
 * entry after it), and not closer to the present than the retention, so that a replica that falls
 * behind by less than that (a GC pause, a busy CPU) keeps reading the log instead of reloading.
 * The trim point goes to the one-entry trims stream, which every replica reads with the log. It
 * never moves back: a process with a longer retention than the last trimmer's records the last
 * trim point again, since a replica that missed the newer record must still learn how far the log
 * was trimmed (recording the older point, it applied the entries after the gap as if they followed).
 */
export const SAVE_SNAPSHOT = `
local function parse(id)
  local ms, seq = string.match(id, '^(%d+)-(%d+)$')
  return tonumber(ms), tonumber(seq)
end
local function older(a, b)
  local am, as = parse(a)
  local bm, bs = parse(b)
  return am < bm or (am == bm and as < bs)
end
local current = redis.call('HGET', KEYS[1], 'id')
if current and parse(current) and not older(current, ARGV[1]) then return 0 end
redis.call('HSET', KEYS[1], 'v', '1', 'id', ARGV[1], 'count', ARGV[2], 'data', ARGV[3])
local time = redis.call('TIME')
local cutoff = string.format('%.0f-0', math.max(0, tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000) - tonumber(ARGV[4])))
local trim = ARGV[1]
if older(cutoff, trim) then trim = cutoff end
local last = redis.call('XREVRANGE', KEYS[3], '+', '-', 'COUNT', 1)[1]
if last and last[2][1] == 'minid' and parse(last[2][2]) and older(trim, last[2][2]) then trim = last[2][2] end
redis.call('XTRIM', KEYS[2], 'MINID', trim)
redis.call('XADD', KEYS[3], 'MAXLEN', '1', '*', 'minid', trim)
return 1
`;

/**
 * Appends one entry to a shop's log and announces it, atomically.
 *
 * KEYS: log stream. ARGV: wake channel, then the entry's fields. Returns the entry id.
 *
 * The entry gets a `prev` field, the id of the entry before it: a replica that applied entries
 * this log no longer holds (a failover to a replica that had not received them) sees `prev`
 * below its own position and rebuilds from the log. The id is published on the wake channel so
 * that followers read at once instead of polling; the message is only a hint, the log decides.
 */
export const APPEND = `
local last = redis.call('XREVRANGE', KEYS[1], '+', '-', 'COUNT', 1)
local prev = '0-0'
if last[1] then prev = last[1][1] end
local id = redis.call('XADD', KEYS[1], '*', 'prev', prev, unpack(ARGV, 2))
redis.call('PUBLISH', ARGV[1], id)
return id
`;
