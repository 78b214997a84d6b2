import { plainToInstance, Transform } from 'class-transformer';
import {
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsEnum,
  IsIn,
  IsInt,
  IsNumber,
  IsOptional,
  IsString,
  Matches,
  Max,
  Min,
  MinLength,
  ValidateBy,
  validateSync,
  type ValidationOptions,
} from 'class-validator';
import ipaddr from 'ipaddr.js';
import { availableParallelism } from 'node:os';
import { API_KEY_ENTRY_PATTERN } from '../common/auth/api-keys.js';
import { SUPPORTED_LANGUAGES, type PageLanguage } from '../modules/processing/extract/language.js';

export enum NodeEnv {
  Development = 'development',
  Production = 'production',
  Test = 'test',
}

/** The OCR engines a page can be read with (see src/modules/processing/recognize). */
export const OCR_ENGINES = ['tesseract.js', 'tesseract-cli', 'tesseract-api'] as const;
export type OcrEngineName = (typeof OCR_ENGINES)[number];

const LOG_LEVELS = ['fatal', 'error', 'warn', 'log', 'debug', 'verbose'] as const;
export type LogLevelName = (typeof LOG_LEVELS)[number];

/** `true`/`false` (any case) into booleans; anything else is left for the validator to reject. */
function toBoolean({ value }: { value: unknown }): unknown {
  if (typeof value !== 'string') {
    return value;
  }
  const lower = value.trim().toLowerCase();
  return lower === 'true' ? true : lower === 'false' ? false : value;
}

/** A comma-separated list, trimmed, empty entries dropped. */
function toList({ value }: { value: unknown }): unknown {
  return typeof value === 'string'
    ? value
        .split(',')
        .map((item) => item.trim())
        .filter(Boolean)
    : value;
}

/** Turns a decimal string into a number and leaves anything else for the validator to reject. */
function toInteger({ value }: { value: unknown }): unknown {
  return typeof value === 'string' && /^-?\d+$/.test(value.trim()) ? Number(value) : value;
}

/** A decimal number (`0.8`, `1`) into a number; anything else is left for the validator. */
function toDecimal({ value }: { value: unknown }): unknown {
  return typeof value === 'string' && /^-?\d+(\.\d+)?$/.test(value.trim()) ? Number(value) : value;
}

/** An exact browser origin (`https://app.example.com`, `http://localhost:5173`): no path, no slash. */
function isOrigin(value: unknown): boolean {
  if (typeof value !== 'string' || !URL.canParse(value)) {
    return false;
  }
  const url = new URL(value);
  return (url.protocol === 'https:' || url.protocol === 'http:') && url.origin === value;
}

function IsOriginList(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isOriginList',
      validator: { validate: (value) => Array.isArray(value) && value.every(isOrigin) },
    },
    options,
  );
}

/** The names proxy-addr (Fastify's `trustProxy`) accepts besides addresses and CIDR ranges. */
const PROXY_RANGE_NAMES = ['loopback', 'linklocal', 'uniquelocal'];

/** `true`/`false`, or a comma list of proxy addresses, CIDR ranges and range names. */
function toTrustProxy(params: { value: unknown }): unknown {
  const value = toBoolean(params);
  return typeof value === 'string' ? toList({ value }) : value;
}

/**
 * No hop counts: Fastify 5 trusts nobody for a number, since a hop count cannot tell a proxy
 * from a client that sends its own X-Forwarded-For (fastify/lib/request.js, getTrustProxyFn).
 */
function isTrustProxy(value: unknown): boolean {
  if (typeof value === 'boolean') {
    return true;
  }
  return (
    Array.isArray(value) &&
    value.length > 0 &&
    value.every(
      (entry) =>
        typeof entry === 'string' &&
        (PROXY_RANGE_NAMES.includes(entry) ||
          ipaddr.IPv4.isValidFourPartDecimal(entry) ||
          ipaddr.IPv4.isValidCIDRFourPartDecimal(entry) ||
          ipaddr.IPv6.isValid(entry) ||
          ipaddr.IPv6.isValidCIDR(entry)),
    )
  );
}

function IsTrustProxy(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy({ name: 'isTrustProxy', validator: { validate: isTrustProxy } }, options);
}

function IsCidrList(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isCidrList',
      validator: {
        validate: (value) =>
          Array.isArray(value) &&
          value.every(
            (entry) =>
              typeof entry === 'string' && (ipaddr.isValidCIDR(entry) || ipaddr.isValid(entry)),
          ),
      },
    },
    options,
  );
}

/**
 * Every setting the service reads from the environment (or `.env`), with its default.
 * `.env.example` documents each key; keep the two in step.
 */
export class Environment {
  @IsEnum(NodeEnv)
  NODE_ENV: NodeEnv = NodeEnv.Development;

  @Transform(toInteger)
  @IsInt()
  @Min(0)
  @Max(65535)
  PORT = 3000;

  /**
   * Interface to listen on. Default: every interface (0.0.0.0) when API_KEYS is set; without
   * keys, loopback only (127.0.0.1), and any other interface is refused unless AUTH_DISABLED=true.
   */
  @IsOptional()
  @IsString()
  @MinLength(1)
  HOST?: string;

  /**
   * Serve without API keys on any interface (e.g. behind a proxy that authenticates). Refused
   * together with API_KEYS. Without it, a service without keys listens on loopback only.
   */
  @Transform(toBoolean)
  @IsBoolean()
  AUTH_DISABLED = false;

  @IsIn(LOG_LEVELS)
  LOG_LEVEL: LogLevelName = 'log';

  /** Unset: an embedded database is started (mongod when a binary can be had, else jongodb). */
  @IsOptional()
  @IsString()
  @MinLength(1)
  MONGODB_URI?: string;

  /** Overrides the database named in the URI. */
  @IsOptional()
  @IsString()
  @MinLength(1)
  MONGODB_DB_NAME?: string;

  @Transform(toInteger)
  @IsInt()
  @Min(1)
  @Max(500)
  MONGODB_MAX_POOL_SIZE = 10;

  @Transform(toInteger)
  @IsInt()
  @Min(100)
  MONGODB_SERVER_SELECTION_TIMEOUT_MS = 5000;

  /**
   * How long an operation may wait for a free connection from the pool; past it the request gets
   * 503 UNAVAILABLE at once instead of queueing behind slow queries.
   */
  @Transform(toInteger)
  @IsInt()
  @Min(100)
  MONGODB_WAIT_QUEUE_TIMEOUT_MS = 2000;

  /**
   * How often the driver checks a server in the background (the driver's default is 10 s).
   * A request during an outage also triggers a check, so recovery does not wait for this.
   */
  @Transform(toInteger)
  @IsInt()
  @Min(500)
  MONGODB_HEARTBEAT_FREQUENCY_MS = 10_000;

  /**
   * On SIGTERM/SIGINT the app stops accepting connections, lets in-flight requests finish, hands
   * back its processing leases and closes the database; past this deadline it exits with code 1.
   */
  @Transform(toInteger)
  @IsInt()
  @Min(100)
  SHUTDOWN_TIMEOUT_MS = 10_000;

  /** Where the embedded mongod keeps its files, so data survives restarts. */
  @IsString()
  @MinLength(1)
  EMBEDDED_MONGOD_DIR = '.data/mongod';

  /** Server-side time limit of each list query and its count; past it the request gets 503. */
  @Transform(toInteger)
  @IsInt()
  @Min(1)
  QUERY_MAX_TIME_MS = 5000;

  @Transform(toInteger)
  @IsInt()
  @Min(1024)
  @Max(100 * 1024 * 1024)
  BODY_LIMIT_BYTES = 1024 * 1024;

  /**
   * Browser origins allowed to call the API (CORS), a comma list of exact origins such as
   * `https://app.example.com`. Empty (the default): no CORS headers, browsers on other origins
   * cannot read responses.
   */
  @Transform(toList)
  @IsOriginList()
  CORS_ORIGINS: string[] = [];

  /**
   * Which proxies' `X-Forwarded-For`/`-Proto`/`-Host` to believe (for the client address and
   * protocol): `false` (none, the default), `true` (any: only when nothing reaches the app but
   * through a proxy that overwrites them), or a comma list of the proxies' addresses, CIDR
   * ranges, `loopback`, `linklocal`, `uniquelocal`.
   */
  @Transform(toTrustProxy)
  @IsTrustProxy()
  TRUST_PROXY: boolean | string[] = false;

  /**
   * Time a client has to send a whole request (headers and body); a slower one gets 408
   * REQUEST_TIMEOUT and its connection is closed. Does not limit how long a handler runs.
   */
  @Transform(toInteger)
  @IsInt()
  @Min(100)
  REQUEST_TIMEOUT_MS = 30_000;

  /** Run processing workers in this process (the API); `npm run worker` runs them alone. */
  @Transform(toBoolean)
  @IsBoolean()
  PROCESSING_ENABLED = true;

  /** New pages (and pages given a new pageUrl) are queued for processing at once. */
  @Transform(toBoolean)
  @IsBoolean()
  PROCESSING_QUEUE_ON_CREATE = true;

  /** Pages processed at the same time by this process (one page-processor child each): the cores. */
  @Transform(toInteger)
  @IsInt()
  @Min(1)
  @Max(16)
  PROCESSING_CONCURRENCY = Math.min(16, availableParallelism());

  /**
   * Wall-clock budget of the work on one page's bytes (decode, preprocessing, OCR, extraction);
   * past it the child process doing the work is killed and the page fails (retried once, failed
   * for good when it overruns again). The download has its own FETCH_TIMEOUT_MS.
   */
  @Transform(toInteger)
  @IsInt()
  @Min(100)
  PROCESSING_PAGE_TIMEOUT_MS = 60_000;

  /** JavaScript heap of each page-processor child, in MiB (decoded images are bounded apart). */
  @Transform(toInteger)
  @IsInt()
  @Min(128)
  PROCESSING_MEMORY_LIMIT_MB = 1024;

  /**
   * Resident memory of each page-processor child while it reads a page, in MiB: JavaScript heap,
   * WebAssembly (tesseract.js), native image buffers and a `tesseract` it runs, together. Past it
   * the child is killed and the page fails like one that overran its time (Linux; elsewhere only
   * the heap limit applies).
   */
  @Transform(toInteger)
  @IsInt()
  @Min(256)
  PROCESSING_RSS_LIMIT_MB = 2048;

  /** A PDF or multi-page image with more pages than this is refused before any page is read. */
  @Transform(toInteger)
  @IsInt()
  @Min(1)
  PROCESSING_MAX_DOCUMENT_PAGES = 500;

  /**
   * The OCR engine: `tesseract.js` (WebAssembly, installed by npm ci), `tesseract-cli` (the
   * system's `tesseract` command, e.g. Debian's tesseract-ocr package: faster) or `tesseract-api`
   * (the system's tesseract library through Debian's python3-tesserocr, models kept loaded:
   * faster still).
   */
  @IsIn(OCR_ENGINES)
  OCR_ENGINE: OcrEngineName = 'tesseract.js';

  /** How long a claimed page stays reserved without a renewal; a crashed worker's page is free after it. */
  @Transform(toInteger)
  @IsInt()
  @Min(1000)
  PROCESSING_LEASE_MS = 60_000;

  /** How often an idle worker looks for queued pages. */
  @Transform(toInteger)
  @IsInt()
  @Min(10)
  PROCESSING_POLL_INTERVAL_MS = 1000;

  /** Retries of a transient failure before the page is failed. */
  @Transform(toInteger)
  @IsInt()
  @Min(0)
  @Max(20)
  PROCESSING_MAX_RETRIES = 3;

  /** Most pages a job's document may have; a longer one fails the job. */
  @Transform(toInteger)
  @IsInt()
  @Min(1)
  @Max(10_000)
  JOB_MAX_PAGES = 200;

  /** First retry delay; each further retry doubles it. */
  @Transform(toInteger)
  @IsInt()
  @Min(10)
  PROCESSING_RETRY_BASE_MS = 2000;

  /** Replace a page-processor child after this many pages (tesseract's memory grows over many jobs). */
  @Transform(toInteger)
  @IsInt()
  @Min(1)
  OCR_WORKER_RECYCLE_AFTER = 50;

  /**
   * The most a page stores of its OCR output; beyond these it is cut and `ocrResults.truncated`
   * is set. They keep a page document a few MB at most (MongoDB's limit is 16 MB).
   */
  @Transform(toInteger)
  @IsInt()
  @Min(1)
  @Max(20_000)
  PAGE_MAX_WORDS = 5000;

  @Transform(toInteger)
  @IsInt()
  @Min(1)
  @Max(5000)
  PAGE_MAX_BLOCKS = 500;

  @Transform(toInteger)
  @IsInt()
  @Min(1)
  @Max(10_000)
  PAGE_MAX_TABLE_CELLS = 2000;

  /** Characters of `ocrResults.text` (and of each block's text). */
  @Transform(toInteger)
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  PAGE_MAX_TEXT_CHARS = 100_000;

  /**
   * Largest list response body, in bytes of JSON: a list whose pages would exceed it answers 400
   * VALIDATION_ERROR on `limit` (ask for fewer pages, or fewer `fields`) instead.
   */
  @Transform(toInteger)
  @IsInt()
  @Min(1024)
  LIST_MAX_RESPONSE_BYTES = 16 * 1024 * 1024;

  /**
   * List requests one client (API key, else address) may have running at once; more answer 429
   * RATE_LIMITED at once, so that a few clients cannot hold every database connection.
   */
  @Transform(toInteger)
  @IsInt()
  @Min(1)
  LIST_MAX_CONCURRENT_PER_CLIENT = 4;

  /**
   * Languages pages are read in (ISO 639-1, comma-separated): each page's language is detected
   * among these and read with its model. English is always available.
   */
  @Transform(toList)
  @IsArray()
  @ArrayUnique()
  @IsIn(SUPPORTED_LANGUAGES, { each: true })
  OCR_LANGUAGES: PageLanguage[] = [...SUPPORTED_LANGUAGES];

  /** Largest page file fetched, in bytes. */
  @Transform(toInteger)
  @IsInt()
  @Min(1024)
  FETCH_MAX_BYTES = 20 * 1024 * 1024;

  /** Time limit of one page download. */
  @Transform(toInteger)
  @IsInt()
  @Min(100)
  FETCH_TIMEOUT_MS = 15_000;

  @Transform(toInteger)
  @IsInt()
  @Min(0)
  @Max(10)
  FETCH_MAX_REDIRECTS = 3;

  /**
   * Comma-separated host names or IP addresses that page downloads may reach even though they
   * are private, loopback or link-local (everything else must be a public address).
   */
  @Transform(toList)
  @IsArray()
  @IsString({ each: true })
  FETCH_ALLOWED_HOSTS: string[] = [];

  /** Send webhook deliveries from this process (the API and stand-alone workers). */
  @Transform(toBoolean)
  @IsBoolean()
  WEBHOOKS_ENABLED = true;

  /** Deliveries sent at the same time by this process. */
  @Transform(toInteger)
  @IsInt()
  @Min(1)
  @Max(32)
  WEBHOOK_CONCURRENCY = 4;

  /** Attempts per delivery (the first one included) before it is marked failed. */
  @Transform(toInteger)
  @IsInt()
  @Min(1)
  @Max(30)
  WEBHOOK_MAX_ATTEMPTS = 8;

  /** Wait before the first retry; each further retry doubles it (at most an hour). */
  @Transform(toInteger)
  @IsInt()
  @Min(10)
  WEBHOOK_RETRY_BASE_MS = 10_000;

  /** Time limit of one attempt: connecting, sending and the receiver's answer. */
  @Transform(toInteger)
  @IsInt()
  @Min(100)
  @Max(60_000)
  WEBHOOK_TIMEOUT_MS = 10_000;

  /** How often an idle sender looks for due deliveries (retries come due without a signal). */
  @Transform(toInteger)
  @IsInt()
  @Min(10)
  WEBHOOK_POLL_INTERVAL_MS = 1000;

  /**
   * A processed page needs review when a key field (invoiceNumber, invoiceDate, vendorName,
   * totalAmount, currency) is missing or read with a confidence below this.
   */
  @Transform(toDecimal)
  @IsNumber()
  @Min(0)
  @Max(1)
  REVIEW_CONFIDENCE_THRESHOLD = 0.8;

  /** A processed page needs review when its qualityScore is below this. */
  @Transform(toDecimal)
  @IsNumber()
  @Min(0)
  @Max(1)
  REVIEW_QUALITY_THRESHOLD = 0.6;

  /** Days a deleted page's history is kept (0: it goes with the page). */
  @Transform(toInteger)
  @IsInt()
  @Min(0)
  @Max(36_500)
  HISTORY_RETENTION_DAYS = 365;

  /**
   * How often the history relay looks for page events still to be copied into the history (and
   * webhook events to queue) when nothing in this process woke it: events of other processes,
   * or left by a crash.
   */
  @Transform(toInteger)
  @IsInt()
  @Min(10)
  HISTORY_RELAY_INTERVAL_MS = 1000;

  /**
   * Comma-separated IPv4/IPv6 CIDR ranges (or addresses) that page downloads must never reach,
   * on top of every non-public range: e.g. this network's own NAT64 prefix (`2001:db8:64::/96`),
   * which looks like any public IPv6 address.
   */
  @Transform(toList)
  @IsArray()
  @IsCidrList()
  FETCH_BLOCKED_RANGES: string[] = [];

  /**
   * Comma-separated `<sha256 hex of the key>:<scope>[+<scope>][=<name>]` entries, scopes `read`,
   * `write`, `metrics`, `admin` (`write` implies `read`; `admin` implies all); the optional name
   * (letters, digits, `. _ @ -`, at most 64) is the actor history and corrections record. Keys are configured hashed,
   * never in clear. Unset: the API is open but listens on loopback only (see HOST,
   * AUTH_DISABLED); production refuses to start without keys unless AUTH_DISABLED=true.
   */
  @Transform(toList)
  @IsArray()
  @Matches(API_KEY_ENTRY_PATTERN, { each: true })
  @ArrayUnique((entry: string) => entry.split(':', 1)[0]?.toLowerCase())
  API_KEYS: string[] = [];

  /** Whether Swagger UI (`/docs`) and the document (`/docs-json`) are served without a key. */
  @Transform(toBoolean)
  @IsBoolean()
  DOCS_PUBLIC = true;

  /**
   * How long /metrics reuses its page counts (one count query per status) before counting again,
   * however often it is scraped.
   */
  @Transform(toInteger)
  @IsInt()
  @Min(0)
  METRICS_PAGE_COUNT_TTL_MS = 5000;

  /** Rate limit window, in milliseconds. */
  @Transform(toInteger)
  @IsInt()
  @Min(1)
  RATE_LIMIT_TTL_MS = 60_000;

  /** Requests allowed per window, per API key (or per client address without a valid key). */
  @Transform(toInteger)
  @IsInt()
  @Min(1)
  RATE_LIMIT_MAX = 300;
}

/**
 * Validates the raw environment at boot. A bad key stops the boot with its name and the rule it
 * broke, never its value (a URI may hold a password).
 */
export function validateEnvironment(raw: Record<string, unknown>): Environment {
  const known = Object.keys(new Environment());
  const relevant = Object.fromEntries(
    Object.entries(raw).filter(([key, value]) => known.includes(key) && value !== ''),
  );
  const env = plainToInstance(Environment, relevant, { exposeDefaultValues: true });
  const errors = validateSync(env, { skipMissingProperties: false });
  if (errors.length > 0) {
    const problems = errors.map(
      (error) => `${error.property}: ${Object.keys(error.constraints ?? {}).join(', ')}`,
    );
    throw new Error(`Invalid environment configuration: ${problems.join('; ')}`);
  }
  return env;
}
