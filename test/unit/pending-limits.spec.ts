import { jest } from '@jest/globals';
import type { AjaxRequest } from '../../lib/ajax-request.interface.js';
import { excessOf, pushWithinLimits } from '../../lib/messages/pending-limits.js';

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

  it('keeps a list within its bytes when it changed between two additions, however it changed', () => {
    const req: AjaxRequest = { method: 'GET', headers: {}, session: {} };
    // Nine messages of 5 bytes (text and tags): long enough for their size to be remembered.
    const limits = { maxCount: 50, maxBytes: 78 };
    const list = Array.from({ length: 8 }, () => message('a'));
    pushWithinLimits(req, list, message('b'), limits);
    // Changed elsewhere, its length the same: the last message replaced by a larger one (34 bytes).
    list[list.length - 1] = message('x'.repeat(30));
    pushWithinLimits(req, list, message('c'), limits);
    // 8 × 5 + 34 + 5 = 79 bytes: the oldest goes.
    expect(list.map((m) => m.message)).toEqual([...Array.from({ length: 7 }, () => 'a'), 'x'.repeat(30), 'c']);
  });

  it('measures each added message once, not every pending one again', () => {
    const req: AjaxRequest = { method: 'GET', headers: {}, session: {} };
    const list: Array<ReturnType<typeof message>> = [];
    const measured = jest.spyOn(Buffer, 'byteLength');
    try {
      for (let i = 0; i < 2_000; i++) pushWithinLimits(req, list, message(`m${i}`), { maxCount: 10_000, maxBytes: 1_000_000 });
      expect(list).toHaveLength(2_000);
      // Text and tags of each message, plus the first measure of the list: a walk per addition would be about 4 million.
      expect(measured.mock.calls.length).toBeLessThan(3 * 2_000);
    } finally {
      measured.mockRestore();
    }
  });
});
