#!/usr/bin/env bash
# Uploads import through a connection of their own. An import holds a
# transaction open while it stores a file; when it rolls a file back (here:
# every article of a large upload is already in the library, so the file
# is undone), the logins other threads make meanwhile must keep their
# sessions and audit rows. On one shared connection they landed inside the
# import's transaction and were rolled back with it.
. "$(dirname "$0")/../lib/testlib.sh"
. "$(dirname "$0")/lib.sh"
http_need_tools
export SUCAI_PWHASH_FAST=1 # cheap Argon2id limits: test suites only

LIB=$(new_library lib)
s() { "$SUCAI" -L "$LIB" "$@"; }
t_ok "library" s init
# ~10 MB of text; the same text with CRLF line ends is other bytes (a new
# source) whose every article is a duplicate
python3 - "$T_TMP" <<'PY'
import random, sys
random.seed(7)
chars = "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点从业本去把性好应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线内数正心反你明看原又么利比或但质气第向道命此变条只没结解问意建月公无系军很情者最立代想已通并提直题党程展五果料象员革位入常文总次品式活设及管特件长求老头基资边流路级少图山统接知较将组见计别她手角期根论运农指几九区强放决西被干做必战先回则任取据处队南给色光门即保治北造百规热领七海口东导器压志世金增争济阶油思术极交受联什认六共权收证改清己美再采转更单风切打白教速花带安场身车例真务具万每目至达走积示议声报斗完类八离华名确才科张信马节话米整空元况今集温传土许步群广石记需段研界拉林律叫且究观越织装影算低持音众书布复容儿须际商非验连断深难近矿千周委素技备半办青省列习响约支般史感劳便团往酸历市克何除消构府称太准精值号率族维划选标写存候毛亲快效斯院查江型眼王按格养易置派层片始却专状育厂京识适属圆包火住调满县局照参红细引听该铁价严"
paras = [''.join(random.choice(chars) for _ in range(random.randint(40, 120))) + '。' for _ in range(40000)]
text = "XX县2024年资料汇总\n" + "\n".join(paras) + "\n"
open(sys.argv[1] + '/big.txt', 'w', encoding='utf-8').write(text)
open(sys.argv[1] + '/big-crlf.txt', 'w', encoding='utf-8', newline='').write(text.replace('\n', '\r\n'))
PY
t_ok "import the large file" s import --quiet "$T_TMP/big.txt"
printf 'pass-word-123\n' >"$T_TMP/pw"
t_ok "an editor" s user add ed --role editor --password-file "$T_TMP/pw"
for i in 1 2 3 4 5 6; do s user add "u$i" --password-file "$T_TMP/pw" >/dev/null; done
TOK=$(s token create ed | awk '{w=$NF} END {print w}')
start_server "$LIB" --max-upload 50000000 || { echo "not ok - server start"; exit 1; }

# 8 uploads of the duplicate one after another; meanwhile 6 threads log in
python3 - "$SERVER_PORT" "$TOK" "$T_TMP/big-crlf.txt" 8 >"$T_TMP/race.out" <<'PY'
import json, sys, threading, urllib.request, uuid
port, tok, path, nup = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
base = 'http://127.0.0.1:%s' % port
data = open(path, 'rb').read()
done = threading.Event()
statuses = []
def upload():
    try:
        for _ in range(nup):
            b = uuid.uuid4().hex
            body = (b'--' + b.encode() + b'\r\nContent-Disposition: form-data; name="files"; '
                    b'filename="big-crlf.txt"\r\nContent-Type: text/plain\r\n\r\n' + data +
                    b'\r\n--' + b.encode() + b'--\r\n')
            r = urllib.request.Request(base + '/api/v1/import', data=body, method='POST', headers={
                'Authorization': 'Bearer ' + tok,
                'Content-Type': 'multipart/form-data; boundary=' + b})
            a = json.load(urllib.request.urlopen(r, timeout=120))
            statuses.append(a['files'][0]['status'])
    finally:
        done.set()
sessions, lock = [], threading.Lock()
def logins(u):
    while not done.is_set():
        r = urllib.request.Request(base + '/api/v1/session', method='POST',
            data=json.dumps({'name': 'u%d' % u, 'password': 'pass-word-123'}).encode(),
            headers={'Content-Type': 'application/json'})
        try:
            resp = urllib.request.urlopen(r, timeout=60)
        except Exception:
            continue
        with lock:
            sessions.append((u, resp.headers.get('Set-Cookie', '').split(';')[0]))
ts = [threading.Thread(target=logins, args=(u,)) for u in range(1, 7)]
up = threading.Thread(target=upload)
for t in ts:
    t.start()
up.start()
up.join()
for t in ts:
    t.join()
lost = 0
for u, c in sessions:
    me = json.load(urllib.request.urlopen(urllib.request.Request(
        base + '/api/v1/me', headers={'Cookie': c}), timeout=30))
    lost += me.get('user') != 'u%d' % u
print(' '.join(statuses))
print(len(sessions), lost)
PY
read -r statuses <"$T_TMP/race.out"
read -r nlogins lost < <(sed -n 2p "$T_TMP/race.out")
echo "# $nlogins logins during 8 rolled-back uploads"
t_eq "each upload was rolled back as a duplicate" "duplicate duplicate duplicate duplicate duplicate duplicate duplicate duplicate" "$statuses"
t_ok "logins happened meanwhile ($nlogins)" test "${nlogins:-0}" -gt 50
t_eq "every login's session works afterwards" 0 "$lost"
stop_server
t_eq "every login has its audit row" "$nlogins" \
    "$(s audit --json --limit 1000000 | jq '[.[] | select(.action == "login" and (.user | test("^u[1-6]$")))] | length')"
t_eq "the library holds one document" 1 "$(s list --json | jq length)"
t_done
