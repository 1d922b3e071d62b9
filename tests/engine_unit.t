#!/bin/sh
# engine_unit.t — the unit tests that make sandboxes (tests/unit/*.c that
# call vx_new: vx_api, elf, elf_fd …) run once per engine: each program
# runs with VXENGINE set, its TAP renumbered into this one with
# "ENGINE: PROGRAM: " before every name; an engine the host cannot run is
# one skip per program with the reason.  `make test` runs these programs
# only through here.  First, per engine: a sandbox made with VXENGINE set
# is of that engine (`build/vxengines new`), so that no test named after
# an engine silently runs another.
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 1
. tests/lib/engines.sh
engines_load
[ -z "$ENGINES_ALL" ] && engines_none
out=$(mktemp "${TMPDIR:-/tmp}/engine_unit.XXXXXX") || exit 1
trap 'rm -f "$out"' EXIT INT TERM
tap_n=0
tap_fails=0
for e in $ENGINES_ALL; do
	tap_n=$((tap_n + 1))
	if ! engine_usable "$e"; then
		echo "ok $tap_n # skip $e: $(engine_why "$e")"
		continue
	fi
	got=$(VXENGINE=$e build/vxengines new 2>&1)
	if [ "$got" = "engine $e" ]; then
		echo "ok $tap_n - $e: VXENGINE=$e makes $e sandboxes"
	else
		echo "not ok $tap_n - $e: VXENGINE=$e makes $e sandboxes"
		echo "# build/vxengines new says: $got" >&2
		tap_fails=$((tap_fails + 1))
	fi
done
# a program that loops over the engines itself says ENGINES-IN-ONE-RUN
for src in $(grep -Lw ENGINES-IN-ONE-RUN $(grep -lw vx_new tests/unit/*.c)); do
	name=$(basename "$src" .c)
	prog=build/t/$name.t
	for e in $ENGINES_ALL; do
		if ! engine_usable "$e"; then
			tap_n=$((tap_n + 1))
			echo "ok $tap_n # skip $e: $name: $(engine_why "$e")"
		elif [ ! -x "$prog" ]; then
			tap_n=$((tap_n + 1))
			echo "ok $tap_n # skip $e: $name: $prog not built (make units)"
		else
			VXTEST_ENGINE=$e VXENGINE=$e "$prog" >"$out" 2>&1
			tap_merge "$e" "$e: $name: " $? "$out"
		fi
	done
done
echo "1..$tap_n"
[ "$tap_fails" -eq 0 ]
