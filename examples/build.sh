#!/bin/sh
# build.sh DATA_DIR rebuilds the examples' tidy CSV from the published
# tables in DATA_DIR (one folder per dataset, as named here), then cuts them
# to the partners and years that matter for the checks, so that the
# repository keeps them small. Run from the repository root:
#
#	sh examples/build.sh path/to/data/real
#
# The full conversions are left in $OUT (default /tmp/report-examples).
set -eu
DATA=${1:?usage: build.sh DATA_DIR}
OUT=${OUT:-/tmp/report-examples}
mkdir -p "$OUT"
report() { go run ./cmd/report "$@"; }

# keep FILE AWK-CONDITION: the header and the rows for which the condition
# holds, fields split at commas (no field before the period has a comma).
keep() { awk -F, "NR == 1 || ($2)" "$1"; }

# Kazakhstan, BNS: every release; the world, the groups with codes, all
# their members, and the largest partners outside them.
d=kz-bns-trade-by-country
t=$DATA/$d/kz_bns_trade_by_country_annual_2019-2023.csv
report import --map examples/$d/map.yaml "$t" -o "$OUT/$d.csv"
report import --map examples/$d/map-shares.yaml "$t" -o "$OUT/$d-shares.csv"
report import --map examples/$d/releases/first.yaml "$t" -o "$OUT/$d-first.csv"
report import --map examples/$d/releases/second.yaml "$t" -o "$OUT/$d-second.csv"
kz='$2 ~ /^(WLD|CIS|EAEU|EUU|ARM|AZE|BLR|KGZ|MDA|RUS|TJK|TKM|UKR|UZB|AUT|BEL|BGR|CYP|CZE|DEU|DNK|ESP|EST|FIN|FRA|GRC|HRV|HUN|IRL|ITA|LTU|LUX|LVA|MLT|NLD|POL|PRT|ROU|SVK|SVN|SWE|GBR|CHN|USA|TUR|KOR)$/'
keep "$OUT/$d.csv" "$kz" > examples/$d/trade.csv
keep "$OUT/$d-shares.csv" "$kz" > examples/$d/shares.csv
keep "$OUT/$d-first.csv" "$kz" > examples/$d/releases/first.csv
keep "$OUT/$d-second.csv" "$kz" > examples/$d/releases/second.csv

# Armenia, Armstat: months (and the year sums) of 2019-2024 with the
# partners of the mirror check and the largest ones.
d=arm-armstat-trade-by-country-monthly
report import --map examples/$d/map.yaml "$DATA/$d/arm_trade_country_monthly_2007-2024.csv" -o "$OUT/$d.csv"
keep "$OUT/$d.csv" '$2 ~ /^(KAZ|RUS|CHN|GEO|IRN|USA|ARE)$/ && $4 >= "2019"' > examples/$d/trade.csv

# EU member states' exports to Kazakhstan, Comext: the months of 2020 (the
# United Kingdom leaves), 2023 and 2024, and every annual EU-27 total.
d=eu-comext-exports-to-kazakhstan
report import --map examples/$d/map.yaml "$DATA/$d/eu_exports_to_kazakhstan_monthly_2019-2024_and_annual.csv" -o "$OUT/$d.csv"
keep "$OUT/$d.csv" '$4 ~ /^(2020|2023|2024)-/ || $4 ~ /^[0-9]+$/' > examples/$d/trade.csv

# UNCTAD bilateral FDI into Kazakhstan and into Armenia: 2005-2012, all
# partners, both tables in one file.
d=unctad-bilateral-fdi-kaz-arm
report import --map examples/$d/map-kaz.yaml "$DATA/$d/unctad_fdi_inflows_by_origin_KAZ_2001-2012.csv" -o "$OUT/$d-kaz.csv"
report import --map examples/$d/map-arm.yaml "$DATA/$d/unctad_fdi_inflows_by_origin_ARM_2001-2012.csv" -o "$OUT/$d-arm.csv"
{ keep "$OUT/$d-kaz.csv" '$4 >= "2005"'; keep "$OUT/$d-arm.csv" '$4 >= "2005"' | tail -n +2; } > examples/$d/trade.csv
