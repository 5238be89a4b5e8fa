// VS Code-like theme variables for the webview tests. VS Code sets --vscode-* variables on the
// page's root and a body class (vscode-light, vscode-dark, vscode-high-contrast); these are a
// subset of the Light+/Dark+/High Contrast values the panel reads.

export type ThemeName = 'light' | 'dark' | 'high-contrast';

export const BODY_CLASS: Record<ThemeName, string> = { light: 'vscode-light', dark: 'vscode-dark', 'high-contrast': 'vscode-high-contrast' };

const common: Record<string, string> = {
  'font-family': '-apple-system, BlinkMacSystemFont, "Segoe UI", "Ubuntu", "Droid Sans", sans-serif',
  'font-size': '13px',
  'editor-font-family': '"DejaVu Sans Mono", Consolas, "Courier New", monospace',
};

const THEMES: Record<ThemeName, Record<string, string>> = {
  light: {
    foreground: '#3b3b3b',
    descriptionForeground: '#717171',
    'editor-background': '#ffffff',
    'sideBar-background': '#f8f8f8',
    'panel-border': '#e5e5e5',
    'widget-border': '#e5e5e5',
    focusBorder: '#005fb8',
    'textLink-foreground': '#005fb8',
    'textLink-activeForeground': '#005fb8',
    'badge-background': '#cccccc',
    'badge-foreground': '#3b3b3b',
    'button-background': '#005fb8',
    'button-foreground': '#ffffff',
    'button-hoverBackground': '#0258a8',
    'button-secondaryBackground': '#e5e5e5',
    'button-secondaryForeground': '#3b3b3b',
    'list-hoverBackground': '#f2f2f2',
    'list-inactiveSelectionBackground': '#e4e6f1',
    'editorWidget-background': '#f8f8f8',
    'editorHoverWidget-background': '#f8f8f8',
    'editorHoverWidget-border': '#c8c8c8',
    errorForeground: '#f85149',
    'editorWarning-foreground': '#bf8803',
    'charts-red': '#e51400',
    'charts-blue': '#1a85ff',
    'charts-yellow': '#bf8803',
    'charts-orange': '#d18616',
    'charts-green': '#388a34',
    'charts-purple': '#652d90',
    'charts-lines': '#3b3b3b80',
    'icon-foreground': '#3b3b3b',
    'toolbar-hoverBackground': '#b8b8b850',
  },
  dark: {
    foreground: '#cccccc',
    descriptionForeground: '#9d9d9d',
    'editor-background': '#1f1f1f',
    'sideBar-background': '#181818',
    'panel-border': '#2b2b2b',
    'widget-border': '#313131',
    focusBorder: '#0078d4',
    'textLink-foreground': '#4daafc',
    'textLink-activeForeground': '#4daafc',
    'badge-background': '#616161',
    'badge-foreground': '#f8f8f8',
    'button-background': '#0078d4',
    'button-foreground': '#ffffff',
    'button-hoverBackground': '#026ec1',
    'button-secondaryBackground': '#313131',
    'button-secondaryForeground': '#cccccc',
    'list-hoverBackground': '#2a2d2e',
    'list-inactiveSelectionBackground': '#37373d',
    'editorWidget-background': '#202020',
    'editorHoverWidget-background': '#202020',
    'editorHoverWidget-border': '#454545',
    errorForeground: '#f85149',
    'editorWarning-foreground': '#cca700',
    'charts-red': '#f14c4c',
    'charts-blue': '#3794ff',
    'charts-yellow': '#cca700',
    'charts-orange': '#d18616',
    'charts-green': '#89d185',
    'charts-purple': '#b180d7',
    'charts-lines': '#cccccc80',
    'icon-foreground': '#cccccc',
    'toolbar-hoverBackground': '#5a5d5e50',
  },
  'high-contrast': {
    foreground: '#ffffff',
    descriptionForeground: '#ffffff',
    'editor-background': '#000000',
    'sideBar-background': '#000000',
    'panel-border': '#6fc3df',
    contrastBorder: '#6fc3df',
    focusBorder: '#f38518',
    'textLink-foreground': '#21a6ff',
    'badge-background': '#000000',
    'badge-foreground': '#ffffff',
    'button-background': '#000000',
    'button-foreground': '#ffffff',
    'button-border': '#6fc3df',
    'list-hoverBackground': '#000000',
    errorForeground: '#f48771',
    'charts-red': '#f48771',
    'charts-blue': '#3794ff',
    'charts-yellow': '#ffd370',
    'charts-orange': '#f38518',
    'charts-green': '#89d185',
    'charts-purple': '#b180d7',
    'charts-lines': '#ffffff80',
  },
};

/** The theme as a stylesheet (served from the panel's own origin, which its CSP allows). */
export function themeCss(name: ThemeName): string {
  const vars = { ...common, ...THEMES[name] };
  return `html {\n${Object.entries(vars).map(([k, v]) => `  --vscode-${k}: ${v};`).join('\n')}\n}\n`;
}
