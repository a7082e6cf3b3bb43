#!/usr/bin/env bash
# A full disk: the library on a small tmpfs (needs the right to mount it;
# skipped otherwise). Files that cannot be stored say "disk full", every
# file reported imported is stored, searches still answer from the index as
# it was (reading never writes) and say what they miss, and once there is
# room again the index catches up.
source "$(dirname "$0")/../lib/testlib.sh"
M="$T_TMP/mnt"
mkdir -p "$M"
if ! mount -t tmpfs -o size=6m tmpfs "$M" 2>/dev/null; then
    t_skip "disk full" "cannot mount a tmpfs here (needs root)"
    exit 0
fi
trap 'umount "$M" 2>/dev/null; rm -rf "$T_TMP"' EXIT
L="$M/lib"
s() { "$SUCAI" -L "$L" "$@"; }
# 300 documents of ~12 KB each: more than 6 MB hold with the WAL
python3 - "$T_TMP/docs" <<'PY'
import os, random, sys
random.seed(9)
os.makedirs(sys.argv[1])
chars = "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点从业本去把性好应开它合还因由其些然前外天政四日那社义事平形相全表间样与关"
for i in range(300):
    paras = [''.join(random.choice(chars) for _ in range(80)) + '。' for _ in range(50)]
    open('%s/doc-%03d.txt' % (sys.argv[1], i), 'w', encoding='utf-8').write(
        'XX县第%d号工作简报\n' % i + '\n'.join(paras) + '\n')
PY
t_ok "init" s init
# ten briefs while there is room: how many of a whole batch fit before the
# disk is full depends on how its files fall into commit groups (a group
# that cannot be committed is refused whole), so the reads below have these
t_ok "ten briefs imported while there is room" s import --quiet "$T_TMP"/docs/doc-00[0-9].txt
s import --json "$T_TMP/docs" >"$T_TMP/imp.jsonl" 2>"$T_TMP/imp.err"; rc=$?
t_eq "the import ends with the library error (2)" 2 "$rc"
stored=$(s list --json | jq length)
echo "# $stored of 300 documents stored before the disk was full ($((stored - 10)) by the second import)"
t_ok "the disk filled before the end" test "$stored" -ge 10 -a "$stored" -lt 300
t_eq "every file reported imported is stored" "$((stored - 10))" "$(grep -c '"status": "imported"' "$T_TMP/imp.jsonl")"
t_eq "no refusal says 'no transaction is active'" 0 "$(grep -c 'no transaction' "$T_TMP/imp.jsonl" "$T_TMP/imp.err" | awk -F: '{s+=$NF} END {print s}')"
jq -r 'select(.status == "refused") | .reason' "$T_TMP/imp.jsonl" | sort | uniq -c | sort -rn | head -6 | cut -c1-160 | sed "s/^/# /"
t_eq "every file not stored for lack of space says disk full" 0 \
    "$(jq -r 'select(.status == "refused") | .reason' "$T_TMP/imp.jsonl" | grep -vc 'disk full')"
t_ok "the error that stopped the import says disk full" grep -q 'disk full' "$T_TMP/imp.err"
# fill what is left, so that the index cannot be written at all
dd if=/dev/zero of="$M/filler" bs=64k 2>/dev/null
out=$(s search --count 工作简报 2>"$T_TMP/search.err"); rc=$?
t_eq "search on the full disk answers (exit 0)" 0 "$rc"
t_ok "... from the index as it was: at most what is stored ($out)" test "$out" -le "$stored"
unindexed=$((stored - out))
if [ "$unindexed" -gt 0 ]; then
    t_ok "... and says what it does not search yet, and why" grep -q "documents are not searched yet.*disk full" "$T_TMP/search.err"
else
    t_ok "... nothing is missing" true
fi
t_ok "show and list read on a full disk" bash -c "\"$SUCAI\" -L \"$L\" show 1 >/dev/null && \"$SUCAI\" -L \"$L\" list >/dev/null"
# room again: the index catches up at the next open
rm -f "$M/filler"
mount -o remount,size=64m "$M"
t_eq "with room again, search catches up: every stored brief" "$stored" "$(s search --count 工作简报 2>/dev/null)"
t_eq "... and says nothing is missing" "" "$(s search --count 工作简报 2>&1 >/dev/null)"
t_ok "a later import completes" s import --quiet "$T_TMP/docs"
t_eq "every brief searchable" 300 "$(s search --count 工作简报)"
t_done
