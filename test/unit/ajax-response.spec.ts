import { AjaxResponse } from '../../lib/index.js';

describe('AjaxResponse', () => {
  it('renders its data, then success only when given', () => {
    expect(new AjaxResponse({ a: 1 }).toJSON()).toEqual({ a: 1 });
    expect(new AjaxResponse({ a: 1 }, { success: false }).toJSON()).toEqual({ a: 1, success: false });
    expect(new AjaxResponse().toJSON()).toEqual({});
    expect(JSON.parse(JSON.stringify(new AjaxResponse({ a: 1 }, { success: true, status: 202 })))).toEqual({ a: 1, success: true });
  });

  it.each([
    [[1, 2], /data must be a plain object.*got an array/],
    ['text', /data must be a plain object.*got "text"/],
    [new Date(0), /data must be a plain object.*got an object \(Date\)/],
    [null, /data must be a plain object.*got null/],
  ])('refuses %p as data with a TypeError', (data, message) => {
    expect(() => new AjaxResponse(data as never)).toThrow(TypeError);
    expect(() => new AjaxResponse(data as never)).toThrow(message);
  });

  it('makes success a real boolean, as djem does', () => {
    expect(new AjaxResponse({}, { success: 1 as never }).toJSON()).toEqual({ success: true });
    expect(new AjaxResponse({}, { success: '' as never }).toJSON()).toEqual({ success: false });
  });

  it('refuses a status that is not 2xx, 4xx or 5xx', () => {
    expect(() => new AjaxResponse({}, { status: 302 })).toThrow(/"status" must be a success \(2xx\) or error \(4xx, 5xx\) status; got 302/);
    expect(() => new AjaxResponse({}, { status: 20.5 })).toThrow(TypeError);
  });
});
