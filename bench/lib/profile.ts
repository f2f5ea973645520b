/**
 * CPU profiles of the Worker's isolate under `wrangler dev`, through its inspector (port 9229, the
 * DevTools protocol): where the table's per-message time goes, measured instead of guessed.
 */
import { once } from 'node:events';
import { WebSocket } from 'ws';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
  children?: number[];
}
export interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples?: number[];
}

export interface Profiler {
  stop(): Promise<CpuProfile>;
}

/** A DevTools protocol session with the Worker's isolate; `call` sends one command and resolves with its result. */
async function inspect(inspector: string) {
  const ws = new WebSocket(inspector);
  await once(ws, 'open');
  let next = 1;
  const pending = new Map<number, (result: unknown) => void>();
  ws.on('message', (data) => {
    const msg = JSON.parse(data.toString()) as { id?: number; result?: unknown };
    if (msg.id !== undefined) pending.get(msg.id)?.(msg.result);
  });
  const call = <T>(method: string, params: Record<string, unknown> = {}) => new Promise<T>((resolve) => {
    const id = next++;
    pending.set(id, resolve as (r: unknown) => void);
    ws.send(JSON.stringify({ id, method, params }));
  });
  return { call, close: () => ws.close() };
}

/** Starts sampling every `intervalUs` µs; `stop()` returns the profile (open it in DevTools as a .cpuprofile). */
export async function startProfiler(inspector = 'ws://127.0.0.1:9229/ws', intervalUs = 100): Promise<Profiler> {
  const { call, close } = await inspect(inspector);
  await call('Profiler.enable');
  await call('Profiler.setSamplingInterval', { interval: intervalUs });
  await call('Profiler.start');
  return {
    async stop() {
      const { profile } = await call<{ profile: CpuProfile }>('Profiler.stop');
      close();
      return profile;
    },
  };
}

interface AllocationNode {
  callFrame: { functionName: string; url: string; lineNumber: number };
  selfSize: number;
  children: AllocationNode[];
}

/**
 * Samples what the isolate allocates (one sample per `intervalBytes` on average), counting objects that
 * collections have already freed: allocation, not what is live, is what sets how often the young generation
 * is scavenged. `stop()` returns bytes per allocating function (`name file:line`), heaviest first.
 */
export async function startAllocationSampler(inspector = 'ws://127.0.0.1:9229/ws', intervalBytes = 1024) {
  const { call, close } = await inspect(inspector);
  await call('HeapProfiler.enable');
  await call('HeapProfiler.startSampling', { samplingInterval: intervalBytes, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true });
  return {
    async stop(): Promise<[string, number][]> {
      const { profile } = await call<{ profile: { head: AllocationNode } }>('HeapProfiler.stopSampling');
      close();
      const bytes = new Map<string, number>();
      const walk = (n: AllocationNode) => {
        const key = `${n.callFrame.functionName || '(anonymous)'} ${n.callFrame.url.split('/').pop() ?? ''}:${n.callFrame.lineNumber + 1}`;
        if (n.selfSize) bytes.set(key, (bytes.get(key) ?? 0) + n.selfSize);
        n.children.forEach(walk);
      };
      walk(profile.head);
      return [...bytes].sort((a, b) => b[1] - a[1]);
    },
  };
}

/** Self time per function (ms), heaviest first: `name file:line`. */
export function selfTimes(profile: CpuProfile): [string, number][] {
  const total = profile.nodes.reduce((sum, n) => sum + (n.hitCount ?? 0), 0);
  const msPerHit = (profile.endTime - profile.startTime) / 1000 / Math.max(1, total);
  const byName = new Map<string, number>();
  for (const n of profile.nodes) {
    const file = n.callFrame.url.split('/').pop() ?? '';
    const key = `${n.callFrame.functionName || '(anonymous)'} ${file}:${n.callFrame.lineNumber + 1}`;
    byName.set(key, (byName.get(key) ?? 0) + (n.hitCount ?? 0) * msPerHit);
  }
  return [...byName].sort((a, b) => b[1] - a[1]);
}

/** Inclusive time per function (ms): its own samples and those of everything it called (counted once per stack). */
export function totalTimes(profile: CpuProfile): [string, number][] {
  const total = profile.nodes.reduce((sum, n) => sum + (n.hitCount ?? 0), 0);
  const msPerHit = (profile.endTime - profile.startTime) / 1000 / Math.max(1, total);
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const key = (n: ProfileNode) => `${n.callFrame.functionName || '(anonymous)'} ${n.callFrame.url.split('/').pop() ?? ''}:${n.callFrame.lineNumber + 1}`;
  const sums = new Map<string, number>();
  for (const n of profile.nodes) {
    if (!n.hitCount) continue;
    const seen = new Set<string>();
    for (let at: ProfileNode | undefined = n; at; at = byId.get(parent.get(at.id) ?? -1)) {
      const k = key(at);
      if (seen.has(k)) continue;
      seen.add(k);
      sums.set(k, (sums.get(k) ?? 0) + n.hitCount * msPerHit);
    }
  }
  return [...sums].sort((a, b) => b[1] - a[1]);
}
