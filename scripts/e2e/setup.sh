#!/usr/bin/env bash
# Installs code-server (VS Code's web workbench + server, from npm) into .vscode-test/code-server
# for the end-to-end tests, offline except for the npm registry (recipe: shared E2E.md §2-§5).
# Idempotent: does nothing when the pinned version is already installed.
# Needs Node 20 with headers in /usr/include/node, and Debian's ripgrep, build-essential, python3,
# libkrb5-dev (native modules build from source because their binary downloads fail offline).
set -euo pipefail

CODE_SERVER_VERSION=4.100.3
# code-server 4.100.3 pins @vscode/ripgrep 1.15.11 (lib/vscode/npm-shrinkwrap.json), whose
# postinstall downloads ripgrep v13.0.0-10 from GitHub unless its cache already holds the tarball.
RIPGREP_PKG_VERSION=1.15.11
RIPGREP_VERSION=v13.0.0-10

root="$(cd "$(dirname "$0")/../.." && pwd)"
E2E_DIR="${KDSIM_E2E_DIR:-$root/.vscode-test/code-server}"
bin="$E2E_DIR/cs/node_modules/code-server/out/node/entry.js"
stamp="$E2E_DIR/cs/.installed-$CODE_SERVER_VERSION"

if [ -f "$stamp" ] && [ -f "$bin" ]; then
  echo "code-server $CODE_SERVER_VERSION already installed in $E2E_DIR"
  exit 0
fi

node_major="$(node -p 'process.versions.node.split(".")[0]')"
if [ "$node_major" != "20" ]; then
  echo "code-server $CODE_SERVER_VERSION installs only on Node 20 (this is Node $node_major)" >&2
  exit 1
fi
rg_bin="$(command -v rg || true)"
if [ -z "$rg_bin" ]; then
  echo "ripgrep (rg) is missing: apt-get install ripgrep" >&2
  exit 1
fi
[ -f /usr/include/node/node.h ] || echo "warning: /usr/include/node/node.h missing; native modules may try to download Node headers" >&2

case "$(uname -m)" in
  x86_64) rg_target=x86_64-unknown-linux-musl ;;
  aarch64) rg_target=aarch64-unknown-linux-musl ;;
  *) echo "unsupported machine $(uname -m)" >&2; exit 1 ;;
esac

mkdir -p "$E2E_DIR/cs" "$E2E_DIR/tmp" "$E2E_DIR/npm-cache" "$E2E_DIR/home" "$E2E_DIR/data/user/User" "$E2E_DIR/data/extensions"

# The ripgrep cache trick: @vscode/ripgrep looks in os.tmpdir() first.
cache="$E2E_DIR/tmp/vscode-ripgrep-cache-$RIPGREP_PKG_VERSION"
mkdir -p "$cache"
tarball="$cache/ripgrep-$RIPGREP_VERSION-$rg_target.tar.gz"
if [ ! -f "$tarball" ]; then
  staging="$(mktemp -d "$E2E_DIR/tmp/rg.XXXXXX")"
  cp "$rg_bin" "$staging/rg"
  tar -czf "$tarball" -C "$staging" rg
  rm -rf "$staging"
fi

# Keep the real npm configuration (registry, proxy) although HOME moves.
real_npmrc="${npm_config_userconfig:-$HOME/.npmrc}"
export npm_config_userconfig="$real_npmrc"
export HOME="$E2E_DIR/home"
export XDG_CONFIG_HOME="$E2E_DIR/home/.config" XDG_DATA_HOME="$E2E_DIR/home/.local/share" XDG_CACHE_HOME="$E2E_DIR/home/.cache"
export TMPDIR="$E2E_DIR/tmp"
export npm_config_cache="$E2E_DIR/npm-cache"
export npm_config_nodedir=/usr          # node-gyp: use /usr/include/node, do not download headers
export npm_config_yes=true              # node-pty's postinstall runs `npx node-gyp`
export npm_config_unsafe_perm=true      # code-server's postinstall.sh refuses to run as root otherwise

cd "$E2E_DIR/cs"
[ -f package.json ] || echo '{"name":"kdsim-e2e-code-server","private":true}' > package.json
echo "installing code-server $CODE_SERVER_VERSION into $E2E_DIR (a few minutes: native modules build from source)"
npm install "code-server@$CODE_SERVER_VERSION" --unsafe-perm --foreground-scripts --no-audit --no-fund --loglevel=error

rg_installed="$E2E_DIR/cs/node_modules/code-server/lib/vscode/node_modules/@vscode/ripgrep/bin/rg"
if [ ! -x "$rg_installed" ]; then
  echo "code-server installed but its ripgrep is missing ($rg_installed)" >&2
  exit 1
fi

cat > "$E2E_DIR/data/config.yaml" <<YAML
bind-addr: 127.0.0.1:8080
auth: none
cert: false
YAML
touch "$stamp"
echo "code-server $CODE_SERVER_VERSION installed: $bin"
