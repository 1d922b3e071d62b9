#!/bin/sh
# showdiff.sh WANT GOT LISTING [STDERR] — explain the first difference
# between two fuzz outputs: the case number, both lines and the case's
# instructions from the generator's listing.  Output goes to stdout with
# "# " in front of every line so TAP treats it as a diagnostic.
want=$1 got=$2 lst=$3 err=$4
{
	line=$(cmp "$want" "$got" 2>&1 | sed -n 's/.* line \([0-9]*\).*/\1/p')
	if [ -z "$line" ]; then
		# one output is a prefix of the other: the run stopped early
		wn=$(wc -l < "$want") gn=$(wc -l < "$got")
		echo "outputs differ in length: want $wn lines, got $gn lines"
		line=$((gn + 1))
		[ "$gn" -ge "$wn" ] && line=$((wn + 1))
	fi
	w=$(sed -n "${line}p" "$want")
	g=$(sed -n "${line}p" "$got")
	c=$(printf '%s\n%s\n' "$w" "$g" | sed -n 's/^\([0-9a-f]\{8\}\) .*/\1/p' | head -1)
	echo "first difference at output line $line"
	echo "want: $w"
	echo "got:  $g"
	if [ -n "$c" ]; then
		c=$(printf '%d' "0x$c")
		echo "case $c (register line: eax ecx edx ebx ebp esi edi eflags&mask mxcsr):"
		sed -n "/^case $c\$/,/^case $((c + 1))\$/p" "$lst" | sed '$!b; /^case /d'
	fi
	if [ -n "$err" ] && [ -s "$err" ]; then
		echo "stderr of the run:"
		tail -5 "$err"
	fi
} | sed 's/^/# /'
