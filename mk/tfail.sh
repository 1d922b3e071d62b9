#!/bin/sh
# tfail.sh DIR: after a failed make test, for each test file that failed
# (by its logs from mk/tlog.sh: a non-zero exit, a not ok that is not a
# TODO, no plan or a plan it did not keep), its not ok lines with the
# diagnostics that follow each, then the end of its stderr; the end of
# its stdout too when it printed no not ok (it died, or its plan is off).
# Exits 1.
dir=$1
echo
echo "=== the failing files' not ok lines, diagnostics and stderr (logs in $dir)"
for f in "$dir"/*.rc; do
	[ -e "$f" ] || continue
	read rc name <"$f"
	base=${f%.rc}
	why=$(cat "$base.why" 2>/dev/null)
	awk -v rc="$rc" -v name="$name" -v timedout="$why" '
	function keep(s) { if(nkept++ < 200) kept = kept s "\n" }
	function why(s) { whys = whys (whys != "" ? ", " : "") s }
	/^(not )?ok / { ran++ }
	/^not ok/ && !/# *[Tt][Oo][Dd][Oo]/ { nbad++; show = 1; keep($0); next }
	/^#/ && show { keep($0); next }
	{ show = 0 }
	/^1\.\.[0-9]+/ { plan = substr($1, 4) + 0; if($0 ~ /# *[Ss][Kk][Ii][Pp]/) skipall = 1 }
	END {
		if(timedout != "") why(timedout)
		else if(rc > 128) why("killed by signal " rc - 128)
		else if(rc != 0) why("exit status " rc)
		if(nbad) why(nbad " not ok")
		if(plan == "") why("no plan")
		else if(!skipall && plan != ran) why("planned " plan ", ran " ran + 0)
		if(whys == "")
			exit 1
		printf "--- %s: %s\n%s", name, whys, kept
		if(nkept > 200)
			print "# (" nkept - 200 " more lines)"
		if(!nbad) {
			print "--- its last lines:"
			system("tail -n 20 \"" FILENAME "\"")
		}
	}' "$base.out" || continue
	if [ -s "$base.err" ]; then
		echo "--- the last lines of its stderr:"
		tail -n 40 "$base.err"
	fi
done
exit 1
