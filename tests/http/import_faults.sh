#!/usr/bin/env bash
# Uploads under fault: kill -9 of the server in the middle of POST
# /api/v1/import (the upload's documents are all there or none, never
# half, and the library opens); an upload over the limit (413 before the
# body is read, with Content-Length or chunked); searches while an import
# holds the write lock for a long file (they are answered meanwhile, not
# after it).
. "$(dirname "$0")/../lib/testlib.sh"
. "$(dirname "$0")/lib.sh"
http_need_tools
export SUCAI_PWHASH_FAST=1 # cheap Argon2id limits: test suites only

LIB=$(new_library lib)
s() { "$SUCAI" -L "$LIB" "$@"; }
t_ok "library" s init
printf 'pass-word-123\n' >"$T_TMP/pw"
s user add ed --role editor --password-file "$T_TMP/pw" >/dev/null
TOK=$(s token create ed | awk '{w=$NF} END {print w}')

# a 汇编 of 12 articles (~6 MB): one upload, one file, all or nothing
python3 - "$T_TMP" <<'PY'
import random, sys
random.seed(11)
chars = "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点从业本去把性好应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线内数正心反你明看原又么利比或但质气第向道命此变条只没结解问意建月公无系军很情者最立代想已通并提直题党程展五果料象员革位入常文总次品式活设及管特件长求老头基资边流路级少图山统接知较将组见计别"
units = ["甲乙丙丁戊己庚辛壬癸子丑"[i] + "县" for i in range(12)]
titles = [u + "2024年工作总结第%d篇" % (i + 1) for i, u in enumerate(units)]
out = ["2024年工作总结汇编", "", "目录"]
out += ["%s\t%d" % (t, 1 + 40 * i) for i, t in enumerate(titles)]
out.append("")
for t in titles:
    out.append(t)
    out.append("一、基本情况")
    for _ in range(2500):
        out.append(''.join(random.choice(chars) for _ in range(random.randint(60, 140))) + "。")
    out.append("二、下一步打算")
    out.append("继续推进" + t + "各项工作。")
open(sys.argv[1] + "/huibian.txt", "w", encoding="utf-8").write("\n".join(out) + "\n")
PY
t_ok "the 汇编 splits into 12 articles" bash -c "\"$SUCAI\" debug parse \"$T_TMP/huibian.txt\" | python3 -c 'import json,sys; a=json.load(sys.stdin)[\"articles\"]; sys.exit(0 if len(a) == 12 else \"%d articles\" % len(a))'"

upload() { # PORT FILE -> the status, answer in $T_TMP/up.json
    curl -s -o "$T_TMP/up.json" -w '%{http_code}' --max-time 120 -H "Authorization: Bearer $TOK" \
        -F "files=@$2" "http://127.0.0.1:$1/api/v1/import"
}
ndocs() { s list --json | jq length; }

# ---- kill -9 during POST /import ----
# how long one upload takes here, in ms (then undone: a fresh library)
start_server "$LIB" --max-upload 50000000 --quiet || { echo "not ok - server start"; exit 1; }
t0=$(date +%s%N)
upload "$SERVER_PORT" "$T_TMP/huibian.txt" >/dev/null
took=$((($(date +%s%N) - t0) / 1000000))
stop_server
drop_library "$LIB"; s init >/dev/null
s user add ed --role editor --password-file "$T_TMP/pw" >/dev/null
TOK=$(s token create ed | awk '{w=$NF} END {print w}')
echo "# one upload of the 汇编 takes $took ms here"
whole=0 none=0
KILLS=${SUCAI_KILL_TRIALS:-8} # more for a longer run
for trial in $(seq 1 "$KILLS"); do
    start_server "$LIB" --max-upload 50000000 --quiet || { echo "not ok - server start"; exit 1; }
    upload "$SERVER_PORT" "$T_TMP/huibian.txt" >/dev/null &
    up=$!
    # kill at a different point each trial, from while the body arrives to
    # past the answer: 10% to 115% of an upload's time
    at=$((took * (10 + (trial - 1) * 105 / (KILLS > 1 ? KILLS - 1 : 1)) / 100))
    sleep "$((at / 1000)).$(printf %03d $((at % 1000)))"
    kill -9 "$SERVER_PID" 2>/dev/null
    wait "$SERVER_PID" 2>/dev/null
    SERVER_PID=
    wait "$up" 2>/dev/null
    n=$(ndocs); rc=$?
    t_eq "kill $trial: the library opens" 0 "$rc"
    t_ok "kill $trial: the upload's documents are all there or none ($n)" test "$n" = 0 -o "$n" = 12
    if [ "${SUCAI_STORE:-}" != pg ] && command -v sqlite3 >/dev/null; then
        t_eq "kill $trial: integrity_check" ok "$(lib_sql "$LIB" 'PRAGMA integrity_check')"
    fi
    if have_lib_sql; then
        t_eq "kill $trial: one source, or none, for the documents" "$([ "$n" = 12 ] && echo 1 || echo 0)" \
            "$(lib_sql "$LIB" 'SELECT count(*) FROM sources')"
    fi
    if [ "$n" = 12 ]; then
        whole=$((whole + 1))
        # complete: every article with its text and its outline
        t_eq "kill $trial: every article whole" "12 12" "$(s list --json | jq '[.[] | select(.chars > 100000)] | length') $(for i in $(s list --json | jq '.[].id'); do s show "$i" --json | jq '.outline | length >= 2'; done | grep -c true)"
        t_eq "kill $trial: searchable after the restart" 12 "$(s search --count 2024年工作总结第)"
        s reindex >/dev/null 2>&1
        t_eq "kill $trial: a rebuilt index agrees" 12 "$(s search --count 2024年工作总结第)"
        # start again from an empty library for the next trial
        drop_library "$LIB"; s init >/dev/null
        s user add ed --role editor --password-file "$T_TMP/pw" >/dev/null
        TOK=$(s token create ed | awk '{w=$NF} END {print w}')
    else
        none=$((none + 1))
    fi
done
echo "# $KILLS kills: $whole after the commit (all 12 articles), $none before it (none)"
t_ok "some kill came before the commit" test "$none" -gt 0
t_ok "some kill came after it" test "$whole" -gt 0
start_server "$LIB" --max-upload 50000000 --quiet || { echo "not ok - server start"; exit 1; }
t_eq "after the kills an upload completes" 200 "$(upload "$SERVER_PORT" "$T_TMP/huibian.txt")"
t_eq "... with its 12 articles" "imported 12" "$(jq -r '"\(.files[0].status) \(.files[0].docs | length)"' "$T_TMP/up.json")"
stop_server

# ---- over the limit: 413 before the body is read ----
start_server "$LIB" --quiet || { echo "not ok - server start"; exit 1; } # 64 MiB
python3 - "$SERVER_PORT" "$TOK" >"$T_TMP/big.out" <<'PY'
import select, socket, sys
port, tok = int(sys.argv[1]), sys.argv[2]
def attempt(chunked, mib):
    """Send a body of mib MiB (announced, or chunked with its last chunk);
    print the status line (or 'closed') and the MiB sent before it."""
    s = socket.create_connection(('127.0.0.1', port))
    s.settimeout(20)
    head = ('POST /api/v1/import HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer %s\r\n'
            'Content-Type: multipart/form-data; boundary=b\r\n' % tok)
    head += 'Transfer-Encoding: chunked\r\n\r\n' if chunked else 'Content-Length: %d\r\n\r\n' % (mib << 20)
    s.sendall(head.encode())
    block = b'x' * 65536
    data = b'10000\r\n' + block + b'\r\n' if chunked else block
    sent, answer, closed = 0, b'', False
    while sent < (mib << 20):
        r, w, _ = select.select([s], [s], [], 20)
        if r:
            try:
                answer = s.recv(65536)
            except ConnectionResetError:
                answer = b''
            closed = not answer
            break
        if not w:
            break
        try:
            s.sendall(data)
        except (BrokenPipeError, ConnectionResetError):
            closed = True
            break
        sent += 65536
    try:
        if chunked and sent >= (mib << 20) and not answer:
            s.sendall(b'0\r\n\r\n')
        while not closed and b'\r\n' not in answer:
            got = s.recv(65536)
            if not got:
                closed = True
                break
            answer += got
    except (BrokenPipeError, ConnectionResetError):
        closed = True
    except socket.timeout:
        pass
    status = answer.split(b'\r\n', 1)[0].decode('latin-1')
    print(status.split(' ')[1] if status.startswith('HTTP/') else 'closed', sent >> 20)
attempt(False, 70)
attempt(True, 70)
attempt(True, 200)
PY
read -r cl_code cl_mb < <(sed -n 1p "$T_TMP/big.out")
read -r ch_code ch_mb < <(sed -n 2p "$T_TMP/big.out")
read -r hu_code hu_mb < <(sed -n 3p "$T_TMP/big.out")
echo "# over the limit: 70 MiB announced: $cl_code after $cl_mb MiB sent; 70 MiB chunked: $ch_code after $ch_mb MiB; 200 MiB chunked: $hu_code after $hu_mb MiB"
t_eq "70 MiB announced: 413" 413 "$cl_code"
t_ok "... answered before the body was sent ($cl_mb MiB of 70)" test "$cl_mb" -lt 16
t_eq "70 MiB chunked (no size announced): 413 at its end" 413 "$ch_code"
# a chunked body announces no size: it is read to the limit, at most 8 MiB
# more are dropped, then the connection is closed (libmicrohttpd cannot
# answer in the middle of a body)
t_ok "200 MiB chunked: cut off at the limit, not read to its end ($hu_code after $hu_mb MiB)" \
    test "$hu_mb" -lt 120
t_eq "the server is fine" 200 "$(req GET /healthz)"
stop_server

# ---- searches while an import holds the write lock for a long file ----
python3 - "$T_TMP/huibian.txt" "$T_TMP/long.txt" <<'PY'
import sys
t = open(sys.argv[1], encoding='utf-8').read()
# other bytes, other text: a second 汇编 of the same size
open(sys.argv[2], 'w', encoding='utf-8').write(t.replace('工作总结', '工作报告').replace('的', '地'))
PY
start_server "$LIB" --max-upload 50000000 --quiet || { echo "not ok - server start"; exit 1; }
python3 - "$SERVER_PORT" "$TOK" "$T_TMP/long.txt" >"$T_TMP/during.out" <<'PY'
import json, sys, threading, time, urllib.parse, urllib.request, uuid
port, tok, path = sys.argv[1], sys.argv[2], sys.argv[3]
base = 'http://127.0.0.1:%s' % port
data = open(path, 'rb').read()
t = {}
def upload():
    b = uuid.uuid4().hex
    body = (b'--' + b.encode() + b'\r\nContent-Disposition: form-data; name="files"; '
            b'filename="long.txt"\r\nContent-Type: text/plain\r\n\r\n' + data + b'\r\n--' +
            b.encode() + b'--\r\n')
    r = urllib.request.Request(base + '/api/v1/import', data=body, method='POST', headers={
        'Authorization': 'Bearer ' + tok, 'Content-Type': 'multipart/form-data; boundary=' + b})
    t['sent'] = time.monotonic()  # the body is on its way; the import starts once it is in
    t['answer'] = json.load(urllib.request.urlopen(r, timeout=300))
    t['done'] = time.monotonic()
up = threading.Thread(target=upload)
up.start()
q = urllib.parse.quote('2024年工作总结第')
answers = []
while up.is_alive():
    a = time.monotonic()
    r = json.load(urllib.request.urlopen(base + '/api/v1/search?limit=3&q=' + q, timeout=60))
    answers.append((a, time.monotonic(), r['total']))
    time.sleep(0.02)
up.join()
during = [x for x in answers if x[1] < t['done'] and x[0] > t['sent']]
print(t['answer']['files'][0]['status'], len(t['answer']['files'][0]['docs']))
print(len(answers), len(during), sorted({x[2] for x in answers}))
PY
read -r st nd < <(sed -n 1p "$T_TMP/during.out")
read -r nall nduring totals < <(sed -n 2p "$T_TMP/during.out")
echo "# $nall searches during the upload and import, $nduring answered before the import's answer"
t_eq "the long import goes in" "imported 12" "$st $nd"
t_ok "searches were answered while it ran ($nduring)" test "${nduring:-0}" -ge 5
t_eq "and saw the library as it was (12 documents)" "[12]" "$(sed -n 2p "$T_TMP/during.out" | sed 's/^[0-9]* [0-9]* //')"
t_eq "afterwards the new articles are found too" 12 "$(curl -s "$BASE/api/v1/search?limit=0&q=$(jq -rn --arg s 2024年工作报告第 '$s|@uri')" | jq .total)"
stop_server
t_done
