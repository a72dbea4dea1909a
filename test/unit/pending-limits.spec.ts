import { excessOf } from '../../lib/messages/pending-limits.js';

const message = (text: string) => ({ level: 20, message: text, tags: 'info' });

describe('the bound on a visitor\'s pending messages', () => {
  it('keeps the newest within the count', () => {
    const list = Array.from({ length: 7 }, (_, i) => message(`m${i}`));
    expect(excessOf(list, { maxCount: 5, maxBytes: 10_000 })).toBe(2);
    expect(excessOf(list, { maxCount: 7, maxBytes: 10_000 })).toBe(0);
  });

  it('keeps the newest within the bytes of text and tags, counted in UTF-8', () => {
    // 'é' is two bytes: each message is 4 + 4 ('info') = 8 bytes.
    const list = [message('éé'), message('éé'), message('éé')];
    expect(excessOf(list, { maxCount: 50, maxBytes: 16 })).toBe(1);
    expect(excessOf(list, { maxCount: 50, maxBytes: 15 })).toBe(2);
    expect(excessOf(list, { maxCount: 50, maxBytes: 7 })).toBe(3);
  });
});
