/**
 * Message levels, with Django's values so that levels compare the same way:
 * a message is kept when its level is at least the request's minimum level.
 *
 * @example
 * messages.add(MessageLevel.WARNING, 'Your trial ends tomorrow.');
 */
export enum MessageLevel {
  DEBUG = 10,
  INFO = 20,
  SUCCESS = 25,
  WARNING = 30,
  ERROR = 40,
}

/**
 * The tag each built-in level adds to a message's `tags` (Django's `DEFAULT_TAGS`).
 * `messages.tags` in the module options adds to these or replaces some of them.
 */
export const DEFAULT_LEVEL_TAGS: Readonly<Record<number, string>> = Object.freeze({
  [MessageLevel.DEBUG]: 'debug',
  [MessageLevel.INFO]: 'info',
  [MessageLevel.SUCCESS]: 'success',
  [MessageLevel.WARNING]: 'warning',
  [MessageLevel.ERROR]: 'error',
});

/**
 * A message's `tags`: its extra tags, then its level's tag, space-separated,
 * empty parts left out, as Django's `Message.tags` builds it.
 * @internal
 */
export function messageTags(levelTags: Readonly<Record<number, string>>, level: number, extraTags: string): string {
  const levelTag = levelTags[level] ?? '';
  if (!extraTags) return levelTag;
  return levelTag ? `${extraTags} ${levelTag}` : extraTags;
}
