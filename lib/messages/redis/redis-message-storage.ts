import { Logger } from '@nestjs/common';
import type { AjaxRequest } from '../../ajax-request.interface.js';
import { AjaxConfigurationError, describeValue } from '../../ajax.errors.js';
import { platformOf } from '../../platform/platform-of.js';
import type { ClosingResponse } from '../../platform/raw-response-closed.js';
import type { AjaxMessage } from '../ajax-message.interface.js';
import type { MessageStorage, PreviousSession } from '../message-storage.interface.js';
import { MessagesUnavailableException } from '../messages-unavailable.exception.js';
import { DEFAULT_PENDING_LIMITS, messageBytes, type PendingLimits, reportDropped } from '../pending-limits.js';
import { requestOnlyMessages } from '../request-only-messages.js';
import { readSessionValue, writeSessionValue } from '../session-values.js';
import { type RedisClientLike, type RedisScriptRunner, scriptRunnerFor } from './redis-client.js';
import { OpenResponses, settlingPeriodMs } from './open-responses.js';
import { ADD_MEMBERS, ADD_WITHIN_LIMITS, CLAIM, CLAIM_PICKED, COMMIT_CLAIMS, READ_PENDING, RELEASE_CLAIM, RENEW_CLAIMS } from './redis-scripts.js';
import { nextScore, parseMembers, PROCESS_TAG, type StoredMessage, storedMember, toMessage } from './stored-message.js';

/** Set in a session that has messages in Redis, so that express-session keeps the session, and its cookie. @internal */
export const SESSION_MARK = '_messagesInRedis';

/** Options of `RedisMessageStorage`. */
export interface RedisMessageStorageOptions {
  /** Prefix of each visitor's keys, `<keyPrefix>{<sessionID>}` and `…:claims`. Default: `'nestjs-ajax:messages:'`. */
  keyPrefix?: string;
  /** How long undelivered messages are kept after the last one was added, in seconds. Default: 86,400 (a day). */
  ttlSeconds?: number;
  /** How long a command may take before the request gets a 503, in milliseconds. Default: 1,000. */
  timeoutMs?: number;
  /**
   * How long messages a take claimed wait for their response, once nothing
   * says it is still under way, before the visitor's next request gets them
   * again, in milliseconds: how soon the messages of an instance that died
   * mid-response come back. While a response is open, its instance says so
   * every third of this (a response that has started, an event stream's,
   * counts as delivered then), so a response may take longer. Default: 60,000.
   */
  reclaimAfterMs?: number;
}

/** One visitor's keys: a sorted set of pending messages, a hash of claims; one hash slot for both. */
interface VisitorKeys {
  readonly pending: string;
  readonly claims: string;
}

/** A take's claim, deleted once its response is written. */
interface Claim {
  readonly keys: VisitorKeys;
  readonly id: string;
}

let claimCount = 0;

/**
 * Pending messages in Redis: per visitor, a sorted set ordered by when each
 * was added (`<keyPrefix>{<sessionID>}`), and a hash of claims beside it.
 * A script adds a message and drops the oldest past `messages.maxPending`
 * and `messages.maxPendingBytes`. A take is in two phases: a script moves
 * the messages into a claim under the take's id and returns them; once the
 * response that carries them has been written, the claim is deleted. A
 * response cut short puts them back, and so does one that a failed write or
 * take of its request made the module's 503. A response still open some
 * time after its take (between a sixth and a half of `reclaimAfterMs`) has
 * its claims deleted if it has started (an event stream, which stays open
 * as long as its page does), renewed if not (a slow handler), and so again
 * every third of `reclaimAfterMs`. A claim left behind (a reply lost with
 * its connection, an instance that died) is merged back, in order, by the
 * visitor's next request after `reclaimAfterMs`. So a message is lost only
 * if Redis loses it; a visitor can get one twice only if a claim's deletion
 * is lost, or two renewals in a row are (Redis unreachable for a third of
 * `reclaimAfterMs` or more, or the event loop blocked for half of it, while
 * a response is under way). Requests of one
 * session running at the same time, on one instance or several, never lose
 * nor duplicate a message, which the session storage cannot promise
 * (express-session saves whole sessions).
 *
 * It takes a node-redis client or cluster (`redis` 5 or 6), or an ioredis
 * client or cluster (`ioredis` 5 or 6, and `iovalkey`), and opens no
 * connection of its own. Both keys of a visitor carry the session id as
 * their hash tag, so each step runs on one node of a cluster. When Redis
 * cannot be reached, a command fails fast (client not ready) or after
 * `timeoutMs`, and the request gets 503; the storage recovers when the
 * client reconnects. When a session is regenerated (passport's log-in), the
 * messages the request added move to the new session's keys.
 *
 * Requests without a session (no `req.sessionID`) keep their messages for
 * the request only, as with the session storage.
 *
 * @example
 * const redis = await createClient({ url: process.env.REDIS_URL }).connect(); // or new Redis(url) of ioredis
 * AjaxModule.forRoot({ messages: { storage: new RedisMessageStorage(redis, { ttlSeconds: 3600 }) } })
 */
export class RedisMessageStorage implements MessageStorage {
  private readonly logger = new Logger('AjaxMessages');
  private readonly redis: RedisScriptRunner;
  private readonly keyPrefix: string;
  private readonly ttlSeconds: string;
  private readonly timeoutMs: number;
  private readonly reclaimAfterMs: string;
  /** The requests whose responses are still open with claims: settled or renewed every third of `reclaimAfterMs`. */
  private readonly openResponses: OpenResponses;
  /** The members each request added, for a move to a regenerated session: kept here, where a round trip dwarfs it. */
  private readonly addedBy = new WeakMap<AjaxRequest, Array<{ score: number; member: string }>>();
  /** The claims of each request's takes not yet settled: deleted once its response is written or has started, renewed while it works. */
  private readonly claimsOf = new WeakMap<AjaxRequest, Claim[]>();
  /**
   * The requests of which a write or a take failed: the module answers them with its 503, not with the body
   * that carried what their other takes claimed, so those claims are put back (`carriedClaims()`).
   */
  private readonly failedIn = new WeakSet<AjaxRequest>();
  /**
   * For each request that started a take (only their answers' replacements matter), how many times the module
   * replaced its answer with its own (`answerReplaced()`).
   */
  private readonly replacements = new WeakMap<AjaxRequest, number>();

  constructor(client: RedisClientLike, options: RedisMessageStorageOptions = {}) {
    this.redis = scriptRunnerFor(client);
    this.keyPrefix = options.keyPrefix ?? 'nestjs-ajax:messages:';
    const ttlSeconds = options.ttlSeconds ?? 86_400;
    this.timeoutMs = options.timeoutMs ?? 1_000;
    const reclaimAfterMs = options.reclaimAfterMs ?? 60_000;
    for (const [name, value] of Object.entries({ ttlSeconds, timeoutMs: this.timeoutMs, reclaimAfterMs })) {
      if (!Number.isInteger(value) || value <= 0) {
        throw new AjaxConfigurationError(`RedisMessageStorage option "${name}" must be a whole number > 0; got ${describeValue(value)}.`);
      }
    }
    if (typeof this.keyPrefix !== 'string' || /[{}]/.test(this.keyPrefix)) {
      // A hash tag in the prefix would put every visitor's keys in one cluster slot, on one node.
      throw new AjaxConfigurationError(`RedisMessageStorage option "keyPrefix" must be a string without { or }: the session id is the keys' hash tag; got ${describeValue(this.keyPrefix)}.`);
    }
    this.ttlSeconds = String(ttlSeconds);
    this.reclaimAfterMs = String(reclaimAfterMs);
    this.openResponses = new OpenResponses(settlingPeriodMs(reclaimAfterMs), (req, res) => this.settleWhileOpen(req, res));
  }

  async add(req: AjaxRequest, message: AjaxMessage, limits: PendingLimits = DEFAULT_PENDING_LIMITS): Promise<void> {
    const keys = this.keysOf(req);
    if (!keys) return requestOnlyMessages.add(req, message, limits);
    if (messageBytes(message) > limits.maxBytes) return reportDropped(req, 1, limits);
    // The set is found again by the session cookie; with saveUninitialized: false, express-session
    // sends that cookie only for a session that changed. A failed log-in form of an anonymous visitor is one.
    if (req.session && readSessionValue(req.session, SESSION_MARK) !== true) writeSessionValue(req.session, SESSION_MARK, true);
    const score = nextScore();
    const member = storedMember(message, score);
    const added = this.addedBy.get(req);
    if (added) added.push({ score, member });
    else this.addedBy.set(req, [{ score, member }]);
    const args = [String(score), member, String(limits.maxCount), String(limits.maxBytes), this.ttlSeconds];
    let dropped: number;
    try {
      dropped = Number(await this.run('add', ADD_WITHIN_LIMITS, [keys.pending], args));
    } catch (error) {
      this.failedIn.add(req);
      throw error;
    }
    if (dropped > 0) reportDropped(req, dropped, limits);
  }

  async peek(req: AjaxRequest): Promise<readonly AjaxMessage[]> {
    const keys = this.keysOf(req);
    if (!keys) return requestOnlyMessages.collect(req, false);
    return (await this.readPending(keys)).map(toMessage);
  }

  async take(req: AjaxRequest): Promise<readonly AjaxMessage[]> {
    const keys = this.keysOf(req);
    if (!keys) return requestOnlyMessages.collect(req, true);
    return (await this.claim(req, keys, [], CLAIM)).map(toMessage);
  }

  /**
   * Takes the messages `matches` picks, the others left in their places:
   * the set is read, then the picked members are claimed by a script that
   * returns only those still pending, so each message is taken once even by
   * requests running at the same time, and one added in between stays pending.
   * Should an older message have come back between the read and the claim (a
   * claim left behind, a take put back), nothing is taken this time
   * (`CLAIM_PICKED`): the next take has them all, in order.
   */
  async takeMatching(req: AjaxRequest, matches: (message: AjaxMessage) => boolean): Promise<readonly AjaxMessage[]> {
    const keys = this.keysOf(req);
    if (!keys) return requestOnlyMessages.takeMatching(req, matches);
    const members = await this.readMembers(keys);
    const picked = parseMembers(members).filter((stored) => matches(toMessage(stored)));
    if (picked.length === 0) return [];
    // A member's score is the `at` it was stored with. Every member read is named as seen, one this module cannot
    // parse too: such a member, never delivered, must not keep every pick from taking anything.
    const newest = Math.max(...picked.map((stored) => stored.at));
    const pickedRaw = new Set(picked.map((stored) => stored.raw));
    const rest = [String(newest), String(picked.length), ...pickedRaw, ...members.filter((member) => !pickedRaw.has(member))];
    const taken = new Set((await this.claim(req, keys, rest, CLAIM_PICKED)).map((stored) => stored.raw));
    return picked.filter((stored) => taken.has(stored.raw)).map(toMessage);
  }

  /**
   * Moves the messages this request added, still pending, to the new
   * session's keys, in their places. The two sessions' keys may live on two
   * nodes of a cluster, so the move is a claim on the old keys, an add to the
   * new ones, then the claim's deletion; should the claim or the add fail,
   * the claim is put back.
   */
  async regenerated(req: AjaxRequest, previous: PreviousSession): Promise<void> {
    const keys = this.keysOf(req);
    const old = previous.sessionID ? this.keysOfSession(previous.sessionID) : undefined;
    const moving = this.addedBy.get(req) ?? [];
    if (!keys || !old || old.pending === keys.pending || moving.length === 0) return;
    if (req.session) writeSessionValue(req.session, SESSION_MARK, true);
    const { claim, taken } = await this.claimOnce('move (claim)', CLAIM, old, moving.map(({ member }) => member));
    if (taken.length === 0) return;
    const claimed = new Set(taken.map((stored) => stored.raw));
    const pairs = moving.filter(({ member }) => claimed.has(member)).flatMap(({ score, member }) => [String(score), member]);
    try {
      await this.run('move (add)', ADD_MEMBERS, [keys.pending], [this.ttlSeconds, ...pairs]);
    } catch (error) {
      this.release(claim);
      throw error;
    }
    await this.run('move (commit)', COMMIT_CLAIMS, [old.claims], [claim.id]);
  }

  private keysOf(req: AjaxRequest): VisitorKeys | undefined {
    const id = platformOf(req).sessionIdOf(req);
    return id ? this.keysOfSession(id) : undefined;
  }

  private keysOfSession(sessionID: string): VisitorKeys {
    // The hash tag: both keys hash on the session id alone, so they share a cluster slot.
    const pending = `${this.keyPrefix}{${sessionID}}`;
    return { pending, claims: `${pending}:claims` };
  }

  private async readPending(keys: VisitorKeys): Promise<StoredMessage[]> {
    return parseMembers(await this.readMembers(keys));
  }

  /** The pending members as Redis holds them, oldest first, any not written by this module included. */
  private async readMembers(keys: VisitorKeys): Promise<string[]> {
    const reply = await this.run('read', READ_PENDING, [keys.pending, keys.claims], [this.reclaimAfterMs, this.ttlSeconds]);
    return Array.isArray(reply) ? reply.map(String) : [];
  }

  /**
   * Claims with `script` (`CLAIM` or `CLAIM_PICKED`, given `rest`, its
   * arguments after the claim id, the stale bound and the TTL) and has the
   * claim deleted once the response is written, or put back when it is not.
   */
  private async claim(req: AjaxRequest, keys: VisitorKeys, rest: readonly string[], script: string): Promise<StoredMessage[]> {
    let replaced = this.replacements.get(req);
    if (replaced === undefined) this.replacements.set(req, (replaced = 0));
    const { claim, taken } = await this.claimOnce('take', script, keys, rest).catch((error: unknown) => {
      this.failedIn.add(req);
      throw error;
    });
    if (taken.length === 0) return taken;
    // Its answer was replaced while the take was on its way (a handler that threw meanwhile): nothing carries it.
    if (this.replacements.get(req) !== replaced) this.release(claim);
    else this.settleOnResponse(req, claim);
    return taken;
  }

  /**
   * Claims under a new id, with `script` (`CLAIM` or `CLAIM_PICKED`) and
   * `rest`, its arguments after the id, the stale bound and the TTL (for
   * `CLAIM`, the members to take; none: all pending). A claim
   * whose script failed or timed out may have been made all the same: it is
   * put back at once, and if that fails too, merged back by a later request
   * after `reclaimAfterMs`.
   */
  private async claimOnce(step: string, script: string, keys: VisitorKeys, rest: readonly string[]): Promise<{ claim: Claim; taken: StoredMessage[] }> {
    const claim: Claim = { keys, id: newClaimId() };
    try {
      const reply = await this.run(step, script, [keys.pending, keys.claims], [claim.id, this.reclaimAfterMs, this.ttlSeconds, ...rest]);
      return { claim, taken: parseMembers(reply) };
    } catch (error) {
      // A claim never sent was never made: nothing to put back (and nothing to warn of).
      if (!NEVER_SENT.has(error as object)) this.release(claim);
      throw error;
    }
  }

  /**
   * Puts back now what the request's takes claimed until now: the module's
   * error answer or 503 replaces the answer they were taken for, before
   * anything of it was sent. The error answer's own take, which follows on
   * the same connection, finds them pending again.
   */
  answerReplaced(req: AjaxRequest): void {
    const replaced = this.replacements.get(req);
    // A request that took nothing (most 401s and 404s) has nothing to put back, and gets no entry.
    if (replaced === undefined) return;
    this.replacements.set(req, replaced + 1);
    const claims = this.claimsOf.get(req);
    if (claims) for (const claim of claims.splice(0)) this.release(claim);
  }

  /**
   * Whether the response to `req`, once written (or started), carried what
   * its takes claimed since the module last replaced its answer
   * (`answerReplaced()`). When a write or a take failed and the app answered
   * with a server error of its own, the module cannot tell what that answer
   * carried: the claims are put back, a duplicate rather than a loss. A
   * request whose failure its handler caught, and answered with a success
   * (an event stream that goes on), did carry them.
   */
  private carriedClaims(req: AjaxRequest, res: ClosingResponse | undefined): boolean {
    if (!this.failedIn.has(req) || (this.replacements.get(req) ?? 0) > 0) return true;
    return res !== undefined && res.statusCode < 500;
  }

  private settleOnResponse(req: AjaxRequest, claim: Claim): void {
    const platform = platformOf(req);
    const res = platform.rawResponseOf(req);
    // A take that came back once its response was ended (a stream the visitor left meanwhile): nothing carried it.
    if (res?.writableEnded || res?.closed) return this.release(claim);
    const claims = this.claimsOf.get(req);
    if (claims) claims.push(claim);
    else {
      this.claimsOf.set(req, [claim]);
      platform.onResponseWritten(req, (written) => {
        this.openResponses.forget(req);
        const all = this.claimsOf.get(req) ?? [];
        this.claimsOf.delete(req);
        if (written && this.carriedClaims(req, res)) this.commit(all);
        else for (const each of all) this.release(each);
      });
    }
    if (res) this.openResponses.watch(req, res);
  }

  /**
   * A response still open some time after its take (`OpenResponses`): once
   * it has started, it counts as delivered however it ends (as its close
   * would count it), so its claims are deleted now, and any whose deletion
   * fails are kept to be deleted again; before, they are renewed, as it may
   * yet carry them.
   */
  private settleWhileOpen(req: AjaxRequest, res: ClosingResponse): void {
    const claims = this.claimsOf.get(req);
    if (!claims || claims.length === 0) return;
    if (res.headersSent && this.carriedClaims(req, res)) {
      this.commit(claims.splice(0), (failed) => {
        const unsettled = this.claimsOf.get(req);
        // Back in the request's list: the next settling, or the close, deletes them. Closed meanwhile: once more now.
        if (unsettled) unsettled.push(...failed);
        else this.commit(failed);
      });
    } else {
      for (const [key, ofKey] of byClaimsKey(claims)) {
        this.run('renew', RENEW_CLAIMS, [key], [this.ttlSeconds, this.reclaimAfterMs, ...ofKey.map(({ id }) => id)]).catch((error: unknown) =>
          this.logger.warn(
            `${ofKey.length} claim(s) of a response still under way may not have been renewed; if Redis gets no renewal of them within ${this.reclaimAfterMs} ms of the last, their messages go to the visitor's next request as well: ${messageOf(error)}`,
          ),
        );
      }
    }
  }

  /**
   * Deletes delivered claims. One whose deletion fails comes back after
   * `reclaimAfterMs`, a duplicate, unless `retry` keeps it to be deleted again.
   */
  private commit(claims: readonly Claim[], retry?: (failed: Claim[]) => void): void {
    for (const [key, ofKey] of byClaimsKey(claims)) {
      this.run('commit', COMMIT_CLAIMS, [key], ofKey.map(({ id }) => id)).catch((error: unknown) => {
        if (retry) {
          this.logger.warn(`${ofKey.length} delivered claim(s) may not have been deleted; deleting them again: ${messageOf(error)}`);
          retry(ofKey);
        } else this.logger.error(`${ofKey.length} delivered claim(s) may not have been deleted; if not, they will be delivered again after ${this.reclaimAfterMs} ms: ${messageOf(error)}`);
      });
    }
  }

  /** Puts a claim back now; if Redis cannot be told, a later request merges it back after `reclaimAfterMs`. */
  private release(claim: Claim): void {
    this.run('release', RELEASE_CLAIM, [claim.keys.pending, claim.keys.claims], [claim.id, this.ttlSeconds]).catch((error: unknown) =>
      this.logger.warn(`Messages of an unfinished take return to their visitor after ${this.reclaimAfterMs} ms: ${messageOf(error)}`),
    );
  }

  /** Runs a script within the time-out, as a MessagesUnavailableException when it cannot. */
  private async run(step: string, script: string, keys: readonly string[], args: readonly string[]): Promise<unknown> {
    // A client that is not connected would queue the command until it is: fail now instead.
    if (!this.redis.ready()) {
      const error = new MessagesUnavailableException(`${this.redis.notReadyReason()} (${step})`);
      NEVER_SENT.add(error);
      throw error;
    }
    const sent = this.send(script, keys, args);
    sent.catch(() => undefined); // a late failure, after the time-out, is nobody's to handle
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new MessagesUnavailableException(`Redis did not answer ${step} within ${this.timeoutMs} ms`)), this.timeoutMs);
    });
    try {
      return await Promise.race([sent, timeout]);
    } catch (error) {
      if (error instanceof MessagesUnavailableException) throw error;
      throw new MessagesUnavailableException(`${step} failed: ${messageOf(error)}`, { cause: error });
    } finally {
      clearTimeout(timer);
    }
  }

  /** The client's answer, as a promise: one that throws, or answers with no promise, gives a rejected one. */
  private send(script: string, keys: readonly string[], args: readonly string[]): Promise<unknown> {
    try {
      const answer: unknown = this.redis.evaluate(script, keys, args);
      if (typeof (answer as PromiseLike<unknown> | null | undefined)?.then === 'function') return Promise.resolve(answer);
      return Promise.reject(new Error("the client's eval() returned no promise"));
    } catch (error) {
      return Promise.reject(error);
    }
  }
}

/** The failures of steps that were never sent, the client not being ready: they changed nothing in Redis. */
const NEVER_SENT = new WeakSet<object>();

/** A take's id, unique across instances: this process's tag and a counter. */
function newClaimId(): string {
  claimCount += 1;
  return `${PROCESS_TAG}-${claimCount}`;
}

function messageOf(error: unknown): string {
  return String((error as Error)?.message ?? error);
}

/** `claims`, by the claims key they live under: one script per visitor's key. */
function byClaimsKey(claims: readonly Claim[]): Map<string, Claim[]> {
  const byKey = new Map<string, Claim[]>();
  for (const claim of claims) {
    const ofKey = byKey.get(claim.keys.claims);
    if (ofKey) ofKey.push(claim);
    else byKey.set(claim.keys.claims, [claim]);
  }
  return byKey;
}
