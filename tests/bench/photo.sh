#!/usr/bin/env bash
# The photo import beside vipsthumbnail and Pillow-with-draft, on a 12 MP and a 48 MP JPEG
# with EXIF orientation 6: wall time and peak memory (GNU time), median of 5 runs each,
# alternating the tools so drift hits all alike. Ours is the whole import as the apps run it
# (core/examples/import_photos.rs: a core opened, both renditions, sealed with XChaCha20-Poly1305,
# written atomically, the database row); the references only make the renditions. Then the
# throughput of 100 different 12 MP photos on the machine's cores, beside vipsthumbnail
# (threaded) making the same renditions of the same 100 files.
#
# Needs: Debian `libvips-tools` and `time`, PyPI `pillow` (installed here if missing).
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 -c 'import PIL' 2>/dev/null || python3 -m pip install -q pillow
command -v vipsthumbnail >/dev/null || { echo "vipsthumbnail missing: apt-get install libvips-tools"; exit 1; }

cargo build -q --release -p lofavor-core --example import_photos
ours="${CARGO_TARGET_DIR:-$root/target}/release/examples/import_photos"
python3 "$root/tests/bench/photo_inputs.py" "$work"

# run NAME COMMAND...: prints "seconds peak_kib" of one run.
measure() {
  /usr/bin/time -f "%e %M" -o "$work/time" "$@" >/dev/null 2>&1
  cat "$work/time"
}
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

for size in 12mp 48mp; do
  photo="$work/$size.jpg"
  for tool in ours pillow vips; do : >"$work/$tool.t"; : >"$work/$tool.m"; done
  for run in 1 2 3 4 5 6; do
    for tool in ours pillow vips; do
      out="$work/out-$tool"; rm -rf "$out"; mkdir -p "$out"
      case $tool in
        ours) line=$(measure "$ours" "$photo") ;;
        pillow) line=$(measure python3 "$root/tests/bench/photo_pillow.py" "$photo" "$out") ;;
        vips) line=$(measure sh -c "vipsthumbnail '$photo' -s 2048 -o '$out/large.jpg[Q=85,strip]' && vipsthumbnail '$photo' -s 320 -o '$out/thumbnail.jpg[Q=80,strip]'") ;;
      esac
      # The first round warms the caches and is not counted.
      [ "$run" = 1 ] && continue
      echo "${line% *}" >>"$work/$tool.t"
      echo "${line#* }" >>"$work/$tool.m"
    done
  done
  t_ours=$(median <"$work/ours.t"); t_pillow=$(median <"$work/pillow.t"); t_vips=$(median <"$work/vips.t")
  m_ours=$(median <"$work/ours.m"); m_pillow=$(median <"$work/pillow.m"); m_vips=$(median <"$work/vips.m")
  echo "$size: import ${t_ours}s ${m_ours}KiB | pillow-draft ${t_pillow}s ${m_pillow}KiB | vipsthumbnail x2 ${t_vips}s ${m_vips}KiB"
  awk -v a="$t_ours" -v p="$t_pillow" -v v="$t_vips" -v ma="$m_ours" -v mp="$m_pillow" -v mv="$m_vips" \
    'BEGIN { printf "%s: time ratio import/pillow %.2f, import/vips %.2f; memory ratio import/pillow %.2f, import/vips %.2f\n", "'"$size"'", a/p, a/v, ma/mp, ma/mv }'
done

# Throughput: 100 different 12 MP photos (the same picture with a numbered comment, so none
# is a duplicate of another).
mkdir -p "$work/batch"
python3 - "$work/12mp.jpg" "$work/batch" <<'PY'
import sys
source, out = sys.argv[1], sys.argv[2]
data = open(source, "rb").read()
for i in range(100):
    note = f"photo {i}".encode()
    segment = b"\xff\xfe" + (len(note) + 2).to_bytes(2, "big") + note
    open(f"{out}/{i:03}.jpg", "wb").write(data[:2] + segment + data[2:])
PY
start=$(date +%s.%N)
"$ours" "$work"/batch/*.jpg
t_ours=$(echo "$(date +%s.%N) - $start" | bc)
mkdir -p "$work/vips-out"
start=$(date +%s.%N)
vipsthumbnail "$work"/batch/*.jpg -s 2048 -o "$work/vips-out/%s-large.jpg[Q=85,strip]"
vipsthumbnail "$work"/batch/*.jpg -s 320 -o "$work/vips-out/%s-thumb.jpg[Q=80,strip]"
t_vips=$(echo "$(date +%s.%N) - $start" | bc)
awk -v a="$t_ours" -v v="$t_vips" -v n="$(nproc)" \
  'BEGIN { printf "100 x 12 MP on %d cores: import %.1f s (%.1f photos/s), vipsthumbnail x2 %.1f s; ratio %.2f\n", n, a, 100/a, v, a/v }'
