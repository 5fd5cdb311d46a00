import type { CspViolation, MessageSchema } from '../protocol/common';

interface VsCodeApi {
  postMessage(message: unknown): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

/**
 * The webview's end of the channel: messages from the extension are checked against the protocol before
 * anything is drawn from them, and what is sent is checked before it leaves. Also reports what the page's
 * Content-Security-Policy blocks, so the extension's log (and the tests) hear of it.
 */
export function openChannel<In, Out>(schemas: { incoming: MessageSchema<In>; outgoing: MessageSchema<Out> }, onMessage: (message: In) => void): (message: Out) => void {
  const api = acquireVsCodeApi();
  const send = (message: Out | CspViolation) => api.postMessage(schemas.outgoing.parse(message));
  window.addEventListener('message', (event: MessageEvent<unknown>) => {
    const parsed = schemas.incoming.safeParse(event.data);
    if (!parsed.success) {
      console.error(`Plugboard: ignored a malformed message: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
      return;
    }
    onMessage(parsed.data);
  });
  document.addEventListener('securitypolicyviolation', (e) => send({ type: 'cspViolation', directive: e.effectiveDirective.slice(0, 200), blocked: String(e.blockedURI).slice(0, 500) }));
  // The stylesheets load before this script runs (scripts wait for them), too early for the listener above:
  // base.css sets a marker property, so a blocked or missing stylesheet is reported all the same.
  if (getComputedStyle(document.documentElement).getPropertyValue('--plugboard-styles').trim() !== 'loaded') {
    send({ type: 'cspViolation', directive: 'style-src-elem', blocked: 'base.css did not apply' });
  }
  return send;
}

/** `document.createElement` with attributes, properties-free children and text: never HTML from data. */
export function el<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Record<string, string | boolean> = {}, ...children: (Node | string)[]): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === false) continue;
    node.setAttribute(name, value === true ? '' : value);
  }
  node.append(...children);
  return node;
}
