import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import type { ExportRow } from './case-export.repository';
import { writeCaseLedgerXlsx } from './case-export-xlsx';

function row(i: number): ExportRow {
  return {
    id: `id-${i}`,
    case_number: `WS01-2026-${String(i).padStart(6, '0')}`,
    workstation_name: '江岸区劳动争议调解工作室',
    source: 'walk_in' as ExportRow['source'],
    court_case_number: null,
    dispute_type: 'wage_arrears' as ExportRow['dispute_type'],
    status: 'registered' as ExportRow['status'],
    applicant_name: `申请人${i}`,
    applicant_id_number: '420102199001011234',
    respondent_name: '武汉某某建设工程有限公司',
    respondent_credit_code: '914201001234567890',
    worker_count: 1,
    claim_amount: '12345.60',
    mediator_name: null,
    received_at: '2026-03-01 09:30',
    deadline_date: '2026-03-31',
    overdue: false,
    concluded_at: null,
    agreed_amount: null,
    confirmation_status: null,
    ruling_number: null,
    // Random text compresses little: the zip's buffers fill with few rows, as with real cases.
    summary: `被申请人拖欠工资${i}元，申请调解。${randomBytes(200).toString('base64')}`,
  };
}

/** Batches of 1,000 rows, counting how many were taken. */
function counted(total: number): { batches: AsyncGenerator<ExportRow[]>; taken: () => number } {
  let taken = 0;
  async function* batches(): AsyncGenerator<ExportRow[]> {
    while (taken < total) {
      const batch = Array.from({ length: 1000 }, (_, k) => row(taken + k));
      taken += batch.length;
      yield batch;
    }
  }
  return { batches: batches(), taken: () => taken };
}

describe('writeCaseLedgerXlsx', () => {
  it('stops taking rows while the output is not read, and fails when the output closes early', async () => {
    // A client that takes nothing: its socket buffer is full.
    const stalled = new Writable({ highWaterMark: 16 * 1024, write: () => undefined });
    const source = counted(200_000);
    const writing = writeCaseLedgerXlsx(stalled, source.batches);
    // Waits until no row has been taken for a second (at most 15 s).
    let before = -1;
    let still = 0;
    for (let waited = 0; still < 2 && waited < 15_000; waited += 500) {
      await new Promise((r) => setTimeout(r, 500));
      still = source.taken() === before ? still + 1 : 0;
      before = source.taken();
    }
    // The pipeline's buffers filled (the zip's own megabyte of compressed output, a worksheet chunk), then nothing more was taken.
    expect(still).toBe(2);
    expect(source.taken()).toBeLessThan(50_000);
    stalled.destroy();
    await expect(writing).rejects.toThrow('closed before the end');
  });

  it('writes every row to a client that reads', async () => {
    let bytes = 0;
    const reader = new Writable({
      write: (chunk: Buffer, _encoding, done) => {
        bytes += chunk.length;
        setImmediate(done);
      },
    });
    const source = counted(5000);
    await writeCaseLedgerXlsx(reader, source.batches);
    expect(source.taken()).toBe(5000);
    // A zip: its end-of-central-directory record was written, after the sheet.
    expect(bytes).toBeGreaterThan(50_000);
    expect(reader.writableFinished).toBe(true);
  });
});
