#!/usr/bin/env bash
# The counter window of motcua.exe under Wine in Xvfb, driven from the keyboard as a
# clerk would (see tests/gui/screenshots.sh for the Linux run): first-run setup, sign
# in, take in a dossier, screenshots. No ICED_BACKEND is set: wgpu fails under Wine
# the way it does on ward PCs with broken drivers, and the window must come back by
# itself with software drawing. Also times the cold start to the sign-in screen.
#
#   bash tests/windows/gui.sh OUT_DIR MOTCUA_EXE
#
# Needs: wine, Xvfb, xdotool, ImageMagick's import, x86_64-w64-mingw32-gcc.
set -Eeuo pipefail
# A failing line says which one and what it ran (set -e alone ends the script in silence).
trap 'echo "tests/windows/gui.sh: line $LINENO failed (exit $?): $BASH_COMMAND" >&2' ERR
HERE=$(cd "$(dirname "$0")" && pwd)
OUT=${1:-target/windows-gui}
EXE=${2:?motcua.exe}
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
WORK=$(mktemp -d)
export WINEPREFIX=$WORK/prefix WINEDEBUG=-all WINEDLLOVERRIDES="mscoree,mshtml="
DISPLAY_NO=:$((80 + RANDOM % 9))
Xvfb "$DISPLAY_NO" -screen 0 1366x768x24 >/dev/null 2>&1 &
XVFB=$!
cleanup() {
    wineserver -k 2>/dev/null || true
    kill "$XVFB" 2>/dev/null || true
    rm -rf "$WORK"
}
trap cleanup EXIT

# The prefix, without a display (no dialogs), with the stand-in Wine 8 lacks.
DISPLAY= wineboot -i >/dev/null 2>&1
wineserver -w
x86_64-w64-mingw32-gcc -shared -O2 -o "$WINEPREFIX/drive_c/windows/system32/bcryptprimitives.dll" \
    "$HERE/bcryptprimitives.c" "$HERE/bcryptprimitives.def" -lbcrypt
export DISPLAY=$DISPLAY_NO
DATA='C:\users\Nguyễn Thị Lan\dữ liệu'
MARKER=$(find "$WINEPREFIX/drive_c/users" -maxdepth 1 -mindepth 1 ! -name Public | head -1)/AppData/Local/motcua/motcua/cache/renderer-software

# The newest visible top-level window whose title is the app's.
window() { xdotool search --onlyvisible --name "Một cửa|motcua" 2>/dev/null | tail -1 || true; }
wait_window() {
    local w=
    for _ in $(seq 1 240); do
        w=$(window)
        [ -n "$w" ] && { echo "$w"; return 0; }
        sleep 0.25
    done
    return 1
}
shot() { sleep "${2:-1.5}"; import -window root "$OUT/$1.png"; echo "$OUT/$1.png"; }
typ() { xdotool type --delay 120 "$1"; }
key() { xdotool key --delay 80 "$@"; sleep 0.4; }

# 1. First start, GPU path: under Wine wgpu panics at its first shader; the app must
#    reopen itself with software drawing and remember that for the next start.
T0=$(date +%s.%N)
wine "$EXE" --data-dir "$DATA" >"$OUT/app-first.log" 2>&1 &
APP=$!
WIN=$(wait_window) || { echo "no window; log:"; cat "$OUT/app-first.log"; exit 1; }
for _ in $(seq 1 40); do [ -e "$MARKER" ] && break; sleep 0.25; done
if [ -e "$MARKER" ]; then
    echo "GPU path failed as expected; reopened with software drawing: $(cat "$MARKER")"
    sleep 3
    WIN=$(wait_window) || { echo "no window after the fallback"; cat "$OUT/app-first.log"; exit 1; }
fi
T1=$(date +%s.%N)
echo "first start to a window (incl. any fallback): $(echo "$T1 - $T0" | bc) s"
xdotool windowfocus --sync "$WIN" || true
sleep 2
typ "H22.39.15"; key Return; key ctrl+a; typ "1"; key Return
typ "UBND phường Hồng Gai"; key Return
typ "UBND tỉnh Quảng Ninh"; key Return
typ "Hồng Gai"; key Return; key Return
typ "nguyen.lan"; key Return; typ "Nguyễn Thị Lan"; key Return
typ "matkhau123"; key Return; typ "matkhau123"
shot 01-setup
key Return
shot 02-login 3
# Close it: the next start is a cold start to the sign-in screen.
wineserver -k 2>/dev/null || true
wait "$APP" 2>/dev/null || true
sleep 1

# IT set the counter's printer to the cups-pdf queue (Wine shows CUPS queues as
# Windows printers), so Ctrl+Enter prints Mẫu 01 through GDI.
DB="$WINEPREFIX/drive_c/users/Nguyễn Thị Lan/dữ liệu/motcua.sqlite"
PRINTER=
if LC_ALL=C lpstat -r 2>/dev/null | grep -q "scheduler is running" && command -v sqlite3 >/dev/null; then
    sqlite3 "$DB" "INSERT INTO settings(key, value) VALUES('printer', 'PDF')
                   ON CONFLICT(key) DO UPDATE SET value = 'PDF'"
    PRINTER=1
fi
# cups-pdf makes its output folder at its first job: on a fresh machine neither folder
# exists yet, which counts as no PDF (not as a failure of the script).
cups_pdfs() {
    local d
    for d in "$HOME/PDF" /var/spool/cups-pdf/ANONYMOUS; do
        if [ -d "$d" ]; then find "$d" -name '*.pdf'; fi
    done | wc -l
}

# 2. Cold start to the sign-in screen (software drawing remembered).
T0=$(date +%s.%N)
wine "$EXE" --data-dir "$DATA" >"$OUT/app.log" 2>&1 &
WIN=$(wait_window) || { echo "no window; log:"; cat "$OUT/app.log"; exit 1; }
T1=$(date +%s.%N)
echo "cold start to the sign-in window: $(echo "$T1 - $T0" | bc) s" | tee "$OUT/cold-start.txt"
xdotool windowfocus --sync "$WIN" || true
sleep 2
shot 03-login-cold
typ "nguyen.lan"; key Return; typ "matkhau123"; key Return
shot 04-intake-empty 4
typ "khai sinh"
key Return
typ "089202017098|352576714|Le Van Luong|23052002|Nam|To 10 Ap An Thai, Hoa Binh, Cho Moi, An Giang|31122021"
key Return
typ "0912345678"
shot 05-intake-filled
BEFORE=$(cups_pdfs)
T0=$(date +%s.%N)
xdotool key ctrl+Return
if [ -n "$PRINTER" ]; then
    for _ in $(seq 1 240); do [ "$(cups_pdfs)" -gt "$BEFORE" ] && break; sleep 0.25; done
    [ "$(cups_pdfs)" -gt "$BEFORE" ] || { echo "Ctrl+Enter printed nothing"; exit 1; }
    T1=$(date +%s.%N)
    echo "Ctrl+Enter to the PDF out of the cups-pdf queue: $(echo "$T1 - $T0" | bc) s" | tee -a "$OUT/cold-start.txt"
fi
shot 06-intake-saved 4
# The dossier is in the store: read it back with the command line.
DISPLAY= wine "$EXE" --data-dir "$DATA" search "le van luong" | tee "$OUT/search.txt"
grep -q "Lê Văn Lương\|Le Van Luong" "$OUT/search.txt"
echo "screenshots in $OUT"
