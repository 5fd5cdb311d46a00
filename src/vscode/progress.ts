import * as vscode from 'vscode';

/**
 * Runs long work under a cancellable notification; the CancellationToken becomes an AbortSignal that
 * reaches the driver (pg sends a CancelRequest). A caller's own signal is honoured too.
 */
export function withCancellableProgress<T>(
  title: string,
  work: (progress: vscode.Progress<{ message?: string; increment?: number }>, signal: AbortSignal) => Promise<T>,
  outer?: AbortSignal,
): Thenable<T> {
  return vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, (progress, token) => {
    const controller = new AbortController();
    const sub = token.onCancellationRequested(() => controller.abort());
    const onOuter = () => controller.abort();
    outer?.addEventListener('abort', onOuter, { once: true });
    return work(progress, controller.signal).finally(() => {
      sub.dispose();
      outer?.removeEventListener('abort', onOuter);
    });
  });
}
