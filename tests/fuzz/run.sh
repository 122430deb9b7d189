#!/usr/bin/env bash
# Coverage-guided fuzzing (cargo-fuzz / libFuzzer) of one target for a number of seconds:
#
#   tests/fuzz/run.sh TARGET SECONDS      # TARGET: qr_parse, intake_json, personal_id, push_decode, pull_decode
#
# Works on the stable toolchain: cargo-fuzz's default AddressSanitizer needs nightly's
# -Zsanitizer, so the targets are built with `--sanitizer none` (libFuzzer's coverage
# instrumentation uses stable flags). Bounds checks, overflow checks and debug assertions
# stay on, and the targets assert their own invariants, so a bug still aborts the run.
# The corpus grows in tests/fuzz/corpus/TARGET (not committed) from the small seed corpus
# in tests/fuzz/seeds/TARGET; a crashing input is written to tests/fuzz/artifacts/TARGET/
# and can be replayed with: tests/fuzz/run.sh TARGET 0 path/to/crash-input
# Extra libFuzzer options: FUZZ_ARGS="-max_len=8192" tests/fuzz/run.sh ...
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
target="${1:?usage: tests/fuzz/run.sh TARGET SECONDS [INPUT]}"
seconds="${2:?usage: tests/fuzz/run.sh TARGET SECONDS [INPUT]}"
[ -f "$here/fuzz_targets/$target.rs" ] || {
  echo "unknown target '$target'; one of: $(cd "$here/fuzz_targets" && ls | sed 's/\.rs$//' | tr '\n' ' ')" >&2
  exit 2
}
command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz --locked

cd "$root"
if [ $# -ge 3 ]; then
  # Replay one input (e.g. a crash artifact).
  exec cargo fuzz run --fuzz-dir tests/fuzz --sanitizer none "$target" "$3"
fi
mkdir -p "$here/corpus/$target" "$here/artifacts/$target"
# shellcheck disable=SC2086
exec cargo fuzz run --fuzz-dir tests/fuzz --sanitizer none "$target" \
  "$here/corpus/$target" "$here/seeds/$target" -- \
  -max_total_time="$seconds" -print_final_stats=1 \
  -artifact_prefix="$here/artifacts/$target/" ${FUZZ_ARGS:-}
