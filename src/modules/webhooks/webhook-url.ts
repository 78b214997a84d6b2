import dns from 'node:dns';
import net from 'node:net';
import {
  bareHostname,
  isAllowedHost,
  isPublicAddress,
  type Cidr,
} from '../processing/fetch/address-guard.js';

/** How long registering waits for the receiver's name to resolve. */
const RESOLVE_TIMEOUT_MS = 5000;

type Resolve = (hostname: string) => Promise<readonly { address: string }[]>;

const systemResolve: Resolve = (hostname) => dns.promises.lookup(hostname, { all: true });

/**
 * Why a receiver URL may not be registered, or undefined when it may: the same rule as page
 * downloads (public addresses only, unless the host is in FETCH_ALLOWED_HOSTS), checked on every
 * address the name resolves to now. Deliveries check the address they connect to again, since
 * DNS can change after registration. Messages name no address: they must not map the network.
 */
export async function webhookUrlProblem(
  url: string,
  allowedHosts: readonly string[],
  blockedRanges: readonly Cidr[] = [],
  resolve: Resolve = systemResolve,
): Promise<string | undefined> {
  const target = new URL(url);
  if (target.username !== '' || target.password !== '') {
    return 'url must not carry credentials';
  }
  const host = bareHostname(target.hostname);
  if (isAllowedHost(host, allowedHosts)) {
    return undefined;
  }
  if (net.isIP(host) !== 0) {
    return isPublicAddress(host, blockedRanges) ? undefined : 'url must point to a public address';
  }
  let addresses: readonly { address: string }[];
  try {
    addresses = await withTimeout(resolve(host), RESOLVE_TIMEOUT_MS);
  } catch {
    return 'url host does not resolve';
  }
  if (addresses.length === 0) {
    return 'url host does not resolve';
  }
  return addresses.every(({ address }) => isPublicAddress(address, blockedRanges))
    ? undefined
    : 'url must point to a public address';
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('timed out')), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
