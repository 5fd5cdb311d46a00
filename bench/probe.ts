/**
 * Runs `fn` while a probe hops through the event loop (setImmediate): the longest gap between two hops is the
 * longest task that ran meanwhile, `fn`'s or anything else's on the thread. The work starts in a task of its
 * own, as an event handler's would. Rounded to whole milliseconds. `longestTaskUs` is when that task ran, on
 * the monotonic clock a V8 CPU profile's timestamps use (microseconds), to find it in a profile.
 */
export async function withLongestTask<T>(fn: () => PromiseLike<T> | T): Promise<{ longestTaskMs: number; longestTaskUs: [number, number]; wallMs: number; value: T }> {
  const nowUs = () => Number(process.hrtime.bigint() / 1000n);
  let last = nowUs();
  let longest: [number, number] = [last, last];
  let running = true;
  const hop = () => {
    const now = nowUs();
    if (now - last > longest[1] - longest[0]) longest = [last, now];
    last = now;
    if (running) setImmediate(hop);
  };
  setImmediate(hop);
  await new Promise<void>((r) => setImmediate(r));
  last = nowUs();
  longest = [last, last];
  const t0 = last;
  try {
    const value = await new Promise<T>((resolve, reject) => setImmediate(() => Promise.resolve().then(fn).then(resolve, reject)));
    const wallMs = (nowUs() - t0) / 1000;
    await new Promise<void>((r) => setImmediate(r));
    return { longestTaskMs: Math.round((longest[1] - longest[0]) / 1000), longestTaskUs: longest, wallMs: Math.round(wallMs), value };
  } finally {
    running = false;
  }
}

interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; children?: number[] }[];
  startTime: number;
  samples: number[];
  timeDeltas: number[];
}

/**
 * What a CPU profile (`Profiler.stop`'s) sampled between two of its timestamps: the functions with the most
 * time, inclusive (a sample counts once for every function on its stack) and self, as text.
 */
export function profileWindow(profile: CpuProfile, [fromUs, toUs]: [number, number], top = 12): string {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const label = (id: number) => {
    const f = byId.get(id)!.callFrame;
    return `${f.functionName || '(anonymous)'} ${f.url.split('/').pop() ?? ''}:${f.lineNumber + 1}`;
  };
  const inclusive = new Map<string, number>();
  const self = new Map<string, number>();
  let t = profile.startTime;
  let total = 0;
  for (let i = 0; i < profile.samples.length; i++) {
    t += profile.timeDeltas[i]!;
    if (t < fromUs || t > toUs) continue;
    const us = profile.timeDeltas[i]!;
    total += us;
    const id = profile.samples[i]!;
    self.set(label(id), (self.get(label(id)) ?? 0) + us);
    const seen = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const l = label(at);
      if (!seen.has(l)) inclusive.set(l, (inclusive.get(l) ?? 0) + us);
      seen.add(l);
    }
  }
  const list = (m: Map<string, number>) =>
    [...m].sort((a, b) => b[1] - a[1]).slice(0, top).map(([l, us]) => `  ${(us / 1000).toFixed(1).padStart(7)} ms  ${l}`).join('\n');
  return `${(total / 1000).toFixed(1)} ms sampled\ninclusive:\n${list(inclusive)}\nself:\n${list(self)}\n`;
}
