import { RequestSlot } from '../../lib/request-slot.js';

describe('RequestSlot', () => {
  it('holds a value per request, and none before one is set', () => {
    const slot = new RequestSlot<number>(Symbol('test:level'));
    const [first, second] = [{}, {}];
    expect(slot.get(first)).toBeUndefined();
    slot.set(first, 30);
    expect([slot.get(first), slot.get(second)]).toEqual([30, undefined]);
    slot.delete(first);
    expect(slot.get(first)).toBeUndefined();
  });

  // The point of the slot: on Express each read on a request misses V8's caches, so none is made until a value exists.
  it('reads nothing on a request until a value has been set on one', () => {
    const slot = new RequestSlot<number>(Symbol('test:rare'));
    const reads: PropertyKey[] = [];
    const req = new Proxy({}, { get: (target, key) => (reads.push(key), Reflect.get(target, key)) });
    expect(slot.get(req)).toBeUndefined();
    slot.delete(req);
    expect(reads).toEqual([]);
    slot.set({}, 1);
    expect(slot.get(req)).toBeUndefined();
    expect(reads).toHaveLength(1);
  });

  it('keeps its value out of the request’s keys and JSON', () => {
    const slot = new RequestSlot<boolean>(Symbol('test:mark'));
    const req = { method: 'GET' };
    slot.set(req, true);
    expect([Object.keys(req), JSON.stringify(req)]).toEqual([['method'], '{"method":"GET"}']);
  });

  // Both builds of the package, loaded in one process, each make their own slot under the same Symbol.for key.
  it('under a Symbol.for key, reads what another slot of that key set', () => {
    const key = Symbol.for('nestjs-ajax:test-shared-slot');
    const oneBuild = new RequestSlot<string>(key);
    const otherBuild = new RequestSlot<string>(key);
    const req = {};
    otherBuild.set(req, 'set by the other build');
    expect(oneBuild.get(req)).toBe('set by the other build');
    oneBuild.delete(req);
    expect(otherBuild.get(req)).toBeUndefined();
  });

  it('under a symbol of its own, reads nothing another slot set', () => {
    const [one, other] = [new RequestSlot<string>(Symbol('test:own')), new RequestSlot<string>(Symbol('test:own'))];
    const req = {};
    other.set(req, 'theirs');
    expect(one.get(req)).toBeUndefined();
  });
});
