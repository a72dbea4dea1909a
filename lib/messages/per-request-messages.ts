import type { AjaxRequest } from '../ajax-request.interface.js';
import { describeValue } from '../ajax.errors.js';
import type { ResolvedMessagesOptions } from '../options/resolve-ajax-options.js';
import type { AjaxMessage } from './ajax-message.interface.js';
import { MessageLevel, messageTags } from './message-level.js';
import { platformOf } from '../platform/platform-of.js';
import { pendingWrites, trackWrite } from './pending-writes.js';
import type { RequestMessages } from './request-messages.interface.js';

/** Where `setLevel()` keeps a request's own minimum level, so every view of the request sees it. */
const REQUEST_LEVEL = Symbol('nestjs-ajax:message-level');

type RequestWithLevel = AjaxRequest & { [REQUEST_LEVEL]?: number };

/**
 * `RequestMessages` over one request. `@Messages()` gives one of these and
 * `MessagesService` is one; all of them keep their state (pending messages,
 * level) in the request itself, so they never disagree.
 * @internal
 */
export class PerRequestMessages implements RequestMessages {
  constructor(
    /** @internal */ protected readonly request: AjaxRequest,
    /** @internal */ protected readonly settings: ResolvedMessagesOptions,
  ) {}

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
    const written = this.settings.storage.add(this.request, stored, this.settings.limits);
    platformOf(this.request).keepAddedMessages(this.request, this.settings.storage);
    if (written instanceof Promise) trackWrite(this.request, written);
  }

  debug(message: string, extraTags?: string): void {
    this.add(MessageLevel.DEBUG, message, extraTags);
  }

  info(message: string, extraTags?: string): void {
    this.add(MessageLevel.INFO, message, extraTags);
  }

  success(message: string, extraTags?: string): void {
    this.add(MessageLevel.SUCCESS, message, extraTags);
  }

  warning(message: string, extraTags?: string): void {
    this.add(MessageLevel.WARNING, message, extraTags);
  }

  error(message: string, extraTags?: string): void {
    this.add(MessageLevel.ERROR, message, extraTags);
  }

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

  getLevel(): number {
    return (this.request as RequestWithLevel)[REQUEST_LEVEL] ?? this.settings.level;
  }

  async peek(): Promise<AjaxMessage[]> {
    await pendingWrites(this.request);
    return [...(await this.settings.storage.peek(this.request))];
  }

  async consume(): Promise<AjaxMessage[]> {
    await pendingWrites(this.request);
    return [...(await this.settings.storage.take(this.request))];
  }
}
