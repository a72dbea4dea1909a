/**
 * The parts of a `FastifyReply` the module uses, and of the raw Node
 * response Nest hands over for a failure in middleware. Typed here rather
 * than imported, as `fastify` is an optional peer of the module.
 * @internal
 */
export interface FastifyReplyLike {
  raw: { headersSent: boolean; writableEnded: boolean; end(): unknown; removeHeader(name: string): unknown };
  request: FastifyRequestLike;
  statusCode: number;
  sent: boolean;
  code(status: number): unknown;
  header(name: string, value: string | readonly string[]): unknown;
  getHeader(name: string): unknown;
  /** The reply's headers and its raw response's, by lower-case name. */
  getHeaders(): Record<string, unknown>;
  removeHeader(name: string): unknown;
  type(contentType: string): unknown;
  serialize(payload: unknown): string;
  send(payload?: unknown): unknown;
}

/** A Fastify request, as the module reads it. @internal */
export interface FastifyRequestLike {
  method: string;
  url: string;
  raw: { url?: string };
  server: FastifyInstanceLike;
  is404?: boolean;
  /** The host the request names, without its port (as Nest matches `@Controller({ host })` against it). */
  hostname?: string;
}

/** The Fastify instance, as the module sets it up and asks it about routes. @internal */
export interface FastifyInstanceLike {
  supportedMethods: readonly string[];
  findRoute(options: { method: string; url: string }): { params?: Record<string, string | undefined> } | null;
  addHook(name: string, hook: (...args: never[]) => unknown): unknown;
  decorateRequest(name: string | symbol, value: { getter(): unknown } | ((...args: never[]) => unknown) | null): unknown;
  hasRequestDecorator(name: string | symbol): boolean;
  decorateReply(name: symbol, value: { getter(): unknown }): unknown;
}

/** A Node `ServerResponse`: what Nest's Fastify middleware gives a failure's handler. */
export interface RawResponse {
  statusCode: number;
  headersSent: boolean;
  writableEnded: boolean;
  getHeader(name: string): unknown;
  getHeaderNames(): string[];
  setHeader(name: string, value: string): unknown;
  removeHeader(name: string): unknown;
  end(body?: string): unknown;
}

/** Whether a response is a Fastify reply rather than a raw Node response. @internal */
export function isReply(res: object): res is FastifyReplyLike {
  return typeof (res as FastifyReplyLike).code === 'function' && (res as FastifyReplyLike).raw !== undefined;
}

/**
 * Removes a header from a reply and from its raw Node response, where
 * middleware or a handler may have set it: `reply.getHeader()` finds a header
 * in either, but Fastify 5.11's `reply.removeHeader()` deletes only the
 * reply's own, so a CDN header set on the raw response stayed on an answer
 * that carries a visitor's messages. @internal
 */
export function removeReplyHeader(reply: FastifyReplyLike, name: string): void {
  reply.removeHeader(name);
  if (!reply.raw.headersSent) reply.raw.removeHeader(name);
}
