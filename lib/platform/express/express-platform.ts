import type { AbstractHttpAdapter } from '@nestjs/core';
import type { AjaxRequest } from '../../ajax-request.interface.js';
import { AjaxConfigurationError } from '../../ajax.errors.js';
import { settleMessagesInBody } from '../../messages/htmx/htmx-request.js';
import { jsonText } from '../../messages/json-text.js';
import type { ResolvedAjaxOptions } from '../../options/resolve-ajax-options.js';
import { enterEachRequest, type FollowsRequests } from '../enter-request.js';
import type { HttpPlatform } from '../http-platform.interface.js';
import { APP_OPTIONS, PLATFORM } from '../platform-key.js';
import { jsonForApp } from './ajax-response-json.js';
import { carryOnStoreRegenerate } from './carry-on-regenerate.js';
import { setCookieAtHeaders } from './cookie-at-headers.js';
import { jsonSettings, type JsonTextResponse } from './express-json.js';
import { holdEndUntilWritten } from './hold-end.js';
import { installExpressFlash } from './install-flash.js';
import { deliverInHeaderAtEnd } from './hx-trigger-at-end.js';
import { reenterAtRoutes } from './reenter-at-routes.js';
import { hookJson, type HookedResponse, releaseJson } from './json-hook.js';
import { expressRoutesServingPath, isExpressRouteMiss } from './route-methods.js';
import { type ClosingResponse, onRawResponseClosed } from '../raw-response-closed.js';

/** Express's response, as the module uses it. */
interface ExpressResponse extends HookedResponse, ClosingResponse {
  headersSent: boolean;
  writableEnded: boolean;
  getHeader(name: string): unknown;
  getHeaderNames(): string[];
  setHeader(name: string, value: string): unknown;
  end(): unknown;
  once(event: 'close', listener: () => void): unknown;
}

/** The Express application's prototypes for its requests and responses. */
interface ExpressApp {
  request: object;
  /** Its response prototype, whose `json` the module's becomes. */
  response: Parameters<typeof jsonForApp>[1];
}

const res = (value: object): ExpressResponse => value as ExpressResponse;

/**
 * Two Nest apps that import `AjaxModule.forRoot()` on one Express instance
 * (`new ExpressAdapter(server)` twice) would share its request and response
 * prototypes, where each app's options and JSON settings live: one app's
 * would serve the other's requests. Refused at start-up instead.
 */
function refuseSharedExpress(requestPrototype: object): void {
  if (!Object.prototype.hasOwnProperty.call(requestPrototype, APP_OPTIONS)) return;
  throw new AjaxConfigurationError(
    'Two Nest apps that import AjaxModule.forRoot() run on one Express instance, and would share its request and response prototypes, ' +
      'where each keeps its module options. Give each app an Express instance of its own: new ExpressAdapter(express()) for each, ' +
      'or NestFactory.create(AppModule) without an adapter.',
  );
}

/**
 * The module on Express (`@nestjs/platform-express`): headers through
 * Node's response, JSON through `res.json` with the app's settings, messages
 * through a per-response `res.json` hook (and an htmx request's through its
 * `res.end`, in `HX-Trigger`), the end held through `res.end`, a cookie set
 * at the last moment through `res.writeHead`,
 * 405s from Express's router, sessions from express-session.
 * @internal
 */
export const expressPlatform: HttpPlatform = {
  name: 'express',

  install(adapter: AbstractHttpAdapter, options: ResolvedAjaxOptions, follows: FollowsRequests): void {
    const app = adapter.getInstance<ExpressApp>();
    refuseSharedExpress(app.request);
    if (options.flash) installExpressFlash(app.request, options.messages);
    Object.defineProperty(app.request, PLATFORM, { value: expressPlatform, configurable: true });
    Object.defineProperty(app.request, APP_OPTIONS, { value: options, configurable: true });
    Object.defineProperty(app.response, PLATFORM, { value: expressPlatform, configurable: true });
    jsonForApp(expressPlatform, app.response, options);
    enterEachRequest(adapter, follows);
    // And again at each route, after the session, the body parsers and Nest middleware.
    reenterAtRoutes(adapter, follows);
  },

  getHeader: (response, name) => res(response).getHeader(name),
  headerNames: (response) => res(response).getHeaderNames(),
  setHeader: (response, name, value) => void res(response).setHeader(name, value),
  removeHeader: (response, name) => void res(response).removeHeader(name),
  setStatus: (response, status) => void res(response).status(status),
  requestOf: (response) => (response as { req?: AjaxRequest }).req,
  // Express's middleware and routes share one request object.
  messagesRequestOf: (req) => req,
  responseOver: (req) => (req.res as ExpressResponse | undefined)?.writableEnded === true,
  headersSent: (response) => res(response).headersSent,
  endStarted(response) {
    if (!res(response).writableEnded) res(response).end();
  },

  jsonText: (response, body) => jsonText(jsonSettings(response as JsonTextResponse), body),
  sendJson(response, status, body, contentType) {
    res(response).status(status);
    // res.json keeps a type that is set.
    if (contentType) res(response).setHeader('Content-Type', contentType);
    res(response).json(body);
  },

  deliverMessagesWithJson(req, response, options) {
    hookJson(req, response, options);
    deliverInHeaderAtEnd(expressPlatform, req, response, options);
  },
  releaseJsonHook(req, response) {
    releaseJson(response);
    // The filter's error body decides: an htmx request's answer owes nothing in its header.
    settleMessagesInBody(req);
  },
  holdEndUntilWritten,
  onResponseOver(req, listener) {
    (req.res as ExpressResponse | undefined)?.once('close', listener);
  },
  onResponseWritten(req, listener) {
    const res = req.res as ExpressResponse | undefined;
    if (res) onRawResponseClosed(res, listener);
  },
  rawResponseOf: (req) => req.res as ExpressResponse | undefined,
  setCookieAtHeaders,
  // Express's own reading of the protocol, which honours the app's `trust proxy`.
  isSecure: (req) => (req as AjaxRequest & { secure?: boolean }).secure === true,

  isRouteMiss: isExpressRouteMiss,
  routesServingPath: expressRoutesServingPath,
  // Nest copies a method's metadata onto the function Express calls, where the router lookup reads it.
  tagRoute: (handler, key, value) => Reflect.defineMetadata(key, value, handler),

  sessionIdOf: (req: AjaxRequest) => req.sessionID,
  // express-session saves at the end of every response, whoever ends it; only a regenerate needs the module.
  keepAddedMessages: carryOnStoreRegenerate,
};
