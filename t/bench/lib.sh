# t/bench/lib.sh: helpers the benchmarks share (sourced, not run).

: "${CLAW_BIN:?CLAW_BIN must name the built commands (make bench sets it)}"
PATH="$CLAW_BIN:$PATH"
export PATH
BENCH_TMP=$(mktemp -d "${TMPDIR:-/tmp}/claw-bench.XXXXXX")
trap 'rm -rf "$BENCH_TMP"' EXIT
export OPENCLAW_STATE_DIR="$BENCH_TMP/state" HOME="$BENCH_TMP"
mkdir -p "$OPENCLAW_STATE_DIR"

# gen_records N FILE: N exec requests of about 200 bytes, from 500 senders.
gen_records() {
	python3 - "$1" "$2" <<'PY'
import json, sys
n, path = int(sys.argv[1]), sys.argv[2]
peers = [str(1000000 + 7919 * i) for i in range(500)]
with open(path, "w") as f:
    for i in range(n):
        p = peers[i % 500]
        r = {"id": "r%d" % i, "agent": "main",
             "origin": {"channel": "telegram", "account": "default", "chat": "direct",
                        "peer": p, "sender": p},
             "tool": "exec",
             "args": {"command": "git status", "workdir": "/home/u/proj", "timeout": 60}}
        f.write(json.dumps(r, separators=(",", ":")) + "\n")
PY
}

# best_of RUNS CMD...: the fastest wall time of RUNS runs, in seconds (stdout
# of CMD discarded; stdin from $BENCH_INPUT).
best_of() {
	runs=$1
	shift
	best=
	for _ in $(seq "$runs"); do
		s=$(date +%s.%N)
		"$@" <"$BENCH_INPUT" >/dev/null
		e=$(date +%s.%N)
		t=$(echo "$e - $s" | bc -l)
		if [ -z "$best" ] || [ "$(echo "$t < $best" | bc -l)" = 1 ]; then best=$t; fi
	done
	echo "$best"
}

# peak_kib CMD...: the peak resident memory of CMD in KiB (stdin from $BENCH_INPUT).
peak_kib() {
	/usr/bin/time -f %M "$@" <"$BENCH_INPUT" 2>&1 >/dev/null | tail -n 1
}

# rate N SECONDS: records per second, whole.
rate() {
	echo "$1 / $2" | bc -l | xargs printf '%.0f'
}
