import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { useTestApp } from '../support/test-app.js';
import { compareOpenApi } from '../support/openapi-compare.js';

/** The customer's contract, committed so that a clone without ../shared can still check it. */
const SNAPSHOT = join(process.cwd(), 'openapi', 'contract.openapi.json');
/** Where the customer publishes it (present in CI, maybe not elsewhere). */
const SHARED_CONTRACT = join(process.cwd(), '..', 'shared', 'contract', 'openapi.json');

const readJson = (file: string): Record<string, any> => JSON.parse(readFileSync(file, 'utf8'));

/**
 * Where the server knowingly differs from the contract, and why. The document says what the
 * server does; each entry must still match a difference (so it is removed once fixed).
 */
const KNOWN_DEVIATIONS: { difference: RegExp; reason: string }[] = [
  {
    difference: /^GET \/health response 429: missing$/,
    reason: 'health probes are never rate limited (public-paths.ts), so /health never answers 429',
  },
  {
    difference: /response \d+ body\.error\.code: enum is .*"REQUEST_TIMEOUT"/,
    reason:
      'the server also sends 408 REQUEST_TIMEOUT (a request not received in time, client-error.handler.ts)',
  },
  {
    difference: /parameter query "fields": pattern is .*extractionChecks/,
    reason: '`fields` also accepts `extractionChecks`, a field the server adds to the contract',
  },
  {
    difference: /request body body\.annotations\[\]\.coordinates: requires x, y, width, height/,
    reason: 'the server validates annotation coordinates as complete rectangles (BoundingBoxDto)',
  },
];

describe('the OpenAPI document conforms to the contract', () => {
  const { api } = useTestApp();
  let served: Record<string, any>;
  const contract = readJson(SNAPSHOT);

  beforeAll(async () => {
    const res = await api.get('/docs-json');
    expect(res.status).toBe(200);
    served = res.body;
  });

  it('has every operation of the contract, with its parameters, bodies, statuses and headers', () => {
    const differences = compareOpenApi(contract, served);
    const unexpected = differences.filter(
      (line) => !KNOWN_DEVIATIONS.some(({ difference }) => difference.test(line)),
    );
    // One line per difference, so that a failure lists them all.
    expect(unexpected.join('\n')).toBe('');
    const stale = KNOWN_DEVIATIONS.filter(
      ({ difference }) => !differences.some((line) => difference.test(line)),
    );
    expect(stale.map(({ reason }) => reason)).toEqual([]);
  });

  (existsSync(SHARED_CONTRACT) ? it : it.skip)(
    'compares against an up-to-date snapshot of ../shared/contract/openapi.json',
    () => {
      expect(contract).toEqual(readJson(SHARED_CONTRACT));
    },
  );
});
