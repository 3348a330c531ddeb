#!/bin/sh
# Benchtop's job wrapper. Usage: job-wrapper.sh EXIT_FILE -- PROGRAM [ARG...]
#
# Runs PROGRAM with its arguments exactly as given ("$@": never eval, never a string), waits for
# it, writes its exit status (128+N when it died of signal N) to EXIT_FILE atomically (a temporary
# file renamed into place) and exits with that status. TERM, INT and HUP received by the wrapper
# are passed on to PROGRAM, and the wrapper still records PROGRAM's status when it ends.
# Benchtop starts it as the leader of its own process group, so a kill reaches the whole job.

if [ "$#" -lt 3 ] || [ "$2" != "--" ]; then
  echo "usage: job-wrapper.sh EXIT_FILE -- PROGRAM [ARG...]" >&2
  exit 2
fi
exit_file=$1
shift 2

child=
pending=
trapped=

forward() {
  trapped=1
  if [ -n "$child" ]; then
    kill "-$1" "$child" 2>/dev/null
  else
    pending=$1
  fi
}
trap 'forward TERM' TERM
trap 'forward INT' INT
trap 'forward HUP' HUP

"$@" &
child=$!
if [ -n "$pending" ]; then
  kill "-$pending" "$child" 2>/dev/null
fi

# A trapped signal interrupts `wait` (status > 128) before the program has ended: wait again
# until the status is the program's own.
while :; do
  trapped=
  wait "$child"
  code=$?
  if [ -z "$trapped" ]; then
    break
  fi
  if ! kill -0 "$child" 2>/dev/null; then
    # It ended (and may be reaped already): one more wait reports its status if the shell kept it.
    wait "$child"
    code2=$?
    if [ "$code2" -ne 127 ]; then
      code=$code2
    fi
    break
  fi
done

tmp="$exit_file.tmp.$$"
if printf '%s\n' "$code" > "$tmp"; then
  mv -f "$tmp" "$exit_file"
fi
exit "$code"
