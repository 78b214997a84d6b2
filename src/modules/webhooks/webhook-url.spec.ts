import { parseBlockedRanges } from '../processing/fetch/address-guard.js';
import { webhookUrlProblem } from './webhook-url.js';

/** A resolver that answers from a table, so no real DNS is asked. */
const resolveFrom =
  (table: Record<string, string[]>) =>
  (hostname: string): Promise<{ address: string }[]> =>
    table[hostname]
      ? Promise.resolve(table[hostname].map((address) => ({ address })))
      : Promise.reject(Object.assign(new Error('not found'), { code: 'ENOTFOUND' }));

const dns = resolveFrom({
  'hooks.example.com': ['93.184.216.34'],
  'rebind.example.com': ['93.184.216.34', '10.0.0.5'],
  'internal.example.com': ['192.168.1.20'],
  'empty.example.com': [],
});

describe('webhookUrlProblem', () => {
  it.each([
    ['a public name', 'https://hooks.example.com/in', undefined],
    ['a public IP', 'http://93.184.216.34/in', undefined],
    [
      'a name with one private address among public ones',
      'https://rebind.example.com/',
      'url must point to a public address',
    ],
    [
      'a name resolving to a private address',
      'https://internal.example.com/',
      'url must point to a public address',
    ],
    ['a loopback IP', 'http://127.0.0.1:8080/', 'url must point to a public address'],
    ['an IPv6 unique-local address', 'http://[fd00::1]/', 'url must point to a public address'],
    ['a name that does not resolve', 'https://nowhere.example.com/', 'url host does not resolve'],
    ['a name with no address', 'https://empty.example.com/', 'url host does not resolve'],
    ['credentials', 'https://u:p@hooks.example.com/', 'url must not carry credentials'],
  ])('%s', async (_, url, problem) => {
    await expect(webhookUrlProblem(url, [], [], dns)).resolves.toBe(problem);
  });

  it('refuses a public address in FETCH_BLOCKED_RANGES', async () => {
    const blocked = parseBlockedRanges(['93.184.216.0/24']);
    await expect(webhookUrlProblem('https://hooks.example.com/', [], blocked, dns)).resolves.toBe(
      'url must point to a public address',
    );
  });

  it('lets an allowed host through whatever it resolves to', async () => {
    await expect(
      webhookUrlProblem('http://internal.example.com/', ['internal.example.com'], [], dns),
    ).resolves.toBeUndefined();
    await expect(
      webhookUrlProblem('http://127.0.0.1:9/', ['127.0.0.1'], [], dns),
    ).resolves.toBeUndefined();
  });
});
