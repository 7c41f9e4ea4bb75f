import { Injectable } from '@nestjs/common';
import type { ServerResponse } from 'node:http';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

/** Set on a response while it counts as an interactive request in flight. */
const COUNTED = Symbol('interactive-request');
type CountedResponse = ServerResponse & { [COUNTED]?: boolean };

/**
 * How long after the last interactive request ended the instance still counts as busy (recentlyBusy):
 * other users' lists at 50/s come every 20 ms; a user's own click before an export is rarely this close.
 */
export const RECENTLY_BUSY_MS = 300;

/**
 * The interactive requests in flight in this process: every request except the heavy reads
 * (@HeavyRead: a search, an export, a report), which leave the count when their interceptor sees
 * them. Heavy reads yield to them (issue 17, bench `burst`): a CSV export that starts while others
 * are working reads in key-range chunks and pauses between two while any is in flight (its backend
 * then idle); one that started alone pauses between its writes (PostgreSQL, its socket full, stops
 * writing); a search waits for a gap between them before it starts (briefly).
 *
 * On every request's path, so kept to a counter and one shared `close` listener per response
 * (`close` comes for a finished response and for a client gone mid-way alike; Fastify's onResponse
 * does not come for the latter).
 */
@Injectable()
export class InteractiveRequests {
  private count = 0;
  private lastEndedAt = -Infinity;
  private idleWaiters: Array<() => void> = [];
  private readonly onClose: (this: CountedResponse) => void;

  constructor() {
    const counter = this;
    this.onClose = function (this: CountedResponse) {
      if (counter.uncount(this)) counter.lastEndedAt = performance.now();
    };
  }

  /** Counts every request from its onRequest on (registered after the hooks that may answer a request themselves). */
  register(fastify: FastifyInstance): void {
    fastify.addHook('onRequest', (_req: FastifyRequest, reply: FastifyReply, done: () => void) => {
      this.enter(reply.raw);
      done();
    });
  }

  enter(res: ServerResponse): void {
    const counted = res as CountedResponse;
    if (counted[COUNTED]) return;
    counted[COUNTED] = true;
    this.count++;
    // `on`, not `once` (which wraps the listener anew each time): a response closes only once, and
    // a second `close` finds it uncounted.
    res.on('close', this.onClose);
  }

  /** The request is a heavy read, not an interactive one: it no longer counts (nor does its end). */
  exclude(res: ServerResponse): void {
    this.uncount(res);
  }

  private uncount(res: ServerResponse): boolean {
    const counted = res as CountedResponse;
    if (!counted[COUNTED]) return false;
    counted[COUNTED] = false;
    this.count--;
    if (this.count === 0 && this.idleWaiters.length) {
      const waiters = this.idleWaiters;
      this.idleWaiters = [];
      for (const wake of waiters) wake();
    }
    return true;
  }

  /** Interactive requests in flight now. */
  inFlight(): number {
    return this.count;
  }

  /** Any in flight now, or one ended within RECENTLY_BUSY_MS: others are using the instance. */
  recentlyBusy(now = performance.now()): boolean {
    return this.count > 0 || now - this.lastEndedAt < RECENTLY_BUSY_MS;
  }

  /**
   * Resolves when no interactive request is in flight, or after `maxMs` at the latest (so that a
   * heavy read still moves under constant traffic); null at once when none is in flight now.
   */
  whenIdle(maxMs: number): Promise<void> | null {
    if (this.count === 0) return null;
    return new Promise<void>((resolve) => {
      let timer: NodeJS.Timeout | undefined = undefined;
      const wake = () => {
        clearTimeout(timer);
        resolve();
      };
      timer = setTimeout(() => {
        const i = this.idleWaiters.indexOf(wake);
        if (i !== -1) this.idleWaiters.splice(i, 1);
        resolve();
      }, maxMs);
      this.idleWaiters.push(wake);
    });
  }
}
