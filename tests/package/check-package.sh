#!/bin/sh
# Builds the .deb and the tarball from this build tree (what `make package` does),
# unpacks the .deb into a temporary root with dpkg-deb and runs the installed programs
# from there, then checks the desktop integration files. Optional checkers
# (desktop-file-validate, appstreamcli, systemd-analyze) are skipped when missing;
# installer/install-deps.sh installs the first two.
#
# usage: check-package.sh CPACK BUILD_DIR WORK_DIR VERSION
set -eu
cpack=$1 build=$2 work=$3 version=$4

fail() { echo "FAIL: $*" >&2; exit 1; }
step() { echo "-- $*"; }
sandbox_pid=""
cleanup() { [ -n "$sandbox_pid" ] && kill "$sandbox_pid" 2>/dev/null || true; }
trap cleanup EXIT

rm -rf "$work"
mkdir -p "$work"

step "cpack -G DEB;TGZ (stripped binaries, into $work/out)"
(cd "$build" && "$cpack" -G "DEB;TGZ" -B "$work/out") >"$work/cpack.log" 2>&1 ||
    { cat "$work/cpack.log"; fail "cpack failed"; }
deb=$(ls "$work"/out/lockstep_"$version"_*.deb) || fail "no lockstep_${version}_*.deb"
tgz=$(ls "$work"/out/lockstep-"$version"-*.tar.gz) || fail "no lockstep-${version}-*.tar.gz"

step "control fields of $(basename "$deb")"
[ "$(dpkg-deb -f "$deb" Package)" = lockstep ] || fail "package name"
[ "$(dpkg-deb -f "$deb" Version)" = "$version" ] || fail "package version"
depends=$(dpkg-deb -f "$deb" Depends)
echo "   Depends: $depends"
# The SQL drivers are plugins (explicit); libqt6core6 proves dpkg-shlibdeps ran.
for d in libqt6sql6-sqlite libqt6sql6-psql libqt6core6 libqt6network6; do
    case "$depends" in *"$d"*) ;; *) fail "Depends lacks $d" ;; esac
done

root=$work/root
dpkg-deb -x "$deb" "$root"

step "installed programs run from the unpacked root"
file -b "$root/usr/bin/lockstep" | grep -q ", stripped" || fail "lockstep is not stripped"
out=$("$root/usr/bin/lockstep" --version) || fail "lockstep --version exited non-zero"
[ "$out" = "lockstep $version" ] || fail "lockstep --version printed '$out'"
out=$("$root/usr/bin/lockstep-sandbox" --help) || fail "lockstep-sandbox --help exited non-zero"
echo "$out" | grep -q -- "--scenario" || fail "lockstep-sandbox --help lacks --scenario"

step "the installed demo scenario starts the sandbox"
for f in scenarios/demo.json scenarios/small.json demo/mappings.json; do
    [ -s "$root/usr/share/lockstep/$f" ] || fail "missing /usr/share/lockstep/$f"
done
"$root/usr/bin/lockstep-sandbox" --scenario "$root/usr/share/lockstep/scenarios/demo.json" \
    >"$work/sandbox.out" 2>"$work/sandbox.err" &
sandbox_pid=$!
i=0
until [ -s "$work/sandbox.out" ]; do
    kill -0 "$sandbox_pid" 2>/dev/null || { cat "$work/sandbox.err"; fail "sandbox exited"; }
    i=$((i + 1)); [ $i -le 300 ] || fail "sandbox printed nothing in 30 s"
    sleep 0.1
done
line=$(head -n 1 "$work/sandbox.out")
echo "   $line"
case "$line" in "{"*"http://127.0.0.1:"*"}") ;; *) fail "not the sandbox's JSON line" ;; esac
kill "$sandbox_pid"; wait "$sandbox_pid" 2>/dev/null || true; sandbox_pid=""

step "desktop entry, AppStream metadata, icons"
app=io.lockstep.Lockstep
desktop=$root/usr/share/applications/$app.desktop
metainfo=$root/usr/share/metainfo/$app.metainfo.xml
[ -f "$desktop" ] && [ -f "$metainfo" ] || fail "desktop entry or metainfo missing"
grep -qx "Exec=lockstep" "$desktop" || fail "desktop Exec is not lockstep"
grep -qx "Icon=$app" "$desktop" || fail "desktop Icon is not $app"
grep -q "<release version=\"$version\"" "$metainfo" || fail "metainfo release is not $version"
if command -v desktop-file-validate >/dev/null; then
    desktop-file-validate "$desktop" || fail "desktop-file-validate"
else
    echo "   (desktop-file-validate not installed: skipped)"
fi
if command -v appstreamcli >/dev/null; then
    appstreamcli validate --no-net "$metainfo" || fail "appstreamcli validate"
else
    echo "   (appstreamcli not installed: skipped)"
fi
hicolor=$root/usr/share/icons/hicolor
[ -s "$hicolor/scalable/apps/$app.svg" ] || fail "scalable icon missing"
for n in 16 24 32 48 64 128 256 512; do
    png=$hicolor/${n}x${n}/apps/$app.png
    file -b "$png" | grep -q "PNG image data, $n x $n," || fail "$png is not a ${n}x${n} PNG"
done

step "systemd user units and the example environment"
units=$root/usr/lib/systemd/user
for u in lockstep-sync.service lockstep-sync-once.service lockstep-sync.timer; do
    [ -f "$units/$u" ] || fail "missing unit $u"
done
grep -qx "ExecStart=lockstep run" "$units/lockstep-sync.service" || fail "runner ExecStart"
grep -qx 'EnvironmentFile=%h/.config/lockstep/lockstep.env' "$units/lockstep-sync.service" ||
    fail "runner EnvironmentFile"
grep -qx "ExecStart=lockstep sync --all" "$units/lockstep-sync-once.service" || fail "one-shot ExecStart"
grep -qx "Unit=lockstep-sync-once.service" "$units/lockstep-sync.timer" || fail "timer Unit"
for k in LOCKSTEP_CUSTOMERIO_APP_API_KEY LOCKSTEP_MIXPANEL_PROJECT_TOKEN \
    LOCKSTEP_MIXPANEL_SERVICE_ACCOUNT LOCKSTEP_WORKSPACE; do
    grep -q "^$k=" "$root/usr/share/lockstep/lockstep.env.example" || fail "env example lacks $k"
done
if command -v systemd-analyze >/dev/null; then
    # systemd resolves the bare `lockstep` in /usr/bin; point it at the unpacked binary
    # so `verify` checks the units' syntax and references without an installed package.
    mkdir -p "$work/units"
    for u in "$units"/*; do
        sed "s|^ExecStart=lockstep|ExecStart=$root/usr/bin/lockstep|" "$u" >"$work/units/$(basename "$u")"
    done
    (cd "$work/units" && systemd-analyze verify ./*.service ./*.timer) || fail "systemd-analyze verify"
else
    echo "   (systemd-analyze not installed: skipped)"
fi

step "the tarball holds the same tree"
tar -tzf "$tgz" >"$work/tgz.list"
for f in bin/lockstep bin/lockstep-sandbox share/lockstep/scenarios/demo.json \
    share/applications/$app.desktop lib/systemd/user/lockstep-sync.service; do
    grep -q "/$f\$" "$work/tgz.list" || fail "tarball lacks $f"
done

echo "package OK: $(basename "$deb"), $(basename "$tgz")"
