#!/usr/bin/env bash
# compile_seed.sh: import the seed 汇编 into a fresh library, compile its
# nine documents to .txt and .md (compared with tests/golden/export/) and
# .docx, and check the .docx: a valid package, the paid part left out for
# --free, and, when LibreOffice is installed, every article on the page
# its 目录 says (the .docx converted to PDF, pages read with pdftotext).
# GOLDEN_UPDATE=1 rewrites the golden files; SUCAI_SLOW_TESTS=0 skips the
# LibreOffice round trip (it needs soffice, pdftotext and Liberation Serif).
set -u
cd "$(dirname "$0")/../.."
if [ -f tests/lib/testlib.sh ]; then
    . tests/lib/testlib.sh
else
    REPO=$(pwd); : "${BUILD:=build}"; : "${SUCAI:=$REPO/$BUILD/sucai}"
    : "${SUCAI_SHARED:=$REPO/../shared}"; [ -d "$SUCAI_SHARED/corpus" ] || SUCAI_SHARED=
    T_TMP=$(mktemp -d); trap 'rm -rf "$T_TMP"' EXIT; T_FAILED=0
    t_ok() { local n=$1; shift; if "$@" >"$T_TMP/.out" 2>&1; then echo "ok - $n"; else echo "not ok - $n"; sed 's/^/#   /' "$T_TMP/.out" | head -20; T_FAILED=$((T_FAILED + 1)); fi; }
    t_skip() { echo "ok - $1 # SKIP $2"; }
    t_done() { [ "$T_FAILED" -eq 0 ]; }
fi
GOLDEN=tests/golden/export
ARTIFACTS=${SUCAI_ARTIFACTS:-$(pwd)/${BUILD:-build}/artifacts}

SEED="$SUCAI_SHARED/corpus/seed/2023年度工作总结汇编（9篇）.txt"
if [ -z "$SUCAI_SHARED" ] || [ ! -f "$SEED" ]; then
    t_skip "compile seed" "the shared corpus (SUCAI_SHARED) is not here"
    t_done; exit
fi
. "$REPO/tests/lib/stores.sh"
L=$(new_library lib)
t_ok "init library" "$SUCAI" -L "$L" init
t_ok "import the seed" "$SUCAI" -L "$L" import "$SEED"

# .txt and .md against the golden files
for fmt in txt md; do
    out="$T_TMP/seed.$fmt"
    t_ok "compile seed to .$fmt" "$SUCAI" -L "$L" compile -q --ids 1,2,3,4,5,6,7,8,9 -o "$out"
    if [ "${GOLDEN_UPDATE:-}" = 1 ]; then
        cp "$out" "$GOLDEN/seed.$fmt"
        echo "# updated $GOLDEN/seed.$fmt"
    fi
    t_ok "seed.$fmt matches the golden file" diff -u "$GOLDEN/seed.$fmt" "$out"
done
t_ok "default title from the common theme" \
    grep -qx '2023年度工作总结汇编（9篇）' <(head -1 "$T_TMP/seed.txt")

# stdout, --format, an explicit title
t_ok "stdout with --format txt" bash -c \
    "'$SUCAI' -L '$L' compile -q 3 1 --title 'A&B <汇编>' --format txt -o - | head -1 | grep -qx 'A&B <汇编>'"

# paid text never leaks to a reader who is not entitled
free="$T_TMP/free.txt"
t_ok "compile --free" "$SUCAI" -L "$L" compile -q --free --ids 1,2,3,4,5,6,7,8,9 -o "$free"
t_ok "--free says where the paid part was left out" grep -q '^（以下为会员内容，共 [0-9]* 字，已略去）$' "$free"
t_ok "--free leaves out the paid text" bash -c "! grep -q '回音必' '$free'"
t_ok "entitled copy has the paid text" grep -q '回音必' "$T_TMP/seed.txt"

# one document
t_ok "export one document" "$SUCAI" -L "$L" export -q 2 -o "$T_TMP/one.md"
t_ok "export has no 目录" bash -c "head -1 '$T_TMP/one.md' | grep -qx '# 2023年度全面依法治区工作总结' && ! grep -q '目录' '$T_TMP/one.md'"

# errors
t_ok "missing id is exit 1" bash -c "'$SUCAI' -L '$L' compile -q --ids 1,99 -o '$T_TMP/x.txt' 2>/dev/null; [ \$? -eq 1 ] && [ ! -e '$T_TMP/x.txt' ]"
t_ok "unknown extension is a usage error" bash -c "'$SUCAI' -L '$L' compile -q 1 -o '$T_TMP/x.pdf' 2>/dev/null; [ \$? -eq 2 ]"

# .docx
docx="$T_TMP/seed.docx"
t_ok "compile seed to .docx" "$SUCAI" -L "$L" compile -q --ids 1,2,3,4,5,6,7,8,9 -o "$docx"
t_ok ".docx is a zip with the WordprocessingML parts" bash -c \
    "unzip -l '$docx' | grep -q 'word/document.xml' && unzip -l '$docx' | grep -q 'word/footer2.xml'"
t_ok ".docx has the TOC field" bash -c "unzip -p '$docx' word/document.xml | grep -q 'TOC \\\\o &quot;1-1&quot;'"
"$SUCAI" -L "$L" compile -q --free --ids 1,2,3,4,5,6,7,8,9 -o "$T_TMP/free.docx"
t_ok "--free .docx leaves out the paid text" bash -c \
    "unzip -p '$T_TMP/free.docx' word/document.xml | grep -q '以下为会员内容' && ! unzip -p '$T_TMP/free.docx' word/document.xml | grep -q '回音必'"

# the LibreOffice round trip: is every article where the 目录 says?
if ! command -v soffice >/dev/null 2>&1 || ! command -v pdftotext >/dev/null 2>&1; then
    t_skip "articles on the pages the 目录 gives" "soffice or pdftotext not installed"
    t_done; exit
fi
if [ "${SUCAI_SLOW_TESTS:-1}" = 0 ]; then
    t_skip "articles on the pages the 目录 gives" "SUCAI_SLOW_TESTS=0"
    t_done; exit
fi
# Latin text is set in Times New Roman; LibreOffice needs its metric twin
# (Liberation Serif) to break lines as Word does. Without it the check
# would measure the fallback font, not sucai.
if ! fc-list 2>/dev/null | grep -q 'Liberation Serif'; then
    t_skip "articles on the pages the 目录 gives" "Liberation Serif (fonts-liberation2) not installed"
    t_done; exit
fi
mkdir -p "$T_TMP/pdf" "$ARTIFACTS"
if ! timeout 300 soffice "-env:UserInstallation=file://$T_TMP/lo-profile" --headless \
    --convert-to pdf --outdir "$T_TMP/pdf" "$docx" >"$T_TMP/soffice.log" 2>&1 ||
    [ ! -s "$T_TMP/pdf/seed.pdf" ]; then
    echo "not ok - LibreOffice converts the .docx to PDF"
    sed 's/^/#   /' "$T_TMP/soffice.log" | head -10
    T_FAILED=$((T_FAILED + 1))
    t_done; exit
fi
echo "ok - LibreOffice converts the .docx to PDF"
pdf="$T_TMP/pdf/seed.pdf"
cp "$pdf" "$ARTIFACTS/compile_seed.pdf"
pdftoppm -png -r 60 -f 1 -l 2 "$pdf" "$ARTIFACTS/compile_seed" 2>/dev/null
pages=$(pdfinfo "$pdf" 2>/dev/null | awk '/^Pages:/ {print $2}')
want_pages=$(awk -F'\t' 'NF == 2 && $2 ~ /^[0-9]+$/ {n++} END {print n + 0}' "$T_TMP/seed.txt")
right=0 total=0
# 目录 lines: "title<TAB>page"; the page must begin with the title
while IFS=$'\t' read -r title page; do
    total=$((total + 1))
    top=$(pdftotext -f "$page" -l "$page" "$pdf" - 2>/dev/null | tr -d ' \n\f')
    want=$(printf '%s' "$title" | tr -d ' ')
    if [ "${top#"$want"}" != "$top" ]; then
        right=$((right + 1))
    else
        echo "#   '$title' is not at the top of page $page: ${top:0:40}"
    fi
done < <(awk -F'\t' 'NF == 2 && $2 ~ /^[0-9]+$/' "$T_TMP/seed.txt")
echo "# $right of $total articles on the page the 目录 gives ($pages pages)"
t_ok "all $want_pages articles on the pages the 目录 gives" test "$right" -eq "$total" -a "$total" -eq 9
t_done
