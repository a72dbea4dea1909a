import type { AjaxMessage } from './ajax-message.interface.js';

/**
 * Django's messages API over one request's pending messages: what
 * `@Messages()` gives and what `MessagesService` offers.
 *
 * An interface, not a class, so a parameter typed with it records no class in
 * Nest's metadata, and no global pipe (such as a ValidationPipe with
 * `validateCustomDecorators`) tries to transform it.
 *
 * @example
 * @Post('vote')
 * @Ajax({ loginRequired: true })
 * vote(@Messages() messages: RequestMessages) {
 *   messages.success('Vote recorded.');
 *   return { votes: 3 }; // → { "votes": 3, "messages": [{ "message": "Vote recorded.", "tags": "success" }] }
 * }
 */
export interface RequestMessages {
  /**
   * Adds a message at `level` unless the level is below the request's minimum
   * or the message is empty (both dropped silently, as in Django).
   * `extraTags` come before the level's tag in `tags`.
   */
  add(level: number, message: string, extraTags?: string): void;
  /** Adds a `debug` message (dropped at the default minimum level, INFO). */
  debug(message: string, extraTags?: string): void;
  /** Adds an `info` message. */
  info(message: string, extraTags?: string): void;
  /** Adds a `success` message. */
  success(message: string, extraTags?: string): void;
  /** Adds a `warning` message. */
  warning(message: string, extraTags?: string): void;
  /** Adds an `error` message. */
  error(message: string, extraTags?: string): void;
  /**
   * Sets this request's minimum level; `null` or `undefined` goes back to the
   * module's `messages.level`. Messages already added are kept.
   */
  setLevel(level: number | null | undefined): void;
  /** This request's minimum level. */
  getLevel(): number;
  /** The pending messages (carried from earlier requests, then this one's), left pending. */
  peek(): Promise<AjaxMessage[]>;
  /**
   * The pending messages, removed: no JSON response will carry them. Use it to
   * deliver them some other way, e.g. in a rendered page.
   */
  consume(): Promise<AjaxMessage[]>;
}
