import { answersHost } from '../../lib/platform/route-hosts.js';

describe('answersHost()', () => {
  it.each([
    [undefined, 'anything.example', true],
    [['admin.example.com'], 'admin.example.com', true],
    [['admin.example.com'], 'ADMIN.example.COM', true],
    [['admin.example.com'], 'adminxexample.com', false],
    [['admin.example.com'], 'admin.example.com.evil.test', false],
    [['admin.example.com'], '', false],
    [[':tenant.example.com'], 'acme.example.com', true],
    [[':tenant.example.com'], 'a.b.example.com', true],
    [[':tenant.example.com'], 'example.com', false],
    [[':tenant.example.com'], 'acme.example.org', false],
    [['{www.}example.com'], 'example.com', true],
    [['{www.}example.com'], 'www.example.com', true],
    [['{www.}example.com'], 'ftp.example.com', false],
    [['*rest.example.com'], 'a.b.example.com', true],
    [[/^api\./g], 'api.example.com', true],
    [[/^api\./g], 'www.example.com', false],
    [['one.test', 'two.test'], 'two.test', true],
    // Sticky, as Nest's hostname.match() reads it: from the start only.
    [[/api\./y], 'api.example.com', true],
    [[/api\./y], 'www.api.example.com', false],
    [[], 'anything.example', false],
  ] as const)('hosts %j, hostname %j: %s', (hosts, hostname, expected) => {
    expect(answersHost(hosts, hostname)).toBe(expected);
    // Twice: a RegExp with the g flag must not carry its lastIndex over.
    expect(answersHost(hosts, hostname)).toBe(expected);
  });
});
