import { Buffer } from 'node:buffer';
import { Logger } from '@nestjs/common';
import type { AbstractHttpAdapter } from '@nestjs/core';
import type { AjaxRequest } from '../../ajax-request.interface.js';
import { labelProblemDetails } from '../../filters/problem-media-type.js';
import { JSON_CONTENT_TYPE } from '../../json-media-type.js';
import { pendingWrites, storageFailureAnswer } from '../../messages/pending-writes.js';
import type { ResolvedAjaxOptions } from '../../options/resolve-ajax-options.js';
import { currentRequest } from '../../context/request-context.js';
import { AjaxResponse } from '../../responses/ajax-response.js';
import { renderAjaxResponseAnywhere } from '../../responses/render-ajax-response.js';
import { enterEachRequest, type FollowsRequests, reenterRequest } from '../enter-request.js';
import type { HttpPlatform } from '../http-platform.interface.js';
import { type ClosingResponse, onRawResponseClosed } from '../raw-response-closed.js';
import { APP_OPTIONS, PLATFORM } from '../platform-key.js';
import { carryOnSessionRegenerate, noteAddedMessage } from './carry-on-regenerate.js';
import { setCookieOnSend, setCookiesOnSend } from './cookie-on-send.js';
import { type FastifyInstanceLike, type FastifyReplyLike, type FastifyRequestLike, isReply, type RawResponse, removeReplyHeader } from './fastify-reply.js';
import { guardSend, reopen, sendAsModule } from './guarded-send.js';
import { installFastifyFlash } from './install-flash.js';
import { declareRequestState, knownStateOf, stateOf } from './request-state.js';
import { tagFastifyRoute, tagRoutesOfAll } from './route-config.js';
import { fastifyRoutesServingPath, isFastifyRouteMiss, recordRoutes } from './route-methods.js';
import { answerAsModule, sendJsonText, sendWithMessages } from './send-with-messages.js';

/** A request of a Fastify app, as the module reads it. */
type FastifyAjaxRequest = AjaxRequest & FastifyRequestLike;

const logger = new Logger('AjaxMessages');

type Done = (error: unknown, payload?: unknown) => void;

const raw = (res: object): RawResponse => res as RawResponse;

/**
 * The module on Fastify (`@nestjs/platform-fastify`): headers through the
 * reply, JSON through `reply.serialize()` and `send()`, messages through the
 * reply's `send`, the end held, a cookie set at the last moment and the
 * AjaxResponse of any route rendered by app-wide hooks, 405s from Fastify's
 * router, sessions from `@fastify/session` or `@fastify/secure-session`. A failure in middleware hands the filter the
 * raw Node response, which is answered through Node's own calls.
 * @internal
 */
export const fastifyPlatform: HttpPlatform = {
  name: 'fastify',

  install(adapter: AbstractHttpAdapter, options: ResolvedAjaxOptions, follows: FollowsRequests): void {
    const instance = adapter.getInstance<FastifyInstanceLike>();
    if (options.flash) installFastifyFlash(instance, options.messages);
    const getter = { getter: () => fastifyPlatform };
    instance.decorateRequest(PLATFORM, getter);
    instance.decorateRequest(APP_OPTIONS, { getter: () => options });
    declareRequestState(instance);
    instance.decorateReply(PLATFORM, getter);
    recordRoutes(instance);
    tagRoutesOfAll(adapter as unknown as { all(...args: unknown[]): unknown });
    enterEachRequest(adapter, follows);
    instance.addHook('preValidation', reenterOnPreValidation(follows) as (...args: never[]) => unknown);
    instance.addHook('preSerialization', renderAnyAjaxResponse(options) as (...args: never[]) => unknown);
    instance.addHook('onSend', holdUntilWritten as (...args: never[]) => unknown);
    instance.addHook('onResponse', afterResponse as (...args: never[]) => unknown);
    instance.addHook('onError', reopenForError as (...args: never[]) => unknown);
  },

  // A reply and a raw response both have getHeader(); only the reply lacks setHeader().
  getHeader: (res, name) => raw(res).getHeader(name),
  // A reply's headers are its own and its raw response's (set by middleware); getHeaders() has both.
  headerNames: (res) => (isReply(res) ? Object.keys(res.getHeaders()) : raw(res).getHeaderNames()),
  setHeader(res, name, value) {
    if (isReply(res)) res.header(name, value);
    else raw(res).setHeader(name, value);
  },
  removeHeader(res, name) {
    if (isReply(res)) removeReplyHeader(res, name);
    else raw(res).removeHeader(name);
  },
  setStatus(res, status) {
    if (isReply(res)) res.code(status);
    else raw(res).statusCode = status;
  },
  requestOf: (res) => (isReply(res) ? (res.request as FastifyAjaxRequest) : undefined),
  messagesRequestOf(req) {
    const current = currentRequest() as (AjaxRequest & { raw?: unknown }) | undefined;
    return current?.raw === req ? current : req;
  },
  responseOver: (req) => knownStateOf(req)?.done === true,
  headersSent: (res) => (isReply(res) ? res.sent || res.raw.headersSent : raw(res).headersSent),
  endStarted(res) {
    const node = isReply(res) ? res.raw : raw(res);
    if (!node.writableEnded) node.end();
  },

  jsonText: (res, body) => (isReply(res) ? res.serialize(body) : JSON.stringify(body)),
  sendJson(res, status, body, contentType) {
    if (isReply(res)) {
      // Serialised here, so that a body that cannot be throws to the caller, as Express's res.json does,
      // rather than reaching Fastify's error handler from inside send().
      const text = res.serialize(body);
      res.code(status);
      // sendJsonText keeps a type that is set.
      if (contentType) res.header('content-type', contentType);
      sendJsonText(res, text, (json) => sendAsModule(res, json));
      return;
    }
    const text = JSON.stringify(body);
    const node = raw(res);
    node.statusCode = status;
    node.setHeader('Content-Type', contentType ?? JSON_CONTENT_TYPE);
    node.setHeader('Content-Length', String(Buffer.byteLength(text)));
    node.end(text);
  },

  deliverMessagesWithJson(req, res, options) {
    if (isReply(res)) sendWithMessages(fastifyPlatform, req, res, options);
  },
  releaseJsonHook(req, res) {
    if (!isReply(res)) return;
    // An error answered before the preValidation hook that records the reply (a malformed body): the takes of
    // its answer settle by this reply's raw response, put back at once should the visitor leave.
    stateOf(req).reply ??= res;
    answerAsModule(res);
  },
  // The app's onSend hook holds every response whose request has writes pending.
  holdEndUntilWritten: () => undefined,
  // Called from the app's onResponse hook.
  onResponseOver(req, listener) {
    (stateOf(req).over ??= []).push(listener);
  },
  onResponseWritten(req, listener) {
    // Fastify's onResponse hook runs on 'finish' only, never for a visitor who went away: the raw response tells both.
    const res = fastifyPlatform.rawResponseOf(req);
    if (res) onRawResponseClosed(res, listener);
    else fastifyPlatform.onResponseOver(req, () => listener(true));
  },
  rawResponseOf: (req) => knownStateOf(req)?.reply?.raw as ClosingResponse | undefined,
  setCookieAtHeaders(req, cookie) {
    const state = knownStateOf(req);
    if (state && (state.sent || state.done || state.reply?.raw.headersSent)) return false;
    setCookieOnSend(req, cookie);
    return true;
  },
  // Fastify's own reading of the protocol, which honours the app's `trustProxy`.
  isSecure: (req) => (req as AjaxRequest & { protocol?: string }).protocol === 'https',

  isRouteMiss: (exception, req) => isFastifyRouteMiss(exception, req as FastifyAjaxRequest),
  routesServingPath: (req) => fastifyRoutesServingPath(req as FastifyAjaxRequest),
  tagRoute: tagFastifyRoute,

  sessionIdOf: (req) => req.sessionID ?? (req.session as { sessionId?: string } | null | undefined)?.sessionId,
  keepAddedMessages(req, storage, message) {
    carryOnSessionRegenerate(req, storage);
    noteAddedMessage(req, storage, message);
    const reply = knownStateOf(req)?.reply;
    // Its answer may wait for the messages' writes, while Fastify reports the reply as not sent and Nest 11's
    // router sends what the route returned again: the first answer must stand, on every route.
    if (reply) guardSend(reply);
  },
};

/** The app-wide `preValidation` hook: the request entered again (if the app follows them), should a hook before it have lost it; its reply noted. */
function reenterOnPreValidation(follows: FollowsRequests) {
  return function reenterAtPreValidation(req: FastifyAjaxRequest, reply: FastifyReplyLike, done: () => void): void {
    stateOf(req).reply = reply;
    if (follows()) reenterRequest(req, done);
    else done();
  };
}

/**
 * The app-wide `onResponse` hook, once a response has gone: the request's
 * end-of-response listeners run; and as Fastify's session plugins save the
 * session in an `onSend` hook, which a response written to the raw Node
 * response (`@Sse()`, a hijacked reply) never reaches, a session with a store
 * (`@fastify/session`) that got messages and did not pass `onSend` is saved
 * here, so that they are not lost. A cookie-held session
 * (`@fastify/secure-session`) cannot be: its cookie would have had to go out
 * with the headers.
 */
function afterResponse(request: FastifyAjaxRequest, _reply: FastifyReplyLike, done: () => void): void {
  const state = stateOf(request);
  state.done = true;
  const over = state.over;
  if (over) {
    state.over = undefined;
    for (const listener of over) listener();
  }
  if (state.added && !state.sent) {
    const session = request.session as { save?(callback: (error?: unknown) => void): unknown } | null | undefined;
    if (typeof session?.save === 'function') {
      session.save((error?: unknown) => {
        if (error) logger.error(`The session of a response sent without Fastify's onSend could not be saved: ${(error as Error)?.message ?? error}`);
      });
    }
  }
  done();
}

/** The app-wide `onError` hook: Fastify is answering an error on this reply, which must go out (see `reopen()`). */
function reopenForError(_request: FastifyAjaxRequest, reply: FastifyReplyLike, _error: unknown, done: () => void): void {
  reopen(reply);
  done();
}

/**
 * The app-wide `preSerialization` hook that makes an `AjaxResponse`'s status
 * (and the header it requires) hold on every route, not only where messages
 * are delivered (those render it before Fastify serialises anything).
 */
function renderAnyAjaxResponse(options: ResolvedAjaxOptions) {
  return function renderAjaxResponseStatus(request: FastifyAjaxRequest, reply: FastifyReplyLike, payload: unknown, done: Done): void {
    if (!(payload instanceof AjaxResponse)) {
      // A guard's refusal that Nest's own exception filter sends, in the problem details format.
      labelProblemDetails(fastifyPlatform, reply, payload);
      return done(null, payload);
    }
    done(null, renderAjaxResponseAnywhere(payload, fastifyPlatform, request, reply, options.wwwAuthenticate));
  };
}

/**
 * The app-wide `onSend` hook: the cookies asked for go on the reply (see
 * `setCookieOnSend()`); a response whose request started writes of
 * messages waits for them, and becomes the module's 503 if one failed (see
 * `trackWrite()`).
 */
function holdUntilWritten(request: FastifyAjaxRequest, reply: FastifyReplyLike, payload: unknown, done: Done): void {
  stateOf(request).sent = true;
  setCookiesOnSend(request, reply);
  const pending = pendingWrites(request);
  if (!pending) return done(null, payload);
  // While this answer waits, Fastify reports the reply as not sent, and Nest 11's router sends what the route
  // returned again (a redirect's reply): this answer is the one, on every route, delivering messages or not.
  guardSend(reply).started = true;
  pending.then(
    () => done(null, payload),
    () => {
      const answer = storageFailureAnswer(reply.statusCode, request);
      if (!answer) return done(null, payload);
      reply.code(answer.status);
      for (const header of answer.dropHeaders) removeReplyHeader(reply, header);
      reply.header('content-type', answer.contentType);
      done(null, answer.body);
    },
  );
}
