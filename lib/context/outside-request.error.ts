/**
 * Thrown by `MessagesService` when it is used where no HTTP request is being
 * handled: at start-up, in a scheduled job or a queue consumer, or in a
 * callback that lost the request's async context. Messages belong to one
 * visitor's request, so there is nobody to give them to.
 */
export class MessagesOutsideRequestError extends Error {
  constructor() {
    super(
      'MessagesService was used outside an HTTP request: messages go to the visitor of the request being handled, and ' +
        'there is none here (start-up, onModuleInit, a scheduled job, a queue consumer, a WebSocket or microservice handler, ' +
        'or a callback that lost the request it was started from). Add messages from code that runs for an HTTP request ' +
        '(a guard, a handler, or a service it calls); a callback of a library that loses the request (an event emitter ' +
        "created outside it, a connection pool) can be bound to it with Node's AsyncResource.bind().",
    );
    this.name = 'MessagesOutsideRequestError';
  }
}
