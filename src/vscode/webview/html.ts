import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';

/** Where the webviews' scripts (built by esbuild.js) and stylesheets live inside the extension. */
const SCRIPTS = ['dist', 'webview'];
const STYLES = ['media', 'webview'];

/** Scripts on, and only the two folders above readable: nothing else of the extension or the disk. */
export function webviewOptions(extensionUri: vscode.Uri): vscode.WebviewPanelOptions & vscode.WebviewOptions {
  return {
    enableScripts: true,
    enableCommandUris: false,
    localResourceRoots: [vscode.Uri.joinPath(extensionUri, ...SCRIPTS), vscode.Uri.joinPath(extensionUri, ...STYLES)],
  };
}

/**
 * The Content-Security-Policy of every Plugboard webview. Scripts run only with this page's nonce (our one
 * bundle); stylesheets and fonts load only from the extension's own files. No 'unsafe-inline' anywhere:
 * @vscode-elements/elements (lit) styles its shadow roots with constructable stylesheets
 * (`adoptedStyleSheets`), which `style-src` does not govern, and sets sizes through the CSSOM
 * (`element.style.width = …`), which it does not govern either; VS Code's own default styles and theme
 * variables are injected ahead of this policy by the webview host.
 */
export function contentSecurityPolicy(cspSource: string, nonce: string): string {
  return [
    "default-src 'none'",
    `style-src ${cspSource}`,
    `font-src ${cspSource}`,
    `img-src ${cspSource} data:`,
    `script-src 'nonce-${nonce}'`,
  ].join('; ');
}

/** The page around one webview bundle: `dist/webview/<name>.js` with `media/webview/<name>.css`. */
export function webviewHtml(webview: vscode.Webview, extensionUri: vscode.Uri, name: 'preview' | 'form', title: string): string {
  const nonce = randomBytes(18).toString('base64');
  const asset = (folder: string[], file: string) => webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, ...folder, file)).toString();
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${contentSecurityPolicy(webview.cspSource, nonce)}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>${escapeHtml(title)}</title>
<link rel="stylesheet" href="${asset(STYLES, 'base.css')}">
<link rel="stylesheet" href="${asset(STYLES, `${name}.css`)}">
</head>
<body>
<main id="app" aria-busy="true"></main>
<script nonce="${nonce}" src="${asset(SCRIPTS, `${name}.js`)}"></script>
</body>
</html>`;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
