import { Injectable, NotFoundException, type OnApplicationBootstrap } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { ExecutionContextHost } from '@nestjs/core/helpers/execution-context-host.js';
import { AjaxExceptionFilter } from '../../filters/ajax-exception.filter.js';

type Done = (error?: unknown) => void;

/** The Express application, whose `handle` takes the final handler of a request. */
interface ExpressApp {
  handle(req: unknown, res: unknown, done?: Done): unknown;
}

/**
 * With the filter global, answers what no Nest handler reaches: under a
 * global prefix, Nest answers unknown paths (and errors of middleware) only
 * inside the prefix, and Express's own HTML page answered the rest. The
 * module becomes Express's final handler (what runs when the whole stack has
 * passed a request on, late-added routes included): the module's JSON 404,
 * or 405 for a known path such as a route excluded from the prefix, and the
 * module's error body for an error nobody handled.
 * @internal
 */
@Injectable()
export class UnroutedRequests implements OnApplicationBootstrap {
  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly filter: AjaxExceptionFilter,
  ) {}

  onApplicationBootstrap(): void {
    const adapter = this.adapterHost.httpAdapter;
    if (adapter?.getType() !== 'express') return;
    const app = adapter.getInstance<ExpressApp>();
    const handle = app.handle;
    const filter = this.filter;
    // Express makes its finalhandler when no `done` is given: the server's own requests, not a mounted sub-app's.
    app.handle = function handleWithJsonFinalHandler(this: ExpressApp, req: unknown, res: unknown, done?: Done): unknown {
      return handle.call(this, req, res, done ?? ((error?: unknown) => {
        const failure = error ?? new NotFoundException(`Cannot ${adapter.getRequestMethod(req)} ${adapter.getRequestUrl(req)}`);
        filter.catch(failure, new ExecutionContextHost([req, res]));
      }));
    };
  }
}
