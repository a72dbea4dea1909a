/**
 * The parts of an HTTP request the module reads. Express's `Request` (with
 * express-session and passport's additions) satisfies it, so handlers and
 * options can keep using their own request type.
 */
export interface AjaxRequest {
  /** Upper-case HTTP method, e.g. `"POST"`. */
  method: string;
  /** Request headers, names in lower case (Node's `IncomingHttpHeaders`). */
  headers: Record<string, string | string[] | undefined>;
  /**
   * The session, when express-session (or a compatible middleware) runs before the route.
   * Typed loosely (`any` values) so that express-session's `Session & Partial<SessionData>` fits.
   */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  session?: Record<string, any> | null;
  /** The session's id, as express-session sets it. */
  sessionID?: string;
  /** The signed-in user, as passport and most auth middleware set it. */
  user?: unknown;
  /** passport's check, when passport is in use. */
  isAuthenticated?: () => boolean;
  /** The response being built for this request (Express sets it). */
  res?: AjaxResponseLike;
}

/**
 * The parts of an HTTP response the module touches.
 * @internal
 */
export interface AjaxResponseLike {
  statusCode: number;
  headersSent: boolean;
  writableEnded?: boolean;
  setHeader(name: string, value: string): unknown;
  once(event: 'close', listener: () => void): unknown;
}
