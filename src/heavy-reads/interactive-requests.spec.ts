import { EventEmitter } from 'node:events';
import type { ServerResponse } from 'node:http';
import { InteractiveRequests, RECENTLY_BUSY_MS } from './interactive-requests';

/** A response as far as the counter looks at it: something that emits `close` once. */
const response = () => new EventEmitter() as unknown as ServerResponse;

describe('InteractiveRequests', () => {
  afterEach(() => jest.useRealTimers());

  it('counts a request from its start until its response closes (once), and not a heavy read', () => {
    const requests = new InteractiveRequests();
    const a = response();
    const b = response();
    const heavy = response();
    requests.enter(a);
    requests.enter(a);
    requests.enter(b);
    requests.enter(heavy);
    expect(requests.inFlight()).toBe(3);
    requests.exclude(heavy);
    expect(requests.inFlight()).toBe(2);
    heavy.emit('close');
    a.emit('close');
    a.emit('close');
    expect(requests.inFlight()).toBe(1);
    b.emit('close');
    expect(requests.inFlight()).toBe(0);
  });

  it('is recently busy for RECENTLY_BUSY_MS after an interactive request ends, never because of a heavy read', () => {
    const requests = new InteractiveRequests();
    const t0 = performance.now();
    expect(requests.recentlyBusy(t0)).toBe(false);
    const heavy = response();
    requests.enter(heavy);
    expect(requests.recentlyBusy()).toBe(true);
    requests.exclude(heavy);
    heavy.emit('close');
    expect(requests.recentlyBusy()).toBe(false);
    const list = response();
    requests.enter(list);
    list.emit('close');
    const ended = performance.now();
    expect(requests.recentlyBusy(ended)).toBe(true);
    expect(requests.recentlyBusy(ended + RECENTLY_BUSY_MS + 1)).toBe(false);
  });

  it('whenIdle: nothing to wait for when none is in flight; else until the last one ends, or maxMs at the latest', async () => {
    jest.useFakeTimers();
    const requests = new InteractiveRequests();
    expect(requests.whenIdle(50)).toBeNull();

    const a = response();
    const b = response();
    requests.enter(a);
    requests.enter(b);
    let woken = false;
    const idle = requests.whenIdle(50)!.then(() => (woken = true));
    a.emit('close');
    await Promise.resolve();
    expect(woken).toBe(false);
    b.emit('close');
    await idle;
    expect(woken).toBe(true);

    requests.enter(a);
    let timedOut = false;
    const capped = requests.whenIdle(50)!.then(() => (timedOut = true));
    jest.advanceTimersByTime(49);
    await Promise.resolve();
    expect(timedOut).toBe(false);
    jest.advanceTimersByTime(1);
    await capped;
    expect(timedOut).toBe(true);
    expect(requests.inFlight()).toBe(1);
  });
});
