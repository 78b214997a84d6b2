import 'reflect-metadata';
import { Environment, NodeEnv, validateEnvironment } from './environment.js';

const DEFAULTS = {
  NODE_ENV: NodeEnv.Development,
  PORT: 3000,
  QUERY_MAX_TIME_MS: 5000,
  HOST: '0.0.0.0',
  LOG_LEVEL: 'log',
  MONGODB_URI: undefined,
  MONGODB_DB_NAME: undefined,
  MONGODB_MAX_POOL_SIZE: 10,
  MONGODB_SERVER_SELECTION_TIMEOUT_MS: 5000,
  EMBEDDED_MONGOD_DIR: '.data/mongod',
  BODY_LIMIT_BYTES: 1024 * 1024,
  PROCESSING_ENABLED: true,
  PROCESSING_QUEUE_ON_CREATE: true,
  PROCESSING_CONCURRENCY: 1,
  PROCESSING_LEASE_MS: 60_000,
  PROCESSING_POLL_INTERVAL_MS: 1000,
  PROCESSING_MAX_RETRIES: 3,
  PROCESSING_RETRY_BASE_MS: 2000,
  OCR_WORKER_RECYCLE_AFTER: 50,
  FETCH_MAX_BYTES: 20 * 1024 * 1024,
  FETCH_TIMEOUT_MS: 15_000,
  FETCH_MAX_REDIRECTS: 3,
  FETCH_ALLOWED_HOSTS: [],
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
  ])('rejects %s, naming the key but not the value', (_label, raw, key) => {
    const error = errorFrom(raw);
    expect(error.message).toMatch(/^Invalid environment configuration: /);
    expect(error.message).toContain(`${key}:`);
    expect(error.message).not.toContain(Object.values(raw)[0]);
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
