/**
 * Thrown by `MessagesService` when it is used where no HTTP request is being
 * handled: at start-up, in a scheduled job or a queue consumer, in a callback
 * that lost the request's async context, or after the response to the request
 * it was started from has gone. Messages belong to one visitor's request, so
 * there is nobody to give them to.
 */
export class MessagesOutsideRequestError extends Error {
  /** @param after whether a request was found, but its response had already been sent (adding a message then only logs it). */
  constructor(after = false) {
    super(
      (after
        ? "MessagesService was asked for a request's messages or level after that request's response had been sent: " +
          'code run this late (a callback of a connection or an emitter made during an earlier request) may be serving ' +
          'another visitor, who must not see them. '
        : 'MessagesService was used outside an HTTP request: messages go to the visitor of the request being handled, and ' +
          'there is none here (start-up, onModuleInit, a scheduled job, a queue consumer, a WebSocket or microservice ' +
          'handler, or a callback that lost the request it was started from). ') +
        'Add messages from code that runs for an HTTP request (a guard, a handler, or a service it calls), before its ' +
        "answer; a callback of a library that loses the request can be bound to it with Node's AsyncResource.bind().",
    );
    this.name = 'MessagesOutsideRequestError';
  }
}
