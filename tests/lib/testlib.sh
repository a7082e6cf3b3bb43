# testlib.sh: helpers for end-to-end test scripts (bash). Source it, then:
#   t_ok NAME CMD...        run CMD; "ok - NAME" if it exits 0, else "not ok - NAME"
#   t_eq NAME WANT GOT      compare two strings
#   t_skip NAME REASON      "ok - NAME # SKIP REASON"
#   t_done                  exit 1 if any check failed
# Environment: SUCAI (the binary), SUCAI_SHARED (../shared or empty if absent),
# T_TMP (a fresh temp folder, removed at exit).
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
: "${BUILD:=build}"
: "${SUCAI:=$REPO/$BUILD/sucai}"
if [ -z "${SUCAI_SHARED:-}" ]; then
    if [ -d "$REPO/../shared/corpus" ]; then SUCAI_SHARED=$(cd "$REPO/../shared" && pwd); else SUCAI_SHARED=; fi
fi
export SUCAI SUCAI_SHARED
T_TMP=$(mktemp -d "${TMPDIR:-/tmp}/sucai-test.XXXXXX")
trap 'rm -rf "$T_TMP"' EXIT
T_FAILED=0

t_ok() {
    local name=$1; shift
    local out
    if out=$("$@" 2>&1); then
        echo "ok - $name"
    else
        echo "not ok - $name"
        printf '%s\n' "$out" | head -20 | sed 's/^/#   /'
        T_FAILED=$((T_FAILED + 1))
    fi
}

t_eq() {
    if [ "$2" = "$3" ]; then
        echo "ok - $1"
    else
        echo "not ok - $1"
        echo "#   want: $(printf '%s' "$2" | head -c 600)"
        echo "#   got:  $(printf '%s' "$3" | head -c 600)"
        T_FAILED=$((T_FAILED + 1))
    fi
}

t_skip() {
    echo "ok - $1 # SKIP $2"
}

t_done() {
    [ "$T_FAILED" -eq 0 ]
}
