#!/bin/sh
# First install of motcua on a Linux desk, for the user who runs it (no root needed).
# Run it from the unpacked release tarball:
#
#   mkdir motcua-tam && tar -xzf motcua-0.1.1-linux-x86_64.tar.gz -C motcua-tam
#   sh motcua-tam/install.sh
#
# It copies this version into ~/.local/share/motcua/versions/<version>/, points the
# `current` link at it, and adds a menu entry (and ~/.local/bin/motcua) that start
# current/motcua. Later versions come through the centre and switch `current` by
# themselves (issue 25 §3); the previous version is kept for the rollback.
# MOTCUA_INSTALL_DIR changes the install folder (default ~/.local/share/motcua).
set -eu

fail() {
    echo "Không cài được motcua: $*" >&2
    exit 1
}

SRC=$(cd "$(dirname "$0")" && pwd)
[ -f "$SRC/motcua" ] || fail "không thấy tệp motcua cạnh install.sh (hãy giải nén cả gói rồi chạy install.sh trong thư mục đó)"
[ -f "$SRC/VERSION" ] || fail "không thấy tệp VERSION cạnh install.sh: gói không đầy đủ"
VERSION=$(head -n 1 "$SRC/VERSION")
case $VERSION in
'' | *[!0-9.]* | .* | *. | *..*) fail "số phiên bản \"$VERSION\" không hợp lệ" ;;
esac
[ -n "${HOME:-}" ] || fail "biến HOME chưa được đặt"
DATA_HOME=${XDG_DATA_HOME:-$HOME/.local/share}
ROOT=${MOTCUA_INSTALL_DIR:-$DATA_HOME/motcua}
# The menu entry quotes the path; these characters would need escapes there.
case $ROOT in
*[\\\"\`\$%]*) fail "thư mục cài \"$ROOT\" có ký tự \\ \" \` \$ hoặc %: hãy chọn thư mục khác (MOTCUA_INSTALL_DIR)" ;;
esac

# Into a temporary folder first, renamed into place: a cut install leaves no half version.
mkdir -p "$ROOT/versions" || fail "không tạo được $ROOT/versions"
TEMP="$ROOT/versions/.install-$VERSION"
rm -rf "$TEMP"
mkdir "$TEMP"
for f in "$SRC"/*; do
    cp -p "$f" "$TEMP/" || fail "không chép được $f vào $TEMP"
done
chmod 0755 "$TEMP/motcua"
rm -rf "$ROOT/versions/$VERSION"
mv "$TEMP" "$ROOT/versions/$VERSION" || fail "không đặt được phiên bản vào $ROOT/versions/$VERSION"

# `current` switched atomically (a new link renamed over the old), relative as the
# updates make it, so the folder may be moved as a whole.
rm -f "$ROOT/.current-new"
ln -s "versions/$VERSION" "$ROOT/.current-new"
mv -T "$ROOT/.current-new" "$ROOT/current" || fail "không đặt được liên kết $ROOT/current"

# The menu entry starts current/motcua, so it starts whichever version is current.
APPS="$DATA_HOME/applications"
mkdir -p "$APPS"
ICON="$ROOT/current/motcua.ico"
cat >"$APPS/motcua.desktop.new" <<DESKTOP
[Desktop Entry]
Type=Application
Version=1.0
Name=Một cửa
GenericName=Tiếp nhận và trả kết quả
Comment=Tiếp nhận và trả kết quả hồ sơ thủ tục hành chính tại bộ phận một cửa
Exec="$ROOT/current/motcua"
Icon=$ICON
Terminal=false
Categories=Office;
StartupNotify=true
DESKTOP
mv "$APPS/motcua.desktop.new" "$APPS/motcua.desktop"
command -v update-desktop-database >/dev/null 2>&1 && update-desktop-database "$APPS" >/dev/null 2>&1 || true

# The command line, for `motcua sync` and the like.
mkdir -p "$HOME/.local/bin"
ln -sfn "$ROOT/current/motcua" "$HOME/.local/bin/motcua"

echo "Đã cài motcua $VERSION vào $ROOT"
echo "Mở từ trình đơn ứng dụng (\"Một cửa\") hoặc chạy: $ROOT/current/motcua"
