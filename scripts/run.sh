#!/usr/bin/env bash
# Runs Yunlu on the embedded default: the server with the web console, the REST API (/api/v1, /scalar) and the CLI,
# on a SQLite file under ./.yunlu-data (created on first start and loaded with the Guiyang demo).
# Extra arguments go to `yunlu serve` (e.g. --urls http://0.0.0.0:8080 --data /var/lib/yunlu).
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -f web/package.json ]; then
  (cd web && { [ -d node_modules ] || npm ci --no-audit --no-fund --loglevel=error; } && npm run build --silent)
fi
exec dotnet run --project src/Yunlu.Cli -c Release -- serve --urls "${YUNLU_URLS:-http://127.0.0.1:5080}" --data "${YUNLU_DATA:-.yunlu-data}" "$@"
