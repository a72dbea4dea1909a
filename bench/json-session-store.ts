type Callback = (error?: unknown) => void;

/**
 * An in-memory store for @fastify/session that keeps each session as JSON
 * text, as express-session's MemoryStore does: every request parses its
 * session and every save serialises it, so the Fastify baseline pays what
 * the Express one pays (and what a real store, Redis or a database, makes
 * a request pay). The plugin's own MemoryStore hands every request of a
 * session the same live object, which no real store does.
 */
export class JsonSessionStore {
  private readonly sessions = new Map<string, string>();

  set(id: string, session: unknown, callback: Callback): void {
    this.sessions.set(id, JSON.stringify(session));
    callback();
  }

  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the plugin types its sessions; this store keeps any JSON
  get(id: string, callback: (error: unknown, session?: any) => void): void {
    const text = this.sessions.get(id);
    callback(null, text === undefined ? undefined : JSON.parse(text));
  }

  destroy(id: string, callback: Callback): void {
    this.sessions.delete(id);
    callback();
  }
}
