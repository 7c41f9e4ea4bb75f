import type { BenchReport } from './report-types';

const pad = (s: string | number, n: number) => String(s).padStart(n);
const padEnd = (s: string | number, n: number) => String(s).padEnd(n);
const ms = (x: number) => (Number.isFinite(x) ? (x >= 100 ? x.toFixed(0) : x.toFixed(1)) : '-');

/** The figures as a fixed-width table (printed, and kept in the Markdown file). */
export function renderTable(r: BenchReport): string {
  const lines: string[] = [];
  lines.push(
    `${padEnd('scenario', 11)}${pad('floor/s', 9)}${pad('app/s', 8)}${pad('app÷floor', 10)}` +
      `${pad('app p50', 9)}${pad('app p99', 9)}${pad('floor p99', 10)}  |${pad('fixed/s', 8)}${pad('app p50', 9)}${pad('floor p50', 10)}${pad('app p99', 9)}${pad('floor p99', 10)}  |${pad('app RSS', 9)}`,
  );
  lines.push(`${padEnd('', 11)}${pad('50 connections (saturation), ms', 64)}  |${pad('half the floor\u2019s rate, ms', 46)}  |${pad('MB', 9)}`);
  for (const s of r.scenarios) {
    const m = s.summary;
    lines.push(
      `${padEnd(s.name, 11)}${pad(m.floorRps, 9)}${pad(m.appRps, 8)}${pad(m.ratio.toFixed(2), 10)}` +
        `${pad(ms(m.appP50), 9)}${pad(ms(m.appP99), 9)}${pad(ms(m.floorP99), 10)}  |${pad(s.fixedRate, 8)}${pad(ms(m.appFixedP50), 9)}${pad(ms(m.floorFixedP50), 10)}${pad(ms(m.appFixedP99), 9)}${pad(ms(m.floorFixedP99), 10)}  |${pad(s.appPeakRssMb, 9)}`,
    );
  }
  if (r.scenarios.length) {
    lines.push('');
    lines.push('own CPU at 50 connections (from /proc: user + system of the server process alone; PostgreSQL, Redis and the load are apart)');
    lines.push(`${padEnd('scenario', 11)}${pad('app µs/req', 12)}${pad('floor µs/req', 14)}${pad('app÷floor', 11)}${pad('app cores', 11)}${pad('floor cores', 13)}`);
    for (const s of r.scenarios) {
      const m = s.summary;
      const ratio = m.floorCpuUsPerRequest ? (m.appCpuUsPerRequest / m.floorCpuUsPerRequest).toFixed(2) : '-';
      lines.push(`${padEnd(s.name, 11)}${pad(m.appCpuUsPerRequest ?? '-', 12)}${pad(m.floorCpuUsPerRequest ?? '-', 14)}${pad(ratio, 11)}${pad(m.appCoreShare ?? '-', 11)}${pad(m.floorCoreShare ?? '-', 13)}`);
    }
  }
  if (r.reminders) {
    const x = r.reminders;
    lines.push('');
    lines.push(
      `reminders: ${x.count} due at once over ${x.cases} cases, written ${x.leadSec} s ahead: all on the queue ${x.allEnqueuedSec ?? '-'} s after writing, ` +
        `all delivered ${x.allDeliveredSec ?? 'NOT ALL'} s after falling due ` +
        `(${x.ratePerSec ?? '-'}/s); ${x.notifications} notifications for ${x.notificationsForDistinctReminders} reminders, skipped ${x.skipped}`,
    );
  }
  lines.push(
    `app peak memory (VmHWM over the whole run): ${r.memory.appVmHwmMb} MB (${r.memory.beforeDocumentsMb ?? '-'} MB before the documents and the page); RSS after start ${r.memory.afterStartMb ?? '-'} MB` +
      (r.memory.afterSnapshotsMb !== undefined ? `, peak while computing the statistics snapshots ${r.memory.afterSnapshotsMb} MB` : ''),
  );
  for (const p of r.memory.checkpoints ?? []) {
    const heap = p.heapUsedMb !== undefined ? `  heap ${pad(p.heapUsedMb, 6)} / ${pad(p.heapTotalMb ?? '-', 6)}  external ${pad(p.externalMb ?? '-', 6)}` : '';
    const trimmed = p.trimReleasedMb !== undefined ? `  trimmed ${pad(p.trimReleasedMb, 6)}` : '';
    lines.push(`  after ${padEnd(p.after, 44)} RSS ${pad(p.rssMb, 6)}  peak ${pad(p.hwmMb, 6)}${heap}${trimmed}  MB`);
  }
  lines.push('');
  lines.push('targets:');
  for (const t of r.targets) {
    lines.push(`  ${t.pass ? 'PASS' : 'FAIL'}  ${padEnd(t.what, 48)} ${padEnd(t.limit, 10)} measured ${t.value ?? '-'}${t.unit && t.unit !== '×' ? ' ' + t.unit : ''}`);
  }
  return lines.join('\n');
}

export function renderMarkdown(r: BenchReport, table: string): string {
  const out: string[] = [];
  out.push(`# Benchmark ${r.startedAt.slice(0, 10)} (${r.mode})`);
  out.push('');
  out.push(
    `Machine: ${r.machine.cpus} CPUs, ${r.machine.memoryGb} GB, Node ${r.machine.node}, ${r.machine.postgres}; load average (1/5/15 min) before the run ${r.machine.loadAverageBefore.join(' / ')}` +
      (r.machine.loadAverageAfter ? `, after ${r.machine.loadAverageAfter.join(' / ')}` : '') +
      `. App, floor, PostgreSQL, Redis and autocannon all on this one machine (other work on it shows in the load average).`,
  );
  out.push('');
  const g = r.data.generated;
  out.push(
    `Data: ${r.data.cases.toLocaleString('en')} cases and ${r.data.events.toLocaleString('en')} timeline events at the end of the run` +
      (g ? ` (generated in this run in ${g.seconds} s: ${g.cases.toLocaleString('en')} cases, ${g.events.toLocaleString('en')} events, ${g.sessions.toLocaleString('en')} sessions, ${g.agreements.toLocaleString('en')} agreements, ${g.installments.toLocaleString('en')} installments, ${g.confirmations.toLocaleString('en')} confirmations)` : ' (generated earlier)') +
      (r.data.snapshotDays === undefined
        ? '; no statistics snapshots (live counts).'
        : `; statistics snapshots cover the ${r.data.snapshotDays} past days of the five years` +
          (r.data.snapshotsComputed ? ` (${r.data.snapshotsComputed} missing days or monthly rollups computed in this run by the app's recompute job in ${r.data.snapshotSeconds} s).` : ' (computed by an earlier run).')),
  );
  out.push('');
  out.push(
    `Method: ${r.options.connections} connections; each figure is the median of ${r.options.runs} run(s) of ${r.options.durationSec} s, floor and app alternating, after a ${r.options.warmupSec} s warm-up of each. ` +
      (r.options.autocannonRate
        ? `"fixed/s" is autocannon's overallRate at half the floor's median throughput (a per-connection quota spent at the start of every second, so bursts). `
        : `"fixed/s" is half the floor's median throughput, offered as an open loop: one request every 1/rate s on up to ${r.options.connections} keep-alive connections, latency counted from when each request was due (bench/lib/load.ts runPaced; autocannon's overallRate sends a burst at the start of every second instead). `) +
      `The floor is bench/floor-server.ts: node:http + raw pg running the same SQL (intake: the same statement). Latencies in ms.`,
  );
  out.push('');
  out.push('```');
  out.push(table);
  out.push('```');
  out.push('');
  out.push('## Scenarios');
  out.push('');
  for (const s of r.scenarios) {
    out.push(`- **${s.name}**: ${s.description}. Runs (req/s, p99 ms): floor ${s.floor.saturated.map((x) => `${x.rps}/${x.p99}`).join(', ')}; app ${s.app.saturated.map((x) => `${x.rps}/${x.p99}`).join(', ')}; ` +
      `at ${s.fixedRate}/s: floor ${s.floor.fixed.map((x) => `${x.rps}/${x.p99}`).join(', ')}; app ${s.app.fixed.map((x) => `${x.rps}/${x.p99}`).join(', ')}. Non-2xx ${s.summary.non2xx}, errors ${s.summary.errors}.`);
  }
  out.push('');
  if (r.appLog.length) {
    out.push('## What the app logged (warn and above)');
    out.push('');
    for (const l of r.appLog) out.push(`- ${l.count} × ${l.message.replace(/\|/g, '\\|')}`);
    out.push('');
  }
  out.push('## Query plans');
  out.push('');
  out.push('Execution time of each statement behind the read requests (EXPLAIN ANALYZE, warm), same SQL and parameters as the app:');
  out.push('');
  out.push('| request | statement | execution ms |');
  out.push('|---|---|---:|');
  for (const p of r.plans) out.push(`| ${p.request} | ${p.statement} | ${p.executionMs.toFixed(1)} |`);
  const slow = r.plans.filter((p) => p.executionMs >= 10);
  if (slow.length) {
    out.push('');
    out.push('Plans of the statements that took 10 ms or more:');
    for (const p of slow) {
      out.push('');
      out.push(`### ${p.request}: ${p.statement} (${p.executionMs.toFixed(1)} ms)`);
      out.push('');
      out.push('```sql');
      out.push(p.sql);
      out.push('```');
      out.push('```');
      out.push(p.plan);
      out.push('```');
    }
  }
  out.push('');
  return out.join('\n');
}
