// Reads a V8 .cpuprofile (node --cpu-prof) and says where the time went: self time by area
// (Modelmart's own folders, each package, Node internals, GC) and the top functions by self
// and by inclusive time. Also runnable alone: `node cpu-profile-summary.mjs <file.cpuprofile>`.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Which part of the program a script URL belongs to. */
export function areaOf(url, functionName) {
  if (url === '') return functionName.startsWith('(') ? functionName : '(native)';
  if (url.startsWith('node:')) return `node:${url.slice(5).split('/')[0] === 'internal' ? url.slice(5).split('/').slice(0, 2).join('/') : url.slice(5)}`;
  const packageMatch = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (packageMatch !== null) return packageMatch[1];
  const distMatch = /\/dist\/([^/]+)\//.exec(url);
  if (distMatch !== null) return `modelmart ${distMatch[1]}/`;
  return url.split('/').slice(-2).join('/');
}

function functionKey(callFrame) {
  const file = callFrame.url === '' ? '' : `${callFrame.url.split('/').slice(-2).join('/')}:${callFrame.lineNumber + 1}`;
  return `${callFrame.functionName || '(anonymous)'} ${file}`.trim();
}

export function summarizeCpuProfile(profile, top = 20) {
  const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
  const parents = new Map();
  for (const node of profile.nodes) for (const child of node.children ?? []) parents.set(child, node.id);

  const selfByArea = new Map();
  const selfByFunction = new Map();
  const inclusiveByFunction = new Map();
  const add = (map, key, value) => map.set(key, (map.get(key) ?? 0) + value);
  let total = 0;
  profile.samples.forEach((sampleId, index) => {
    const delta = profile.timeDeltas[index] ?? 0;
    const node = nodes.get(sampleId);
    if (node === undefined || node.callFrame.functionName === '(idle)') return;
    total += delta;
    add(selfByArea, areaOf(node.callFrame.url, node.callFrame.functionName), delta);
    add(selfByFunction, functionKey(node.callFrame), delta);
    // Each function on the stack counts once per sample, however deep the recursion.
    const seen = new Set();
    for (let id = sampleId; id !== undefined; id = parents.get(id)) {
      const key = functionKey(nodes.get(id).callFrame);
      if (!seen.has(key)) {
        seen.add(key);
        add(inclusiveByFunction, key, delta);
      }
    }
  });
  const ranked = (map, count) =>
    [...map]
      .sort((left, right) => right[1] - left[1])
      .slice(0, count)
      .map(([name, microseconds]) => ({ name, share: microseconds / total }));
  return { busyMilliseconds: total / 1000, selfByArea: ranked(selfByArea, top), selfByFunction: ranked(selfByFunction, top), inclusiveByFunction: ranked(inclusiveByFunction, top * 2) };
}

export function formatCpuProfileSummary(summary) {
  const percent = (share) => `${(share * 100).toFixed(1).padStart(5)}%`;
  const section = (title, entries) => [`${title}:`, ...entries.map((entry) => `  ${percent(entry.share)}  ${entry.name}`)];
  return [
    `busy (not idle) time: ${summary.busyMilliseconds.toFixed(0)} ms`,
    ...section('self time by area', summary.selfByArea),
    ...section('self time by function', summary.selfByFunction),
    ...section('inclusive time by function', summary.inclusiveByFunction),
  ].join('\n');
}

if (process.argv[1] !== undefined && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const file = process.argv[2];
  if (file === undefined) {
    process.stderr.write('usage: node cpu-profile-summary.mjs <file.cpuprofile>\n');
    process.exit(2);
  }
  process.stdout.write(`${formatCpuProfileSummary(summarizeCpuProfile(JSON.parse(readFileSync(file, 'utf8'))))}\n`);
}
