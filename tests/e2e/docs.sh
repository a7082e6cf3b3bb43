#!/usr/bin/env bash
# The manual cannot drift: docs/cli.md holds every command's --help verbatim.
. "$(dirname "$0")/../lib/testlib.sh"
for c in init import list show stats search compile export proof mask fill serve boilerplate reparse reindex user token audit debug; do
    "$SUCAI" "$c" --help >"$T_TMP/help.txt" 2>&1
    t_ok "docs/cli.md has the help of sucai $c" python3 -c '
import sys
doc = open(sys.argv[1], encoding="utf-8").read()
help = open(sys.argv[2], encoding="utf-8").read()
sys.exit(0 if help in doc else "out of date: run tools/gen-cli-doc")
' "$REPO/docs/cli.md" "$T_TMP/help.txt"
done
t_ok "README names the two set-up commands" grep -q "tools/demo" "$REPO/README.md"
t_ok "CI calls the README's test command" grep -q "tools/test-all" "$REPO/.ci/run"
t_done
