import { isLoopbackHost, listenAddress } from './open-mode.js';

describe('listenAddress', () => {
  it('listens on loopback with a warning when no key is configured and HOST is unset', () => {
    const address = listenAddress({ host: undefined, keysConfigured: false, AUTH_DISABLED: false });
    expect(address.host).toBe('127.0.0.1');
    expect(address.warning).toMatch(/API_KEYS is not set: authentication is OFF/);
  });

  it.each(['127.0.0.1', '127.1.2.3', '::1', '[::1]', 'localhost', 'LOCALHOST'])(
    'accepts the loopback HOST %s without keys',
    (host) => {
      expect(listenAddress({ host, keysConfigured: false, AUTH_DISABLED: false }).host).toBe(host);
    },
  );

  it.each(['0.0.0.0', '::', '10.0.0.5', 'example.com', '::ffff:10.0.0.1'])(
    'refuses HOST=%s without keys',
    (host) => {
      expect(() => listenAddress({ host, keysConfigured: false, AUTH_DISABLED: false })).toThrow(
        /API_KEYS is not set, so the API only listens on loopback/,
      );
    },
  );

  it('serves every interface without keys only when AUTH_DISABLED=true, with a warning', () => {
    const address = listenAddress({ host: undefined, keysConfigured: false, AUTH_DISABLED: true });
    expect(address).toEqual({ host: '0.0.0.0', warning: expect.stringMatching(/AUTH_DISABLED/) });
  });

  it('serves every interface by default when keys are configured', () => {
    expect(listenAddress({ host: undefined, keysConfigured: true, AUTH_DISABLED: false })).toEqual({
      host: '0.0.0.0',
    });
  });

  it('tells loopback from the rest', () => {
    expect(isLoopbackHost('::ffff:127.0.0.1')).toBe(true);
    expect(isLoopbackHost('128.0.0.1')).toBe(false);
  });
});
