import { jest } from '@jest/globals';
import { Logger } from '@nestjs/common';
import type { AjaxRequest } from '../../lib/ajax-request.interface.js';
import { RedisMessageStorage } from '../../lib/messages/redis/redis-message-storage.js';
import { CLAIM, COMMIT_CLAIMS, RELEASE_CLAIM } from '../../lib/messages/redis/redis-scripts.js';
import { storedMember } from '../../lib/messages/redis/stored-message.js';

/** One pending message, as `CLAIM` returns it. */
const MEMBER = storedMember({ message: 'hello', level: 20, tags: 'info' }, 1);
const RECLAIM_AFTER_MS = 3_000;

/** A Node response as the storage reads it: started (a stream), open. */
function streamResponse(): Record<string, unknown> {
  return { closed: false, writableEnded: false, writableFinished: false, headersSent: true, statusCode: 200, once: () => undefined };
}

/** An Express request of a visitor with a session, answered by `res`. */
const visitor = (res: object): AjaxRequest => ({ method: 'GET', headers: {}, sessionID: 'visitor-1', res }) as unknown as AjaxRequest;

/** A node-redis client whose scripts answer as `answer` says, each call recorded as the script's name. */
function recordingClient(answer: (script: string, call: number) => Promise<unknown>) {
  const names = new Map([[CLAIM, 'claim'], [COMMIT_CLAIMS, 'commit'], [RELEASE_CLAIM, 'release']]);
  const calls: Array<{ script: string; args: string[] }> = [];
  const client = {
    isReady: true,
    eval: (script: string, options: { keys: string[]; arguments: string[] }) => {
      calls.push({ script: names.get(script) ?? 'other', args: options.arguments });
      return answer(script, calls.length);
    },
  };
  return { client, calls };
}

describe('RedisMessageStorage and a response still open', () => {
  beforeEach(() => {
    jest.useFakeTimers();
    jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
  });
  afterEach(() => {
    jest.useRealTimers();
    jest.restoreAllMocks();
  });

  it('deletes a started response\'s claims again at its next settling when their deletion failed', async () => {
    let commits = 0;
    const { client, calls } = recordingClient((script) => {
      if (script === CLAIM) return Promise.resolve([MEMBER]);
      if (script === COMMIT_CLAIMS && ++commits === 1) return Promise.reject(new Error('connection lost'));
      return Promise.resolve(1);
    });
    const storage = new RedisMessageStorage(client as never, { reclaimAfterMs: RECLAIM_AFTER_MS });
    await storage.take(visitor(streamResponse()));
    await jest.advanceTimersByTimeAsync(RECLAIM_AFTER_MS / 3);
    await jest.advanceTimersByTimeAsync(RECLAIM_AFTER_MS / 3);
    const commitIds = calls.filter((call) => call.script === 'commit').map((call) => call.args);
    expect(commitIds).toHaveLength(2);
    expect(commitIds[1]).toEqual(commitIds[0]);
    expect(calls.map((call) => call.script)).not.toContain('release');
  });

  it('puts back the claim of a take that came back after the module replaced its answer (a handler that threw meanwhile)', async () => {
    let answerClaim: (members: string[]) => void = () => undefined;
    const { client, calls } = recordingClient((script) =>
      script === CLAIM ? new Promise((resolve) => (answerClaim = resolve)) : Promise.resolve(1),
    );
    const storage = new RedisMessageStorage(client as never, { reclaimAfterMs: RECLAIM_AFTER_MS });
    const req = visitor({ ...streamResponse(), headersSent: false });
    const taking = storage.take(req);
    storage.answerReplaced(req);
    answerClaim([MEMBER]);
    await taking;
    expect(calls.map((call) => call.script)).toEqual(['claim', 'release']);
  });

  it('puts back the claim of a take that came back once its response was ended, before it closed', async () => {
    const { client, calls } = recordingClient((script) => Promise.resolve(script === CLAIM ? [MEMBER] : 1));
    const storage = new RedisMessageStorage(client as never, { reclaimAfterMs: RECLAIM_AFTER_MS });
    const taken = await storage.take(visitor({ ...streamResponse(), writableEnded: true }));
    expect(taken.map((m) => m.message)).toEqual(['hello']);
    await jest.advanceTimersByTimeAsync(0);
    expect(calls.map((call) => call.script)).toEqual(['claim', 'release']);
  });
});
