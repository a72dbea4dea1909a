import { Controller, Get, Module, type Type } from '@nestjs/common';
import { Ajax, AjaxModule, type AjaxRequest, Messages, type RequestMessages } from '../lib/index.js';
import { BODY, LoginController, SAVED } from './controllers.js';
import { MESSAGE_COUNTS, messagesPath, routePath, type ScalingApp } from './scaling-cases.js';

/**
 * The Nest modules of the scaling section's apps, built only in the server
 * process that runs one: a thousand controllers are no work for the
 * processes that do not need them.
 */

/** The `index`th of a routes app's controllers: one plain GET route of its own, as an app's many controllers each have. */
function routeController(index: number): Type {
  const [prefix, path] = routePath(index).slice(1).split('/');
  @Controller(prefix)
  class RouteController {
    @Get(path)
    item(): object {
      return BODY;
    }
  }
  // A name of its own for each, as an app's controllers have.
  Object.defineProperty(RouteController, 'name', { value: `Route${index}Controller` });
  return RouteController;
}

/** The controller of the route that adds `count` messages through `@Messages()`, all delivered in its answer. */
function messagesController(count: number): Type {
  @Controller(messagesPath(count).slice(1))
  class MessagesController {
    @Get()
    @Ajax()
    add(@Messages() messages: RequestMessages): object {
      for (let i = 0; i < count; i++) messages.info(SAVED);
      return BODY;
    }
  }
  Object.defineProperty(MessagesController, 'name', { value: `Messages${count}Controller` });
  return MessagesController;
}

/**
 * The sessions app's route: `@Ajax()` + one message, as the messages-param
 * variant, for signed-in visitors only, so that an answer with its message
 * shows the request came with a live session (any other gets a 401).
 */
@Controller()
class SignedInMessageController {
  @Get('json')
  @Ajax({ loginRequired: true })
  json(@Messages() messages: RequestMessages): object {
    messages.info(SAVED);
    return BODY;
  }
}

/** Signed in: the log-in route put the visitor's id in their session. */
const hasSignedIn = (req: AjaxRequest): boolean => Boolean(req.session?.userId);

/**
 * The bounds on a visitor's pending messages, raised so that the largest
 * count is kept whole: at the defaults (50 messages) the oldest would be
 * dropped, and the answer would not carry the work asked of it.
 */
const MESSAGES_KEPT = { maxPending: Math.max(...MESSAGE_COUNTS), maxPendingBytes: 64 * 1024 };

/** The root module of a scaling app. */
export function scalingModule(app: ScalingApp): Type {
  const metadata =
    app.dimension === 'routes'
      ? // global: the module's filter answers the 405 and the 404 of every path.
        { imports: [AjaxModule.forRoot({ global: true })], controllers: Array.from({ length: app.routes }, (_, i) => routeController(i)) }
      : app.dimension === 'messages'
        ? { imports: [AjaxModule.forRoot({ messages: MESSAGES_KEPT })], controllers: [LoginController, ...MESSAGE_COUNTS.map(messagesController)] }
        : { imports: [AjaxModule.forRoot({ isAuthenticated: hasSignedIn })], controllers: [LoginController, SignedInMessageController] };
  @Module(metadata)
  class ScalingModule {}
  return ScalingModule;
}
