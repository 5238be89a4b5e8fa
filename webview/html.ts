// The Kernel View's HTML page: one definition for the extension's panel and the webview tests,
// so the tests load exactly what VS Code shows. (Placeholder shape; the Kernel View fills it in.)

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

export function kernelViewHtml(o: KernelViewHtmlOptions): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src ${o.cspSource} data:; style-src ${o.cspSource}; font-src ${o.cspSource}; script-src 'nonce-${o.nonce}';">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link href="${o.codiconsUri}" rel="stylesheet">
<link href="${o.styleUri}" rel="stylesheet">
<title>Kernel View</title>
</head>
<body>
<div id="app"></div>
<script nonce="${o.nonce}" src="${o.scriptUri}"></script>
</body>
</html>`;
}
