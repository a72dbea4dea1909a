import { type CallHandler, type CanActivate, Controller, Get, Injectable, Module, type NestInterceptor, Post, Req, Type, UseFilters, UseGuards, UseInterceptors } from '@nestjs/common';
import type { Observable } from 'rxjs';
import type { Request } from 'express';
import { Ajax, AjaxAuthGuard, AjaxCsrfGuard, AjaxExceptionFilter, AjaxMessagesInterceptor, AjaxMethodGuard, AjaxModule, Messages, MessagesService, type RequestMessages } from '../lib/index.js';

/**
 * The apps the benchmark compares: the same small JSON route, bare and through
 * each part of the module. Every Nest variant runs with express-session.
 */

type SessionRequest = Request & { session: Record<string, unknown> };

const BODY = { hello: 'world' };

/** Signs the benchmark's visitor in, so requests carry a real session, as an AJAX page's do. */
@Controller()
class LoginController {
  @Post('login')
  login(@Req() req: SessionRequest): { ok: true } {
    req.session.userId = 'bench';
    return { ok: true };
  }
}

@Controller()
class BaselineController {
  @Get('json')
  json(): object {
    return BODY;
  }
}

@Controller()
class AjaxController {
  @Get('json')
  @Ajax()
  json(): object {
    return BODY;
  }
}

@Controller()
class AjaxMessagesParamController {
  @Get('json')
  @Ajax()
  json(@Messages() messages: RequestMessages): object {
    messages.info('Saved.');
    return BODY;
  }
}

@Controller()
class AjaxMessagesServiceController {
  constructor(private readonly messages: MessagesService) {}

  @Get('json')
  @Ajax()
  json(): object {
    this.messages.info('Saved.');
    return BODY;
  }
}

@Controller()
class Ajax401Controller {
  @Get('json')
  @Ajax({ loginRequired: true })
  json(): object {
    return BODY;
  }
}

@Injectable()
class DenyGuard implements CanActivate {
  canActivate(): boolean {
    return false;
  }
}

@Controller()
class Nest403Controller {
  @Get('json')
  @UseGuards(DenyGuard)
  json(): object {
    return BODY;
  }
}

@Injectable()
class AllowGuard implements CanActivate {
  canActivate(): boolean {
    return true;
  }
}

@Injectable()
class PassInterceptor implements NestInterceptor {
  intercept(_context: unknown, next: CallHandler): Observable<unknown> {
    return next.handle();
  }
}

@Controller()
class GuardsOnlyController {
  @Get('json')
  @UseGuards(AjaxCsrfGuard, AjaxMethodGuard)
  json(): object {
    return BODY;
  }
}

@Controller()
class InterceptorOnlyController {
  @Get('json')
  @UseInterceptors(AjaxMessagesInterceptor)
  json(): object {
    return BODY;
  }
}

@Controller()
class FilterOnlyController {
  @Get('json')
  @UseFilters(AjaxExceptionFilter)
  json(): object {
    return BODY;
  }
}

@Controller()
class NestNoopGuardController {
  @Get('json')
  @UseGuards(AllowGuard)
  json(): object {
    return BODY;
  }
}

@Controller()
class NestNoopsController {
  @Get('json')
  @UseGuards(AllowGuard, AllowGuard)
  @UseInterceptors(PassInterceptor)
  json(): object {
    return BODY;
  }
}

@Controller()
class AuthGuardNestFilterController {
  @Get('json')
  @UseGuards(AjaxAuthGuard)
  json(): object {
    return BODY;
  }
}

@Controller()
class DenyGuardAjaxFilterController {
  @Get('json')
  @UseGuards(DenyGuard)
  @UseFilters(AjaxExceptionFilter)
  json(): object {
    return BODY;
  }
}

/** A benchmark variant: what it measures and how a correct answer looks. */
export interface Variant {
  name: string;
  label: string;
  /** The Nest root module, or undefined for the raw node:http ceiling. */
  module?: Type;
  /** Whether requests carry the signed-in session cookie. */
  signedIn: boolean;
  expectedStatus: number;
  expectedBody: unknown;
  /** The variant this one is compared with (the baseline, or Nest's own error path). */
  comparedWith?: string;
  /** A part of the module alone, run with --breakdown to see where the cost is. */
  breakdown?: boolean;
}

function appModule(controller: Type, withAjax: boolean): Type {
  @Module({ imports: withAjax ? [AjaxModule.forRoot()] : [], controllers: [LoginController, controller], providers: [DenyGuard, AllowGuard, PassInterceptor] })
  class BenchModule {}
  return BenchModule;
}

export const VARIANTS: Variant[] = [
  { name: 'baseline', label: 'bare Nest 12 + express-session (baseline)', module: appModule(BaselineController, false), signedIn: true, expectedStatus: 200, expectedBody: BODY },
  { name: 'ajax', label: '@Ajax(), no messages', module: appModule(AjaxController, true), signedIn: true, expectedStatus: 200, expectedBody: BODY, comparedWith: 'baseline' },
  {
    name: 'messages-param',
    label: '@Ajax() + one message via @Messages()',
    module: appModule(AjaxMessagesParamController, true),
    signedIn: true,
    expectedStatus: 200,
    expectedBody: { ...BODY, messages: [{ message: 'Saved.', tags: 'info' }] },
    comparedWith: 'baseline',
  },
  {
    name: 'messages-service',
    label: '@Ajax() + one message via MessagesService (request scope)',
    module: appModule(AjaxMessagesServiceController, true),
    signedIn: true,
    expectedStatus: 200,
    expectedBody: { ...BODY, messages: [{ message: 'Saved.', tags: 'info' }] },
    comparedWith: 'baseline',
  },
  { name: 'nest-403', label: "Nest's own guard answering 403", module: appModule(Nest403Controller, false), signedIn: false, expectedStatus: 403, expectedBody: { message: 'Forbidden resource', error: 'Forbidden', statusCode: 403 } },
  {
    name: 'ajax-401',
    label: '@Ajax({ loginRequired: true }) answering 401',
    module: appModule(Ajax401Controller, true),
    signedIn: false,
    expectedStatus: 401,
    expectedBody: { status: 'error', error: 'Unauthorized' },
    comparedWith: 'nest-403',
  },
  { name: 'guards-only', label: 'breakdown: AjaxCsrfGuard + AjaxMethodGuard', module: appModule(GuardsOnlyController, true), signedIn: true, expectedStatus: 200, expectedBody: BODY, comparedWith: 'baseline', breakdown: true },
  { name: 'interceptor-only', label: 'breakdown: AjaxMessagesInterceptor', module: appModule(InterceptorOnlyController, true), signedIn: true, expectedStatus: 200, expectedBody: BODY, comparedWith: 'baseline', breakdown: true },
  { name: 'filter-only', label: 'breakdown: AjaxExceptionFilter', module: appModule(FilterOnlyController, true), signedIn: true, expectedStatus: 200, expectedBody: BODY, comparedWith: 'baseline', breakdown: true },
  { name: 'nest-noop-guard', label: "breakdown: one no-op guard (Nest's own cost of a guard)", module: appModule(NestNoopGuardController, false), signedIn: true, expectedStatus: 200, expectedBody: BODY, comparedWith: 'baseline', breakdown: true },
  { name: 'nest-noops', label: "breakdown: two no-op guards + a pass-through interceptor (Nest's own cost)", module: appModule(NestNoopsController, false), signedIn: true, expectedStatus: 200, expectedBody: BODY, comparedWith: 'baseline', breakdown: true },
  { name: 'auth-guard-nest-filter', label: "breakdown: AjaxAuthGuard's 401 rendered by Nest's filter", module: appModule(AuthGuardNestFilterController, true), signedIn: false, expectedStatus: 401, expectedBody: { status: 'error', error: 'Unauthorized' }, comparedWith: 'nest-403', breakdown: true },
  { name: 'deny-guard-ajax-filter', label: "breakdown: Nest's 403 rendered by AjaxExceptionFilter", module: appModule(DenyGuardAjaxFilterController, true), signedIn: false, expectedStatus: 403, expectedBody: { status: 'error', error: 'Forbidden', message: 'Forbidden resource' }, comparedWith: 'nest-403', breakdown: true },
  { name: 'raw', label: 'raw node:http (ceiling)', signedIn: false, expectedStatus: 200, expectedBody: BODY, comparedWith: 'baseline' },
];
