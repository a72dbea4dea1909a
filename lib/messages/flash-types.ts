import type { AjaxMessage } from './ajax-message.interface.js';
import { MessageLevel } from './message-level.js';

/** The level each of connect-flash's usual types adds at. A Map: a type such as `"constructor"` must find nothing. */
const LEVEL_OF_TYPE: ReadonlyMap<string, MessageLevel> = new Map([
  ['debug', MessageLevel.DEBUG],
  ['info', MessageLevel.INFO],
  ['success', MessageLevel.SUCCESS],
  ['warning', MessageLevel.WARNING],
  ['warn', MessageLevel.WARNING],
  ['error', MessageLevel.ERROR],
]);

/** The type `req.flash()` files each built-in level under, whatever `messages.tags` calls the level. */
const TYPE_OF_LEVEL: ReadonlyMap<number, string> = new Map([
  [MessageLevel.DEBUG, 'debug'],
  [MessageLevel.INFO, 'info'],
  [MessageLevel.SUCCESS, 'success'],
  [MessageLevel.WARNING, 'warning'],
  [MessageLevel.ERROR, 'error'],
]);

/**
 * The level of a message `req.flash(type, text)` adds: the level of that
 * name, or, for any other type, INFO with the type as its extra tags
 * (`req.flash('notice', …)` gives `"tags": "notice info"`). Case-sensitive,
 * as connect-flash's types are.
 * @internal
 */
export function flashLevelOf(type: string): MessageLevel {
  return LEVEL_OF_TYPE.get(type) ?? MessageLevel.INFO;
}

/** The extra tags of a message `req.flash(type, text)` adds: none for a level's name, else the type. @internal */
export function flashExtraTagsOf(type: string): string {
  return LEVEL_OF_TYPE.has(type) ? '' : type;
}

/**
 * The type a message is filed under by `req.flash()`, read from the message
 * alone, so that one added with `@Messages()` or `MessagesService` has one
 * too, and `req.flash(type, text)` then `req.flash(type)` gives the text back:
 *
 * - an INFO message with extra tags: those tags (`req.flash('notice', …)`,
 *   or `messages.info('…', 'notice')`, are both `notice`);
 * - any other message of a built-in level: the level's name (`error`,
 *   `success`…), whatever `messages.tags` calls it, so an error tagged
 *   `danger` is still an `error`;
 * - a level of the app's own: its tag in `messages.tags`, or `info` when it has none.
 * @internal
 */
export function flashTypeOf(message: AjaxMessage, levelTags: Readonly<Record<number, string>>): string {
  const levelTag = levelTags[message.level] ?? '';
  if (message.level === MessageLevel.INFO) {
    const extraTags = withoutLevelTag(message.tags, levelTag);
    if (extraTags !== '') return extraTags;
  }
  return TYPE_OF_LEVEL.get(message.level) ?? (levelTag || 'info');
}

/** A type as `req.flash(type)` asks for it, in the name `flashTypeOf()` gives: `warn` is `warning`. @internal */
export function askedFlashType(type: string): string {
  return type === 'warn' ? 'warning' : type;
}

/** A message's extra tags: its `tags` without the level's tag that `messageTags()` put last. */
function withoutLevelTag(tags: string, levelTag: string): string {
  if (levelTag === '') return tags;
  if (tags === levelTag) return '';
  return tags.endsWith(` ${levelTag}`) ? tags.slice(0, -levelTag.length - 1) : tags;
}
