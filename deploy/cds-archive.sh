#!/bin/sh
# Records the agent's class-data-sharing archive (AppCDS): the classes that start-up and the first polls load,
# pre-parsed into DIR/scheduled-events-agent.jsa, which the JVM maps at start (-XX:SharedArchiveFile in the
# Dockerfile's ENTRYPOINT and the systemd unit). Measured: first poll about 1.8x sooner, about 5 MB less RSS
# (bench/README.md). The Dockerfile runs this at image build; a systemd install runs it once after each upgrade
# of the jar (a missing archive is ignored silently, a stale one with one warning on stderr: never fatal).
# The run: the built-in IMDS simulator (demo scenario) on loopback, and the agent against it for 15 s, with
# application.properties and routes/ from the working directory, as the agent itself runs, but without its health
# server: a port held on the build host (the image is often built with --network host) must not fail the build.
#   usage: deploy/cds-archive.sh [DIR] [JAVA]     DIR holds scheduled-events-agent.jar and lib/
set -eu
dir=$(cd "${1:-/opt/scheduled-events-agent}" && pwd)
java=${2:-java}
jar="$dir/scheduled-events-agent.jar"
archive="$dir/scheduled-events-agent.jsa"
work=$(mktemp -d)
trap 'kill "$sim" 2>/dev/null || true; rm -rf "$work"' EXIT
"$java" -jar "$jar" --simulate --port 0 --scenario demo >"$work/sim.out" 2>&1 &
sim=$!
i=0
until port=$(sed -n 's|.*http://127.0.0.1:\([0-9]*\).*|\1|p' "$work/sim.out") && [ -n "$port" ]; do
    i=$((i + 1)); [ $i -lt 300 ] || { echo "cds-archive: simulator did not start" >&2; exit 1; }; sleep 0.1
done
rm -f "$archive"
AGENT_IMDS_URL="http://127.0.0.1:$port" AGENT_STATE_DIR="$work/state" AGENT_SINK_LOG_FILE="$work/records.jsonl" \
AGENT_HEALTH_PORT=0 \
    "$java" -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -XX:ArchiveClassesAtExit="$archive" \
    -Dcamel.main.duration-max-seconds=15 -jar "$jar" >"$work/agent.out" 2>"$work/agent.err" \
    || { cat "$work/agent.err" >&2; exit 1; }
[ -s "$work/records.jsonl" ] || { echo "cds-archive: the training run saw no transition" >&2; cat "$work/agent.err" >&2; exit 1; }
echo "cds-archive: wrote $archive ($(wc -c <"$archive") bytes)"
