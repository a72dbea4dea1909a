import { jest } from '@jest/globals';
import { Logger } from '@nestjs/common';
import type { AjaxRequest } from '../../lib/ajax-request.interface.js';
import type { MessageStorage } from '../../lib/messages/message-storage.interface.js';
import { trackWrite } from '../../lib/messages/pending-writes.js';

/** An Express response as the hold reads it, recording what its end was called with. */
function response(headersSent: boolean) {
  const ended: unknown[][] = [];
  const res = {
    headersSent,
    statusCode: 200,
    end: (...args: unknown[]) => void ended.push(args),
    setHeader: () => undefined,
    removeHeader: () => undefined,
  };
  return { res, ended };
}

describe("Express's hold of a response whose request's write of a message failed", () => {
  beforeEach(() => jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined));
  afterEach(() => jest.restoreAllMocks());

  const failedWrite = async (headersSent: boolean) => {
    const { res, ended } = response(headersSent);
    const req = { method: 'GET', headers: {}, res } as unknown as AjaxRequest;
    const storage = { answerReplaced: jest.fn() } as unknown as MessageStorage & { answerReplaced: jest.Mock };
    trackWrite(req, Promise.reject(new Error('Redis is gone')), 'ajax', storage);
    res.end('the body');
    await new Promise((resolve) => setImmediate(resolve));
    return { res, ended, storage };
  };

  it('replaces a response not yet started with the 503, and tells the storage', async () => {
    const { res, ended, storage } = await failedWrite(false);
    expect(res.statusCode).toBe(503);
    expect(ended).toHaveLength(1);
    expect(ended[0][0]).not.toBe('the body');
    expect(storage.answerReplaced).toHaveBeenCalledTimes(1);
  });

  it('lets a started response (a stream, a write of the app) end as it is, and tells the storage nothing', async () => {
    const { res, ended, storage } = await failedWrite(true);
    expect(res.statusCode).toBe(200);
    expect(ended).toEqual([['the body']]);
    expect(storage.answerReplaced).not.toHaveBeenCalled();
  });
});
