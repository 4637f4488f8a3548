/** What the bench's profilers share: the shape of a V8 .cpuprofile and who owns a sampled frame. */
import { BENCH_BUILD } from './compile.js';

/** One node of a V8 CPU profile. */
export interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

/** A V8 CPU profile as `node --cpu-prof` writes it. */
export interface Profile {
  nodes: ProfileNode[];
  startTime: number;
  samples: number[];
  timeDeltas: number[];
}

/** The bench build's root URL: a frame under it is a file of ours. */
export const BENCH_ROOT = new URL(`../${BENCH_BUILD}/`, import.meta.url).href;

/** The library, Node module or file of ours a frame's URL belongs to (GC, idle and V8's own named as such). */
export function ownerOf(url: string, functionName: string): string {
  if (functionName === '(garbage collector)') return 'GC';
  if (functionName === '(idle)') return 'idle';
  if (functionName === '(program)') return 'V8 / native (program)';
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(url);
  if (url.startsWith(BENCH_ROOT)) return url.slice(BENCH_ROOT.length).replace(/\.js$/, '');
  if (pkg) return `lib ${pkg[1]}`;
  if (url.startsWith('node:')) return url;
  return url === '' ? `native ${functionName || '(anonymous)'}` : url;
}

/** A profile's nodes by id, and each node's parent, for walking a sample's stack outwards. */
export function profileIndex(profile: Profile): { byId: Map<number, ProfileNode>; parent: Map<number, number> } {
  const byId = new Map<number, ProfileNode>();
  const parent = new Map<number, number>();
  for (const n of profile.nodes) {
    byId.set(n.id, n);
    for (const c of n.children ?? []) parent.set(c, n.id);
  }
  return { byId, parent };
}
