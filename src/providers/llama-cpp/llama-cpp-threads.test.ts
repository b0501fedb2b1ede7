import { describe, expect, it } from 'vitest';
import { countPhysicalCores, defaultThreadCount } from './llama-cpp-threads.js';

const hyperthreaded = [0, 1, 2, 3]
  .map((processor) => `processor\t: ${processor}\nphysical id\t: 0\ncore id\t\t: ${processor % 2}\n`)
  .join('\n');
const twoSockets = [0, 1, 2, 3]
  .map((processor) => `processor\t: ${processor}\nphysical id\t: ${Math.floor(processor / 2)}\ncore id\t\t: ${processor % 2}\n`)
  .join('\n');

describe('thread count', () => {
  it('counts physical cores, not hyperthread siblings, across sockets', () => {
    expect(countPhysicalCores(hyperthreaded)).toBe(2);
    expect(countPhysicalCores(twoSockets)).toBe(4);
    expect(countPhysicalCores('processor : 0\n')).toBeUndefined();
  });

  it('defaults to physical cores, bounded by the CPUs the process may use', () => {
    expect(defaultThreadCount({ cpuInformation: hyperthreaded, logicalCpuCount: 4, availableCpuCount: 4 })).toBe(2);
    expect(defaultThreadCount({ cpuInformation: twoSockets, logicalCpuCount: 4, availableCpuCount: 1 })).toBe(1);
    expect(defaultThreadCount({ cpuInformation: '', logicalCpuCount: 8, availableCpuCount: 8 })).toBe(8);
    expect(defaultThreadCount({ cpuInformation: '', logicalCpuCount: 0, availableCpuCount: 1 })).toBe(1);
  });
});
