#!/bin/sh
# Renders the PNG sizes of every icon from its SVG (ImageMagick). The PNGs are
# committed: Qt here has no SVG image plugin, and the build must not need ImageMagick.
# Run from resources/icons after editing an SVG.
set -eu
cd "$(dirname "$0")"
for n in 16 24 32 48 64 128 256 512; do
    convert -background none -density 768 app/lockstep.svg -resize "${n}x${n}" -strip "app/lockstep-$n.png"
done
for f in pages/*.svg actions/*.svg; do
    for n in 24 48 96; do
        convert -background none -density 1200 "$f" -resize "${n}x${n}" -strip "${f%.svg}-$n.png"
    done
done
