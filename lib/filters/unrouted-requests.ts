import { Injectable, NotFoundException, type OnApplicationBootstrap } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { ExecutionContextHost } from '@nestjs/core/helpers/execution-context-host.js';
import { AjaxExceptionFilter } from './ajax-exception.filter.js';

/**
 * With the filter global, answers what no Nest handler reaches: under a
 * global prefix, Nest answers unknown paths (and errors of middleware) only
 * inside the prefix, and Express's own HTML page answered the rest. Added
 * after every Nest handler, when the app boots, so it sees only what they
 * left: the module's JSON 404 (or 405 for a known path, such as a route
 * excluded from the prefix), and the module's error body.
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
    adapter.use((req: unknown, res: unknown, next: unknown) => {
      const missed = new NotFoundException(`Cannot ${adapter.getRequestMethod(req)} ${adapter.getRequestUrl(req)}`);
      this.filter.catch(missed, new ExecutionContextHost([req, res, next]));
    });
    adapter.use((error: unknown, req: unknown, res: unknown, next: unknown) => {
      this.filter.catch(error, new ExecutionContextHost([req, res, next]));
    });
  }
}
