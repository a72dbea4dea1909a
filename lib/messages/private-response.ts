/**
 * Marks a response that carries a visitor's messages as theirs alone, and
 * for once: `Cache-Control: private, no-store`, in place of the app's own
 * caching headers. A shared cache must not hand one visitor's messages to
 * another, and no cache may show them a second time. Responses without
 * messages keep the app's headers untouched.
 * @internal
 */
export function makePrivate(res: { setHeader(name: string, value: string): unknown }): void {
  res.setHeader('Cache-Control', 'private, no-store');
}
