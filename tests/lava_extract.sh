#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only OR MIT
# scripts/lava-local --from-log: the result files come back byte for byte
# from a LAVA log that carries them as lava/gvb-lava-run prints them (a
# gzipped tar in base64 between GVB-LAVA-FILES-BEGIN SHA256 and -END, each
# line a "target" entry of the dispatcher's YAML log), the results entries
# land in results.csv, and a damaged block is refused (exit 1, one line).
# Exit 77 (skipped) without /usr/bin/python3 and its yaml module.
#
# Usage: lava_extract.sh TMPDIR
set -u
src=$(cd "$(dirname "$0")/.." && pwd)
tmp=$1/lava_extract
rm -rf "$tmp" && mkdir -p "$tmp/files" || exit 1
passed=0 failed=0
ok() { passed=$((passed + 1)); echo "ok $1"; }
fail() { failed=$((failed + 1)); echo "FAIL $1: $2"; }
if ! /usr/bin/python3 -c 'import yaml' 2>/dev/null; then
	echo "SKIP: /usr/bin/python3 with yaml missing (apt-get install python3-yaml)"
	exit 77
fi

cp "$src/tests/data/results/split/"*.json "$tmp/files/"
tar -C "$tmp/files" -czf "$tmp/files.tar.gz" . || exit 1
log() { # log SHA: a LAVA log with the files block and two results entries
	t='{"dt": "2026-01-01T00:00:00", "lvl": "target", "msg": "%s"}\n'
	printf "$t" "GVB-LAVA-RESULTS-BEGIN" "GVB-LAVA-FILES-BEGIN $1" | sed 's/^/- /'
	base64 "$tmp/files.tar.gz" | while read -r l; do printf "$t" "$l"; done | sed 's/^/- /'
	printf "$t" "GVB-LAVA-FILES-END" "GVB-LAVA-RESULTS-END" | sed 's/^/- /'
	echo '- {"dt": "2026-01-01T00:00:01", "lvl": "results", "msg": {"case": "map_unmap_4k_resv_t1", "definition": "gvbench", "result": "pass", "measurement": "860.826", "units": "ns/op"}}'
	echo '- {"dt": "2026-01-01T00:00:02", "lvl": "results", "msg": {"case": "job", "definition": "lava", "result": "pass"}}'
}
log "$(sha256sum "$tmp/files.tar.gz" | cut -d' ' -f1)" >"$tmp/good.log"
if ! bash "$src/scripts/lava-local" --from-log "$tmp/good.log" --out "$tmp/out" 2>"$tmp/err"; then
	fail "extract" "$(cat "$tmp/err")"
elif ! diff -r "$tmp/files" "$tmp/out" -x lava >/dev/null; then
	fail "extract" "the files differ from the ones packed"
else
	ok "extract: $(ls "$tmp/out" | grep -c json) files back intact"
fi
if grep -q '^gvbench,map_unmap_4k_resv_t1,pass,860.826,ns/op$' "$tmp/out/lava/results.csv" 2>/dev/null; then
	ok "results.csv"
else
	fail "results.csv" "no gvbench row: $(cat "$tmp/out/lava/results.csv" 2>&1)"
fi

log 0000 >"$tmp/bad.log"
bash "$src/scripts/lava-local" --from-log "$tmp/bad.log" --out "$tmp/bad" 2>"$tmp/err"
rc=$?
if [ $rc = 1 ] && grep -q "damaged" "$tmp/err" && ! ls "$tmp/bad"/*.json >/dev/null 2>&1; then
	ok "damaged block refused: $(tail -n 1 "$tmp/err")"
else
	fail "damaged block" "exit $rc: $(cat "$tmp/err")"
fi
mkdir -p "$tmp/full" && touch "$tmp/full/mine.json"
bash "$src/scripts/lava-local" --from-log "$tmp/good.log" --out "$tmp/full" 2>"$tmp/err"
rc=$?
if [ $rc = 2 ] && [ -f "$tmp/full/mine.json" ] && grep -q "not empty" "$tmp/err"; then
	ok "a folder with other files is refused"
else
	fail "non-empty --out" "exit $rc: $(cat "$tmp/err")"
fi

one_line() { # one_line NAME RC PATTERN ARGS...: lava-local exits RC with one matching line
	name=$1 want=$2 pat=$3; shift 3
	bash "$src/scripts/lava-local" "$@" >"$tmp/one.out" 2>"$tmp/one.err"
	rc=$?
	if [ $rc = "$want" ] && [ "$(wc -l <"$tmp/one.err")" = 1 ] && grep -q -- "$pat" "$tmp/one.err"; then
		ok "$name: $(cat "$tmp/one.err")"
	else
		fail "$name" "exit $rc: $(cat "$tmp/one.err")"
	fi
}
head -c 4096 /dev/urandom >"$tmp/random.log"
one_line "not a LAVA log" 1 "is not a LAVA job log" --from-log "$tmp/random.log" --out "$tmp/rand"
if ls "$tmp/rand"/*.json "$tmp/rand/lava/results.csv" >/dev/null 2>&1; then
	fail "not a LAVA log" "wrote results"
fi
touch "$tmp/afile"
one_line "--out a file" 2 "is a file" --from-log "$tmp/good.log" --out "$tmp/afile"
one_line "--out without a value" 2 "--out needs a value" --from-log "$tmp/good.log" --out

echo "lava_extract: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
