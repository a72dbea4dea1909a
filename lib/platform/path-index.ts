/** One static path segment's node: the entries whose static part ends here, and the deeper segments. */
interface Node<T> {
  entries: Array<Entry<T>>;
  children: Map<string, Node<T>>;
}

interface Entry<T> {
  order: number;
  item: T;
}

/** A segment that matches only itself: no parameter, wildcard, group, regular expression or escape of either router's syntax. */
const STATIC_SEGMENT = /^[\w.~-]+$/;

const newNode = <T>(): Node<T> => ({ entries: [], children: new Map() });

/**
 * The routes of an app by their paths, so that finding those that may serve
 * a path looks at a few of them, never at all: a 405 or a 404 then costs the
 * same in an app of ten routes and in one of a thousand.
 *
 * Each route sits in a tree under the static segments its path starts with
 * (`/api/polls/:id` under `api` → `polls`; a path that is not a string, such
 * as an Express RegExp, at the root); a path picks up the routes of every node
 * it walks through. That is a superset of the routes that match it, which the
 * caller matches with the router's own rules. Segments are compared in lower
 * case, which for a case-sensitive router only adds candidates.
 * @internal
 */
export class PathIndex<T> {
  private readonly root: Node<T> = newNode();
  private added = 0;

  /** Adds a route's item under its path; items come back in the order they were added. */
  add(path: unknown, item: T): void {
    let node = this.root;
    if (typeof path === 'string' && path.startsWith('/')) {
      for (const segment of path.split('/').slice(1)) {
        if (!STATIC_SEGMENT.test(segment)) break;
        const key = segment.toLowerCase();
        let child = node.children.get(key);
        if (!child) node.children.set(key, (child = newNode()));
        node = child;
      }
    }
    node.entries.push({ order: this.added++, item });
  }

  /** The items of the routes that may serve any of these spellings of one path, in the order they were added. */
  near(...paths: string[]): T[] {
    const found = new Set<Entry<T>>(this.root.entries);
    for (const path of paths) {
      let node: Node<T> | undefined = this.root;
      for (const segment of path.split('/').slice(1)) {
        node = node.children.get(segment.toLowerCase());
        if (!node) break;
        for (const entry of node.entries) found.add(entry);
      }
    }
    return [...found].sort((a, b) => a.order - b.order).map((entry) => entry.item);
  }
}
