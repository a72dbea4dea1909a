import type { AjaxRequest } from '../ajax-request.interface.js';
import { describeValue } from '../ajax.errors.js';
import type { ResolvedMessagesOptions } from '../options/resolve-ajax-options.js';
import type { AjaxMessage } from './ajax-message.interface.js';
import { MessageLevel, messageTags } from './message-level.js';

/** Where `setLevel()` keeps a request's own minimum level, so every view of the request sees it. */
const REQUEST_LEVEL = Symbol('nestjs-ajax:message-level');

type RequestWithLevel = AjaxRequest & { [REQUEST_LEVEL]?: number };

/**
 * Django's messages API over one request's pending messages. `@Messages()`
 * gives one of these and `MessagesService` is one, and every view of a request
 * shares its state (pending messages, level) through the request itself, so
 * they never disagree.
 *
 * @example
 * @Post('vote')
 * @Ajax({ loginRequired: true })
 * vote(@Messages() messages: RequestMessages) {
 *   messages.success('Vote recorded.');
 *   return { votes: 3 }; // → { "votes": 3, "messages": [{ "message": "Vote recorded.", "tags": "success" }] }
 * }
 */
export class RequestMessages {
  constructor(
    /** @internal */ protected readonly request: AjaxRequest,
    /** @internal */ protected readonly settings: ResolvedMessagesOptions,
  ) {}

  /**
   * Adds a message at `level` unless the level is below the request's minimum
   * or the message is empty (both dropped silently, as in Django).
   * `extraTags` come before the level's tag in `tags`.
   */
  add(level: number, message: string, extraTags = ''): void {
    if (!Number.isInteger(level)) {
      throw new TypeError(`messages.add(level, …): level must be a whole number such as MessageLevel.INFO (20); got ${describeValue(level)}.`);
    }
    if (typeof extraTags !== 'string') {
      throw new TypeError(`messages.add(…, extraTags): extraTags must be a string such as "important"; got ${describeValue(extraTags)}.`);
    }
    if (message === undefined || message === null || message === '' || level < this.getLevel()) return;
    const text = String(message);
    const stored: AjaxMessage = { level, message: text, tags: messageTags(this.settings.levelTags, level, extraTags) };
    this.settings.storage.add(this.request, stored);
  }

  /** Adds a `debug` message (dropped at the default minimum level, INFO). */
  debug(message: string, extraTags?: string): void {
    this.add(MessageLevel.DEBUG, message, extraTags);
  }

  /** Adds an `info` message. */
  info(message: string, extraTags?: string): void {
    this.add(MessageLevel.INFO, message, extraTags);
  }

  /** Adds a `success` message. */
  success(message: string, extraTags?: string): void {
    this.add(MessageLevel.SUCCESS, message, extraTags);
  }

  /** Adds a `warning` message. */
  warning(message: string, extraTags?: string): void {
    this.add(MessageLevel.WARNING, message, extraTags);
  }

  /** Adds an `error` message. */
  error(message: string, extraTags?: string): void {
    this.add(MessageLevel.ERROR, message, extraTags);
  }

  /**
   * Sets this request's minimum level; `null` or `undefined` goes back to the
   * module's `messages.level`. Messages already added are kept.
   */
  setLevel(level: number | null | undefined): void {
    const req = this.request as RequestWithLevel;
    if (level === null || level === undefined) {
      delete req[REQUEST_LEVEL];
      return;
    }
    if (!Number.isInteger(level) || level < 0) {
      throw new TypeError(`messages.setLevel(level): level must be a whole number ≥ 0 such as MessageLevel.DEBUG (10); got ${describeValue(level)}.`);
    }
    req[REQUEST_LEVEL] = level;
  }

  /** This request's minimum level. */
  getLevel(): number {
    return (this.request as RequestWithLevel)[REQUEST_LEVEL] ?? this.settings.level;
  }

  /** The pending messages (carried from earlier requests, then this one's), left pending. */
  async peek(): Promise<AjaxMessage[]> {
    return [...this.settings.storage.peek(this.request)];
  }

  /**
   * The pending messages, removed: no JSON response will carry them. Use it to
   * deliver them some other way, e.g. in a rendered page.
   */
  async consume(): Promise<AjaxMessage[]> {
    return [...this.settings.storage.take(this.request)];
  }
}
