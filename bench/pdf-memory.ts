/**
 * The PDF documents' memory, in this process: the RSS rise of the first agreement (pdfkit, fontkit and
 * the CJK faces load with it), then of 20 more documents (agreements and registration forms of
 * different cases), sampling VmRSS every 10 ms as the bench does. `--rare` gives one case in five a
 * party whose name has a character outside the subset faces (喆, 堃, 赟, 昇), which loads the full
 * system face. Run with the production flags:
 *
 *   node --max-old-space-size=192 --max-semi-space-size=8 dist/bench/pdf-memory.js [--rare] [--documents path/to/case-documents.js]
 *
 * `--documents` takes another build of src/documents/case-documents.ts (e.g. main's dist) to compare.
 */
import { readFileSync } from 'node:fs';
import type { CaseDocumentData } from '../src/documents/case-document-data';
import type { CASE_DOCUMENTS as CaseDocuments } from '../src/documents/case-documents';

const mb = (bytes: number) => Math.round(bytes / 1e5) / 10;

function vmRss(): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
  return m ? Number(m[1]) * 1024 : process.memoryUsage().rss;
}

/**
 * The V8 heap (used and reserved) and the memory of ArrayBuffers and Buffers (external), MB: the RSS
 * rise beyond these is outside V8's accounting (code loaded, and glibc keeping what the compiler freed;
 * bench/results/2026-11-28-memory-levers.md).
 */
function v8Memory(): { heapUsedMB: number; heapTotalMB: number; externalMB: number } {
  const m = process.memoryUsage();
  return { heapUsedMB: mb(m.heapUsed), heapTotalMB: mb(m.heapTotal), externalMB: mb(m.external) };
}

const COMMON_NAMES = ['王小明', '李建国', '张伟', '刘芳', '陈静', '杨洋', '赵磊', '黄海涛', '周敏', '吴刚'];
const RARE_NAMES = ['张喆', '陈堃', '刘赟', '李昇'];

function caseData(i: number, rare: boolean): CaseDocumentData {
  const name = rare && i % 5 === 0 ? RARE_NAMES[(i / 5) % RARE_NAMES.length] : COMMON_NAMES[i % COMMON_NAMES.length];
  const received = new Date(Date.UTC(2026, 8, 1 + (i % 28), 1, 30));
  const c = {
    id: `00000000-0000-0000-0000-${String(i).padStart(12, '0')}`,
    caseNumber: `WS01-2026-${String(i).padStart(6, '0')}`,
    source: i % 3 ? 'walk_in' : 'court_entrusted',
    courtCaseNumber: i % 3 ? null : `（2026）鄂0102民诉前调${1000 + i}号`,
    disputeType: 'wage_arrears',
    status: 'agreement_reached',
    workerCount: 1 + (i % 5),
    claimAmount: `${38600 + i * 17}.00`,
    summary: `申请人${name}于2025年3月入职被申请人处从事钢筋工作，被申请人拖欠2026年7月至9月工资共计${38600 + i * 17}元，经多次催要未果，申请调解。`,
    receivedAt: received,
    deadlineAt: new Date(received.getTime() + 15 * 86_400_000),
    extensionDays: 0,
  };
  const signedAt = new Date(received.getTime() + 7 * 86_400_000);
  return {
    case: c as unknown as CaseDocumentData['case'],
    workstation: { name: '江岸区劳动争议调解工作室', court: '武汉市江岸区人民法院', union: '武汉市江岸区总工会', region: '湖北省武汉市江岸区' },
    mediatorName: '周调解',
    agreement: {
      terms: '被申请人分两期向申请人支付拖欠工资，申请人放弃其余请求。',
      agreedAmount: `${30000 + i}.00`,
      signedAt,
      effectiveAt: signedAt,
      installments: [
        { seq: 1, dueDate: '2027-01-15', amount: '12500.00' },
        { seq: 2, dueDate: '2027-02-15', amount: `${17500 + i}.00` },
      ],
    } as unknown as CaseDocumentData['agreement'],
    confirmation: null,
    handOff: null,
    applicant: { name, identityLabel: '身份证号', identity: '420102********1234', phone: '13800000000', address: `武汉市江岸区解放大道${100 + i}号` },
    respondent: {
      name: `武汉某某建筑有限公司${i}`,
      identityLabel: '统一社会信用代码',
      identity: '91420100MA4K0000XX',
      phone: '027-88886666',
      address: '武汉市江汉区建设大道1号',
    },
    issuedAt: new Date(),
  };
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const rare = args.includes('--rare');
  const at = args.indexOf('--documents');
  const modulePath = at >= 0 ? args[at + 1] : '../src/documents/case-documents';
  const base = vmRss();
  const before = v8Memory();
  let peak = base;
  const timer = setInterval(() => (peak = Math.max(peak, vmRss())), 10);
  const { CASE_DOCUMENTS } = require(modulePath) as { CASE_DOCUMENTS: typeof CaseDocuments };

  let started = Date.now();
  await CASE_DOCUMENTS.agreement.render(caseData(0, rare));
  // Rendering is mostly synchronous, so the sampler sees little of it: the RSS read right after counts too.
  const first = { ms: Date.now() - started, peak: Math.max(peak, vmRss()), after: vmRss(), v8: v8Memory() };
  peak = first.after;
  started = Date.now();
  for (let i = 1; i <= 20; i++) await CASE_DOCUMENTS[i % 2 ? 'agreement' : 'registration'].render(caseData(i, rare));
  const twenty = { ms: Date.now() - started, peak: Math.max(peak, vmRss()), after: vmRss(), v8: v8Memory() };
  clearInterval(timer);
  console.log(
    JSON.stringify({
      documents: modulePath,
      rare,
      rssBeforeMB: mb(base),
      v8Before: before,
      firstAgreement: { ms: first.ms, peakRiseMB: mb(first.peak - base), afterRiseMB: mb(first.after - base), v8After: first.v8 },
      next20: { ms: twenty.ms, peakRiseMB: mb(twenty.peak - base), afterRiseMB: mb(twenty.after - base), v8After: twenty.v8 },
    }),
  );
}

void main();
