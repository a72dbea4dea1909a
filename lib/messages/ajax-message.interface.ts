/**
 * A pending message, as the store keeps it and `peek()`/`consume()` return it.
 * It must survive a JSON round trip, since session stores serialise it.
 */
export interface AjaxMessage {
  /** The level it was added with, e.g. `MessageLevel.SUCCESS` (25). */
  readonly level: number;
  /** The text shown to the user. */
  readonly message: string;
  /** Extra tags then the level's tag, e.g. `"important error"`. */
  readonly tags: string;
}

/**
 * A message as it appears in a JSON body, under `messages`: djem's shape.
 *
 * @example
 * { "message": "Vote recorded.", "tags": "success" }
 */
export interface JsonMessage {
  message: string;
  tags: string;
}
