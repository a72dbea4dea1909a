import type { MaybePromise } from './message-storage.interface.js';

/**
 * A request with the connect-flash-compatible `flash()` that
 * `AjaxModule.forRoot({ flash: true })` gives every request (Express's
 * `req`, Fastify's `request`), whose messages are the module's: what
 * passport's `failureFlash` and `successFlash` call. Intersect it with the
 * platform's request type.
 *
 * With the session storage every call answers synchronously, as
 * connect-flash does; with an asynchronous storage (`RedisMessageStorage`)
 * they answer with promises. `await` works with both.
 *
 * @example
 * @Post('subscribe')
 * @Redirect('/account')
 * subscribe(@Req() req: Request & FlashRequest): void {
 *   req.flash('success', 'Subscribed as %s.', req.body.email);
 * }
 */
export interface FlashRequest {
  /**
   * Adds a message of `type` (`error`, `success`, `info`, `warning`/`warn`,
   * `debug` are levels; any other type is an info message tagged with it);
   * more arguments format it with `util.format()`, an array adds each of its
   * texts. Gives the number of that type's messages now pending. An empty
   * `message` reads instead, as in connect-flash.
   */
  flash(type: string, message: unknown, ...formatArgs: unknown[]): number | PromiseLike<number>;
  /** Takes the texts of that type's pending messages, oldest first; the others stay pending. */
  flash(type: string): MaybePromise<string[]>;
  /** Takes every pending message's text, grouped by type, each group oldest first. */
  flash(): MaybePromise<Record<string, string[]>>;
}
