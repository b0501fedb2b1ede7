// Throughput under load: autocannon, in this process, against one target; exact latency
// percentiles from every response, and the CPU time the target process spent per request.
import autocannon from 'autocannon';
import { chatRequestBody } from './chat-fixtures.mjs';
import { processCpuMicroseconds } from './process-cpu-time.mjs';
import { percentile } from './sample-statistics.mjs';

const requestTimeoutSeconds = 10;

function runAutocannon(options, onResponse) {
  return new Promise((resolve, reject) => {
    const instance = autocannon(options, (error, result) => (error ? reject(error) : resolve(result)));
    if (onResponse !== undefined) instance.on('response', onResponse);
  });
}

function autocannonOptions(target, mode, connections, durationSeconds) {
  return {
    url: `${target.origin}/v1/chat/completions`,
    method: 'POST',
    headers: target.headers,
    body: chatRequestBody(target.model, mode === 'sse'),
    connections,
    pipelining: 1,
    duration: durationSeconds,
    timeout: requestTimeoutSeconds,
  };
}

/** Warms the target up, then measures one bounded run; `upstream` is measured alongside for reference. */
export async function measureLoad(target, upstream, mode, settings) {
  await runAutocannon(autocannonOptions(target, mode, settings.connections, settings.warmupSeconds));

  const latencies = [];
  let responses = 0;
  const targetCpuBefore = processCpuMicroseconds(target.cpuPid);
  const upstreamCpuBefore = processCpuMicroseconds(upstream.cpuPid);
  const harnessCpuBefore = process.cpuUsage();
  const result = await runAutocannon(autocannonOptions(target, mode, settings.connections, settings.durationSeconds), (client, statusCode, bytes, responseTime) => {
    responses += 1;
    if (statusCode >= 200 && statusCode < 300) latencies.push(responseTime);
  });
  const harnessCpu = process.cpuUsage(harnessCpuBefore);
  const targetCpu = processCpuMicroseconds(target.cpuPid) - targetCpuBefore;
  const upstreamCpu = processCpuMicroseconds(upstream.cpuPid) - upstreamCpuBefore;

  latencies.sort((left, right) => left - right);
  return {
    requestsPerSecond: latencies.length / result.duration,
    latencyP50Milliseconds: percentile(latencies, 0.5),
    latencyP99Milliseconds: percentile(latencies, 0.99),
    cpuMicrosecondsPerRequest: responses > 0 ? targetCpu / responses : null,
    upstreamCpuMicrosecondsPerRequest: responses > 0 && target !== upstream ? upstreamCpu / responses : null,
    loadGeneratorCpuPercent: ((harnessCpu.user + harnessCpu.system) / 1e4) / result.duration,
    responses,
    successfulResponses: latencies.length,
    failures: result.errors + result.timeouts + result.non2xx,
    durationSeconds: result.duration,
  };
}
