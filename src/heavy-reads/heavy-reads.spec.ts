import { HEAVY_READS, HeavyReadSlots } from './heavy-reads';

describe('HeavyReadSlots', () => {
  afterEach(() => jest.useRealTimers());

  it('gives each user perUser slots of a kind, and one back when released (once)', () => {
    const slots = new HeavyReadSlots();
    const held = Array.from({ length: HEAVY_READS.search.perUser }, () => slots.tryAcquire('u1', 'search'));
    expect(held.every(Boolean)).toBe(true);
    expect(slots.tryAcquire('u1', 'search')).toBeNull();
    expect(slots.tryAcquire('u2', 'search')).not.toBeNull();
    expect(slots.tryAcquire('u1', 'export')).not.toBeNull();
    held[0]!();
    held[0]!();
    expect(slots.inUse()).toBe(HEAVY_READS.search.perUser + 1);
    expect(slots.tryAcquire('u1', 'search')).not.toBeNull();
    expect(slots.tryAcquire('u1', 'search')).toBeNull();
  });

  it('hands an instance slot to the waiters in turn, and times a waiter out', async () => {
    jest.useFakeTimers();
    const slots = new HeavyReadSlots();
    const { perInstance, waitMs } = HEAVY_READS.export;
    const running = await Promise.all(Array.from({ length: perInstance }, () => slots.acquireShared('export')));
    expect(running.every(Boolean)).toBe(true);
    const first = slots.acquireShared('export');
    const second = slots.acquireShared('export');
    expect(slots.shared('export')).toEqual({ running: perInstance, waiting: 2 });
    running[0]!();
    running[0]!();
    const firstRelease = await first;
    expect(firstRelease).not.toBeNull();
    expect(slots.shared('export')).toEqual({ running: perInstance, waiting: 1 });
    jest.advanceTimersByTime(waitMs);
    await expect(second).resolves.toBeNull();
    expect(slots.shared('export')).toEqual({ running: perInstance, waiting: 0 });
    firstRelease!();
    for (const release of running.slice(1)) release!();
    expect(slots.shared('export')).toEqual({ running: 0, waiting: 0 });
  });

  it('turns away at once whoever comes when maxWaiting already wait', async () => {
    jest.useFakeTimers();
    const slots = new HeavyReadSlots();
    const { perInstance, maxWaiting } = HEAVY_READS.export;
    await Promise.all(Array.from({ length: perInstance }, () => slots.acquireShared('export')));
    const waiting = Array.from({ length: maxWaiting }, () => slots.acquireShared('export'));
    await expect(slots.acquireShared('export')).resolves.toBeNull();
    expect(slots.shared('export').waiting).toBe(maxWaiting);
    jest.advanceTimersByTime(HEAVY_READS.export.waitMs);
    await expect(Promise.all(waiting)).resolves.toEqual(waiting.map(() => null));
  });
});
