#!/bin/sh
# Does installer/install-deps.sh install everything the configured build reads?
# A package that is on this machine but that install-deps.sh would not bring to a fresh
# one (not listed, not a dependency of a listed one) is here only by accident: the build
# works here and fails on the next machine. Run by CTest (install_deps_cover_build).
#
# Usage: installer/check-install-deps.sh BUILD_DIR [PACKAGE_LIST_FILE]
#   PACKAGE_LIST_FILE replaces `install-deps.sh --list` (the negative test uses it).
# Inputs: every absolute path in BUILD_DIR/CMakeCache.txt of type PATH or FILEPATH
# (package-config folders *_DIR, libraries *_LIBRARY*, include folders, programs).
# A folder counts through its <Name>Config.cmake / <name>-config.cmake file; a folder
# without one (e.g. /usr/include, shared by hundreds of packages) is not counted.
# Each input's owner (dpkg-query -S, along its symlinks) must be in the closure of the
# list: `apt-cache depends --recurse` without recommends (install-deps passes
# --no-install-recommends), taking the first alternative of an `a | b` dependency, as
# apt does on a fresh machine.
# Exit: 0 covered, 1 offenders named, 2 usage or apt error, 77 no dpkg/apt-cache (skip).
set -eu

here=$(cd "$(dirname "$0")" && pwd)
if [ $# -lt 1 ] || [ $# -gt 2 ]; then
    echo "usage: $0 BUILD_DIR [PACKAGE_LIST_FILE]" >&2
    exit 2
fi
cache=$1/CMakeCache.txt
[ -f "$cache" ] || { echo "check-install-deps: no $cache (configure first)" >&2; exit 2; }

for tool in dpkg-query apt-cache; do
    if ! command -v "$tool" >/dev/null 2>&1; then
        echo "check-install-deps: skipped, no $tool (not a Debian system)"
        exit 77
    fi
done

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT TERM

if [ $# -eq 2 ]; then
    tr -s '[:space:]' '\n' <"$2" | grep -v '^$' >"$tmp/list" || true
else
    "$here/install-deps.sh" --list >"$tmp/list"
fi
[ -s "$tmp/list" ] || { echo "check-install-deps: empty package list" >&2; exit 2; }

# Cache entries the build does not use, so a fresh machine without them is fine:
#  MEMORYCHECK_COMMAND  valgrind, for `ctest -T memcheck` only (CTest looks for it).
#  OPENGL_glu_LIBRARY   FindOpenGL's optional GLU (OpenGL::GLU); nothing links it.
ignored="MEMORYCHECK_COMMAND OPENGL_glu_LIBRARY"

# ---- the closure of the list -----------------------------------------------------------
# shellcheck disable=SC2046
if ! apt-cache depends --recurse --no-recommends --no-suggests --no-conflicts \
        --no-breaks --no-replaces --no-enhances $(cat "$tmp/list") \
        >"$tmp/depends" 2>"$tmp/apt-err"; then
    cat "$tmp/apt-err" >&2
    echo "check-install-deps: apt-cache depends failed" >&2
    exit 2
fi
# apt-cache silently drops names it does not know; a typo would shrink the closure.
grep -v '^ ' "$tmp/depends" | sed 's/:any$//' | sort -u >"$tmp/known"
unknown=$(sort -u "$tmp/list" | comm -23 - "$tmp/known" | tr '\n' ' ')
if [ -n "$unknown" ]; then
    echo "check-install-deps: apt does not know: $unknown(misspelt, or run apt-get update)" >&2
    exit 2
fi
# Breadth-first from the list over the recursive listing: every plain dependency, only the
# first alternative of an OR group (for a virtual one, its first provider).
awk -v roots="$(tr '\n' ' ' <"$tmp/list")" '
    function add(p) { if (!(p in seen)) { seen[p] = 1; queue[n++] = p } }
    /^[^ ]/ { cur = $0; sub(/:any$/, "", cur); body[cur] = body[cur] "\n"; next }
    { body[cur] = body[cur] $0 "\n" }
    END {
        k = split(roots, r, " "); for (i = 1; i <= k; i++) add(r[i])
        for (q = 0; q < n; q++) {
            m = split(body[queue[q]], line, "\n"); inor = 0; provider = 0
            for (j = 1; j <= m; j++) {
                l = line[j]
                if (l ~ /^ [ |](Pre)?Depends: /) {
                    first = !inor; inor = (substr(l, 2, 1) == "|"); provider = 0
                    if (!first) continue
                    d = l; sub(/^ [ |](Pre)?Depends: /, "", d); sub(/:any$/, "", d)
                    if (d ~ /^</) provider = 1; else add(d)
                } else if (provider && l ~ /^    [^ ]/) {
                    d = l; sub(/^ +/, "", d); add(d); provider = 0
                }
            }
        }
        for (p in seen) print p
    }' "$tmp/depends" | sort >"$tmp/closure"

# ---- the inputs and the symlinks they go through ---------------------------------------
src=$(sed -n 's/^CMAKE_HOME_DIRECTORY:INTERNAL=//p' "$cache")
bin=$(sed -n 's/^CMAKE_CACHEFILE_DIR:INTERNAL=//p' "$cache")
entries=0 folders=0 id=0
: >"$tmp/chains"
sed -n 's/^\([A-Za-z0-9_.+-]*\):\(PATH\|FILEPATH\)=\(\/.*\)$/\1 \3/p' "$cache" >"$tmp/entries"
while read -r name path; do
    case " $ignored " in *" $name "*) continue ;; esac
    case "$path" in "$src"/* | "$bin"/* | "$src" | "$bin") continue ;; esac
    entries=$((entries + 1))
    if [ -d "$path" ]; then
        base=${name%_DIR}
        lower=$(echo "$base" | tr '[:upper:]' '[:lower:]')
        conf=""
        for c in "$path/${base}Config.cmake" "$path/$lower-config.cmake" \
                 "$path"/*Config.cmake "$path"/*-config.cmake; do
            if [ -f "$c" ]; then conf=$c; break; fi
        done
        if [ -z "$conf" ]; then folders=$((folders + 1)); continue; fi
        path=$conf
    fi
    [ -e "$path" ] || continue          # gone since configure: nothing to read
    id=$((id + 1))
    # The path as configured, each link it goes through, and the canonical file.
    step=0 p=$path
    while :; do
        printf '%s\t%s\t%s\t%s\n' "$id" "$step" "$name" "$p" >>"$tmp/chains"
        if [ ! -L "$p" ] || [ "$step" -ge 40 ]; then break; fi
        t=$(readlink "$p")
        case "$t" in /*) ;; *) t=$(dirname "$p")/$t ;; esac
        # `..` resolved by name, as dpkg records paths (cd -L keeps the links).
        p=$(cd -L "$(dirname "$t")" 2>/dev/null && pwd -L)/$(basename "$t") || break
        step=$((step + 1))
    done
    real=$(readlink -f "$path")
    [ "$real" = "$p" ] ||
        printf '%s\t%s\t%s\t%s\n' "$id" "$((step + 1))" "$name" "$real" >>"$tmp/chains"
done <"$tmp/entries"
inputs=$id
[ "$inputs" -gt 0 ] || { echo "check-install-deps: no inputs found in $cache" >&2; exit 2; }

# dpkg records the pre-/usr-merge path of some files (/lib/x86_64-linux-gnu/libz.so.1):
# ask for both spellings, in one call (each call reads the whole file database).
alias_awk='function alias(p) {
    if (p ~ /^\/usr\/(bin|sbin|lib|lib32|lib64|libx32)\//) return substr(p, 5)
    if (p ~ /^\/(bin|sbin|lib|lib32|lib64|libx32)\//) return "/usr" p
    return "" }'
awk -F '\t' "$alias_awk"' { print $4; a = alias($4); if (a != "") print a }' "$tmp/chains" \
    | sort -u >"$tmp/paths"
tr '\n' '\0' <"$tmp/paths" | xargs -0 dpkg-query -S 2>/dev/null >"$tmp/owners" || true

# ---- the verdict -----------------------------------------------------------------------
# An input is covered when the file it names is installed by a package in the closure,
# and so is every packaged link it goes through. A first path no package owns is fine
# only when update-alternatives made it (its links go through /etc/alternatives/).
awk -F '\t' "$alias_awk"'
    FILENAME == ARGV[1] { closure[$1] = 1; next }
    FILENAME == ARGV[2] {
        if ($0 ~ /^(local )?diversion by /) next
        i = index($0, ": /"); if (!i) next
        p = substr($0, i + 2); k = split(substr($0, 1, i - 1), o, ", ")
        for (j = 1; j <= k; j++) { sub(/:.*/, "", o[j]); owners[p] = owners[p] " " o[j] }
        next
    }
    {
        id = $1; step = $2; name[id] = $3; file[id] = file[id] (step ? " -> " : "") $4
        if ($4 ~ /^\/etc\/alternatives\//) alt[id] = 1
        own = owners[$4]; a = alias($4); if (a != "") own = own owners[a]
        if (own == "") { if (step == 0) unowned[id] = 1; next }
        owned[id] = 1
        k = split(own, o, " "); ok = 0
        for (j = 1; j <= k; j++) if (o[j] in closure) ok = 1
        if (!ok) { gsub(/^ | $/, "", own); gsub(/ /, " or ", own); bad[id] = bad[id] ? bad[id] : own }
    }
    END {
        for (id in name) {
            if (unowned[id] && !(alt[id] && owned[id]) && !bad[id]) bad[id] = "(no Debian package)"
            if (bad[id]) printf "  %s\t%s: %s\n", bad[id], name[id], file[id]
        }
    }' "$tmp/closure" "$tmp/owners" "$tmp/chains" | sort >"$tmp/offenders"

if [ -s "$tmp/offenders" ]; then
    echo "check-install-deps: the configured build reads files that installer/install-deps.sh"
    echo "would not install on a fresh machine (package, then the cache entry and its file):"
    cat "$tmp/offenders"
    echo "Add them to PACKAGES in installer/install-deps.sh (or install them on purpose)."
    exit 1
fi
echo "check-install-deps: $inputs build inputs checked, all installed by install-deps.sh" \
     "($(wc -l <"$tmp/list") packages, $(wc -l <"$tmp/closure") with dependencies;" \
     "$entries cache entries, $folders folders without a package config file not counted)"
