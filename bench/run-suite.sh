#!/usr/bin/env bash
# The benchmark suite: builds Release, then for each durability mode (none, interval, always) starts a server on a
# free port with a fresh data directory, runs the fixed load matrix against it, stops it, and writes
# docs/benchmarks.md and docs/benchmarks.json. Full matrix: about 10 minutes on 2 cores; --quick: under 2.
#
#   bash bench/run-suite.sh            # full matrix
#   bash bench/run-suite.sh --quick    # a corner of it
#   bash bench/run-suite.sh --modes none --out /tmp/b.md
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet build LogQueue.sln -c Release --nologo -v quiet
exec dotnet bench/LogQueue.Bench/bin/Release/net10.0/LogQueue.Bench.dll suite "$@"
