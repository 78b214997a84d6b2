import dns from 'node:dns';
import type { LookupAddress } from 'node:dns';
import net from 'node:net';
import type { LookupFunction } from 'node:net';

import ipaddr from 'ipaddr.js';

import { FetchError } from './fetch-error.js';

/**
 * Resolves a hostname to every address it has. Injectable so tests can make a name "resolve to"
 * a private address without touching real DNS.
 */
export type Resolver = (hostname: string, family: 0 | 4 | 6) => Promise<readonly LookupAddress[]>;

const systemResolver: Resolver = (hostname, family) =>
  dns.promises.lookup(hostname, { all: true, family });

/** How each non-public ipaddr.js range reads in an error message. */
const RANGE_DESCRIPTIONS: Readonly<Record<string, string>> = {
  private: 'a private address',
  loopback: 'a loopback address',
  linkLocal: 'a link-local address',
  carrierGradeNat: 'a carrier-grade NAT address',
  multicast: 'a multicast address',
  unspecified: 'an unspecified address',
  broadcast: 'a broadcast address',
  reserved: 'a reserved address',
  uniqueLocal: 'a unique-local address',
};

/** ipaddr.js's range name for an address ('unicast', 'private', …), or undefined if not an IP. */
function rangeOf(address: string): string | undefined {
  try {
    // process() turns IPv4-mapped IPv6 (::ffff:10.0.0.1) into IPv4, so it is judged as 10.0.0.1.
    return ipaddr.process(address).range();
  } catch {
    return undefined;
  }
}

/** IPv6 global unicast: the only IPv6 space a page may be fetched from. */
const IPV6_GLOBAL_UNICAST = ipaddr.parseCIDR('2000::/3');

/**
 * Ranges inside 2000::/3 that are not someone's public server: documentation (2001:db8::/32,
 * 3fff::/20), Teredo (2001::/32) and 6to4 (2002::/16), which embed IPv4 addresses, benchmarking
 * and ORCHID. ipaddr.js names most of them; these are checked besides, so that a range the
 * library does not name is still refused.
 */
const IPV6_BLOCKED = ['2001::/23', '2001:db8::/32', '2002::/16', '3fff::/20'].map((range) =>
  ipaddr.parseCIDR(range),
);

export type Cidr = [ipaddr.IPv4 | ipaddr.IPv6, number];

function inAny(address: ipaddr.IPv4 | ipaddr.IPv6, ranges: readonly Cidr[]): boolean {
  return ranges.some(
    ([network, bits]) => address.kind() === network.kind() && address.match(network, bits),
  );
}

/**
 * Parses FETCH_BLOCKED_RANGES entries (IPv4 or IPv6 CIDR ranges or single addresses), e.g. a
 * network's own NAT64 prefix, which looks like any public IPv6 address.
 */
export function parseBlockedRanges(entries: readonly string[]): Cidr[] {
  return entries.map((entry) => {
    if (ipaddr.isValidCIDR(entry)) {
      return ipaddr.parseCIDR(entry);
    }
    const address = ipaddr.parse(entry);
    return [address, address.kind() === 'ipv4' ? 32 : 128];
  });
}

/**
 * True only for public unicast addresses: everything a page URL may legitimately point at. IPv4
 * (and IPv4-mapped IPv6): ipaddr.js's `unicast` range. IPv6: global unicast (2000::/3) only,
 * without the ranges above, so the IPv4-compatible (::/96), NAT64 (64:ff9b::/96,
 * 64:ff9b:1::/48), discard and every other special space are refused. `blockedRanges` adds more.
 */
export function isPublicAddress(address: string, blockedRanges: readonly Cidr[] = []): boolean {
  let parsed: ipaddr.IPv4 | ipaddr.IPv6;
  try {
    parsed = ipaddr.process(address);
  } catch {
    return false;
  }
  if (parsed.range() !== 'unicast' || inAny(parsed, blockedRanges)) {
    return false;
  }
  if (parsed.kind() === 'ipv6') {
    return parsed.match(IPV6_GLOBAL_UNICAST) && !inAny(parsed, IPV6_BLOCKED);
  }
  return true;
}

function describeAddress(address: string): string {
  const range = rangeOf(address);
  if (range === undefined) {
    return 'not an IP address';
  }
  return range === 'unicast'
    ? 'outside the public address space'
    : (RANGE_DESCRIPTIONS[range] ?? `a non-public address (${range})`);
}

/** A URL hostname without the brackets of an IPv6 literal, lower-cased. */
export function bareHostname(hostname: string): string {
  return hostname.replace(/^\[(.*)\]$/, '$1').toLowerCase();
}

/** Whether an operator listed this host as trusted (e.g. an internal file server). */
export function isAllowedHost(hostname: string, allowedHosts: readonly string[]): boolean {
  const host = bareHostname(hostname);
  return allowedHosts.some((allowed) => bareHostname(allowed) === host);
}

function blocked(message: string): FetchError {
  return new FetchError('blocked-address', `refused: ${message}`, false);
}

/**
 * Node connects to an IP-literal host without calling `lookup`, so such URLs are checked here,
 * before any request is made.
 */
export function literalHostError(
  hostname: string,
  allowedHosts: readonly string[],
  blockedRanges: readonly Cidr[] = [],
): FetchError | undefined {
  const host = bareHostname(hostname);
  if (
    net.isIP(host) === 0 ||
    isAllowedHost(host, allowedHosts) ||
    isPublicAddress(host, blockedRanges)
  ) {
    return undefined;
  }
  return blocked(`${host} is ${describeAddress(host)}`);
}

/**
 * Second line of defence, checked once the socket is connected: the peer must be public unless
 * the host is allowed. The lookup hook already guarantees this; this catches anything that might
 * bypass it (a future Node change, an agent that ignores `lookup`).
 */
export function peerAddressError(
  hostname: string,
  remoteAddress: string | undefined,
  allowedHosts: readonly string[],
  blockedRanges: readonly Cidr[] = [],
): FetchError | undefined {
  if (remoteAddress === undefined || isAllowedHost(hostname, allowedHosts)) {
    return undefined;
  }
  if (isPublicAddress(remoteAddress, blockedRanges)) {
    return undefined;
  }
  const host = bareHostname(hostname);
  return blocked(`${host} connected to ${remoteAddress}, ${describeAddress(remoteAddress)}`);
}

async function resolveChecked(
  hostname: string,
  family: 0 | 4 | 6,
  allowedHosts: readonly string[],
  resolve: Resolver,
  blockedRanges: readonly Cidr[],
): Promise<readonly LookupAddress[]> {
  const addresses = await resolve(hostname, family);
  if (addresses.length === 0) {
    throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
  }
  if (!isAllowedHost(hostname, allowedHosts)) {
    // One bad address is enough to refuse: the socket may try any of them (happy eyeballs), and a
    // name answering with both a public and a private address is the DNS-rebinding pattern.
    const bad = addresses.find(({ address }) => !isPublicAddress(address, blockedRanges));
    if (bad !== undefined) {
      throw blocked(`${hostname} resolves to ${bad.address}, ${describeAddress(bad.address)}`);
    }
  }
  return addresses;
}

function familyOf(family: number | 'IPv4' | 'IPv6' | undefined): 0 | 4 | 6 {
  if (family === 4 || family === 'IPv4') {
    return 4;
  }
  return family === 6 || family === 'IPv6' ? 6 : 0;
}

function asErrnoException(error: unknown): NodeJS.ErrnoException {
  return error instanceof Error ? error : new Error(String(error));
}

/**
 * A `lookup` for http.request options that refuses names resolving to non-public addresses.
 *
 * Why hook `lookup` rather than resolve-then-fetch: the socket connects to exactly the addresses
 * this function returns, so the address checked is the address connected to. Resolving first and
 * fetching by name afterwards would let a rebinding DNS server answer differently the second time.
 */
export function createGuardedLookup(
  allowedHosts: readonly string[],
  resolve: Resolver = systemResolver,
  blockedRanges: readonly Cidr[] = [],
): LookupFunction {
  return (hostname, options, callback) => {
    void resolveChecked(
      hostname,
      familyOf(options.family),
      allowedHosts,
      resolve,
      blockedRanges,
    ).then(
      (addresses) => {
        if (options.all === true) {
          callback(null, [...addresses]);
        } else {
          callback(null, addresses[0].address, addresses[0].family);
        }
      },
      (error: unknown) => callback(asErrnoException(error), ''),
    );
  };
}
