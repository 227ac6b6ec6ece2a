#!/bin/sh
# Guest library: seeded, replayable random choices (POSIX sh, busybox).
# Source it after lib-host.sh; sourcing only defines the functions.
# Helpers name their variables _r_* (sh has no locals).

# shuffle SEED WORDS...: the words in a pseudo-random order from SEED.
shuffle() {
	_r_seed=$1
	shift
	echo "$@" | tr ' ' '\n' | awk -v s="$_r_seed" 'BEGIN { srand(s) } { print rand() "\t" $0 }' |
		sort -n | cut -f2 | tr '\n' ' '
}

# pick SEED WORDS...: one of the words, chosen from SEED.
pick() {
	_r_seed=$1
	shift
	echo "$@" | tr ' ' '\n' | awk -v s="$_r_seed" 'BEGIN { srand(s) } { w[NR] = $0 }
		END { print w[int(rand() * NR) + 1] }'
}

# seed: drvlife.seed= from the command line, else a new one.
seed() {
	_r_seed=$(cmdline_value seed "")
	[ -n "$_r_seed" ] || _r_seed=$(od -An -N2 -tu2 /dev/urandom | tr -d ' ')
	echo "$_r_seed"
}
