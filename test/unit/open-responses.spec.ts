import { jest } from '@jest/globals';
import type { AjaxRequest } from '../../lib/ajax-request.interface.js';
import { OpenResponses, settlingPeriodMs } from '../../lib/messages/redis/open-responses.js';
import type { ClosingResponse } from '../../lib/platform/raw-response-closed.js';

const PERIOD_MS = 1_000;

/** A response as the watcher reads it: open until `closed` is set. */
function response(): ClosingResponse & { closed: boolean } {
  return { closed: false, writableEnded: false, writableFinished: false, headersSent: false, statusCode: 200, once: () => undefined };
}

const request = (): AjaxRequest => ({}) as AjaxRequest;

describe('OpenResponses', () => {
  let due: Array<[AjaxRequest, ClosingResponse]>;
  let open: OpenResponses;

  beforeEach(() => {
    jest.useFakeTimers();
    due = [];
    open = new OpenResponses(PERIOD_MS, (req, res) => void due.push([req, res]));
  });
  afterEach(() => jest.useRealTimers());

  it('hands over a response still open a period after its take, and again every period', () => {
    const req = request();
    const res = response();
    open.watch(req, res);
    jest.advanceTimersByTime(PERIOD_MS - 1);
    expect(due).toEqual([]);
    jest.advanceTimersByTime(1);
    expect(due).toEqual([[req, res]]);
    jest.advanceTimersByTime(PERIOD_MS);
    expect(due).toHaveLength(2);
  });

  it('keeps the first take\'s time when the same request takes again', () => {
    const req = request();
    open.watch(req, response());
    jest.advanceTimersByTime((PERIOD_MS * 3) / 4);
    open.watch(req, response());
    jest.advanceTimersByTime(PERIOD_MS / 4);
    expect(due).toHaveLength(1);
  });

  it('hands over a response taken in the first half of a period at its end', () => {
    open.watch(request(), response());
    jest.advanceTimersByTime(PERIOD_MS / 4);
    const early = request();
    open.watch(early, response());
    jest.advanceTimersByTime((PERIOD_MS * 3) / 4);
    expect(due.map(([req]) => req)).toContain(early);
  });

  it('hands over a response taken in the last half of a period at the end of the next', () => {
    open.watch(request(), response());
    jest.advanceTimersByTime((PERIOD_MS * 3) / 4);
    const late = request();
    open.watch(late, response());
    jest.advanceTimersByTime(PERIOD_MS / 4);
    expect(due.map(([req]) => req)).not.toContain(late);
    jest.advanceTimersByTime(PERIOD_MS);
    expect(due.map(([req]) => req)).toContain(late);
  });

  it('never hands over a response that has closed or was forgotten, and stops its timer once none is open', () => {
    const closing = response();
    const forgotten = request();
    open.watch(request(), closing);
    open.watch(forgotten, response());
    open.forget(forgotten);
    closing.closed = true;
    expect(jest.getTimerCount()).toBe(1);
    jest.advanceTimersByTime(PERIOD_MS);
    expect(due).toEqual([]);
    expect(jest.getTimerCount()).toBe(0);
  });

  it('does not watch a response that has closed already', () => {
    const res = response();
    res.closed = true;
    open.watch(request(), res);
    expect(jest.getTimerCount()).toBe(0);
  });
});

describe('settlingPeriodMs', () => {
  it('is a third of reclaimAfterMs, at least 1 ms, and never longer than a Node timer keeps', () => {
    expect(settlingPeriodMs(60_000)).toBe(20_000);
    expect(settlingPeriodMs(1_000)).toBe(333);
    expect(settlingPeriodMs(1)).toBe(1);
    // Past 2³¹ − 1 ms Node would run the timer every millisecond.
    expect(settlingPeriodMs(7_000_000_000)).toBe(2 ** 31 - 1);
  });
});
