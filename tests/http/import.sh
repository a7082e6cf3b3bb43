#!/usr/bin/env bash
# POST /api/v1/import end to end: who may upload (anonymous 401, a free user
# 403, an editor by session cookie + CSRF token or by API token), per-file
# results with reasons (imported, duplicate, refused), new documents being
# searchable at once, hostile file names, and the upload limits.
. "$(dirname "$0")/../lib/testlib.sh"
. "$(dirname "$0")/lib.sh"
http_need_tools

LIB=$(new_library lib)
t_ok "fixture library" http_library "$LIB"
printf 'editor-password-1\n' >"$T_TMP/pw"
t_ok "add an editor" "$SUCAI" -L "$LIB" user add ed --role editor --password-file "$T_TMP/pw"
t_ok "add a free user" "$SUCAI" -L "$LIB" user add fu --tier free --password-file "$T_TMP/pw"
TOKEN=$("$SUCAI" -L "$LIB" token create ed --label tests 2>/dev/null | awk '{ print $NF }' | tail -1)
t_ok "editor token" test -n "$TOKEN"

start_server "$LIB" --max-upload 200000 || { echo "not ok - server start"; exit 1; }

# files to upload
D="$T_TMP/up"; mkdir -p "$D"
cat >"$D/关于做好防汛工作的通知.txt" <<'EOF'
关于做好防汛工作的通知

各乡镇人民政府，县直各单位：
为切实做好今年防汛工作，确保人民群众生命财产安全，现就有关事项通知如下。

一、提高思想认识
防汛工作事关全局，各单位要立足防大汛、抗大灾，压实防汛责任，落实防汛抢险物资储备。

二、加强隐患排查
对水库、堤防、山洪灾害易发区开展拉网式排查，发现问题立即整改。

XX县防汛抗旱指挥部办公室
2024年5月10日
EOF
: >"$D/empty.txt"
printf '%%PDF-1.4\n%%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n' >"$D/fake.pdf"
cp "$HTTP_FIXTURES/XX镇2024年工作计划.txt" "$D/again.txt"

cookie="$T_TMP/cookies"
login() { # NAME -> sets CSRF, cookie jar
    curl -s -c "$cookie" -o "$T_TMP/login.json" -w '%{http_code}' -H 'Content-Type: application/json' \
        --data-binary "{\"name\": \"$1\", \"password\": \"editor-password-1\"}" "$BASE/api/v1/session"
}

t_eq "anonymous upload" 401 "$(req POST /api/v1/import -F "files=@$D/empty.txt")"
t_eq "free user logs in" 200 "$(login fu)"
t_eq "free user upload" 403 "$(req POST /api/v1/import -b "$cookie" -H "X-CSRF-Token: $(jq -r .csrf "$T_TMP/login.json")" -F "files=@$D/empty.txt")"
t_eq "free user upload: code" forbidden "$(jbody .error.code)"

t_eq "editor logs in" 200 "$(login ed)"
CSRF=$(jq -r .csrf "$T_TMP/login.json")
t_ok "login gives a CSRF token" test ${#CSRF} -eq 64
t_ok "session cookie is HttpOnly and SameSite" grep -q '#HttpOnly_127.0.0.1' "$cookie"
t_eq "me as editor" "ed true" "$(curl -s -b "$cookie" "$BASE/api/v1/me" | jq -r '"\(.user) \(.may.import)"')"
t_eq "upload without CSRF token" 403 "$(req POST /api/v1/import -b "$cookie" -F "files=@$D/empty.txt")"
t_eq "upload without CSRF token: code" csrf "$(jbody .error.code)"
t_eq "upload with a wrong CSRF token" 403 "$(req POST /api/v1/import -b "$cookie" -H "X-CSRF-Token: $(printf '0%.0s' $(seq 64))" -F "files=@$D/empty.txt")"

code=$(req POST /api/v1/import -b "$cookie" -H "X-CSRF-Token: $CSRF" \
    -F "files=@$D/关于做好防汛工作的通知.txt" -F "files=@$D/empty.txt" -F "files=@$D/fake.pdf" \
    -F "files=@$D/again.txt" -F "note=an ordinary field is ignored")
t_eq "editor upload" 200 "$code"
t_eq "one result per file" 4 "$(jbody '.files | length')"
t_eq "results in order" "关于做好防汛工作的通知.txt empty.txt fake.pdf again.txt" "$(jbody '[.files[].file] | join(" ")')"
t_eq "statuses" "imported refused refused duplicate" "$(jbody '[.files[].status] | join(" ")')"
t_ok "refusals give reasons" test "$(jbody '[.files[1,2].reason | length > 0] | all')" = true
t_ok "the PDF is named as such" grep -qi 'pdf' <<<"$(jbody '.files[2].reason')"
t_eq "summary" "1 1 2 1" "$(jbody '.summary | "\(.imported) \(.duplicates) \(.refused) \(.docs)"')"
t_eq "byte counts" "$(stat -c %s "$D/fake.pdf")" "$(jbody '.files[2].bytes')"
NEW=$(jbody '.files[0].docs[0]')
t_eq "the new document is searchable at once" "$NEW" "$(curl -s "$BASE/api/v1/search?q=%E9%98%B2%E6%B1%9B%E6%8A%A2%E9%99%A9" | jq '.hits[0].id')"
t_eq "and readable" "关于做好防汛工作的通知" "$(curl -s "$BASE/api/v1/docs/$NEW" | jq -r .title)"

# a hostile file name keeps only its last component
printf '测试文件名\n\n一、第一部分\n这是用来测试文件名处理的一篇短文，内容足够长以便导入。\n' >"$D/plain.txt"
t_eq "path in a file name" 200 "$(req POST /api/v1/import -H "Authorization: Bearer $TOKEN" -F "files=@$D/plain.txt;filename=../../../etc/evil.txt")"
t_eq "path stripped" "evil.txt" "$(jbody '.files[0].file')"
t_eq "token upload needs no CSRF" imported "$(jbody '.files[0].status')"
t_eq "a name of dots" 200 "$(req POST /api/v1/import -H "Authorization: Bearer $TOKEN" -F "files=@$D/plain.txt;filename=..")"
t_eq "a name of dots is refused" "refused" "$(jbody '.files[0].status')"
t_eq "a bad token is anonymous" 401 "$(req POST /api/v1/import -H 'Authorization: Bearer sct_nope' -F "files=@$D/plain.txt")"

# limits
head -c 300000 /dev/urandom >"$D/big.txt"
t_eq "upload over --max-upload" 413 "$(req POST /api/v1/import -H "Authorization: Bearer $TOKEN" -F "files=@$D/big.txt")"
t_eq "upload over --max-upload: code" payload_too_large "$(jbody .error.code)"
args=(); for i in $(seq 1 101); do args+=(-F "files=@$D/empty.txt;filename=e$i.txt"); done
t_eq "101 files" 413 "$(req POST /api/v1/import -H "Authorization: Bearer $TOKEN" "${args[@]}")"
t_eq "101 files: code" too_many_files "$(jbody .error.code)"
t_eq "no files" 400 "$(req POST /api/v1/import -H "Authorization: Bearer $TOKEN" -F 'note=x')"
t_eq "no files: code" no_files "$(jbody .error.code)"
t_eq "no boundary" 400 "$(req POST /api/v1/import -H "Authorization: Bearer $TOKEN" -H 'Content-Type: multipart/form-data' --data-binary 'x')"
t_eq "broken multipart" 400 "$(req POST /api/v1/import -H "Authorization: Bearer $TOKEN" -H 'Content-Type: multipart/form-data; boundary=XyZ' --data-binary $'--XyZ\r\nContent-Disposition: form-data; name="f"; filename="a.txt"\r\n\r\nno end')"
t_eq "broken multipart: code" bad_multipart "$(jbody .error.code)"

# logout ends the session
t_eq "logout" 200 "$(req DELETE /api/v1/session -b "$cookie" -H "X-CSRF-Token: $CSRF")"
t_ok "logout clears the cookie" grep -qi 'Max-Age=0' <<<"$(header Set-Cookie)"
t_eq "old cookie is anonymous" null "$(curl -s -b "$cookie" "$BASE/api/v1/me" | jq -r .user)"
t_eq "wrong password" 401 "$(curl -s -o /dev/null -w '%{http_code}' -H 'Content-Type: application/json' --data-binary '{"name": "ed", "password": "wrong-password"}' "$BASE/api/v1/session")"
t_ok "passwords never reach the log" bash -c "! grep -q 'editor-password-1\|wrong-password\|$TOKEN' '$SERVER_LOG'"
t_ok "log names the import" grep -q 'POST /api/v1/import 200' "$SERVER_LOG"

stop_server
t_eq "clean shutdown" 0 "$SERVER_EXIT"
t_done
