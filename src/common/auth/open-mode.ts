import ipaddr from 'ipaddr.js';

/** What decides where the API may listen. */
export interface ListenSettings {
  /** HOST, when set. */
  host: string | undefined;
  /** Whether API_KEYS configures at least one key. */
  keysConfigured: boolean;
  AUTH_DISABLED: boolean;
}

/** Where the API listens, and the warning to log about it (open mode), if any. */
export interface ListenAddress {
  host: string;
  warning?: string;
}

const LOOPBACK_NAMES = new Set(['localhost', 'ip6-localhost', 'ip6-loopback']);

/** 127.0.0.0/8, ::1 (and ::ffff:127.x) or a loopback name. */
export function isLoopbackHost(host: string): boolean {
  const bare = host.replace(/^\[(.*)\]$/, '$1').toLowerCase();
  if (LOOPBACK_NAMES.has(bare)) {
    return true;
  }
  try {
    return ipaddr.process(bare).range() === 'loopback';
  } catch {
    return false;
  }
}

/**
 * Open mode (no API_KEYS) is safe by default: the API listens on loopback only, so nothing but
 * this machine can reach it, and refuses to listen anywhere else unless AUTH_DISABLED=true says
 * that serving without authentication is intended (e.g. behind an authenticating proxy). With
 * keys, HOST defaults to every interface.
 */
export function listenAddress(settings: ListenSettings): ListenAddress {
  if (settings.keysConfigured) {
    return { host: settings.host ?? '0.0.0.0' };
  }
  if (settings.AUTH_DISABLED) {
    return {
      host: settings.host ?? '0.0.0.0',
      warning:
        '!!! AUTH_DISABLED=true and no API_KEYS: authentication is OFF and anyone who can reach this service can read and change every page. !!!',
    };
  }
  const host = settings.host ?? '127.0.0.1';
  if (!isLoopbackHost(host)) {
    throw new Error(
      `API_KEYS is not set, so the API only listens on loopback (127.0.0.1, ::1, localhost), not on HOST=${host}: set API_KEYS, or AUTH_DISABLED=true to serve every interface without authentication`,
    );
  }
  return {
    host,
    warning: `!!! API_KEYS is not set: authentication is OFF. Listening on ${host} only (this machine); set API_KEYS to serve other interfaces. !!!`,
  };
}
