// How many CPU threads the engine computes with. llama.cpp's CPU threads spin while they wait
// for each other, so a thread that has no core of its own costs far more than it brings:
// node-llama-cpp's default of 4 threads on a 2-core machine measured hundreds of times slower
// than 1 thread, and hyperthread siblings share one core's arithmetic units. So the default is
// the number of physical cores (never more than this process may run on). The same collapse
// happens when other busy processes take the cores: on a 2-core machine under load, 2 threads
// measured over 100 times slower than 1, so operators of shared machines set `threads` lower.
import { readFileSync } from 'node:fs';
import { availableParallelism, cpus } from 'node:os';

/** Counts distinct (physical id, core id) pairs in /proc/cpuinfo text; undefined when absent. */
export function countPhysicalCores(cpuInformation: string): number | undefined {
  const cores = new Set<string>();
  let physicalId = '0';
  let sawCoreId = false;
  for (const line of cpuInformation.split('\n')) {
    const match = /^(physical id|core id)\s*:\s*(\S+)/.exec(line);
    if (match === null) continue;
    if (match[1] === 'physical id') physicalId = match[2] ?? '0';
    else {
      sawCoreId = true;
      cores.add(`${physicalId}:${match[2] ?? '0'}`);
    }
  }
  return sawCoreId && cores.size > 0 ? cores.size : undefined;
}

function readCpuInformation(): string {
  try {
    return readFileSync('/proc/cpuinfo', 'utf8');
  } catch {
    return '';
  }
}

export interface ThreadCountSources {
  readonly cpuInformation?: string;
  readonly logicalCpuCount?: number;
  readonly availableCpuCount?: number;
}

/**
 * Physical cores of this machine, bounded by the CPUs this process may use. Where
 * /proc/cpuinfo says nothing about cores (macOS, Windows, some containers), logical CPUs
 * are taken as cores: an overestimate only on machines with simultaneous multithreading.
 */
export function defaultThreadCount(sources: ThreadCountSources = {}): number {
  const logical = sources.logicalCpuCount ?? cpus().length;
  const available = sources.availableCpuCount ?? availableParallelism();
  const physical = countPhysicalCores(sources.cpuInformation ?? readCpuInformation()) ?? logical;
  return Math.max(1, Math.min(physical, available, logical > 0 ? logical : physical));
}
