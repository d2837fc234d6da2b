#!/usr/bin/env bash
# The screenshots of docs/explore.md, taken in Debian's chromium, headless, then reduced to
# 256 colours (ImageMagick). Run from the crate root with gti built:
#
#   web/tools/screenshots.sh GTI HDI_DATA [OUT]     # GTI: the gti binary; HDI_DATA: a folder with
#                                                   # the HDR components and units.csv (tests/explore/views.rs)
#
# The what-if panel's effective weights sit in a closed <details>, which chromium's
# --screenshot cannot open: that one is taken by examples/explore_screenshot.rs (cargo).
set -euo pipefail
GTI=$1
HDI_DATA=$2
OUT=${3:-docs}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
"$GTI" explore -q -o "$WORK/gti"
"$GTI" explore -q -m methodology/hdi.toml -d "$HDI_DATA" -o "$WORK/hdi"
"$GTI" explore -q --lang fr -o "$WORK/fr"

shot() { # NAME PAGE FRAGMENT HEIGHT
    local profile
    profile=$(mktemp -d)
    chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
        --disable-background-networking --disable-component-update --disable-sync \
        --user-data-dir="$profile" --hide-scrollbars --window-size="1440,$4" \
        --virtual-time-budget=3000 --screenshot="$WORK/$1.png" "file://$WORK/$2/index.html$3" 2>/dev/null
    rm -rf "$profile"
    convert "$WORK/$1.png" -colors 256 "PNG8:$OUT/explore-$1.png"
    echo "$OUT/explore-$1.png"
}
shot map gti '#view=map&year=2024&node=GTI' 1050
shot ranking gti '#view=ranking&year=2024&node=GTI&set=node.P4.weight%3D3,node.P2.aggregate.method%3Dgeometric' 1100
shot profile gti '#view=profile&year=2024&node=P4&units=XAK' 1560
shot compare gti '#view=compare&year=2024&node=GTI&units=XAB,XAK,XAT' 1240
shot regions gti '#view=regions&year=2024&node=GTI' 1000
shot hdi-map hdi '#view=map&year=2022&node=HDI' 1000
shot hdi-score hdi '#view=map&year=2022&node=income&color=score' 1000
shot fr-map fr '#view=map&year=2024&node=GTI&color=score' 1050
# The what-if's effective weights (P1 weighted 3, P1_cat_overdue 0): the top of the table, P1 and P2.
WHATIF='#view=ranking&year=2024&node=GTI&set=node.P1.weight%3D3,indicator.P1_cat_overdue.weight%3D0'
cargo run --locked -q --example explore_screenshot -- "$WORK/gti/index.html" "$WHATIF" details.effective "$WORK/whatif.png" 1440 5200
convert "$WORK/whatif.png" -crop x1200+0+0 +repage -colors 256 "PNG8:$OUT/explore-whatif.png"
echo "$OUT/explore-whatif.png"
