import type { AjaxRequest } from '../ajax-request.interface.js';
import { describeValue } from '../ajax.errors.js';
import type { ResolvedMessagesOptions } from '../options/resolve-ajax-options.js';
import type { AjaxMessage } from './ajax-message.interface.js';
import { MessageLevel, messageTags } from './message-level.js';
import { platformOf } from '../platform/platform-of.js';
import { RequestSlot } from '../request-slot.js';
import { pendingWrites, trackWrite } from './pending-writes.js';
import type { RequestMessages } from './request-messages.interface.js';

/** Where `setLevel()` keeps a request's own minimum level, so every view of the request sees it. */
// Symbol.for: both builds of the package, loaded in one process, must see one request's level alike.
const REQUEST_LEVEL = new RequestSlot<number>(Symbol.for('nestjs-ajax:message-level'));

/**
 * Refuses what `add()` cannot take, before anything is looked up.
 * @internal
 */
export function checkAddArguments(level: number, extraTags: unknown): asserts extraTags is string {
  if (!Number.isInteger(level)) {
    throw new TypeError(`messages.add(level, …): level must be a whole number such as MessageLevel.INFO (20); got ${describeValue(level)}.`);
  }
  if (typeof extraTags !== 'string') {
    throw new TypeError(`messages.add(…, extraTags): extraTags must be a string such as "important"; got ${describeValue(extraTags)}.`);
  }
}

/**
 * Django's messages API over the request being handled, whichever way it is
 * found: `@Messages()` is handed its request, `MessagesService` looks it up
 * for each call. Both keep every bit of state (pending messages, level) in
 * the request itself, so they never disagree.
 * @internal
 */
export abstract class MessagesApi implements RequestMessages {
  /** The request whose messages these are. @internal */
  protected abstract readonly request: AjaxRequest;
  /** The module's message settings. @internal */
  protected abstract readonly settings: ResolvedMessagesOptions;

  add(level: number, message: string, extraTags = ''): void {
    checkAddArguments(level, extraTags);
    this.addFor(this.request, level, message, extraTags);
  }

  /** `add()` for the request already found, its arguments checked. @internal */
  protected addFor(request: AjaxRequest, level: number, message: string, extraTags: string): void {
    if (message === undefined || message === null || message === '' || level < this.levelOf(request)) return;
    const text = String(message);
    // Frozen: what peek() hands out must not change what the storage counts against its limits.
    const stored: AjaxMessage = Object.freeze({ level, message: text, tags: messageTags(this.settings.levelTags, level, extraTags) });
    const written = this.settings.storage.add(request, stored, this.settings.limits);
    platformOf(request).keepAddedMessages(request, this.settings.storage, stored);
    if (written instanceof Promise) trackWrite(request, written, this.settings.errorFormat, this.settings.storage);
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
    const req = this.request;
    if (level === null || level === undefined) {
      REQUEST_LEVEL.delete(req);
      return;
    }
    if (!Number.isInteger(level) || level < 0) {
      throw new TypeError(`messages.setLevel(level): level must be a whole number ≥ 0 such as MessageLevel.DEBUG (10); got ${describeValue(level)}.`);
    }
    REQUEST_LEVEL.set(req, level);
  }

  getLevel(): number {
    return this.levelOf(this.request);
  }

  async peek(): Promise<AjaxMessage[]> {
    const request = this.request;
    await pendingWrites(request);
    return [...(await this.settings.storage.peek(request))];
  }

  async consume(): Promise<AjaxMessage[]> {
    const request = this.request;
    await pendingWrites(request);
    return [...(await this.settings.storage.take(request))];
  }

  private levelOf(request: AjaxRequest): number {
    return REQUEST_LEVEL.get(request) ?? this.settings.level;
  }
}
