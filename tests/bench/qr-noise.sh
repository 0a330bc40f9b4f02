#!/usr/bin/env bash
# The worst case of the certificate's QR search: frames of black-and-white noise at 1080p,
# 12 MP and 40 MP, timed through `decode_qr` (what `verify_certificate_image` runs before the
# payload check) beside `zbarimg` (Debian's zbar-tools) on the same frames.
#
# Usage: tests/bench/qr-noise.sh            builds the release example and runs
#        QR_FRAME_TIME=path/to/binary ...   times another build (e.g. an older commit)
#        SEEDS=5 TIMEOUT=300 ...            more frames a size; the cut-off a run, in s
#
# Columns: the decode call alone, our whole process (reading the file included), zbarimg's
# whole process, and ours ÷ zbarimg (whole processes), each the worst over the seeds.
# A run cut off by the timeout shows as ">TIMEOUT". Times are wall-clock on this machine;
# nothing here asserts a time.
set -euo pipefail
cd "$(dirname "$0")/../.."

SEEDS=${SEEDS:-3}
TIMEOUT=${TIMEOUT:-180}
if [ -z "${QR_FRAME_TIME:-}" ]; then
    cargo build --quiet --release -p lofavor-certificate --example qr_frame_time
    QR_FRAME_TIME=target/release/examples/qr_frame_time
fi
if ! command -v zbarimg >/dev/null; then
    echo "zbarimg is missing: apt-get install zbar-tools" >&2
    exit 2
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
frame="$work/noise.pgm"

now_ms() { echo $(( $(date +%s%N) / 1000000 )); }

# Runs a command under the timeout; prints its wall time in ms, or ">TIMEOUT".
timed() {
    local start end status=0
    start=$(now_ms)
    timeout "$TIMEOUT" "$@" >"$work/out" 2>&1 || status=$?
    end=$(now_ms)
    if [ "$status" = 124 ]; then echo ">$TIMEOUT s"; else echo $((end - start)); fi
}

worse() { # the larger of two figures, where ">… s" beats any number
    case "$1$2" in *'>'*) echo ">$TIMEOUT s" ;; *) echo $(( $1 > $2 ? $1 : $2 )) ;; esac
}

printf '%-10s %14s %14s %14s %8s  %s\n' frame "decode ms" "process ms" "zbarimg ms" ratio answer
for size in 1920x1080 4000x3000 7300x5475; do
    width=${size%x*}
    height=${size#*x}
    call=0 ours=0 zbar=0 answer=""
    for seed in $(seq 1 "$SEEDS"); do
        "$QR_FRAME_TIME" noise "$width" "$height" "$seed" "$frame"
        ours=$(worse "$ours" "$(timed "$QR_FRAME_TIME" decode "$frame")")
        if [ -s "$work/out" ] && grep -q ' ms' "$work/out"; then
            this=$(cut -d' ' -f1 "$work/out")
            call=$(awk -v a="$call" -v b="$this" 'BEGIN { print (b > a ? b : a) }')
            answer=$(cut -f2 "$work/out")
        else
            call=">$TIMEOUT s"
            answer="(cut off)"
        fi
        zbar=$(worse "$zbar" "$(timed zbarimg --quiet "$frame")")
    done
    case "$ours$zbar" in
        *'>'*) ratio="-" ;;
        *) ratio=$(awk -v a="$ours" -v b="$zbar" 'BEGIN { printf "%.2f", a / b }') ;;
    esac
    printf '%-10s %14s %14s %14s %8s  %s\n' "$size" "$call" "$ours" "$zbar" "$ratio" "$answer"
done
