#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Writes the benchmark card's overlay for K domains to standard output:
# a controller with K domains and K consumers, consumer i in domains i and
# i + 1 (mod K), so domain i waits for consumers i - 1 and i (see
# lifecycle_genpd_board_k3.rs). The board_k*.dtso files
# are its output, kept in git: ./gen_bench_board.sh 8 >board_k8.dtso
set -eu
k=${1:?usage: gen_bench_board.sh K}
case $k in
'' | *[!0-9]*) echo "gen_bench_board.sh: K must be a number" >&2 && exit 1 ;;
esac
if [ "$k" -lt 2 ] || [ "$k" -gt 32 ]; then
	echo "gen_bench_board.sh: K must be 2..32 (the controller's limit)" >&2
	exit 1
fi
cat <<EOT
// SPDX-License-Identifier: GPL-2.0
/*
 * Benchmark card: a power controller with $k domains and $k consumers,
 * consumer i in domains i and i + 1. Written by gen_bench_board.sh $k; do not edit.
 */

/dts-v1/;
/plugin/;

/ {
	fragment@0 {
		target-path = "";

		__overlay__ {
EOT
i=0
while [ "$i" -lt "$k" ]; do
	cat <<EOT
			consumer-$i {
				compatible = "drvlife,genpd-consumer";
				power-domains = <&pwrctl $i>, <&pwrctl $(((i + 1) % k))>;
			};

EOT
	i=$((i + 1))
done
cat <<EOT
			/* Last, so populated first (see board.dtso). */
			pwrctl: power-controller {
				compatible = "drvlife,genpd-controller";
				#power-domain-cells = <1>;
				drvlife,domain-count = <$k>;
			};
		};
	};
};
EOT
