/**
 * The hosts a route answers, as its controller gives them
 * (`@Controller({ host })`): a host name, a pattern with parameters
 * (`':account.example.com'`), or a `RegExp`. Nest checks them inside the
 * handler it registers, so Express's and Fastify's routers see such a route
 * for every host; the module reads them to leave it out of the 405 (and its
 * `Allow`) of a request to another host, which Nest answers 404.
 * @internal
 */
export type RouteHosts = ReadonlyArray<string | RegExp>;

/** The metadata key (Express) and route config key (Fastify) that carry a handler's hosts. @internal */
export const ROUTE_HOSTS_KEY = 'ajax:route-hosts';

/**
 * Whether a route bound to `hosts` answers a request for `hostname`; `undefined`
 * hosts (a route of every host) answer all. Nest matches patterns with
 * path-to-regexp; here a parameter (`:name`) is one label or more of
 * letters, digits and hyphens, a `*name` anything, and `{…}` optional. A
 * pattern read more narrowly than Nest reads it leaves a route out of a 405
 * that Nest would have served, so the answer is 404: never a route of
 * another host shown.
 * @internal
 */
export function answersHost(hosts: RouteHosts | undefined, hostname: string | undefined): boolean {
  if (hosts === undefined) return true;
  if (!hostname) return false;
  // A RegExp as Nest's `hostname.match()` reads it: a global one from the start (its lastIndex left alone), a sticky one at 0.
  return hosts.some((host) => (typeof host === 'string' ? patternOf(host).test(hostname) : new RegExp(host.source, host.flags.replace('g', '')).test(hostname)));
}

const patterns = new Map<string, RegExp>();

/** A host pattern as a whole-name, case-insensitive `RegExp`, made once per pattern. */
function patternOf(host: string): RegExp {
  let pattern = patterns.get(host);
  if (!pattern) {
    const source = host.replace(/\{|\}|:\w+|\*\w*|[.+?^$()[\]|\\]/g, (token) => {
      if (token === '{') return '(?:';
      if (token === '}') return ')?';
      if (token.startsWith(':')) return '[a-z0-9-]+(?:\\.[a-z0-9-]+)*?';
      if (token.startsWith('*')) return '.+';
      return `\\${token}`;
    });
    pattern = new RegExp(`^${source}$`, 'i');
    patterns.set(host, pattern);
  }
  return pattern;
}
