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

/** True only for public unicast addresses: everything a page URL may legitimately point at. */
export function isPublicAddress(address: string): boolean {
  return rangeOf(address) === 'unicast';
}

function describeAddress(address: string): string {
  const range = rangeOf(address);
  if (range === undefined) {
    return 'not an IP address';
  }
  return RANGE_DESCRIPTIONS[range] ?? `a non-public address (${range})`;
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
): FetchError | undefined {
  const host = bareHostname(hostname);
  if (net.isIP(host) === 0 || isAllowedHost(host, allowedHosts) || isPublicAddress(host)) {
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
): FetchError | undefined {
  if (remoteAddress === undefined || isAllowedHost(hostname, allowedHosts)) {
    return undefined;
  }
  if (isPublicAddress(remoteAddress)) {
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
): Promise<readonly LookupAddress[]> {
  const addresses = await resolve(hostname, family);
  if (addresses.length === 0) {
    throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
  }
  if (!isAllowedHost(hostname, allowedHosts)) {
    // One bad address is enough to refuse: the socket may try any of them (happy eyeballs), and a
    // name answering with both a public and a private address is the DNS-rebinding pattern.
    const bad = addresses.find(({ address }) => !isPublicAddress(address));
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
): LookupFunction {
  return (hostname, options, callback) => {
    void resolveChecked(hostname, familyOf(options.family), allowedHosts, resolve).then(
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
