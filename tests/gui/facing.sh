#!/usr/bin/env bash
# The counter with the screen facing the citizen, under Xvfb: one X screen 2390×768
# holds the counter's 1366×768 monitor and, to its right, the citizen's 1024×600
# (the desk's setting `facing_screen = 1366,0,1024,600`). Signs in, types an intake
# (the facing window mirrors it), hands a result back (F4: the rating), answers it
# with the keypad in the facing window, and photographs each step.
#
#   bash tests/gui/facing.sh OUT_DIR BINARY DATA_DIR USER PASSWORD CODE
#
# Needs: Xvfb, xdotool, ImageMagick (import, convert).
set -euo pipefail
OUT=$1 BIN=$2 DATA=$3 USER_NAME=$4 PASS=$5 CODE=$6
mkdir -p "$OUT"
RUNTIME=$(mktemp -d)
DISPLAY_NO=:$((70 + RANDOM % 9))
Xvfb "$DISPLAY_NO" -screen 0 2390x768x24 >/dev/null 2>&1 &
XVFB=$!
APP=
cleanup() {
    [ -n "$APP" ] && kill "$APP" 2>/dev/null || true
    kill "$XVFB" 2>/dev/null || true
    rm -rf "$RUNTIME"
}
trap cleanup EXIT
export DISPLAY=$DISPLAY_NO XDG_RUNTIME_DIR=$RUNTIME
sleep 1

"$BIN" --data-dir "$DATA" >"$OUT/app.log" 2>&1 &
APP=$!
WIN=
for _ in $(seq 1 60); do
    WIN=$(xdotool search --onlyvisible --pid "$APP" 2>/dev/null | tail -1 || true)
    [ -n "$WIN" ] && break
    sleep 0.5
done
[ -n "$WIN" ] || { echo "no window; log:"; cat "$OUT/app.log"; exit 1; }
xdotool windowfocus --sync "$WIN"
sleep 2

# The whole screen, and the citizen's monitor cut out of it.
shot() {
    sleep "${2:-1.5}"
    import -window root "$OUT/$1.png"
    convert "$OUT/$1.png" -crop 1024x600+1366+0 +repage "$OUT/$1-citizen.png"
}
typ() { xdotool type --delay 120 "$1"; }
key() { xdotool key --delay 80 "$@"; sleep 0.4; }

typ "$USER_NAME"; key Return; typ "$PASS"; key Return
sleep 4
# Signed in: the facing window opens on the citizen's monitor.
FACING=
for _ in $(seq 1 30); do
    FACING=$(xdotool search --onlyvisible --pid "$APP" 2>/dev/null | grep -vx "$WIN" | tail -1 || true)
    [ -n "$FACING" ] && break
    sleep 0.5
done
[ -n "$FACING" ] || {
    import -window root "$OUT/no-facing.png"
    echo "no facing window; log:"; cat "$OUT/app.log"; exit 1
}
xdotool getwindowgeometry "$FACING" >"$OUT/facing-geometry.txt"
shot 00-idle 1
xdotool windowfocus --sync "$WIN"

typ "khai sinh"; key Return
typ "Nguyễn Thị Ngọc Hải"; key Return
typ "022190001234"; key Return
typ "17/05/1990"
shot 01-mirror 2

# The result handed back: F4, the receipt's code scanned, Enter shows the dossier,
# Enter again records the return to the applicant.
key F4; sleep 1
typ "$CODE"; key Return; sleep 1.5; key Return
shot 02-rating 3
# The citizen answers on their own screen (its keypad): 1, then 2.
xdotool windowfocus --sync "$FACING"
key 1
shot 03-rating-second 1.5
key 2; key 1
shot 04-thanks 2
