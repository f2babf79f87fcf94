#!/usr/bin/env bash
# Renders the workbench's main states to PNGs under Xvfb (a real X server, real fonts): the README's
# screenshot and the states to look at before calling GUI work done.
#   bash tests/gui/screenshots.sh [BUILD=build] [OUT=docs/screenshots]
set -euo pipefail
build=${1:-build}
out=${2:-docs/screenshots}
tour="$build/tests/widgets/workbench/workbench_screenshots"
[[ -x $tour ]] || { echo "screenshots: no $tour: build the default preset first" >&2; exit 2; }
command -v xvfb-run >/dev/null || { echo "screenshots: xvfb-run not found (Debian: xvfb xauth)" >&2; exit 2; }
home=$(mktemp -d); trap 'rm -rf "$home"' EXIT
mkdir -p -m 700 "$home/runtime"
# A private home: no real settings, keys or dataset are touched.
HOME=$home XDG_CONFIG_HOME=$home/config XDG_DATA_HOME=$home/data XDG_CACHE_HOME=$home/cache \
XDG_RUNTIME_DIR=$home/runtime ANTHROPIC_API_KEY= \
    xvfb-run -a -s "-screen 0 1920x1200x24" "$tour" "$out"
