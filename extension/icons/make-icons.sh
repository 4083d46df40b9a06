#!/bin/sh
# Renders the icon and the store tile from their SVG sources (librsvg's rsvg-convert, Debian
# package librsvg2-bin). The PNGs are committed beside the sources: the build copies them and
# needs no renderer; run this after changing an SVG.
set -eu
cd "$(dirname "$0")"
out=../public/icons
mkdir -p "$out"
for size in 16 32 48 128; do
  rsvg-convert -w "$size" -h "$size" icon.svg -o "$out/icon-$size.png"
done
mkdir -p ../store
rsvg-convert -w 440 -h 280 tile.svg -o ../store/tile-440x280.png
