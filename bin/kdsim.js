#!/usr/bin/env node
// `npx kdsim`: the bundled CLI (built by `npm run build`, which `npm install` runs via prepare).
require('../dist/cli.js').runFromProcess();
