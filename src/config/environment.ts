import { plainToInstance, Transform } from 'class-transformer';
import {
  IsEnum,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Max,
  Min,
  MinLength,
  validateSync,
} from 'class-validator';

export enum NodeEnv {
  Development = 'development',
  Production = 'production',
  Test = 'test',
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'log', 'debug', 'verbose'] as const;
export type LogLevelName = (typeof LOG_LEVELS)[number];

/** Turns a decimal string into a number and leaves anything else for the validator to reject. */
function toInteger({ value }: { value: unknown }): unknown {
  return typeof value === 'string' && /^-?\d+$/.test(value.trim()) ? Number(value) : value;
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

  @IsString()
  @MinLength(1)
  HOST = '0.0.0.0';

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
