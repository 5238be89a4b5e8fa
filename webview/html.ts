// The Kernel View's HTML page: one definition for the extension's panel and the webview tests,
// so the tests load exactly what VS Code shows. The CSP allows only the bundled script (by
// nonce), styles and fonts from the extension (cspSource), and no inline styles: looks come
// from classes in webview.css.

export interface KernelViewHtmlOptions {
  /** webview.cspSource */
  cspSource: string;
  /** A fresh random nonce per page (the CSP allows only scripts carrying it). */
  nonce: string;
  /** URIs (as strings, already converted with asWebviewUri) of the bundled script and styles. */
  scriptUri: string;
  styleUri: string;
  codiconsUri: string;
}

const escapeAttr = (s: string): string => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');

export function kernelViewHtml(o: KernelViewHtmlOptions): string {
  const a = {
    csp: escapeAttr(o.cspSource),
    nonce: escapeAttr(o.nonce),
    script: escapeAttr(o.scriptUri),
    style: escapeAttr(o.styleUri),
    codicons: escapeAttr(o.codiconsUri),
  };
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src ${a.csp} data:; style-src ${a.csp}; font-src ${a.csp}; script-src 'nonce-${a.nonce}';">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link href="${a.codicons}" rel="stylesheet">
<link href="${a.style}" rel="stylesheet">
<title>Kernel View</title>
</head>
<body>
<div id="app" class="kernel-view"><p class="empty">Loading the Kernel View…</p></div>
<script nonce="${a.nonce}" src="${a.script}"></script>
</body>
</html>`;
}
