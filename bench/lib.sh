# bench/lib.sh — what the bench/*.sh scripts share: figures
# and the rows of their tables.  The caller sets $table (the file rows
# are appended to) and the column widths $namew and $cellw.

secs() { awk -v n="$1" 'BEGIN { printf "%.3f", n / 1e9 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a + 0 > 0 && b + 0 > 0) printf "%.2f", a / b; else printf "-" }'; }
# num VALUE: the number in a cell (units stripped; BAD and - are 0)
num() { case $1 in BAD|-) echo 0 ;; *) echo "$1" | sed 's/[a-z]*$//' ;; esac; }

# row PROGRAM BASE [CELL RATIO]…: one line of the table
row() {
	r=$(printf "%-${namew}s %${cellw}s" "$1" "$2")
	shift 2
	while [ $# -ge 2 ]; do
		r="$r$(printf " %${cellw}s %6s" "$1" "$2")"
		shift 2
	done
	echo "$r" | tee -a "$table"
}

# cells BASE VALUES…: the row cells after the base, each with its ratio
# to the base; values carry a unit suffix (s, ns, ms) or are BAD or -.
cells() {
	cb=$1
	shift
	out=
	for v in "$@"; do
		out="$out $v $(ratio "$(num "$v")" "$(num "$cb")")"
	done
	echo "$out"
}

# headrow FIRST BASE: the table's head row: FIRST, the base runner's
# label, then each other runner's label and its ratio column ($runners,
# the caller's label function)
headrow() {
	_hf=$1
	_hb=$2
	_hdr=
	set -- $runners
	shift
	for _e in "$@"; do _hdr="$_hdr $(label "$_e") ratio"; done
	row "$_hf" "$_hb" $_hdr
}

# unmeasured: a comment line for each engine this host cannot run
unmeasured() {
	for _e in $ENGINES_ALL; do
		engine_usable "$_e" || echo "# engine $_e not measured: $(engine_why "$_e")"
	done
}

# bestrow NAME VALUE…: a row of the best values, the first the base
bestrow() {
	_bn=$1
	shift
	_b1=$1
	shift
	row "$_bn" "$_b1" $(cells "$_b1" "$@")
}
