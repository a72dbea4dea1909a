import { Catch, type ExceptionFilter, Inject, Optional } from '@nestjs/common';
import { AJAX_OPTIONS } from '../ajax.constants.js';
import { requireAjaxOptions, type ResolvedAjaxOptions } from '../options/resolve-ajax-options.js';

/** No value is an instance of it: what `MessagesStartUpCheck` catches. */
class NeverThrown {
  static [Symbol.hasInstance](): boolean {
    return false;
  }
}

/**
 * What makes a route that uses `@Messages()` fail the start-up in a module
 * that cannot see `AjaxModule.forRoot()`, with what to do: added to the
 * controller class by `@Messages()`. An exception
 * filter that catches nothing, because Nest builds a route's filters with
 * the module's injector as the app starts, and never calls one on a request
 * that succeeds. A pipe would check the same, but Nest then runs every
 * request's value through its asynchronous pipe chain (12 more promises per
 * request).
 * @internal
 */
@Catch(NeverThrown)
export class MessagesStartUpCheck implements ExceptionFilter {
  constructor(@Optional() @Inject(AJAX_OPTIONS) options?: ResolvedAjaxOptions) {
    requireAjaxOptions(options, '@Messages()');
  }

  catch(): void {
    // Never called: nothing is a NeverThrown.
  }
}
