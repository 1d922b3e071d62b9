# i386root.sh — sourced by the tests that run Debian's i386 programs:
# R is the Debian i386 root (I386ROOT, else build/i386root) as an
# absolute path, or the test is a TAP skip that says why it is missing.
R=${I386ROOT:-build/i386root}
if [ ! -f "$R/.i386root" ]; then
	why=$(cat "$R.err" 2>/dev/null | head -1)
	echo "1..0 # SKIP no Debian i386 root in $R (make i386root${why:+: $why})"
	exit 0
fi
R=$(cd "$R" && pwd)
