import { availableParallelism } from 'node:os';
import 'reflect-metadata';
import { Environment, NodeEnv, validateEnvironment } from './environment.js';

const DEFAULTS = {
  NODE_ENV: NodeEnv.Development,
  PORT: 3000,
  QUERY_MAX_TIME_MS: 5000,
  HOST: undefined,
  JOB_MAX_PAGES: 200,
  AUTH_DISABLED: false,
  FETCH_BLOCKED_RANGES: [],
  METRICS_PAGE_COUNT_TTL_MS: 5000,
  MONGODB_WAIT_QUEUE_TIMEOUT_MS: 2000,
  PAGE_MAX_WORDS: 5000,
  PAGE_MAX_BLOCKS: 500,
  PAGE_MAX_TABLE_CELLS: 2000,
  PAGE_MAX_TEXT_CHARS: 100_000,
  LIST_MAX_RESPONSE_BYTES: 16 * 1024 * 1024,
  LIST_MAX_CONCURRENT_PER_CLIENT: 4,
  LOG_LEVEL: 'log',
  MONGODB_URI: undefined,
  MONGODB_DB_NAME: undefined,
  MONGODB_MAX_POOL_SIZE: 10,
  MONGODB_SERVER_SELECTION_TIMEOUT_MS: 5000,
  MONGODB_HEARTBEAT_FREQUENCY_MS: 10_000,
  SHUTDOWN_TIMEOUT_MS: 10_000,
  EMBEDDED_MONGOD_DIR: '.data/mongod',
  BODY_LIMIT_BYTES: 1024 * 1024,
  CORS_ORIGINS: [],
  TRUST_PROXY: false,
  REQUEST_TIMEOUT_MS: 30_000,
  PROCESSING_ENABLED: true,
  PROCESSING_QUEUE_ON_CREATE: true,
  PROCESSING_CONCURRENCY: Math.min(16, availableParallelism()),
  PROCESSING_PAGE_TIMEOUT_MS: 60_000,
  PROCESSING_MEMORY_LIMIT_MB: 1024,
  PROCESSING_MAX_DOCUMENT_PAGES: 500,
  OCR_ENGINE: 'tesseract.js',
  PROCESSING_LEASE_MS: 60_000,
  PROCESSING_POLL_INTERVAL_MS: 1000,
  PROCESSING_MAX_RETRIES: 3,
  PROCESSING_RETRY_BASE_MS: 2000,
  OCR_WORKER_RECYCLE_AFTER: 50,
  OCR_LANGUAGES: ['en', 'de', 'fr', 'nl', 'es', 'it'],
  FETCH_MAX_BYTES: 20 * 1024 * 1024,
  FETCH_TIMEOUT_MS: 15_000,
  REVIEW_CONFIDENCE_THRESHOLD: 0.8,
  REVIEW_QUALITY_THRESHOLD: 0.6,
  HISTORY_RETENTION_DAYS: 365,
  HISTORY_RELAY_INTERVAL_MS: 1000,
  FETCH_MAX_REDIRECTS: 3,
  FETCH_ALLOWED_HOSTS: [],
  API_KEYS: [],
  DOCS_PUBLIC: true,
  RATE_LIMIT_TTL_MS: 60_000,
  RATE_LIMIT_MAX: 300,
  WEBHOOKS_ENABLED: true,
  WEBHOOK_CONCURRENCY: 4,
  WEBHOOK_MAX_ATTEMPTS: 8,
  WEBHOOK_RETRY_BASE_MS: 10_000,
  WEBHOOK_TIMEOUT_MS: 10_000,
  WEBHOOK_POLL_INTERVAL_MS: 1000,
};

function errorFrom(raw: Record<string, unknown>): Error {
  try {
    validateEnvironment(raw);
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected validateEnvironment to throw');
}

describe('validateEnvironment', () => {
  it('applies every default to an empty environment', () => {
    const env = validateEnvironment({});
    expect(env).toBeInstanceOf(Environment);
    expect({ ...env }).toStrictEqual(DEFAULTS);
  });

  it('ignores variables it does not know', () => {
    const env = validateEnvironment({ PATH: '/usr/bin', HOME: '/root', PORT: '4000' });
    expect(env).not.toHaveProperty('PATH');
    expect(env).not.toHaveProperty('HOME');
    expect(env.PORT).toBe(4000);
  });

  it('converts integer settings from strings', () => {
    const env = validateEnvironment({
      PORT: '8080',
      MONGODB_MAX_POOL_SIZE: '50',
      MONGODB_SERVER_SELECTION_TIMEOUT_MS: '250',
      BODY_LIMIT_BYTES: '2048',
    });
    expect(env.PORT).toBe(8080);
    expect(env.MONGODB_MAX_POOL_SIZE).toBe(50);
    expect(env.MONGODB_SERVER_SELECTION_TIMEOUT_MS).toBe(250);
    expect(env.BODY_LIMIT_BYTES).toBe(2048);
  });

  it('keeps the given strings and enums', () => {
    const env = validateEnvironment({
      NODE_ENV: 'production',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'debug',
      MONGODB_URI: 'mongodb://user:s3cret@db.example.com:27017/pages',
      MONGODB_DB_NAME: 'pages',
      EMBEDDED_MONGOD_DIR: '/tmp/mongod',
    });
    expect(env).toMatchObject({
      NODE_ENV: NodeEnv.Production,
      HOST: '127.0.0.1',
      LOG_LEVEL: 'debug',
      MONGODB_URI: 'mongodb://user:s3cret@db.example.com:27017/pages',
      MONGODB_DB_NAME: 'pages',
      EMBEDDED_MONGOD_DIR: '/tmp/mongod',
    });
  });

  it('treats empty strings as unset', () => {
    const env = validateEnvironment({
      NODE_ENV: '',
      PORT: '',
      HOST: '',
      LOG_LEVEL: '',
      MONGODB_URI: '',
      MONGODB_DB_NAME: '',
      BODY_LIMIT_BYTES: '',
    });
    expect({ ...env }).toStrictEqual(DEFAULTS);
  });

  it.each<[string, Record<string, string>, string]>([
    ['a non-numeric PORT', { PORT: 'abc' }, 'PORT'],
    ['a fractional PORT', { PORT: '80.5' }, 'PORT'],
    ['a PORT above 65535', { PORT: '70000' }, 'PORT'],
    ['an unknown NODE_ENV', { NODE_ENV: 'staging' }, 'NODE_ENV'],
    ['an unknown LOG_LEVEL', { LOG_LEVEL: 'trace' }, 'LOG_LEVEL'],
    ['a pool size of 0', { MONGODB_MAX_POOL_SIZE: '0' }, 'MONGODB_MAX_POOL_SIZE'],
    ['a tiny body limit', { BODY_LIMIT_BYTES: '10' }, 'BODY_LIMIT_BYTES'],
    ['an API key given in clear', { API_KEYS: 'my-secret-key:read' }, 'API_KEYS'],
    ['an API key without scopes', { API_KEYS: `${'ab'.repeat(32)}` }, 'API_KEYS'],
    ['an API key with an unknown scope', { API_KEYS: `${'ab'.repeat(32)}:root` }, 'API_KEYS'],
    ['a short API key hash', { API_KEYS: `${'ab'.repeat(31)}:read` }, 'API_KEYS'],
    [
      'an API key hash given twice',
      { API_KEYS: `${'ab'.repeat(32)}:read,${'AB'.repeat(32)}:write` },
      'API_KEYS',
    ],
    ['a DOCS_PUBLIC that is not a boolean', { DOCS_PUBLIC: 'maybe' }, 'DOCS_PUBLIC'],
    ['a RATE_LIMIT_MAX of 0', { RATE_LIMIT_MAX: '0' }, 'RATE_LIMIT_MAX'],
    [
      'an API key with a name with a space',
      { API_KEYS: `${'ab'.repeat(32)}:read=a b` },
      'API_KEYS',
    ],
    [
      'a REVIEW_CONFIDENCE_THRESHOLD above 1',
      { REVIEW_CONFIDENCE_THRESHOLD: '1.5' },
      'REVIEW_CONFIDENCE_THRESHOLD',
    ],
    [
      'a REVIEW_QUALITY_THRESHOLD in percent',
      { REVIEW_QUALITY_THRESHOLD: '60%' },
      'REVIEW_QUALITY_THRESHOLD',
    ],
    [
      'a negative HISTORY_RETENTION_DAYS',
      { HISTORY_RETENTION_DAYS: '-1' },
      'HISTORY_RETENTION_DAYS',
    ],
    ['a non-numeric RATE_LIMIT_TTL_MS', { RATE_LIMIT_TTL_MS: '1m' }, 'RATE_LIMIT_TTL_MS'],
  ])('rejects %s, naming the key but not the value', (_label, raw, key) => {
    const error = errorFrom(raw);
    expect(error.message).toMatch(/^Invalid environment configuration: /);
    expect(error.message).toContain(`${key}:`);
    expect(error.message).not.toContain(Object.values(raw)[0]);
  });

  it('reads named API keys, review thresholds and the history retention', () => {
    const env = validateEnvironment({
      API_KEYS: `${'a'.repeat(64)}:read+write=alice@acme`,
      REVIEW_CONFIDENCE_THRESHOLD: '0.95',
      REVIEW_QUALITY_THRESHOLD: '0',
      HISTORY_RETENTION_DAYS: '0',
    });
    expect(env.API_KEYS).toStrictEqual([`${'a'.repeat(64)}:read+write=alice@acme`]);
    expect(env.REVIEW_CONFIDENCE_THRESHOLD).toBe(0.95);
    expect(env.REVIEW_QUALITY_THRESHOLD).toBe(0);
    expect(env.HISTORY_RETENTION_DAYS).toBe(0);
  });

  it('reads API keys, docs access and rate limits', () => {
    const read = 'a'.repeat(64);
    const admin = 'B'.repeat(64);
    const env = validateEnvironment({
      API_KEYS: ` ${read}:read , ${admin}:read+write+admin,`,
      DOCS_PUBLIC: 'false',
      RATE_LIMIT_TTL_MS: '1000',
      RATE_LIMIT_MAX: '5',
    });
    expect(env.API_KEYS).toStrictEqual([`${read}:read`, `${admin}:read+write+admin`]);
    expect(env.DOCS_PUBLIC).toBe(false);
    expect(env.RATE_LIMIT_TTL_MS).toBe(1000);
    expect(env.RATE_LIMIT_MAX).toBe(5);
  });

  it('reads CORS origins, proxy trust and the request timeout', () => {
    const env = validateEnvironment({
      CORS_ORIGINS: ' https://app.example.com , http://localhost:5173,',
      TRUST_PROXY: '10.0.0.0/8, 192.168.1.7,loopback,fd00::/8',
      REQUEST_TIMEOUT_MS: '5000',
    });
    expect(env.CORS_ORIGINS).toStrictEqual(['https://app.example.com', 'http://localhost:5173']);
    expect(env.TRUST_PROXY).toStrictEqual(['10.0.0.0/8', '192.168.1.7', 'loopback', 'fd00::/8']);
    expect(env.REQUEST_TIMEOUT_MS).toBe(5000);
    expect(validateEnvironment({ TRUST_PROXY: 'TRUE' }).TRUST_PROXY).toBe(true);
    expect(validateEnvironment({ TRUST_PROXY: 'false' }).TRUST_PROXY).toBe(false);
  });

  it.each<[string, Record<string, string>]>([
    ['an origin with a path', { CORS_ORIGINS: 'https://app.example.com/' }],
    ['an origin without a scheme', { CORS_ORIGINS: 'app.example.com' }],
    ['a wildcard origin', { CORS_ORIGINS: '*' }],
    ['an origin in capitals', { CORS_ORIGINS: 'https://App.example.com' }],
    ['a non-http origin', { CORS_ORIGINS: 'ftp://files.example.com' }],
    ['a proxy hop count', { TRUST_PROXY: '1' }],
    ['a proxy host name', { TRUST_PROXY: 'proxy.internal' }],
    ['a proxy range with a bad prefix', { TRUST_PROXY: '10.0.0.0/33' }],
    ['a request timeout under 100 ms', { REQUEST_TIMEOUT_MS: '50' }],
  ])('rejects %s', (_label, raw) => {
    const [key = ''] = Object.keys(raw);
    expect(errorFrom(raw).message).toMatch(new RegExp(`: ${key}: `));
  });

  it('names the broken rule', () => {
    expect(errorFrom({ PORT: '70000' }).message).toBe(
      'Invalid environment configuration: PORT: max',
    );
  });

  it('lists every bad key', () => {
    const message = errorFrom({ PORT: 'abc', LOG_LEVEL: 'loud' }).message;
    expect(message).toContain('PORT:');
    expect(message).toContain('LOG_LEVEL:');
  });

  it('never puts the database URI (or its password) in the error', () => {
    const message = errorFrom({
      NODE_ENV: 'staging',
      MONGODB_URI: 'mongodb://user:s3cret@host',
      MONGODB_MAX_POOL_SIZE: 's3cret',
    }).message;
    expect(message).toContain('NODE_ENV');
    expect(message).toContain('MONGODB_MAX_POOL_SIZE');
    expect(message).not.toContain('s3cret');
    expect(message).not.toContain('mongodb://');
    expect(message).not.toContain('staging');
  });
});
