import { type CanActivate, type ExecutionContext, Inject, Injectable, Optional } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { AjaxRequest } from '../ajax-request.interface.js';
import { AJAX_OPTIONS, ALLOW_ANONYMOUS_KEY, ALLOWED_METHODS_KEY } from '../ajax.constants.js';
import type { AllowedMethods } from '../decorators/allow-methods.decorator.js';
import { httpRequest, httpResponse } from '../http-arguments.js';
import { requireAjaxOptions, type ResolvedAjaxOptions } from '../options/resolve-ajax-options.js';
import { platformOf } from '../platform/platform-of.js';
import { refuseCrossSite } from './ajax-csrf.guard.js';
import { handlerRespondsItself } from './handler-responds-itself.js';
import { answerWithoutRequest } from './outside-http.js';
import { throwMethodNotAllowed, throwUnauthorized } from './refusals.js';
import { isSignedIn } from './signed-in.js';

/** What `@Ajax()` asks of one handler, read from its metadata once. */
interface HandlerPlan {
  loginRequired: boolean;
  allowed?: AllowedMethods;
  respondsItself: boolean;
}

/**
 * The one guard `@Ajax()` applies: the cross-site check, then the login
 * check (when `loginRequired`), then the method check, in that order, as
 * `AjaxCsrfGuard`, `AjaxAuthGuard` and `AjaxMethodGuard` make them; then it
 * has the handler's JSON answer carry the pending messages, as
 * `AjaxMessagesInterceptor` does.
 *
 * One guard rather than three guards and an interceptor because each enhancer
 * has a price in Nest's request pipeline, an interceptor most of all; what the
 * handler's metadata asks is worked out once per handler.
 * @internal
 */
@Injectable()
export class AjaxGuard implements CanActivate {
  private readonly options: ResolvedAjaxOptions;
  private readonly plans = new WeakMap<object, WeakMap<object, HandlerPlan>>();

  constructor(
    private readonly reflector: Reflector,
    @Optional() @Inject(AJAX_OPTIONS) options?: ResolvedAjaxOptions,
  ) {
    this.options = requireAjaxOptions(options, '@Ajax()');
  }

  canActivate(context: ExecutionContext): boolean | Promise<boolean> {
    const plan = this.planFor(context);
    if (context.getType() !== 'http') {
      // Refused where it would check something: the log-in, the method, or (on by default) the cross-site check.
      const hasChecks = plan.loginRequired || plan.allowed !== undefined || this.options.csrf !== undefined;
      return answerWithoutRequest(AjaxGuard, context, hasChecks, "Leave @Ajax() off the handlers of this transport (put it on the controller's HTTP handlers one by one), or turn the module's csrf off where a handler needs neither a log-in nor methods.", '@Ajax()');
    }
    const request = httpRequest(context);
    const response = httpResponse(context);
    refuseCrossSite(request, this.options);
    if (!plan.loginRequired) return this.pass(true, plan, request, response);
    const signedIn = isSignedIn(this.options, request);
    return signedIn instanceof Promise
      ? signedIn.then((yes) => this.pass(yes, plan, request, response))
      : this.pass(signedIn, plan, request, response);
  }

  private pass(
    authenticated: boolean,
    plan: HandlerPlan,
    request: AjaxRequest,
    response: object,
  ): true {
    if (!authenticated) throwUnauthorized(request, response, this.options.wwwAuthenticate, this.options.errorFormat);
    if (plan.allowed && !plan.allowed.methods.includes(request.method)) throwMethodNotAllowed(request, response, plan.allowed, this.options.errorFormat);
    if (!plan.respondsItself) platformOf(response).deliverMessagesWithJson(request, response, this.options);
    return true;
  }

  private planFor(context: ExecutionContext): HandlerPlan {
    const handler = context.getHandler();
    const controller = context.getClass();
    let byController = this.plans.get(handler);
    if (!byController) this.plans.set(handler, (byController = new WeakMap()));
    let plan = byController.get(controller);
    if (!plan) {
      const targets = [handler, controller];
      plan = {
        // @Ajax({ loginRequired: true }) writes "anonymous not allowed"; @AllowAnonymous() on the handler beats it on the class.
        loginRequired: this.reflector.getAllAndOverride<boolean | undefined>(ALLOW_ANONYMOUS_KEY, targets) === false,
        allowed: this.reflector.getAllAndOverride<AllowedMethods | undefined>(ALLOWED_METHODS_KEY, targets),
        respondsItself: handlerRespondsItself(controller, handler),
      };
      byController.set(controller, plan);
    }
    return plan;
  }
}
