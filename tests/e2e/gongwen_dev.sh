#!/usr/bin/env bash
# The 公文 parser on the hand-labelled development set (tests/data/gongwen-dev):
# headings, levels, list items, section kinds, units, 文种 and years at or
# above tests/data/gongwen-dev/floors.txt; and .docx text against an
# independent reading of w:t. Sources under ../shared are skipped without it.
. "$(dirname "$0")/../lib/testlib.sh"
dev=$REPO/tests/data/gongwen-dev
shared=${SUCAI_SHARED:-$T_TMP/no-shared}
python3 "$dev/score.py" --sucai "$SUCAI" --shared "$shared" >"$T_TMP/table.txt" 2>&1
t_eq "score.py runs" 0 "$?"
sed 's/^/# /' "$T_TMP/table.txt"
python3 "$dev/score.py" --sucai "$SUCAI" --shared "$shared" --check "$dev/floors.txt" | grep -E "^(not )?ok - "
docx=("$REPO/samples" "$REPO/tests/data/ingest")
[ -n "$SUCAI_SHARED" ] && docx+=("$SUCAI_SHARED/corpus/docx")
python3 "$REPO/tests/data/ingest/docx_agreement.py" --sucai "$SUCAI" "${docx[@]}" >"$T_TMP/docx.txt"
sed 's/^/# /' "$T_TMP/docx.txt"
mean=$(sed -n 's/^# .* mean \([0-9.]*\),.*/\1/p' "$T_TMP/docx.txt")
t_ok ".docx text agrees with w:t (mean $mean >= 0.98)" python3 -c "import sys; sys.exit(float('$mean') < 0.98)"
t_done
