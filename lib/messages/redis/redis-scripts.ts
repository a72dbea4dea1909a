/**
 * The storage's steps, each one Lua script, so that each is atomic on one
 * Redis node; the keys of a script are one visitor's and share a hash slot.
 *
 * A visitor has two keys: the sorted set of pending messages (`pending`),
 * members ordered by when they were added, and a hash of claims (`claims`):
 * a take moves what it takes into a claim, `<claimed at, ms>:<JSON array of
 * member, score, …>` under the take's id, and the claim is deleted once the
 * response that carries them has been written (or, a response still open,
 * once it has started); while its response is still being worked on, its
 * instance dates it to now again, every third of the stale bound. A claim
 * older than the bound it is given (`staleMs`) belongs to a take whose reply
 * was lost, whose response never went out, or whose instance died: the next
 * read or take of that visitor merges it back, in order.
 * @internal
 */

/**
 * Reads a claim's value (`<ms>:<json [member, score, …]>`) as its list, and
 * puts one back in the pending set, returning how many came back.
 */
const RESTORE = `
local function claimList(value)
  return cjson.decode(string.sub(value, string.find(value, ':', 1, true) + 1))
end
local function restore(pending, value)
  local list = claimList(value)
  for j = 1, #list, 2 do redis.call('ZADD', pending, list[j + 1], list[j]) end
  return #list / 2
end
`;

/**
 * Redis's own time in ms, the same for every instance, what a claim's age is
 * read against; and how long a visitor's claims key is kept after a claim is
 * made or renewed: past the stale bound, however short the messages' TTL, so
 * that a claim left behind can still come back.
 */
const CLAIM_TIME = `
local function nowMs()
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end
local function keepClaims(claims, ttl, staleMs)
  redis.call('EXPIRE', claims, tonumber(ttl) + math.ceil(tonumber(staleMs) / 1000))
end
`;

/** Merges stale claims back into the pending set. */
const MERGE_STALE = `${RESTORE}${CLAIM_TIME}
local function mergeStale(pending, claims, staleMs, ttl)
  local all = redis.call('HGETALL', claims)
  if #all == 0 then return 0 end
  local now, merged = nowMs(), 0
  for i = 1, #all, 2 do
    local value = all[i + 1]
    if now - tonumber(string.sub(value, 1, string.find(value, ':', 1, true) - 1)) >= staleMs then
      merged = merged + restore(pending, value)
      redis.call('HDEL', claims, all[i])
    end
  end
  if merged > 0 then redis.call('EXPIRE', pending, ttl) end
  return merged
end
`;

/**
 * Adds one message and keeps the visitor's set within the limits: newest
 * first, members are kept while both the count and the bytes allow; the
 * rest, the oldest, go. Each member starts with its size (`<bytes>:`).
 * KEYS: pending. ARGV: score, member, max count, max bytes, TTL. Returns how many were dropped.
 */
export const ADD_WITHIN_LIMITS = `
redis.call('ZADD', KEYS[1], ARGV[1], ARGV[2])
local members = redis.call('ZRANGE', KEYS[1], 0, -1)
local maxCount, maxBytes = tonumber(ARGV[3]), tonumber(ARGV[4])
local keep, bytes = 0, 0
for i = #members, 1, -1 do
  if keep >= maxCount then break end
  bytes = bytes + (tonumber(string.match(members[i], '^(%d+):')) or maxBytes + 1)
  if bytes > maxBytes then break end
  keep = keep + 1
end
local dropped = #members - keep
if dropped > 0 then redis.call('ZREMRANGEBYRANK', KEYS[1], 0, dropped - 1) end
redis.call('EXPIRE', KEYS[1], ARGV[5])
return dropped
`;

/**
 * The pending members, oldest first, after stale claims are merged back.
 * KEYS: pending, claims. ARGV: stale bound (ms), TTL.
 */
export const READ_PENDING = `${MERGE_STALE}
mergeStale(KEYS[1], KEYS[2], tonumber(ARGV[1]), ARGV[2])
return redis.call('ZRANGE', KEYS[1], 0, -1)
`;

/** What varies between the two claim scripts. */
interface ClaimShape {
  /** Lua run after stale claims are merged back, before anything is claimed: it may return early. */
  readonly check: string;
  /** Lua expressions: the first and last ARGV index of the members to claim. */
  readonly first: string;
  readonly last: string;
  /** Lua expression: whether to claim every pending member instead. */
  readonly all: string;
}

/** A claim's script: stale claims merged back first, then `check`, then the claim. */
function claimScript({ check, first, last, all }: ClaimShape): string {
  return `${MERGE_STALE}
local again = redis.call('HGET', KEYS[2], ARGV[1])
if again then
  local list, members = claimList(again), {}
  for j = 1, #list, 2 do members[#members + 1] = list[j] end
  return members
end
mergeStale(KEYS[1], KEYS[2], tonumber(ARGV[2]), ARGV[3])
${check}
local list, members = {}, {}
if ${all} then
  list = redis.call('ZRANGE', KEYS[1], 0, -1, 'WITHSCORES')
  for j = 1, #list, 2 do members[#members + 1] = list[j] end
  if #list > 0 then redis.call('DEL', KEYS[1]) end
else
  for i = ${first}, ${last} do
    local score = redis.call('ZSCORE', KEYS[1], ARGV[i])
    if score then
      redis.call('ZREM', KEYS[1], ARGV[i])
      list[#list + 1] = ARGV[i]
      list[#list + 1] = score
      members[#members + 1] = ARGV[i]
    end
  end
end
if #list > 0 then
  redis.call('HSET', KEYS[2], ARGV[1], nowMs() .. ':' .. cjson.encode(list))
  keepClaims(KEYS[2], ARGV[3], ARGV[2])
end
return members
`;
}

/**
 * Claims pending members under a take's id and returns them, oldest first:
 * all of them, or those listed that are still pending (a member a concurrent
 * take got first is not returned twice). Stale claims are merged back
 * first, so that a take delivers them. Run again with the same id (a client
 * that resends a command after a reconnect), it returns the same claim.
 * KEYS: pending, claims. ARGV: claim id, stale bound (ms), TTL, then the members to take (none: all).
 */
export const CLAIM = claimScript({ check: '', first: '4', last: '#ARGV', all: '#ARGV == 3' });

/**
 * `CLAIM` for members its caller picked from a read of the pending set
 * (`takeMatching()`), told what that read saw up to the newest member picked:
 * if the set now holds an older member the read did not see (a claim left
 * behind merged back by this script or by another request's read, a take
 * put back by another request), it claims nothing and returns none. Taking
 * what was picked would deliver newer messages before that one; everything
 * stays pending, in order, for the visitor's next take.
 * KEYS: pending, claims. ARGV: claim id, stale bound (ms), TTL, the newest
 * picked member's score, how many were picked, the picked members, then the
 * other members the read saw.
 */
export const CLAIM_PICKED = claimScript({
  check: `local seen = {}
for i = 6, #ARGV do seen[ARGV[i]] = true end
for _, member in ipairs(redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[4])) do
  if not seen[member] then return {} end
end`,
  first: '6',
  last: '5 + tonumber(ARGV[5])',
  all: 'false',
});

/**
 * Deletes claims whose messages have been delivered: their responses were written.
 * KEYS: claims. ARGV: the claim ids. Returns how many were deleted.
 */
export const COMMIT_CLAIMS = `
local deleted = 0
-- One HDEL per id: a single HDEL of them all would unpack ARGV onto Lua's stack, which holds about 8,000.
for i = 1, #ARGV do deleted = deleted + redis.call('HDEL', KEYS[1], ARGV[i]) end
return deleted
`;

/**
 * Dates claims of responses still under way to now, so that no request
 * merges them back while their response may yet carry them. A claim merged
 * back already is left so. KEYS: claims. ARGV: TTL, stale bound (ms), then
 * the claim ids. Returns how many were renewed.
 */
export const RENEW_CLAIMS = `${CLAIM_TIME}
local now, renewed = nowMs(), 0
for i = 3, #ARGV do
  local value = redis.call('HGET', KEYS[1], ARGV[i])
  if value then
    redis.call('HSET', KEYS[1], ARGV[i], now .. string.sub(value, (string.find(value, ':', 1, true))))
    renewed = renewed + 1
  end
end
if renewed > 0 then keepClaims(KEYS[1], ARGV[1], ARGV[2]) end
return renewed
`;

/**
 * Puts a claim's messages back in their places, pending again: its take timed
 * out, or its response was never written. KEYS: pending, claims. ARGV: claim id, TTL.
 * Returns how many messages came back.
 */
export const RELEASE_CLAIM = `${RESTORE}
local value = redis.call('HGET', KEYS[2], ARGV[1])
if not value then return 0 end
local restored = restore(KEYS[1], value)
redis.call('HDEL', KEYS[2], ARGV[1])
redis.call('EXPIRE', KEYS[1], ARGV[2])
return restored
`;

/**
 * Adds members with their scores, as they are (messages moving to a
 * regenerated session). KEYS: pending. ARGV: TTL, then score and member pairs.
 */
export const ADD_MEMBERS = `
for i = 2, #ARGV - 1, 2 do redis.call('ZADD', KEYS[1], ARGV[i], ARGV[i + 1]) end
redis.call('EXPIRE', KEYS[1], ARGV[1])
return (#ARGV - 1) / 2
`;
