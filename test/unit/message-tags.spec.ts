import { DEFAULT_LEVEL_TAGS, MessageLevel } from '../../lib/index.js';
import { messageTags } from '../../lib/messages/message-level.js';

describe('message tags', () => {
  it('has Django\'s levels and tags', () => {
    expect([MessageLevel.DEBUG, MessageLevel.INFO, MessageLevel.SUCCESS, MessageLevel.WARNING, MessageLevel.ERROR]).toEqual([10, 20, 25, 30, 40]);
    expect(DEFAULT_LEVEL_TAGS).toEqual({ 10: 'debug', 20: 'info', 25: 'success', 30: 'warning', 40: 'error' });
  });

  it.each([
    [MessageLevel.ERROR, 'important', 'important error'],
    [MessageLevel.ERROR, '', 'error'],
    [MessageLevel.SUCCESS, 'a b', 'a b success'],
    [35, 'custom', 'custom'],
    [35, '', ''],
  ])('level %i with extra tags %j → %j', (level, extra, expected) => {
    expect(messageTags(DEFAULT_LEVEL_TAGS, level, extra)).toBe(expected);
  });

  it('uses configured level tags', () => {
    expect(messageTags({ ...DEFAULT_LEVEL_TAGS, 40: 'danger' }, 40, 'important')).toBe('important danger');
  });
});
