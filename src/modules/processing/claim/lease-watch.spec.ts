import { LeaseWatch } from './lease-watch.js';

describe('LeaseWatch', () => {
  const lease = (beat: number, owner = 'a') => ({ id: 'p1', owner, beat, leaseMs: 1000 });

  it('calls a lease abandoned once it has stood still for a whole lease period', () => {
    const watch = new LeaseWatch();
    expect(watch.abandoned([lease(3)], 10_000)).toEqual([]);
    expect(watch.abandoned([lease(3)], 10_999)).toEqual([]);
    expect(watch.abandoned([lease(3)], 11_000)).toEqual([lease(3)]);
  });

  it('starts over when the lease is renewed or changes hands', () => {
    const watch = new LeaseWatch();
    watch.abandoned([lease(1)], 0);
    expect(watch.abandoned([lease(2)], 900)).toEqual([]);
    expect(watch.abandoned([lease(2)], 1800)).toEqual([]);
    expect(watch.abandoned([lease(2, 'b')], 1900)).toEqual([]);
    expect(watch.abandoned([lease(2, 'b')], 2900)).toEqual([lease(2, 'b')]);
  });

  it('judges by elapsed time only: a clock minutes ahead changes nothing', () => {
    const ahead = 5 * 60_000;
    const watch = new LeaseWatch();
    expect(watch.abandoned([lease(1)], ahead)).toEqual([]);
    expect(watch.abandoned([lease(2)], ahead + 400)).toEqual([]);
  });

  it('forgets leases that are no longer held', () => {
    const watch = new LeaseWatch();
    watch.abandoned([lease(1)], 0);
    watch.abandoned([], 500);
    expect(watch.abandoned([lease(1)], 1200)).toEqual([]);
  });
});
