/** Why `MessagesService` found no request to serve. */
export type OutsideRequestReason = 'outside' | 'after' | 'untracked';

const WHY: Record<OutsideRequestReason, string> = {
  outside:
    'MessagesService was used outside an HTTP request: messages go to the visitor of the request being handled, and ' +
    'there is none here (start-up, onModuleInit, a scheduled job, a queue consumer, a WebSocket or microservice ' +
    'handler, or a callback that lost the request it was started from). ',
  after:
    "MessagesService was asked for a request's messages or level after that request's response had been sent: " +
    'code run this late (a callback of a connection or an emitter made during an earlier request) may be serving ' +
    'another visitor, who must not see them. ',
  untracked:
    'MessagesService was used where no request is followed: the module follows each request only in an app where ' +
    'something asks Nest for MessagesService (a constructor parameter, an @Inject() property, a factory\'s inject), ' +
    'which it decides at the app\'s first request, and here nothing did (it was reached through ModuleRef.get(), app.get(), or a module ' +
    'loaded lazily). Inject MessagesService where it is used, or use @Messages() in the handler. ',
};

/**
 * Thrown by `MessagesService` when it is used where no HTTP request is being
 * handled: at start-up, in a scheduled job or a queue consumer, in a callback
 * that lost the request's async context, or after the response to the request
 * it was started from has gone. Messages belong to one visitor's request, so
 * there is nobody to give them to. Also in an app where nothing injects the
 * service (it was reached through `ModuleRef`), as the module then follows no
 * request.
 */
export class MessagesOutsideRequestError extends Error {
  /**
   * @param reason `'outside'`: no request; `'after'`: a request was found, but its response had already been sent
   * (adding a message then only logs it); `'untracked'`: the app follows no request, as nothing injects the service.
   */
  constructor(reason: OutsideRequestReason = 'outside') {
    super(
      WHY[reason] +
        'Add messages from code that runs for an HTTP request (a guard, a handler, or a service it calls), before its ' +
        "answer; a callback of a library that loses the request can be bound to it with Node's AsyncResource.bind().",
    );
    this.name = 'MessagesOutsideRequestError';
  }
}
