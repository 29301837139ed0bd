#!/usr/bin/env bash
# Installs units/ into a package and points them at the package.
#
# The units name every program they run by an FHS-style path under
# /usr/lib/dubnium/ (bin/node, dist/cli/mode.cjs, bin/vllm-serve, bin/true,
# bin/curl), the single source of truth for every distribution: NixOS's
# systemd resolves no bare command name (there is no /usr/bin, and a unit's
# PATH= plays no part in that lookup), so even `true` needs a path. This lays
# out that tree inside the package as symlinks to the programs given, rewrites
# the prefix to it, and then fails if an Exec*= line still names a program by a
# bare name or if a unit names a path in the tree that does not exist, so a
# renamed file or a forgotten program breaks the build, not a boot.
#
# usage: install-units.sh UNITS_DIR OUT PACKAGE_DIR NAME=PROGRAM...
#   UNITS_DIR     the repository's units/
#   OUT           the package output ($out)
#   PACKAGE_DIR   the installed npm package (holds dist/)
#   NAME=PROGRAM  what the units run as /usr/lib/dubnium/bin/NAME, one per
#                 program: node, vllm-serve (what vllm.service runs until the
#                 NixOS module sets its command), true, curl
#
# The sandbox tests (test/sandbox/unit-folder.ts) run this same script with
# Debian's programs in place of the store paths.
set -euo pipefail

if [ "$#" -lt 4 ]; then
  echo "usage: $0 UNITS_DIR OUT PACKAGE_DIR NAME=PROGRAM..." >&2
  exit 64
fi
units=$1 out=$2 package=$3
shift 3
fhs_prefix=/usr/lib/dubnium/
tree=$out/lib/dubnium
unit_dir=$out/lib/systemd/system

if [ ! -e "$package/dist" ]; then
  echo "install-units: $package/dist does not exist (was the package built with npm run build?)" >&2
  exit 1
fi

for link in "$@"; do
  name=${link%%=*} program=${link#*=}
  if [ "$name" = "$link" ] || ! [[ "$name" =~ ^[A-Za-z0-9._-]+$ ]] || [ "${program:0:1}" != / ]; then
    echo "install-units: \"$link\" is not NAME=/absolute/path/of/program" >&2
    exit 64
  fi
  if [ ! -x "$program" ] || [ -d "$program" ]; then
    echo "install-units: $program (for bin/$name) is not an executable file" >&2
    exit 1
  fi
done

mkdir -p "$tree/bin" "$unit_dir"
for link in "$@"; do
  ln -s "${link#*=}" "$tree/bin/${link%%=*}"
done
ln -s "$package/dist" "$tree/dist"

shopt -s nullglob
installed=0
for unit in "$units"/*.service "$units"/*.target "$units"/*.slice "$units"/*.socket "$units"/*.timer "$units"/*.path "$units"/*.mount; do
  sed "s|$fhs_prefix|$tree/|g" "$unit" > "$unit_dir/$(basename "$unit")"
  installed=$((installed + 1))
done
if [ "$installed" -eq 0 ]; then
  echo "install-units: no unit files in $units" >&2
  exit 1
fi

if grep -l -F "$fhs_prefix" "$unit_dir"/* >&2; then
  echo "install-units: the units above still name $fhs_prefix" >&2
  exit 1
fi

# The program of each Exec*= line, after systemd's prefixes (@ - : + ! !!),
# must be an absolute path; an empty value only resets the list.
bare=0
while IFS= read -r line; do
  command=${line#*=}
  command=${command#"${command%%[![:space:]]*}"}
  program=${command%%[[:space:]]*}
  while [[ $program == [-@:+!]* ]]; do program=${program:1}; done
  if [ -n "$command" ] && [ "${program:0:1}" != / ]; then
    echo "install-units: an Exec line runs \"$program\" by a bare name, which NixOS's systemd cannot resolve: $line" >&2
    bare=1
  fi
done < <(grep -hE '^[[:space:]]*Exec(Start|StartPre|StartPost|Stop|StopPost|Reload|Condition)=' "$unit_dir"/* || true)
if [ "$bare" -ne 0 ]; then exit 1; fi

missing=0
while IFS= read -r path; do
  if [ ! -e "$path" ]; then
    echo "install-units: a unit names $path, which the package does not provide" >&2
    missing=1
  fi
done < <(grep -ohE "$tree/[^[:space:]\"']+" "$unit_dir"/* | sort -u)
exit "$missing"
