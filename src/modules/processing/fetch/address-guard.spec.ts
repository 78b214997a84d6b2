import { isPublicAddress, parseBlockedRanges } from './address-guard.js';

describe('isPublicAddress', () => {
  it.each([
    '93.184.216.34',
    '8.8.8.8',
    '2a00:1450:4001:82a::200e',
    '2606:4700::6810:85e5',
    '::ffff:8.8.8.8',
  ])('lets the public address %s through', (address) => {
    expect(isPublicAddress(address)).toBe(true);
  });

  it.each([
    ['IPv4-compatible loopback', '::7f00:1'],
    ['IPv4-compatible private', '::a00:1'],
    ['IPv4-mapped private', '::ffff:10.0.0.1'],
    ['NAT64 well-known prefix', '64:ff9b::a00:1'],
    ['NAT64 local-use prefix', '64:ff9b:1::a00:1'],
    ['documentation', '2001:db8::1'],
    ['documentation (3fff::/20)', '3fff::1'],
    ['Teredo', '2001::1'],
    ['6to4', '2002:a00:1::1'],
    ['benchmarking', '2001:2::1'],
    ['ORCHIDv2', '2001:20::1'],
    ['discard-only', '100::1'],
    ['unique-local', 'fd00::1'],
    ['link-local', 'fe80::1'],
    ['multicast', 'ff02::1'],
    ['loopback', '::1'],
    ['unspecified', '::'],
    ['outside 2000::/3', '4000::1'],
    ['private IPv4', '10.0.0.1'],
    ['not an address', 'example.com'],
  ])('refuses %s (%s)', (_label, address) => {
    expect(isPublicAddress(address)).toBe(false);
  });

  it('refuses the ranges an operator adds, IPv4 and IPv6', () => {
    const blocked = parseBlockedRanges(['2a00:1450:4001::/48', '93.184.216.0/24', '8.8.4.4']);
    expect(isPublicAddress('2a00:1450:4001::a00:1', blocked)).toBe(false);
    expect(isPublicAddress('2a00:1450:4002::1', blocked)).toBe(true);
    expect(isPublicAddress('93.184.216.34', blocked)).toBe(false);
    expect(isPublicAddress('::ffff:93.184.216.34', blocked)).toBe(false);
    expect(isPublicAddress('8.8.4.4', blocked)).toBe(false);
    expect(isPublicAddress('8.8.8.8', blocked)).toBe(true);
  });
});
