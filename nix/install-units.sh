#!/usr/bin/env bash
# Installs units/ into a package and points them at the package.
#
# The units name their program by FHS-style paths under /usr/lib/dubnium/
# (bin/node, dist/cli/mode.js, bin/vllm-serve), the single source of truth for
# every distribution. This lays out that tree inside the package as symlinks
# and rewrites the prefix to it, then fails if any unit names a path in the
# tree that does not exist, so a renamed file breaks the build, not a boot.
#
# usage: install-units.sh UNITS_DIR OUT NODE PACKAGE_DIR VLLM_PLACEHOLDER
#   UNITS_DIR         the repository's units/
#   OUT               the package output ($out)
#   NODE              the node binary the units run
#   PACKAGE_DIR       the installed npm package (holds dist/)
#   VLLM_PLACEHOLDER  what vllm.service runs until the NixOS module sets its command
set -euo pipefail

if [ "$#" -ne 5 ]; then
  echo "usage: $0 UNITS_DIR OUT NODE PACKAGE_DIR VLLM_PLACEHOLDER" >&2
  exit 64
fi
units=$1 out=$2 node=$3 package=$4 vllm_placeholder=$5
fhs_prefix=/usr/lib/dubnium/
tree=$out/lib/dubnium
unit_dir=$out/lib/systemd/system

for required in "$node" "$package/dist" "$vllm_placeholder"; do
  if [ ! -e "$required" ]; then
    echo "install-units: $required does not exist (was the package built with npm run build?)" >&2
    exit 1
  fi
done

mkdir -p "$tree/bin" "$unit_dir"
ln -s "$node" "$tree/bin/node"
ln -s "$vllm_placeholder" "$tree/bin/vllm-serve"
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

missing=0
while IFS= read -r path; do
  if [ ! -e "$path" ]; then
    echo "install-units: a unit names $path, which the package does not provide" >&2
    missing=1
  fi
done < <(grep -ohE "$tree/[^[:space:]\"']+" "$unit_dir"/* | sort -u)
exit "$missing"
