// Turns the rounds of measurements into medians, the target ratios with PASS/FAIL,
// and the Markdown and JSON written to bench/results.
import { median } from './sample-statistics.mjs';

export const targetOrder = ['direct', 'proxy', 'portkey', 'modelmart'];
export const modes = ['json', 'sse'];
const modeLabels = { json: 'JSON', sse: 'SSE' };

export const goals = {
  shareOfProxyThroughput: 0.5,
  multipleOfPortkeyThroughput: 10,
  idleAddedMilliseconds: 0.3,
  firstByteOverProxyMilliseconds: 1,
};

function perRoundMedian(rounds, read) {
  return median(rounds.map(read));
}

function difference(left, right) {
  return typeof left === 'number' && typeof right === 'number' ? left - right : null;
}

function ratio(numerator, denominator) {
  return typeof numerator === 'number' && typeof denominator === 'number' && denominator > 0 ? numerator / denominator : null;
}

/** rounds: [{ load: {mode: {target: result}}, sequential: {mode: {target: result}} }] */
export function summarize(rounds, measuredTargets) {
  const rows = [];
  for (const mode of modes) {
    for (const target of measuredTargets) {
      const load = (round) => round.load[mode]?.[target.name];
      const sequential = (round) => round.sequential[mode]?.[target.name];
      rows.push({
        target: target.name,
        label: target.label,
        mode,
        requestsPerSecond: perRoundMedian(rounds, (round) => load(round)?.requestsPerSecond),
        latencyP50Milliseconds: perRoundMedian(rounds, (round) => load(round)?.latencyP50Milliseconds),
        latencyP99Milliseconds: perRoundMedian(rounds, (round) => load(round)?.latencyP99Milliseconds),
        cpuMicrosecondsPerRequest: perRoundMedian(rounds, (round) => load(round)?.cpuMicrosecondsPerRequest),
        upstreamCpuMicrosecondsPerRequest: perRoundMedian(rounds, (round) => load(round)?.upstreamCpuMicrosecondsPerRequest),
        loadGeneratorCpuPercent: perRoundMedian(rounds, (round) => load(round)?.loadGeneratorCpuPercent),
        idleP50Milliseconds: perRoundMedian(rounds, (round) => sequential(round)?.idleP50Milliseconds),
        idleAddedMilliseconds:
          target.name === 'direct' ? null : perRoundMedian(rounds, (round) => difference(sequential(round)?.idleP50Milliseconds, round.sequential[mode]?.direct?.idleP50Milliseconds)),
        firstByteP50Milliseconds: mode === 'sse' ? perRoundMedian(rounds, (round) => sequential(round)?.firstByteP50Milliseconds) : null,
        firstByteOverProxyMilliseconds:
          mode === 'sse' && target.name !== 'proxy' && target.name !== 'direct'
            ? perRoundMedian(rounds, (round) => difference(sequential(round)?.firstByteP50Milliseconds, round.sequential[mode]?.proxy?.firstByteP50Milliseconds))
            : null,
        failures: rounds.reduce((sum, round) => sum + (load(round)?.failures ?? 0), 0),
        sequentialFailure: rounds.map((round) => sequential(round)?.failure).find((failure) => failure) ?? null,
        rounds: rounds.map((round) => ({ load: load(round) ?? null, sequential: sequential(round) ?? null })),
      });
    }
  }
  return rows;
}

function verdict(value, passes) {
  if (typeof value !== 'number') return 'N/A';
  return passes(value) ? 'PASS' : 'FAIL';
}

function formatRatio(value, asPercent) {
  if (typeof value !== 'number') return null;
  return asPercent ? `${(value * 100).toFixed(0)}%` : `${value.toFixed(1)}×`;
}

function formatMilliseconds(value) {
  return typeof value === 'number' ? `${value >= 0 ? '+' : ''}${value.toFixed(3)} ms` : null;
}

/**
 * Each goal with what Modelmart measured, and for context what the minimal proxy (or Portkey)
 * measured on the same yardstick. Throughput goals also get the ratio of CPU µs per request:
 * on a small shared machine the load generator and the upstream take a fixed share of the cores,
 * which squeezes requests/s ratios towards 1; CPU per request shows the target's own cost.
 */
export function evaluateGoals(rounds, rows, skipped) {
  const goalLines = [];
  const row = (target, mode) => rows.find((candidate) => candidate.target === target && candidate.mode === mode);
  for (const mode of modes) {
    const throughputRatio = (subject, peer) =>
      perRoundMedian(rounds, (round) => ratio(round.load[mode]?.[subject]?.requestsPerSecond, round.load[mode]?.[peer]?.requestsPerSecond));
    const cpuRatio = (subject, peer) =>
      perRoundMedian(rounds, (round) => ratio(round.load[mode]?.[peer]?.cpuMicrosecondsPerRequest, round.load[mode]?.[subject]?.cpuMicrosecondsPerRequest));

    const shareOfProxy = throughputRatio('modelmart', 'proxy');
    goalLines.push({
      goal: `Modelmart requests/s ≥ ${goals.shareOfProxyThroughput * 100}% of the minimal proxy (${modeLabels[mode]})`,
      measured: formatRatio(shareOfProxy, true),
      value: shareOfProxy,
      byCpu: formatRatio(cpuRatio('modelmart', 'proxy'), true),
      reference: null,
      result: verdict(shareOfProxy, (value) => value >= goals.shareOfProxyThroughput),
    });
    const multipleOfPortkey = throughputRatio('modelmart', 'portkey');
    const proxyMultiple = formatRatio(throughputRatio('proxy', 'portkey'), false);
    goalLines.push({
      goal: `Modelmart requests/s ≥ ${goals.multipleOfPortkeyThroughput}× Portkey (${modeLabels[mode]})`,
      measured: multipleOfPortkey === null && skipped.portkey ? 'Portkey skipped' : formatRatio(multipleOfPortkey, false),
      value: multipleOfPortkey,
      byCpu: formatRatio(cpuRatio('modelmart', 'portkey'), false),
      reference: proxyMultiple === null ? null : `minimal proxy: ${proxyMultiple} (by CPU ${formatRatio(cpuRatio('proxy', 'portkey'), false)})`,
      result: verdict(multipleOfPortkey, (value) => value >= goals.multipleOfPortkeyThroughput),
    });
    const idleAdded = row('modelmart', mode)?.idleAddedMilliseconds ?? null;
    const proxyIdleAdded = formatMilliseconds(row('proxy', mode)?.idleAddedMilliseconds);
    goalLines.push({
      goal: `Modelmart idle added latency p50 ≤ ${goals.idleAddedMilliseconds} ms over direct (${modeLabels[mode]})`,
      measured: formatMilliseconds(idleAdded),
      value: idleAdded,
      byCpu: null,
      reference: proxyIdleAdded === null ? null : `minimal proxy: ${proxyIdleAdded}`,
      result: verdict(idleAdded, (value) => value <= goals.idleAddedMilliseconds),
    });
  }
  const firstByteOverProxy = row('modelmart', 'sse')?.firstByteOverProxyMilliseconds ?? null;
  const portkeyFirstByte = formatMilliseconds(row('portkey', 'sse')?.firstByteOverProxyMilliseconds);
  goalLines.push({
    goal: `Modelmart time to first byte p50 ≤ ${goals.firstByteOverProxyMilliseconds} ms over the minimal proxy (SSE)`,
    measured: formatMilliseconds(firstByteOverProxy),
    value: firstByteOverProxy,
    byCpu: null,
    reference: portkeyFirstByte === null ? null : `Portkey: ${portkeyFirstByte}`,
    result: verdict(firstByteOverProxy, (value) => value <= goals.firstByteOverProxyMilliseconds),
  });
  return goalLines.map((line) => ({ ...line, measured: line.measured ?? 'not measured' }));
}

function formatNumber(value, digits) {
  return typeof value === 'number' ? value.toFixed(digits) : '–';
}

function signed(value, digits) {
  if (typeof value !== 'number') return '–';
  return `${value >= 0 ? '+' : ''}${value.toFixed(digits)}`;
}

export function resultsMarkdown(report) {
  const lines = [
    '# Gateway benchmark',
    '',
    `- Date: ${report.date}`,
    `- Command: \`${report.command}\` (Modelmart as built by \`npm run build\` from ${report.revision})`,
    `- Node ${report.node}, ${report.cpu.model} × ${report.cpu.count}, ${report.platform}; load average at start ${report.loadAverageAtStart.map((value) => value.toFixed(2)).join(' ')}`,
    `- Load: autocannon in the harness process, ${report.settings.connections} connections, ${report.settings.warmupSeconds} s warm-up then ${report.settings.durationSeconds} s measured, per target and mode, ${report.settings.rounds} rounds (target order reversed every other round); figures are medians over the rounds.`,
    `- Idle latency and time to first byte: ${report.settings.sequentialRequests} sequential requests per target and mode after ${report.settings.warmupRequests} warm-up requests, one keep-alive connection each, the targets taking turns request by request; p50 per round, median over rounds.`,
    '- CPU µs/request: utime + stime of the target process from /proc/<pid>/stat over the measured run, divided by the responses (for direct: the upstream itself).',
    '- Every target and the instant upstream run as separate processes on 127.0.0.1.',
    '',
    '| target | mode | requests/s | p50 ms | p99 ms | CPU µs/request | idle p50 ms | idle added ms | TTFB p50 ms | TTFB vs proxy ms | failures |',
    '|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
  ];
  for (const row of report.rows) {
    lines.push(
      `| ${row.label} | ${modeLabels[row.mode]} | ${formatNumber(row.requestsPerSecond, 0)} | ${formatNumber(row.latencyP50Milliseconds, 2)} | ${formatNumber(row.latencyP99Milliseconds, 2)} | ${formatNumber(row.cpuMicrosecondsPerRequest, 0)} | ${formatNumber(row.idleP50Milliseconds, 3)} | ${signed(row.idleAddedMilliseconds, 3)} | ${formatNumber(row.firstByteP50Milliseconds, 3)} | ${signed(row.firstByteOverProxyMilliseconds, 3)} | ${row.failures} |`,
    );
  }
  for (const [name, reason] of Object.entries(report.skipped)) lines.push(`| ${name} | – | skipped: ${reason.replaceAll('|', '\\|')} | | | | | | | | |`);
  lines.push(
    '',
    '## Targets',
    '',
    'Ratios are taken per round, then the median. "By CPU" is the same ratio computed from CPU µs per request instead of requests/s (informative; the verdict uses requests/s).',
    '',
    '| target | measured | by CPU | for comparison | result |',
    '|---|---:|---:|---|---|',
  );
  for (const line of report.goals) lines.push(`| ${line.goal} | ${line.measured} | ${line.byCpu ?? '–'} | ${line.reference ?? '–'} | ${line.result} |`);
  if (report.notes.length > 0) {
    lines.push('', '## Notes', '');
    for (const note of report.notes) lines.push(`- ${note}`);
  }
  return `${lines.join('\n')}\n`;
}
