import type { AbstractHttpAdapter } from '@nestjs/core';
import type { AjaxRequest } from '../ajax-request.interface.js';
import type { AjaxMessage } from '../messages/ajax-message.interface.js';
import type { MessageStorage } from '../messages/message-storage.interface.js';
import type { ResolvedAjaxOptions } from '../options/resolve-ajax-options.js';
import type { FollowsRequests } from './enter-request.js';
import type { ClosingResponse } from './raw-response-closed.js';

/** What the app's routes say of one path. @internal */
export interface PathRoutes {
  /** The methods they serve the path with, HEAD wherever GET is: what a 405's `Allow` lists. */
  readonly methods: readonly string[];
  /** Whether every one of them requires a log-in, so only a signed-in visitor may learn `methods`. */
  readonly loginRequired: boolean;
}

/** A path no route serves. @internal */
export const NO_ROUTES: PathRoutes = Object.freeze({ methods: Object.freeze([]), loginRequired: false });

/**
 * Everything the module does that depends on the HTTP platform, in one
 * place: the guards, the exception filter and the message code call these
 * and nothing of Express or Fastify themselves. One implementation per
 * platform (`express/`, `fastify/`), chosen once per app at start-up
 * (`usePlatform()`), found again from a request or response (`platformOf()`).
 *
 * `res` is the platform's response as Nest hands it to guards and filters
 * (Express's `Response`, Fastify's `FastifyReply`); `req` its request.
 * @internal
 */
export interface HttpPlatform {
  /** As `HttpAdapter.getType()` names it. */
  readonly name: 'express' | 'fastify';

  /**
   * Sets up the app once, before Nest registers its routes. `follows`:
   * whether each request is entered as its own handling (`currentRequest()`,
   * for `MessagesService`), which only an app that asks for the service needs.
   */
  install(adapter: AbstractHttpAdapter, options: ResolvedAjaxOptions, follows: FollowsRequests): void;

  getHeader(res: object, name: string): unknown;
  /** The names of the headers set on the response so far, lower-cased: one call where several `getHeader()`s would each lower-case a name. */
  headerNames(res: object): readonly string[];
  setHeader(res: object, name: string, value: string): void;
  removeHeader(res: object, name: string): void;
  setStatus(res: object, status: number): void;
  /** The request this response answers; none for a raw Node response the platform did not wrap. */
  requestOf(res: object): AjaxRequest | undefined;
  /**
   * The request whose messages an answer to `req` carries: `req` itself,
   * but for the raw Node request that Nest hands the exception filter of a
   * failure in Fastify middleware, the Fastify request that wraps it, where
   * `MessagesService` added them (found while the app follows its requests,
   * as only it can add messages there).
   */
  messagesRequestOf(req: AjaxRequest): AjaxRequest;
  /** Whether the response to this request has been sent (or aborted): the request is over. */
  responseOver(req: AjaxRequest): boolean;
  /** Whether the response has started, so that nothing more can be said with it. */
  headersSent(res: object): boolean;
  /** Ends a response that has started and not ended. */
  endStarted(res: object): void;

  /**
   * The JSON text the platform would send for `body` on this response, with
   * the app's serialisation settings; throws where sending it would.
   */
  jsonText(res: object, body: unknown): string | undefined;
  /**
   * Sends `body` as the JSON answer with this status: the exception filter's
   * write. `contentType` replaces the platform's JSON type (problem details').
   */
  sendJson(res: object, status: number, body: object, contentType?: string): void;

  /**
   * Makes the next JSON answer of this response carry the pending messages
   * (`@Ajax()`, the interceptor, the global option), and, for an htmx request
   * (`wantsMessagesInHeader()`), any other answer carry them in `HX-Trigger`
   * (`putMessagesInHeader()`). Safe to call twice.
   */
  deliverMessagesWithJson(req: AjaxRequest, res: object, options: ResolvedAjaxOptions): void;
  /**
   * Undoes `deliverMessagesWithJson()`, header included: the exception filter
   * writes error bodies with the messages it took. Called by the filter before
   * it takes any, with the response it answers on, which the platform then
   * knows the request by even where no route ran (`onResponseWritten()`).
   */
  releaseJsonHook(req: AjaxRequest, res: object): void;
  /**
   * Holds the end of the response until the writes of messages this request
   * started have settled (see `trackWrite()`); a failed one turns it into a 503.
   */
  holdEndUntilWritten(req: AjaxRequest): void;
  /** Calls `listener` once the response to `req` is over (sent or aborted). */
  onResponseOver(req: AjaxRequest, listener: () => void): void;
  /**
   * Calls `listener` once the response to `req` has closed, with whether it
   * went out (written in full, or started: a stream the visitor closed), or
   * not (the visitor left before anything was sent): what a storage waits
   * for before it forgets the messages the response carried.
   */
  onResponseWritten(req: AjaxRequest, listener: (written: boolean) => void): void;
  /**
   * Node's response answering `req`, where the platform knows it (on
   * Fastify, once the route's hooks have noted the reply): what a storage
   * reads to tell whether a response has started, ended or closed, and
   * with what status, before its close tells.
   */
  rawResponseOf(req: AjaxRequest): ClosingResponse | undefined;
  /**
   * Calls `cookie()` once, just before the response to `req` sends its
   * headers, and sends the `Set-Cookie` header it returns, if any, beside
   * the app's own. `false`, and `cookie()` never called, when the headers
   * have gone already.
   */
  setCookieAtHeaders(req: AjaxRequest, cookie: () => string | undefined): boolean;
  /** Whether the request came over HTTPS, proxies trusted as the app says: whether a cookie set for it is `Secure`. */
  isSecure(req: AjaxRequest): boolean;

  /** Whether `exception` is Nest's answer to a request no route matched. */
  isRouteMiss(exception: unknown, req: AjaxRequest): boolean;
  /** The routes of the app that serve this request's path, with any method. */
  routesServingPath(req: AjaxRequest): PathRoutes;
  /**
   * Tags a controller method's routes, before Nest registers them, so that
   * `routesServingPath()` can read the tag: `LOGIN_REQUIRED_ROUTE_KEY`
   * (`tagLoginRequiredRoutes()`), `ROUTE_HOSTS_KEY` (`tagHostBoundRoutes()`)
   * or `ALLOWED_METHODS_ROUTE_KEY` (`tagAllowedMethodRoutes()`). `undefined`
   * takes the tag off (another app of the process may have set it).
   */
  tagRoute(handler: object, key: string, value: unknown): void;

  /** The visitor's session id, when the session has one. */
  sessionIdOf(req: AjaxRequest): string | undefined;
  /**
   * Called for every message a request adds, once `storage.add()` was handed it: makes
   * its session keep the message wherever the platform's session could drop
   * it. The platform notes which messages the request added, so that a
   * `req.session.regenerate()` carries them into the new session (through
   * `storage.regenerated()` and `PreviousSession.addedByRequest()`); a
   * response the session plugin does not see end (a stream written to the
   * raw response) still saves the session.
   */
  keepAddedMessages(req: AjaxRequest, storage: MessageStorage, message: AjaxMessage): void;
}
