/**
 * Starting several fixtures at once: if one fails, the others must still be handed back so `after` can stop
 * them (a throwaway cluster left running would outlive the test run).
 */
export async function startTogether<T extends readonly unknown[]>(
  tasks: { [K in keyof T]: Promise<T[K]> },
  keep: (started: { [K in keyof T]: T[K] | undefined }) => void,
): Promise<void> {
  const results = await Promise.allSettled(tasks as readonly Promise<unknown>[]);
  keep(results.map((r) => (r.status === 'fulfilled' ? r.value : undefined)) as unknown as { [K in keyof T]: T[K] | undefined });
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;
}
