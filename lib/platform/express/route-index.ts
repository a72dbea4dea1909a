/** A route layer of Express 5's router, as the index reads it. */
export interface IndexedLayer {
  route?: { path?: unknown };
}

/** One static path segment's node: the layers whose static part ends here, and the deeper segments. */
interface Node {
  layers: number[];
  children: Map<string, Node>;
}

interface RouteIndex {
  /** The stack's length when indexed: routes added later (Express allows it) make a new index. */
  size: number;
  root: Node;
}

/** A segment that matches only itself (no parameter, wildcard, group or escape of Express 5's syntax). */
const STATIC_SEGMENT = /^[\w.~-]+$/;

const indexes = new WeakMap<readonly IndexedLayer[], RouteIndex>();

/**
 * The positions in the router's stack of the route layers that may match
 * `path`, in registration order: a superset of the matching ones, found
 * without looking at the rest, so that a 405 or a 404 costs the same in an
 * app of ten routes and of a thousand.
 *
 * Each route sits in a tree under the static segments its path starts with
 * (`/api/polls/:id` under `api` → `polls`); a path picks up the routes of
 * every node it walks through. Segments are compared in lower case, which can
 * only add candidates for a case-sensitive router; the caller still matches
 * each one with Express's own matcher. Built once for the stack, and again
 * when routes were added.
 * @internal
 */
export function candidateRoutes(stack: readonly IndexedLayer[], path: string): number[] {
  let index = indexes.get(stack);
  if (!index || index.size !== stack.length) {
    index = build(stack);
    indexes.set(stack, index);
  }
  const found: number[] = [...index.root.layers];
  let node: Node | undefined = index.root;
  for (const segment of path.split('/').slice(1)) {
    node = node.children.get(segment.toLowerCase());
    if (!node) break;
    found.push(...node.layers);
  }
  return found.length > 1 ? found.sort((a, b) => a - b) : found;
}

function build(stack: readonly IndexedLayer[]): RouteIndex {
  const root: Node = { layers: [], children: new Map() };
  stack.forEach((layer, position) => {
    if (!layer.route) return;
    nodeFor(root, layer.route.path).layers.push(position);
  });
  return { size: stack.length, root };
}

/** The node of a route's leading static segments; the root for a path that is not a string (a RegExp, an array). */
function nodeFor(root: Node, path: unknown): Node {
  if (typeof path !== 'string' || !path.startsWith('/')) return root;
  let node = root;
  for (const segment of path.split('/').slice(1)) {
    if (!STATIC_SEGMENT.test(segment)) break;
    const key = segment.toLowerCase();
    let child = node.children.get(key);
    if (!child) node.children.set(key, (child = { layers: [], children: new Map() }));
    node = child;
  }
  return node;
}
