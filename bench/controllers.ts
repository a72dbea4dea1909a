import { type CallHandler, type CanActivate, Controller, Get, Header, Injectable, type NestInterceptor, Post, Req, UseFilters, UseGuards, UseInterceptors } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { AsyncLocalStorage } from 'node:async_hooks';
import type { Observable } from 'rxjs';
import { Ajax, AjaxAuthGuard, AjaxCsrfGuard, AjaxExceptionFilter, AjaxMessagesInterceptor, AjaxMethodGuard, Messages, MessagesService, type RequestMessages } from '../lib/index.js';

/**
 * The routes the benchmark compares: the same small JSON route, bare and
 * through each part of the module. They use nothing of Express or Fastify, so
 * one app definition serves both platforms.
 */

/** express-session and @fastify/session both hold session values as properties. */
type SessionRequest = { session: Record<string, unknown> };

/** What every route answers. */
export const BODY = { hello: 'world' };

/** The message the routes that add messages add, at the info level. */
export const SAVED = 'Saved.';

/** What a route answers that added `count` messages: BODY and the messages, as the module delivers them. */
export const withMessages = (count: number): object => ({ ...BODY, messages: Array.from({ length: count }, () => ({ message: SAVED, tags: 'info' })) });

/** Signs the benchmark's visitor in, so requests carry a real session, as an AJAX page's do. */
@Controller()
export class LoginController {
  @Post('login')
  login(@Req() req: SessionRequest): { ok: true } {
    req.session.userId = 'bench';
    return { ok: true };
  }
}

/** The bare route: the baseline every module variant is compared with. */
@Controller()
export class BaselineController {
  @Get('json')
  json(): object {
    return BODY;
  }
}

/** `@Ajax()` with nothing to deliver. */
@Controller()
export class AjaxController {
  @Get('json')
  @Ajax()
  json(): object {
    return BODY;
  }
}

/** `@Ajax()` adding one message through the `@Messages()` parameter. */
@Controller()
export class AjaxMessagesParamController {
  @Get('json')
  @Ajax()
  json(@Messages() messages: RequestMessages): object {
    messages.info(SAVED);
    return BODY;
  }
}

/** `@Ajax()` adding one message through `MessagesService` injected in the controller. */
@Controller()
export class AjaxMessagesServiceController {
  constructor(private readonly messages: MessagesService) {}

  @Get('json')
  @Ajax()
  json(): object {
    this.messages.info(SAVED);
    return BODY;
  }
}

/**
 * A service of the app's own, declared a singleton, that adds the message:
 * where an app usually injects `MessagesService`. Nest gives a provider the
 * scope of what it injects, so this service, and the controller that
 * injects it, take `MessagesService`'s scope.
 */
@Injectable()
export class SavingService {
  constructor(private readonly messages: MessagesService) {}

  save(): object {
    this.messages.info(SAVED);
    return BODY;
  }
}

/** `@Ajax()` whose controller leaves the message to `SavingService`. */
@Controller()
export class AjaxMessagesServiceDeepController {
  constructor(private readonly saving: SavingService) {}

  @Get('json')
  @Ajax()
  json(): object {
    return this.saving.save();
  }
}

/** `@Ajax({ loginRequired: true })`: an anonymous visitor's 401. */
@Controller()
export class Ajax401Controller {
  @Get('json')
  @Ajax({ loginRequired: true })
  json(): object {
    return BODY;
  }
}

/** A guard that refuses: Nest's own 403. */
@Injectable()
export class DenyGuard implements CanActivate {
  canActivate(): boolean {
    return false;
  }
}

/** Nest's own 403, what the module's 401 is compared with. */
@Controller()
export class Nest403Controller {
  @Get('json')
  @UseGuards(DenyGuard)
  json(): object {
    return BODY;
  }
}

/** A guard that lets everything through: Nest's own cost of a guard. */
@Injectable()
export class AllowGuard implements CanActivate {
  canActivate(): boolean {
    return true;
  }
}

/** A pass-through interceptor: Nest's own cost of the interceptor pipeline. */
@Injectable()
export class PassInterceptor implements NestInterceptor {
  intercept(_context: unknown, next: CallHandler): Observable<unknown> {
    return next.handle();
  }
}

/** Breakdown: the module's CSRF and method guards alone. */
@Controller()
export class GuardsOnlyController {
  @Get('json')
  @UseGuards(AjaxCsrfGuard, AjaxMethodGuard)
  json(): object {
    return BODY;
  }
}

/** Breakdown: the module's message interceptor alone. */
@Controller()
export class InterceptorOnlyController {
  @Get('json')
  @UseInterceptors(AjaxMessagesInterceptor)
  json(): object {
    return BODY;
  }
}

/** Breakdown: the module's exception filter alone, on a route that succeeds. */
@Controller()
export class FilterOnlyController {
  @Get('json')
  @UseFilters(AjaxExceptionFilter)
  json(): object {
    return BODY;
  }
}

/** Breakdown: one no-op guard. */
@Controller()
export class NestNoopGuardController {
  @Get('json')
  @UseGuards(AllowGuard)
  json(): object {
    return BODY;
  }
}

/**
 * Breakdown: one message delivered by hand, without the module: written to
 * the session as the default storage writes it, taken back, and answered
 * with the header that keeps it out of caches. What the fewest steps cost,
 * against which the module's `@Messages()` route is measured.
 */
@Controller()
export class HandMessageController {
  @Get('json')
  @Header('Cache-Control', 'private, no-store')
  json(@Req() req: SessionRequest): object {
    req.session._messages = [{ message: SAVED, level: 20, tags: 'info' }];
    const pending = req.session._messages as Array<{ message: string; tags: string }>;
    req.session._messages = undefined;
    return { ...BODY, messages: pending.map(({ message, tags }) => ({ message, tags })) };
  }
}

/** The request each handling belongs to, for `HandContextMessages`: an `AsyncLocalStorage` of the app's own. */
const handRequests = new AsyncLocalStorage<SessionRequest>();

/**
 * Breakdown, with `HandMessageContextController`: what a singleton service
 * that finds its request without the module costs, the fewest steps a
 * hand-written `MessagesService` takes. Each request is entered in the
 * app's `AsyncLocalStorage` through the hook Nest's adapters run before
 * anything else (`setOnRequestHook()`, where the module enters its own).
 */
@Injectable()
export class HandContextMessages {
  constructor(adapterHost: HttpAdapterHost) {
    const adapter = adapterHost.httpAdapter as unknown as { setOnRequestHook(hook: (req: SessionRequest, res: unknown, done: () => void) => void): void };
    adapter.setOnRequestHook((req, _res, done) => handRequests.run(req, done));
  }

  /** Writes a message to the session of the request being handled, as the default storage does. */
  add(message: string): void {
    const req = handRequests.getStore();
    if (!req) throw new Error('HandContextMessages used outside a request');
    req.session._messages = [{ message, level: 20, tags: 'info' }];
  }
}

/**
 * Breakdown: `HandMessageController`'s answer, its message added through the
 * singleton `HandContextMessages`: against `messages-service-deep`, the
 * module's own cost of a message added by a service, and against the bare
 * route, what an `AsyncLocalStorage` alone costs each request on this Node.
 */
@Controller()
export class HandMessageContextController {
  constructor(private readonly messages: HandContextMessages) {}

  @Get('json')
  @Header('Cache-Control', 'private, no-store')
  json(@Req() req: SessionRequest): object {
    this.messages.add(SAVED);
    const pending = req.session._messages as Array<{ message: string; tags: string }>;
    req.session._messages = undefined;
    return { ...BODY, messages: pending.map(({ message, tags }) => ({ message, tags })) };
  }
}

/** Breakdown: the same answer as `HandMessageController`'s, the message never in the session. */
@Controller()
export class HandMessageNoSessionController {
  @Get('json')
  @Header('Cache-Control', 'private, no-store')
  json(): object {
    const pending = [{ message: SAVED, level: 20, tags: 'info' }];
    return { ...BODY, messages: pending.map(({ message, tags }) => ({ message, tags })) };
  }
}

/** Breakdown: two no-op guards and a pass-through interceptor. */
@Controller()
export class NestNoopsController {
  @Get('json')
  @UseGuards(AllowGuard, AllowGuard)
  @UseInterceptors(PassInterceptor)
  json(): object {
    return BODY;
  }
}

/** Breakdown: the module's 401 rendered by Nest's own filter. */
@Controller()
export class AuthGuardNestFilterController {
  @Get('json')
  @UseGuards(AjaxAuthGuard)
  json(): object {
    return BODY;
  }
}

/** Breakdown: Nest's 403 rendered by the module's filter. */
@Controller()
export class DenyGuardAjaxFilterController {
  @Get('json')
  @UseGuards(DenyGuard)
  @UseFilters(AjaxExceptionFilter)
  json(): object {
    return BODY;
  }
}
