#!/usr/bin/env bash
# The shared corpus: all 4,416 real documents and every .docx fixture import,
# none refused; the seed 汇编 imports. Skips where ../shared is absent.
. "$(dirname "$0")/../lib/testlib.sh"
if [ -z "$SUCAI_SHARED" ]; then
    t_skip "corpus import" "../shared is absent"
    t_done; exit
fi
L=$T_TMP/lib
s() { "$SUCAI" -L "$L" "$@"; }
s init >/dev/null
start=$(date +%s.%N)
s import --json "$SUCAI_SHARED/corpus/docs" >"$T_TMP/docs.jsonl" 2>"$T_TMP/docs.err"; rc=$?
end=$(date +%s.%N)
t_eq "corpus/docs imports with exit 0" 0 "$rc"
t_eq "one result per file" 4416 "$(wc -l <"$T_TMP/docs.jsonl")"
t_eq "none refused" 0 "$(grep -c '"status": "refused"' "$T_TMP/docs.jsonl")"
grep '"status": "refused"' "$T_TMP/docs.jsonl" | head -5 | sed 's/^/# /'
mb=$(du -sb "$SUCAI_SHARED/corpus/docs" | cut -f1)
echo "# corpus/docs: $(python3 -c "print('%.1f MB/s' % ($mb / 1e6 / ($end - $start)))")"
s import --json "$SUCAI_SHARED"/corpus/docx/*.docx >"$T_TMP/docx.jsonl"; rc=$?
t_eq "every .docx fixture imports" 0 "$rc"
t_eq "no .docx refused" 0 "$(grep -c '"status": "refused"' "$T_TMP/docx.jsonl")"
s import --json "$SUCAI_SHARED"/corpus/seed/*.txt >"$T_TMP/seed.jsonl"; rc=$?
t_eq "the seed imports" 0 "$rc"
t_ok "the seed becomes nine documents" python3 -c '
import json, sys
o = json.loads(open(sys.argv[1]).readline())
assert o["status"] == "imported" and len(o["docs"]) == 9, o
' "$T_TMP/seed.jsonl"
t_done
