import { EventEmitter } from 'node:events';
import type { ServerResponse } from 'node:http';
import { Role } from '../accounts-core/role.enum';
import { InteractiveRequests } from '../heavy-reads/interactive-requests';
import type { CaseExportRepository, CopyOptions } from './case-export.repository';
import { CaseExportService, CSV_WRITE_SIZE, EXPORT_YIELD_MAX_MS } from './case-export.service';

/**
 * COPY's side of the export: `chunks` lines that fill one write to the response each (with the
 * CR that the LF gains), counting what was read; serial, each line is a key-range chunk of its own, followed by the empty buffer that ends one.
 */
function fakeCopy(chunks: number) {
  const state = { read: 0, options: undefined as CopyOptions | undefined };
  const repository = {
    async *csvLines(_filter: unknown, _select: unknown, options: CopyOptions = {}): AsyncGenerator<Buffer> {
      state.options = options;
      for (let i = 0; i < chunks; i++) {
        state.read++;
        yield Buffer.from(`${'x'.repeat(CSV_WRITE_SIZE - 2)}\n`);
        if (options.serial && i < chunks - 1) yield Buffer.alloc(0);
      }
    },
  };
  return { repository: repository as unknown as CaseExportRepository, state };
}

const ADMIN = { id: 'u1', username: 'admin', role: Role.Admin, workstationId: null };
const response = () => new EventEmitter() as unknown as ServerResponse;
/** Lets every pending promise callback run (the generator's next step included, unless it waits on a timer). */
const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('CaseExportService.csv yields to interactive requests', () => {
  afterEach(() => jest.useRealTimers());

  it('alone: reads COPY straight through, with a parallel plan allowed', async () => {
    const interactive = new InteractiveRequests();
    const whenIdle = jest.spyOn(interactive, 'whenIdle');
    const { repository, state } = fakeCopy(5);
    const out: Buffer[] = [];
    for await (const b of new CaseExportService(repository, interactive).csv(ADMIN, {})) out.push(b);
    // Full writes, the header's bytes left over for the last.
    expect(out).toHaveLength(6);
    expect(out.slice(0, 5).every((b) => b.length === CSV_WRITE_SIZE)).toBe(true);
    expect(out[5].length).toBeLessThan(1000);
    expect(state.read).toBe(5);
    expect(state.options).toEqual({ serial: false });
    // Asked after every full write, and nothing to wait for each time.
    expect(whenIdle.mock.results.map((r) => r.value)).toEqual([null, null, null, null, null]);
  });

  it('while a request is in flight: reads in chunks and asks for no further chunk until it ends', async () => {
    // No wait is cut short by EXPORT_YIELD_MAX_MS here, however slow the machine.
    jest.useFakeTimers({ doNotFake: ['setImmediate', 'performance'] });
    const interactive = new InteractiveRequests();
    const list = response();
    interactive.enter(list);
    const { repository, state } = fakeCopy(5);
    const csv = new CaseExportService(repository, interactive).csv(ADMIN, {});
    expect((await csv.next()).done).toBe(false);
    expect(state.options).toEqual({ serial: true });
    expect(state.read).toBe(1);
    // The first chunk's last bytes go out at its end.
    expect((await csv.next()).done).toBe(false);
    const third = csv.next();
    await settle();
    await settle();
    // Paused between two chunks: the next is not asked for, so the server does nothing.
    expect(state.read).toBe(1);
    list.emit('close');
    expect((await third).done).toBe(false);
    expect(state.read).toBe(2);
    // Idle again: the rest at once.
    let rest = 0;
    for (let r = await csv.next(); !r.done; r = await csv.next()) rest++;
    // One full write a chunk (the header's bytes that made the first chunk spill over went out at its end).
    expect(rest).toBe(3);
    expect(state.read).toBe(5);
  });

  it('under constant traffic still moves, one write per EXPORT_YIELD_MAX_MS', async () => {
    jest.useFakeTimers({ doNotFake: ['setImmediate', 'performance'] });
    const interactive = new InteractiveRequests();
    interactive.enter(response());
    const { repository, state } = fakeCopy(3);
    const csv = new CaseExportService(repository, interactive).csv(ADMIN, {});
    await csv.next();
    await csv.next();
    const third = csv.next();
    await settle();
    expect(state.read).toBe(1);
    jest.advanceTimersByTime(EXPORT_YIELD_MAX_MS - 1);
    await settle();
    expect(state.read).toBe(1);
    jest.advanceTimersByTime(1);
    expect((await third).done).toBe(false);
    expect(state.read).toBe(2);
  });
});
