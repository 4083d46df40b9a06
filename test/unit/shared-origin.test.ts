import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_PORTAL_ALLOW_LIST, isOriginAllowed, isValidAllowListPattern, isValidOrigin, originOfUrl } from '@jpki-bridge/shared/origin';

describe('isValidOrigin', () => {
  it.each([
    'https://example.jp',
    'https://myna.go.jp',
    'https://www.e-tax.nta.go.jp:8443',
    'http://localhost',
    'http://localhost:3000',
    'http://127.0.0.1:8080',
    'https://xn--eckwd4c7c.xn--zckzah', // an IDN, as the browser serializes it
    'https://[::1]:8443',
  ])('accepts %s', (origin) => expect(isValidOrigin(origin)).toBe(true));

  it.each([
    'http://example.jp', // insecure and not local
    'https://example.jp/', // trailing slash: not a serialized origin
    'https://example.jp/path',
    'https://example.jp:443', // default port is not part of a serialized origin
    'https://EXAMPLE.jp',
    'https://user@example.jp',
    'https://example.jp?x=1',
    'ftp://example.jp',
    'file:///etc/passwd',
    'chrome-extension://abcdefghijklmnopabcdefghijklmnop',
    'http://localhost.evil.jp',
    'http://127.0.0.2',
    'https://*.example.jp',
    'https://a$b.jp',
    'null',
    '',
    `https://${'a'.repeat(250)}.jp`,
  ])('rejects %s', (origin) => expect(isValidOrigin(origin)).toBe(false));

  it('rejects non-strings', () => {
    for (const value of [undefined, null, 1, {}, ['https://example.jp']]) expect(isValidOrigin(value)).toBe(false);
  });

  it('accepts exactly what the browser serializes as an https origin', () => {
    fc.assert(
      fc.property(fc.webUrl({ validSchemes: ['https'] }), (url) => {
        const origin = new URL(url).origin;
        expect(isValidOrigin(origin)).toBe(origin.length <= 255);
      }),
    );
  });

  it('never accepts a string with a path, query or fragment', () => {
    fc.assert(
      fc.property(fc.webUrl({ validSchemes: ['https'], withQueryParameters: true, withFragments: true }), (url) => {
        const origin = new URL(url).origin;
        fc.pre(url !== origin);
        expect(isValidOrigin(url)).toBe(false);
      }),
    );
  });
});

describe('originOfUrl', () => {
  it('derives the origin from a sender URL', () => {
    expect(originOfUrl('https://myna.go.jp/login?x=1#y')).toBe('https://myna.go.jp');
    expect(originOfUrl('http://localhost:5173/demo')).toBe('http://localhost:5173');
    expect(originOfUrl('http://example.jp/')).toBeNull();
    expect(originOfUrl(undefined)).toBeNull();
    expect(originOfUrl('not a url')).toBeNull();
  });
});

describe('portal allow-list', () => {
  it('matches the preset services exactly, https only', () => {
    expect(isOriginAllowed('https://myna.go.jp', DEFAULT_PORTAL_ALLOW_LIST)).toBe(true);
    expect(isOriginAllowed('https://www.keisan.nta.go.jp', DEFAULT_PORTAL_ALLOW_LIST)).toBe(true);
    expect(isOriginAllowed('http://myna.go.jp', DEFAULT_PORTAL_ALLOW_LIST)).toBe(false);
    expect(isOriginAllowed('https://myna.go.jp:8443', DEFAULT_PORTAL_ALLOW_LIST)).toBe(false);
    expect(isOriginAllowed('https://www.city.chiyoda.lg.jp', DEFAULT_PORTAL_ALLOW_LIST)).toBe(false);
    expect(isOriginAllowed('https://uploads.myna.go.jp', DEFAULT_PORTAL_ALLOW_LIST)).toBe(false);
    expect(isOriginAllowed('https://example.jp', DEFAULT_PORTAL_ALLOW_LIST)).toBe(false);
    expect(isOriginAllowed('https://go.jp.evil.example', DEFAULT_PORTAL_ALLOW_LIST)).toBe(false);
    expect(isOriginAllowed('https://evilgo.jp', DEFAULT_PORTAL_ALLOW_LIST)).toBe(false);
  });

  it('matches an exact origin pattern only exactly', () => {
    expect(isOriginAllowed('http://localhost:8080', ['http://localhost:8080'])).toBe(true);
    expect(isOriginAllowed('http://localhost:8081', ['http://localhost:8080'])).toBe(false);
  });

  it('validates user-entered patterns', () => {
    expect(isValidAllowListPattern('*.example.jp')).toBe(true);
    expect(isValidAllowListPattern('https://example.jp')).toBe(true);
    expect(isValidAllowListPattern('*.jp')).toBe(false);
    expect(isValidAllowListPattern('*')).toBe(false);
    expect(isValidAllowListPattern('example.jp')).toBe(false);
    expect(isValidAllowListPattern('http://example.jp')).toBe(false);
    expect(isValidAllowListPattern('https://*.example.jp')).toBe(false);
  });
});
