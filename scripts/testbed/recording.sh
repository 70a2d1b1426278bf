# Sourced (bash) by the scripts that record meetings with the test bed, scripts/make-mjr-fixtures
# and scripts/make-meeting-recordings: Debian's Janus VideoRoom with `record = true` in a network
# namespace of its own, scripts/testbed/participant.py publishers in room 1234, and every
# recording checked before it is kept under a stable name: PREFIX-video.mjr and
# PREFIX-audio.mjr per participant (one prefix per participant, as the replay groups tracks).
#
#   recording_init TOOL             root and tools present, a work folder, cleanup on exit
#   recording_start_janus BITRATE   a namespace and a Janus recording into a fresh folder
#   recording_run PARTICIPANT...    each "PREFIX INDEX CODEC [participant.py flags]"; all start
#                                   at once with the flags in the array recording_flags
#                                   (size, fps, ...); returns when all have exited
#   recording_stop_janus            Janus stopped (recordings complete), namespace removed
#   recording_check PREFIX CODEC    janus-pp-rec, ffprobe, check-media.py and check-recording.py
#                                   on that participant's two recordings; exits on a mismatch;
#                                   sets video_probe audio_probe video_check audio_check
#                                   facts_file container
#   recording_install OUT           replaces OUT/*.mjr by the checked recordings
#   field JSON_FILE KEY             one value of a JSON object
# After recording_start_janus, $meeting is the current meeting's folder: PREFIX.json is the
# participant's summary, PREFIX.log its log, checked/ the renamed recordings.

testbed=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
python=${PYTHON:-python3}
recording_tool=recording
work=""
meeting=""
meeting_count=0
namespace=""
janus_pid=""
participant_pids=()
recording_flags=()

recording_cleanup() {
  local pid
  for pid in "${participant_pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  if [ -n "$janus_pid" ]; then "$testbed/stop-janus" "$janus_pid" 10 || true; fi
  if [ -n "$namespace" ]; then "$testbed/netns" down "$namespace" || true; fi
  if [ -n "$work" ]; then rm -rf "$work"; fi
}

recording_fail() { echo "$recording_tool: $*" >&2; exit 1; }

recording_init() {
  recording_tool=$1
  [ "$(id -u)" = 0 ] || recording_fail "needs root (network namespace)"
  local tool
  for tool in janus janus-pp-rec ffprobe ip timeout "$python"; do
    command -v "$tool" >/dev/null || recording_fail "$tool not found (scripts/install-deps)"
  done
  work=$(mktemp -d "/tmp/tessera-$recording_tool.XXXXXX")
  trap recording_cleanup EXIT
  trap 'exit 130' INT TERM
}

recording_start_janus() {
  local bitrate=$1
  meeting_count=$((meeting_count + 1))
  meeting=$work/meeting-$meeting_count
  namespace=tessera-rec-$$-$meeting_count
  mkdir -p "$meeting/checked"
  read -r host_addr janus_addr < <("$testbed/netns" up "$namespace")
  [ -n "${janus_addr:-}" ] || recording_fail "could not make network namespace $namespace"
  janus_pid=$("$testbed/start-janus" --netns "$namespace" --address "$janus_addr" --ws-port 8188 \
    --bitrate "$bitrate" --record-dir "$meeting/rec" --workdir "$meeting/janus")
}

recording_run() {
  local entry prefix index codec flags i
  participant_pids=()
  for entry in "$@"; do
    read -r prefix index codec flags <<< "$entry"
    # shellcheck disable=SC2086 # flags: words from the caller's participant entry
    timeout 120 "$python" "$testbed/participant.py" --ws "ws://$janus_addr:8188" --room 1234 \
      --display "$prefix" --index "$index" --codec "$codec" --bind-address "$host_addr" \
      "${recording_flags[@]}" $flags > "$meeting/$prefix.json" 2> "$meeting/$prefix.log" &
    participant_pids+=($!)
  done
  local args=("$@")
  for i in "${!participant_pids[@]}"; do
    if ! wait "${participant_pids[$i]}"; then
      read -r prefix _ <<< "${args[$i]}"
      echo "$recording_tool: participant '${args[$i]}' failed:" >&2
      cat "$meeting/$prefix.log" >&2
      exit 1
    fi
  done
  participant_pids=()
}

recording_stop_janus() {
  "$testbed/stop-janus" "$janus_pid" 10
  janus_pid=""
  "$testbed/netns" down "$namespace"
  namespace=""
}

field() { "$python" -c 'import json,sys; print(json.load(open(sys.argv[1]))[sys.argv[2]])' "$1" "$2"; }

probe() { ffprobe -v error -count_frames -select_streams 0 -show_entries "stream=$2" -of default=nw=1 "$1" | tr '\n' ' '; }

recording_check() {
  local prefix=$1 codec=$2 publisher kind matches
  publisher=$(field "$meeting/$prefix.json" publisher_id)
  for kind in video audio; do
    matches=("$meeting/rec"/videoroom-1234-user-"$publisher"-*-"$kind"-*.mjr)
    [ ${#matches[@]} -eq 1 ] && [ -f "${matches[0]}" ] ||
      recording_fail "expected one $kind recording of publisher $publisher ($prefix), found: ${matches[*]}"
    cp "${matches[0]}" "$meeting/checked/$prefix-$kind.mjr"
  done

  case $codec in vp8) container=webm ;; h264) container=mp4 ;; esac
  janus-pp-rec "$meeting/checked/$prefix-video.mjr" "$meeting/$prefix-video.$container" > "$meeting/$prefix-pp-video.log" 2>&1
  janus-pp-rec "$meeting/checked/$prefix-audio.mjr" "$meeting/$prefix-audio.opus" > "$meeting/$prefix-pp-audio.log" 2>&1
  video_probe=$(probe "$meeting/$prefix-video.$container" codec_name,width,height,nb_read_frames)
  audio_probe=$(probe "$meeting/$prefix-audio.opus" codec_name,sample_rate,channels,nb_read_frames)
  video_check=$("$python" "$testbed/check-media.py" video "$meeting/$prefix-video.$container")
  audio_check=$("$python" "$testbed/check-media.py" audio "$meeting/$prefix-audio.opus" "$(field "$meeting/$prefix.json" beep_hz)")
  echo "$recording_tool: $prefix video: $video_probe| $video_check" >&2
  echo "$recording_tool: $prefix audio: $audio_probe| $audio_check" >&2

  # The recording must hold exactly what the participant sent.
  printf '%s\n' "$video_check" > "$meeting/$prefix-video-check.json"
  printf '%s\n' "$audio_check" > "$meeting/$prefix-audio-check.json"
  facts_file=$meeting/$prefix-facts.json
  "$python" "$testbed/check-recording.py" participant "$meeting/$prefix.json" \
    "$meeting/$prefix-video-check.json" "$meeting/$prefix-audio-check.json" \
    "$meeting/checked/$prefix-video.mjr" "$meeting/checked/$prefix-audio.mjr" > "$facts_file"
  echo "$recording_tool: $prefix recordings: $(cat "$facts_file")" >&2
}

recording_install() {
  local out=$1
  mkdir -p "$out"
  rm -f "$out"/*.mjr
  cp "$meeting/checked"/*.mjr "$out/"
}
