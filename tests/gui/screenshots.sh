#!/usr/bin/env bash
# Runs the real counter window under Xvfb, drives it from the keyboard only (as a clerk
# would: Tab or Enter moves on, a QR scanner types into the focused field, Ctrl+Enter
# saves, F-keys switch screens) and takes a screenshot of each screen.
#
#   bash tests/gui/screenshots.sh [OUT_DIR] [BINARY]
#
# Needs: Xvfb, xdotool, ImageMagick's import (installed by .ci/setup when missing).
set -euo pipefail
OUT=${1:-target/gui-shots}
BIN=${2:-target/debug/motcua}
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
# MOTCUA_SHOT_DATA keeps the data directory for the caller to inspect.
DATA=${MOTCUA_SHOT_DATA:-$(mktemp -d)}
RUNTIME=$(mktemp -d)
DISPLAY_NO=:$((90 + RANDOM % 9))

Xvfb "$DISPLAY_NO" -screen 0 1366x768x24 >/dev/null 2>&1 &
XVFB=$!
APP=
cleanup() {
    [ -n "$APP" ] && kill "$APP" 2>/dev/null || true
    kill "$XVFB" 2>/dev/null || true
    [ -n "${MOTCUA_SHOT_DATA:-}" ] || rm -rf "$DATA"
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
# Without a window manager X does not give the window the keyboard by itself.
xdotool windowfocus --sync "$WIN"
sleep 2

shot() { sleep "${2:-1.5}"; import -window root "$OUT/$1.png"; echo "$OUT/$1.png"; }
# Characters outside the keyboard map (ễ, ị, ồ…) are typed through a remapped spare
# key; a slower delay keeps xdotool from dropping them. After Enter the application
# moves the focus on the next frame, so give it a moment as a person would.
typ() { xdotool type --delay 120 "$1"; }
key() { xdotool key --delay 80 "$@"; sleep 0.4; }

# First run, as a clerk used to Windows fills it: Tab from field to field (Tab selects
# what the next field holds, so "2" replaces the desk's "1"), Shift+Tab back once.
typ "H22.39.15"; key Tab; typ "2"; key Tab
typ "UBND phường Hồng Gai"; key Tab
typ "UBND tỉnh Quảng Ninh"; key Tab
typ "Hồng Gai"; key Tab; key Tab
typ "nguyen.lan"; key Tab; typ "Nguyễn Thị Lan"; key Tab
typ "matkhau123"; key Tab; typ "matkhau123"
key shift+Tab
shot 01-setup
# The focused field's pale blue fill (theme::FOCUS_FILL), counted in pixels.
convert "$OUT/01-setup.png" -format %c histogram:info:- \
    | awk 'toupper($0) ~ /#E3EEFB/ { n += $1 } END { print n + 0 }' >"$OUT/01-setup.focus"
key Tab; key Return
shot 02-login 3
typ "nguyen.lan"; key Return; typ "matkhau123"; key Return
shot 03-intake-empty 4

# Intake: the procedure by words without diacritics, then the chip card's QR.
typ "khai sinh"
shot 04-intake-picker
key Return
# Many counter scanners emit plain ASCII (no Vietnamese keyboard map): this card's
# fields are written without diacritics, as such a scanner sends them.
typ "089202017098|352576714|Le Van Luong|23052002|Nam|To 10 Ap An Thai, Hoa Binh, Cho Moi, An Giang|31122021"
key Return
typ "0912345678"
shot 05-intake-filled
key ctrl+Return
shot 06-intake-saved 4

# Digitised documents: F10 opens the saved dossier's documents. C opens the chooser
# with its path field focused: select all, type the folder, Enter lists it, ↓ moves,
# Enter takes the file. Then the photo for the next item: ↓ ↓, C, Esc leaves the
# field, Enter takes the first file.
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
DOCS=$(mktemp -d)
cp "$ROOT/tests/fixtures/documents/mau01-a4.pdf" "$DOCS/to-khai-dang-ky-khai-sinh.pdf"
cp "$ROOT/tests/fixtures/documents/photo.jpg" "$DOCS/anh-giay-chung-sinh.jpg"
key F10; shot 06a-documents-empty 2
key c; key ctrl+a; typ "$DOCS"; key Return; shot 06b-chooser 1
key Down; key Return; shot 06c-documents-one 4
key Down; key Down; key c; key Escape; key Return; shot 06d-documents 5
rm -rf "$DOCS"

key F3; shot 07-dossiers 2
key F4; shot 08-returns 2
key F5; shot 09-dashboard 3
key F6; shot 10-catalogue 2
key F9; shot 11-settings 2
key F2; key ctrl+l; shot 12-locked 2
