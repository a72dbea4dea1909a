import { reasonPhrase } from '../../lib/filters/reason-phrase.js';

describe('reasonPhrase', () => {
  it.each([
    [400, 'Bad request'],
    [401, 'Unauthorized'],
    [404, 'Not found'],
    [405, 'Method not allowed'],
    [413, 'Payload too large'],
    [418, "I'm a teapot"],
    [500, 'Internal server error'],
    [505, 'HTTP version not supported'],
    [414, 'URI too long'],
    [499, 'Client error'],
    [599, 'Server error'],
  ])('%i → %j', (status, phrase) => {
    expect(reasonPhrase(status)).toBe(phrase);
  });
});
