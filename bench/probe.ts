/**
 * Runs `fn` while a probe hops through the event loop (setImmediate): the longest gap between two hops is the
 * longest task that ran meanwhile, `fn`'s or anything else's on the thread. The work starts in a task of its
 * own, as an event handler's would. Rounded to whole milliseconds.
 */
export async function withLongestTask<T>(fn: () => PromiseLike<T> | T): Promise<{ longestTaskMs: number; wallMs: number; value: T }> {
  let last = performance.now();
  let longest = 0;
  let running = true;
  const hop = () => {
    const now = performance.now();
    longest = Math.max(longest, now - last);
    last = now;
    if (running) setImmediate(hop);
  };
  setImmediate(hop);
  await new Promise<void>((r) => setImmediate(r));
  last = performance.now();
  const t0 = last;
  try {
    const value = await new Promise<T>((resolve, reject) => setImmediate(() => Promise.resolve().then(fn).then(resolve, reject)));
    const wallMs = performance.now() - t0;
    await new Promise<void>((r) => setImmediate(r));
    return { longestTaskMs: Math.round(longest), wallMs: Math.round(wallMs), value };
  } finally {
    running = false;
  }
}
