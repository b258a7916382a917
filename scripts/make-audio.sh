#!/usr/bin/env bash
# Regenerates every file in audio/ from nothing. All sound is synthesised
# here with sox (ffmpeg is used only for AAC/MP4, which sox cannot write).
# The output, including audio/README.md and audio/LICENSE, is released under
# CC0 1.0.
#
# Usage (from the repository root):  bash scripts/make-audio.sh
#
# Debian/Ubuntu packages needed:  sox libsox-fmt-all ffmpeg
set -euo pipefail

OUT_DIR="audio"

# ---------------------------------------------------------------------------
# Tool checks
# ---------------------------------------------------------------------------
need_pkgs="sox libsox-fmt-all ffmpeg"
missing=0
for tool in sox soxi ffmpeg ffprobe; do
    if ! command -v "$tool" >/dev/null 2>&1; then
        echo "error: '$tool' not found" >&2
        missing=1
    fi
done
if [ "$missing" -eq 0 ]; then
    sox_formats="$(sox -h 2>/dev/null | sed -n 's/^AUDIO FILE FORMATS: //p')"
    for fmt in mp3 ogg flac wav; do
        case " $sox_formats " in
            *" $fmt "*) ;;
            *) echo "error: sox cannot handle '$fmt' files" >&2; missing=1 ;;
        esac
    done
    ff_encoders="$(ffmpeg -hide_banner -encoders 2>/dev/null || true)"
    if ! grep -qE '^ *A[^ ]* +aac ' <<<"$ff_encoders"; then
        echo "error: ffmpeg has no 'aac' encoder" >&2
        missing=1
    fi
fi
if [ "$missing" -ne 0 ]; then
    echo "Install the required tools, e.g.:" >&2
    echo "    sudo apt-get update && sudo apt-get install -y $need_pkgs" >&2
    exit 1
fi

if [ ! -f Cargo.toml ]; then
    echo "error: run this from the repository root: bash scripts/make-audio.sh" >&2
    exit 1
fi

TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT

# -R makes sox repeatable (fixed random seed for pluck/noise and dither).
# --comment "" keeps sox from tagging files with "Processed by SoX".
SOX=(sox -R --no-show-progress)
# Intermediate files: 32-bit float WAV, so mixing never clips before `norm`.
F32=(-e floating-point -b 32)
FFMPEG=(ffmpeg -nostdin -hide_banner -loglevel error -y)
BITEXACT=(-fflags +bitexact -flags:a +bitexact -map_metadata -1)

# Build a synth argument list: one `pluck` (or other type) per semitone offset.
# Semitones are relative to A4 = 440 Hz (sox's %N notation).
voices() { # type n1 n2 ...
    local type="$1"; shift
    local n
    for n in "$@"; do printf '%s %%%s ' "$type" "$n"; done
}

# ---------------------------------------------------------------------------
# 1. Jingle: ~3 s rising arpeggio (C5 E5 G5 C6 E6) over a soft sine pad,
#    44.1 kHz stereo.
# ---------------------------------------------------------------------------
echo "jingle..."
# Five plucked notes, 0.14 s apart, panned across the stereo field.
# shellcheck disable=SC2046
"${SOX[@]}" -r 44100 -c 5 -n "${F32[@]}" "$TMP/j-pluck.wav" \
    synth 3 $(voices pluck 3 7 10 15 19) \
    delay 0 0.14 0.28 0.42 0.56 \
    remix 1v0.9,2v0.7,3v0.5,4v0.35,5v0.25 1v0.25,2v0.35,3v0.5,4v0.7,5v0.9 \
    trim 0 3
# Sustained C major pad (C4 G4 C5 E5) entering under the last note.
# shellcheck disable=SC2046
"${SOX[@]}" -r 44100 -c 4 -n "${F32[@]}" "$TMP/j-pad.wav" \
    synth 2.44 $(voices sine -9 -2 3 7) \
    remix 1v0.5,2v0.3,3v0.4,4v0.2 1v0.3,2v0.5,3v0.2,4v0.4 \
    fade t 0.25 2.44 1.6 \
    pad 0.56
"${SOX[@]}" -m -v 1.0 "$TMP/j-pluck.wav" -v 0.35 "$TMP/j-pad.wav" \
    "${F32[@]}" "$TMP/jingle.wav" \
    reverb 30 50 60 \
    trim 0 3 \
    fade t 0.005 3 0.9 \
    norm -1

# ---------------------------------------------------------------------------
# 2. Concert: 60 s, mono, 22050 Hz. C - Am - F - G at 120 bpm (one 2 s bar
#    per chord): plucked eighth-note arpeggios, a plucked bass from the 2nd
#    pass, a sine pad from the 3rd pass, a final strummed C chord, and a
#    band-passed noise "applause" swell over the last seconds.
# ---------------------------------------------------------------------------
echo "concert..."
CR=44100       # synthesis rate (sox's pluck needs >= 44.1 kHz); output is 22050
BAR=2          # seconds per bar
PASSES=7       # 7 x 4 bars x 2 s = 56 s, then a 4 s final chord

# Eighth-note arpeggio patterns (semitones from A4) per chord.
arp_C="-9 -5 -2 3 7 3 -2 -5"
arp_Am="-12 -9 -5 0 3 0 -5 -9"
arp_F="-16 -12 -9 -4 0 -4 -9 -12"
arp_G="-14 -10 -7 -2 2 -2 -7 -10"
# Bass roots (octave 2/3) and pad triads.
bass_C="-21"; bass_Am="-24"; bass_F="-28"; bass_G="-26"
pad_C="-9 -5 -2"; pad_Am="-12 -9 -5"; pad_F="-16 -12 -9"; pad_G="-14 -10 -7"

mix_args=()
bar=0
for pass in $(seq 1 "$PASSES"); do
    for chord in C Am F G; do
        start=$((bar * BAR))
        arp_var="arp_$chord"; bass_var="bass_$chord"; pad_var="pad_$chord"
        # Arpeggio: 8 plucks, one every 0.25 s, each ringing for up to 2 s.
        # shellcheck disable=SC2046,SC2086
        "${SOX[@]}" -r "$CR" -c 8 -n "${F32[@]}" "$TMP/c-arp-$bar.wav" \
            synth 2 $(voices pluck ${!arp_var}) \
            delay 0 0.25 0.5 0.75 1 1.25 1.5 1.75 \
            remix - \
            pad "$start"
        mix_args+=(-v 1.0 "$TMP/c-arp-$bar.wav")
        if [ "$pass" -ge 2 ]; then
            # Bass on beats 1 and 3.
            "${SOX[@]}" -r "$CR" -c 2 -n "${F32[@]}" "$TMP/c-bass-$bar.wav" \
                synth 1.9 pluck "%${!bass_var}" pluck "%${!bass_var}" \
                delay 0 1 \
                remix - \
                lowpass 600 \
                pad "$start"
            mix_args+=(-v 1.4 "$TMP/c-bass-$bar.wav")
        fi
        if [ "$pass" -ge 3 ]; then
            # Soft pad, slightly longer than the bar so bars cross-fade.
            # shellcheck disable=SC2046,SC2086
            "${SOX[@]}" -r "$CR" -c 3 -n "${F32[@]}" "$TMP/c-pad-$bar.wav" \
                synth 2.3 $(voices sine ${!pad_var}) \
                remix - \
                fade h 0.3 2.3 0.5 \
                pad "$start"
            mix_args+=(-v 0.25 "$TMP/c-pad-$bar.wav")
        fi
        bar=$((bar + 1))
    done
done

# Final strummed C chord (C3 G3 C4 E4 G4 C5) with a fading pad.
end_start=$((bar * BAR))
# shellcheck disable=SC2046
"${SOX[@]}" -r "$CR" -c 6 -n "${F32[@]}" "$TMP/c-end.wav" \
    synth 4 $(voices pluck -21 -14 -9 -5 -2 3) \
    delay 0 0.03 0.06 0.09 0.12 0.15 \
    remix - \
    trim 0 4 \
    pad "$end_start"
# shellcheck disable=SC2046
"${SOX[@]}" -r "$CR" -c 3 -n "${F32[@]}" "$TMP/c-endpad.wav" \
    synth 4 $(voices sine -9 -5 -2) \
    remix - \
    fade t 0.2 4 3.5 \
    pad "$end_start"
mix_args+=(-v 1.6 "$TMP/c-end.wav" -v 0.3 "$TMP/c-endpad.wav")

"${SOX[@]}" -m "${mix_args[@]}" "${F32[@]}" "$TMP/c-music.wav" \
    gain -6 \
    reverb 40 50 70 \
    norm -3

# Applause: two band-passed noise layers with different flutter, 7 s long,
# swelling in from 53 s and fading out at 60 s.
"${SOX[@]}" -r "$CR" -c 1 -n "${F32[@]}" "$TMP/c-clap1.wav" \
    synth 7 whitenoise \
    bandpass 2200 1.2q \
    tremolo 9.7 70
"${SOX[@]}" -r "$CR" -c 1 -n "${F32[@]}" "$TMP/c-clap2.wav" \
    synth 7 pinknoise \
    bandpass 1400 1.0q \
    tremolo 13.3 60
"${SOX[@]}" -m "$TMP/c-clap1.wav" "$TMP/c-clap2.wav" "${F32[@]}" "$TMP/c-applause.wav" \
    fade q 3.5 7 2.5 \
    norm -3 \
    pad 53

"${SOX[@]}" -m -v 1.0 "$TMP/c-music.wav" -v 0.22 "$TMP/c-applause.wav" \
    "${F32[@]}" "$TMP/concert.wav" \
    trim 0 60 \
    fade t 0.5 60 1.5 \
    rate -v 22050 \
    norm -1

# ---------------------------------------------------------------------------
# 3. Short format samples.
# ---------------------------------------------------------------------------
echo "samples..."
# 2 s, 44.1 kHz mono: a decaying two-tone chime (A5 + E6) for FLAC.
"${SOX[@]}" -r 44100 -c 2 -n "${F32[@]}" "$TMP/s-flac.wav" \
    synth 2 sine %12 sine %19 \
    remix 1v0.6,2v0.4 \
    fade q 0.01 2 1.8 \
    norm -3
# 1 s, 8 kHz mono: a plain 440 Hz beep for WAV.
"${SOX[@]}" -r 8000 -c 1 -n "${F32[@]}" "$TMP/s-wav.wav" \
    synth 1 sine 440 \
    fade t 0.02 1 0.1 \
    norm -3
# 2 s, 44.1 kHz mono: a plucked G major arpeggio (G4 B4 D5 G5) for ADTS AAC.
# shellcheck disable=SC2046
"${SOX[@]}" -r 44100 -c 4 -n -b 16 -e signed-integer "$TMP/s-aac.wav" \
    synth 2 $(voices pluck -2 2 5 10) \
    delay 0 0.2 0.4 0.6 \
    remix - \
    trim 0 2 \
    fade t 0 2 0.3 \
    norm -3
# 2 s, 44.1 kHz stereo: an upward sine sweep (left) against a downward one
# (right) for AAC in MP4.
"${SOX[@]}" -r 44100 -c 2 -n -b 16 -e signed-integer "$TMP/s-m4a.wav" \
    synth 2 sine 300-1200 sine 1200-300 \
    fade t 0.05 2 0.3 \
    norm -3

# ---------------------------------------------------------------------------
# 4. Encode into audio/.
# ---------------------------------------------------------------------------
echo "encoding..."
mkdir -p "$OUT_DIR"
rm -f "$OUT_DIR"/jingle.mp3 "$OUT_DIR"/jingle.ogg \
      "$OUT_DIR"/concert.mp3 "$OUT_DIR"/concert.ogg \
      "$OUT_DIR"/sample.flac "$OUT_DIR"/sample.wav \
      "$OUT_DIR"/sample.aac "$OUT_DIR"/sample.m4a \
      "$OUT_DIR"/README.md "$OUT_DIR"/LICENSE

# Jingle: 44.1 kHz stereo; MP3 CBR 96 kbit/s, Vorbis quality 3.
"${SOX[@]}" "$TMP/jingle.wav" --comment "" -C 96 "$OUT_DIR/jingle.mp3"
"${SOX[@]}" "$TMP/jingle.wav" --comment "" -C 3 "$OUT_DIR/jingle.ogg"

# Concert: 22050 Hz mono; MP3 CBR 32 kbit/s (sox writes no ID3 tag and no
# Xing/Info frame, so the file is a bare run of equal-bitrate frames that can
# be looped as a stream), Vorbis quality -1.
"${SOX[@]}" "$TMP/concert.wav" --comment "" -C 32 "$OUT_DIR/concert.mp3"
"${SOX[@]}" "$TMP/concert.wav" --comment "" -C -1 "$OUT_DIR/concert.ogg"

# FLAC: 16-bit, 44.1 kHz mono, maximum compression.
"${SOX[@]}" "$TMP/s-flac.wav" --comment "" -b 16 -C 8 "$OUT_DIR/sample.flac"

# WAV: 16-bit signed PCM, 8000 Hz mono (plain 44-byte RIFF header).
"${SOX[@]}" "$TMP/s-wav.wav" -b 16 -e signed-integer "$OUT_DIR/sample.wav"

# AAC-LC: raw ADTS stream, and MP4 (.m4a) with the index at the front.
"${FFMPEG[@]}" -i "$TMP/s-aac.wav" "${BITEXACT[@]}" \
    -c:a aac -profile:a aac_low -b:a 64k -f adts "$OUT_DIR/sample.aac"
"${FFMPEG[@]}" -i "$TMP/s-m4a.wav" "${BITEXACT[@]}" \
    -c:a aac -profile:a aac_low -b:a 96k -movflags +faststart -f ipod \
    "$OUT_DIR/sample.m4a"

# ---------------------------------------------------------------------------
# 5. audio/README.md (measured with ffprobe) and audio/LICENSE.
# ---------------------------------------------------------------------------
echo "README..."
probe() { # file entry -> value of the first audio stream / format
    ffprobe -v error -select_streams a:0 -show_entries "$2" \
        -of default=noprint_wrappers=1:nokey=1 "$1" | head -n1
}
# Duration in seconds: the container/stream duration reported by ffprobe.
# For the raw ADTS stream ffprobe only estimates this from the bitrate, so
# there it is computed from the frame count (1024 samples per AAC frame).
duration() {
    local f="$1" d
    case "$f" in
        *.aac)
            local frames rate
            frames="$(ffprobe -v error -select_streams a:0 -count_packets \
                -show_entries stream=nb_read_packets \
                -of default=noprint_wrappers=1:nokey=1 "$f")"
            rate="$(probe "$f" stream=sample_rate)"
            d="$(awk -v n="$frames" -v r="$rate" 'BEGIN { print n * 1024 / r }')"
            ;;
        *)
            d="$(probe "$f" format=duration)"
            ;;
    esac
    printf '%.2f' "$d"
}
# Samples per channel that ffmpeg decodes from the file.
decoded_samples() { # file channels
    local bytes
    bytes="$(ffmpeg -nostdin -v error -i "$1" -f s16le -acodec pcm_s16le - | wc -c)"
    echo $((bytes / (2 * $2)))
}

declare -A FORMAT=(
    [jingle.mp3]="MP3 (MPEG-1 Layer III, CBR 96 kbit/s)"
    [jingle.ogg]="Ogg Vorbis (quality 3)"
    [concert.mp3]="MP3 (MPEG-2 Layer III, CBR 32 kbit/s, no tags)"
    [concert.ogg]="Ogg Vorbis (quality -1)"
    [sample.flac]="FLAC (16-bit)"
    [sample.wav]="WAV (RIFF, 16-bit signed PCM)"
    [sample.aac]="AAC ADTS stream (AAC-LC, 64 kbit/s)"
    [sample.m4a]="MP4/M4A (AAC-LC, 96 kbit/s)"
)
FILES=(jingle.mp3 jingle.ogg concert.mp3 concert.ogg
       sample.flac sample.wav sample.aac sample.m4a)

{
    echo "# Sample audio"
    echo
    echo "All files in this directory are generated by \`scripts/make-audio.sh\`"
    echo "and released under CC0 1.0 (public domain dedication); see \`LICENSE\`."
    echo
    echo "| File | Format | Codec | Duration (s) | Sample rate (Hz) | Channels | Size (bytes) | Decoded samples per channel (ffmpeg) |"
    echo "|------|--------|-------|-------------:|-----------------:|---------:|-------------:|-------------------------------------:|"
    total=0
    for f in "${FILES[@]}"; do
        p="$OUT_DIR/$f"
        codec="$(probe "$p" stream=codec_name)"
        profile="$(probe "$p" stream=profile)"
        case "$profile" in ""|unknown) ;; *) codec="$codec ($profile)" ;; esac
        rate="$(probe "$p" stream=sample_rate)"
        ch="$(probe "$p" stream=channels)"
        size="$(stat -c %s "$p")"
        total=$((total + size))
        printf '| %s | %s | %s | %s | %s | %s | %s | %s |\n' \
            "$f" "${FORMAT[$f]}" "$codec" "$(duration "$p")" "$rate" "$ch" "$size" \
            "$(decoded_samples "$p" "$ch")"
    done
    echo
    echo "Durations are as reported by \`ffprobe\` (for \`sample.aac\`: number of"
    echo "ADTS frames x 1024 / sample rate). The MP3 and ADTS files carry no"
    echo "gapless information, so their durations include the encoder's start-up"
    echo "delay and end padding. Other decoders may trim encoder delay/padding"
    echo "differently from ffmpeg (notably for the AAC files)."
    echo "Total size of the files: $total bytes."
} > "$OUT_DIR/README.md"

cat > "$OUT_DIR/LICENSE" <<'EOF'
CC0 1.0 Universal (public domain dedication)

The audio files in this directory were synthesised by scripts/make-audio.sh
for the onair project. To the extent possible under law, the authors have
waived all copyright and related or neighboring rights to these files and
dedicate them to the public domain. You may copy, modify, distribute and use
them, even for commercial purposes, without asking permission or giving
credit.

Full legal code: https://creativecommons.org/publicdomain/zero/1.0/legalcode
EOF

echo "done:"
du -sk "$OUT_DIR"
