#!/usr/bin/env bash
# What a production deploy does, in a scratch copy of this checkout: the compiled build plus runtime
# dependencies only (`npm run build` here, then `npm ci --omit=dev` there — the same tree as
# `npm ci && npm run build && npm prune --omit=dev`). Then `npm start` must answer /health 200
# (start-up applies the migrations copied into dist/; /docs and /openapi.yaml are served from
# there too), `npm run mock` must run compiled, and SIGTERM to npm's pid must stop the server
# within 10 s with exit 0, no process left and nothing listening.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
copy="$(mktemp -d)"
trap 'rm -rf "$copy"' EXIT
fail() { echo "check-production: $*" >&2; exit 1; }

cd "$root"
npm run --silent build
# Tracked and untracked-but-not-ignored files: what a clone of this tree holds.
git ls-files -co --exclude-standard -z | xargs -0 cp --parents -t "$copy"
cp -r dist "$copy/dist"
cd "$copy"
npm ci --omit=dev --prefer-offline --no-audit --no-fund --loglevel=error
[ ! -e node_modules/.bin/tsx ] && [ ! -e node_modules/esbuild ] || fail "dev dependencies were installed"

free_port() { node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})"; }
wait_for() { for _ in $(seq 1 100); do curl -sf -o /dev/null "$1" && return 0; sleep 0.1; done; return 1; }
env_vars=(HOST=127.0.0.1 DB_DRIVER=pglite PGLITE_DATA_DIR=memory:// JWT_SECRET=production-check-secret-0123456789abcdef LOG_LEVEL=warn NODE_ENV=production CORS_ORIGINS=http://localhost:3000)

echo "[${SECONDS}s] npm run mock (compiled)"
port=$(free_port)
env "${env_vars[@]}" npm run --silent mock -- openapi.yaml --port "$port" --host 127.0.0.1 &
mock=$!
wait_for "http://127.0.0.1:$port/health" || fail "the mock did not answer /health"
kill -TERM "$mock"; wait "$mock" || fail "the mock did not exit 0 on SIGTERM"

echo "[${SECONDS}s] npm start (compiled), then SIGTERM to npm"
port=$(free_port)
env "${env_vars[@]}" PORT="$port" npm start &
npm_pid=$!
wait_for "http://127.0.0.1:$port/health" || fail "npm start did not answer /health"
for path in /health /docs /openapi.yaml; do
  [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port$path")" = 200 ] || fail "$path is not 200"
done
server_pid=$(cat "/proc/$npm_pid/task/"*/children | tr ' ' '\n' | grep -m1 .) || fail "npm start has no child process"
tr '\0' ' ' < "/proc/$server_pid/cmdline" | grep -q 'scripts/run-built.mjs src/main.js' || fail "npm's child is not node scripts/run-built.mjs src/main.js: $(tr '\0' ' ' < "/proc/$server_pid/cmdline")"
kill -TERM "$npm_pid"
started=$SECONDS
status=0; wait "$npm_pid" || status=$?
[ "$status" -eq 0 ] || fail "npm start exited $status after SIGTERM"
[ $((SECONDS - started)) -le 10 ] || fail "stopping took over 10 s"
[ ! -e "/proc/$server_pid" ] || fail "the server (pid $server_pid) outlived npm"
! curl -s -o /dev/null "http://127.0.0.1:$port/health" || fail "something still listens on $port"
echo "[${SECONDS}s] production build: ok"
