#!/usr/bin/env bash
# End-to-end: `sucai user`, `sucai token` and `sucai audit` on a fresh library.
source "$(dirname "$0")/../lib/testlib.sh"
export SUCAI_PWHASH_FAST=1 # cheap Argon2id limits: test suites only
. "$(dirname "$0")/../lib/stores.sh"
L=$(new_library lib)
s() { "$SUCAI" -L "$L" "$@"; }

t_ok "init" s init

# --- users ---
t_ok "user add vip (password on stdin)" bash -c 'echo "pass-word-1" | "$1" -L "$2" user add amy --tier vip --days 365 --role editor' _ "$SUCAI" "$L"
printf 'pass-word-2\nignored second line\n' >"$T_TMP/pw"
t_ok "user add free (--password-file)" s user add bob --password-file "$T_TMP/pw"
out=$(echo "pass-word-3" | s user add AMY 2>&1); rc=$?
t_eq "duplicate name (any case) refused with exit 1" "1" "$rc"
t_eq "duplicate message" "1" "$(grep -c "already exists" <<<"$out")"
out=$(echo "short" | s user add cat 2>&1); rc=$?
t_eq "short password refused" "2" "$rc"
out=$(echo "pass-word-4" | s user add cat --tier gold 2>&1); rc=$?
t_eq "unknown tier refused" "2" "$rc"
out=$(echo "pass-word-4" | s user add cat --role root 2>&1); rc=$?
t_eq "unknown role refused" "2" "$rc"
out=$(s user add cat </dev/null 2>&1); rc=$?
t_eq "no password on stdin refused" "2" "$rc"

json=$(s user list --json)
t_eq "list --json: two users" "2" "$(grep -o '"name":' <<<"$json" | wc -l)"
t_eq "list --json: amy is vip editor" "1" "$(grep -c '"name":"amy","tier":"vip","effective_tier":"vip","tier_expires":"[0-9T:Z-]*","roles":\["editor"\],"disabled":false' <<<"$json")"
t_eq "list --json: bob is free" "1" "$(grep -c '"name":"bob","tier":"free","effective_tier":"free","tier_expires":null,"roles":\[\]' <<<"$json")"
t_eq "list: no password hashes" "0" "$(s user list --json | grep -c -e argon2 -e pass-word)"
t_eq "list: text has both" "2" "$(s user list | grep -c -E '^ +[0-9]+ +(amy|bob) ')"
if have_lib_sql; then
    t_eq "password stored as Argon2id" "2" "$(lib_sql "$L" "SELECT count(*) FROM users WHERE pwhash LIKE '\$argon2id\$%'")"
else
    t_skip "password stored as Argon2id" "no sqlite3 shell"
fi

t_ok "set-tier bob svip --days 3" s user set-tier bob svip --days 3
t_eq "bob is svip" "1" "$(s user list --json | grep -c '"name":"bob","tier":"svip","effective_tier":"svip","tier_expires":"')"
out=$(s user set-tier nobody vip 2>&1); rc=$?
t_eq "set-tier unknown user: exit 1" "1" "$rc"
t_eq "set-tier unknown user: message" "1" "$(grep -c "no user 'nobody'" <<<"$out")"
t_ok "set-roles bob admin" s user set-roles bob admin
t_eq "bob is admin" "1" "$(s user list --json | grep -c '"name":"bob".*"roles":\["admin"\]')"
t_ok "set-roles bob none" s user set-roles bob none
t_ok "disable bob" s user disable bob
t_eq "bob disabled" "1" "$(s user list --json | grep -c '"name":"bob".*"disabled":true')"
t_ok "enable bob" s user enable bob
t_eq "bob enabled" "1" "$(s user list --json | grep -c '"name":"bob".*"disabled":false')"
t_ok "passwd bob (stdin)" bash -c 'echo "new-pass-word" | "$1" -L "$2" user passwd bob' _ "$SUCAI" "$L"
out=$(s user frob 2>&1); rc=$?
t_eq "unknown subcommand: exit 2" "2" "$rc"
t_ok "user --help" s user --help

# --- quotas ---
t_ok "quota free 5" s user quota free 5
t_eq "quota shows 5" "free  5 per day" "$(s user quota | head -1)"
out=$(s user quota gold 5 2>&1); rc=$?
t_eq "quota for unknown tier refused" "2" "$rc"

# --- tokens ---
out=$(s token create amy --label nightly)
tok=$(awk '{w=$NF} END {print w}' <<<"$out")
t_eq "token create: last word is the token" "1" "$(grep -cE '^sct_[0-9a-f]{64}$' <<<"$tok")"
t_eq "token list shows it without the secret" "0" "$(s token list --json | grep -c "${tok#sct_}")"
t_eq "token list: label" "1" "$(s token list --json | grep -c '"user":"amy","label":"nightly".*"revoked":null')"
if [ "${SUCAI_STORE:-}" = pg ]; then
    stored() { pg_psql "$(pg_db_of "$L")" "SELECT hash FROM api_tokens"; }
else
    stored() { cat "$L"/library.db*; }
fi
t_eq "token not stored in clear" "0" "$(stored | grep -ac "${tok#sct_}")"
t_eq "token stored as its SHA-256" "1" "$(stored | grep -ac "$(printf '%s' "$tok" | sha256sum | cut -c1-64)" | awk '{print ($1 > 0)}')"
out2=$(s token create bob)
tok2=$(awk '{w=$NF} END {print w}' <<<"$out2")
t_ok "revoke by token" s token revoke "$tok"
t_eq "revoked shows a time" "1" "$(s token list --json | grep -c '"id":1,.*"revoked":"')"
out=$(s token revoke "$tok" 2>&1); rc=$?
t_eq "revoke twice: exit 1" "1" "$rc"
t_ok "revoke by number" s token revoke 2
out=$(s token revoke 99 2>&1); rc=$?
t_eq "revoke unknown number: exit 1" "1" "$rc"
out=$(s token revoke garbage 2>&1); rc=$?
t_eq "revoke garbage: exit 2" "2" "$rc"
out=$(s token create nobody 2>&1); rc=$?
t_eq "token for unknown user: exit 1" "1" "$rc"

# --- audit ---
audit=$(s audit --json)
for a in user_add tier roles user_disable user_enable passwd quota token_create token_revoke; do
    t_eq "audit has $a" "1" "$(grep -c "\"action\":\"$a\"" <<<"$audit" | awk '{print ($1 > 0)}')"
done
t_eq "audit: operator entries have addr cli" "1" "$(grep -c '"user":null,"action":"tier","detail":"user=bob tier=svip until=[^"]*","addr":"cli"' <<<"$audit")"
t_eq "audit never holds passwords" "0" "$(grep -c -e pass-word -e "${tok#sct_}" <<<"$audit")"
t_eq "audit --limit 2" "2" "$(s audit --limit 2 | wc -l)"
t_eq "audit text newest first" "token_revoke" "$(s audit --limit 1 | awk '{print $4}')"
out=$(s audit --limit 0 2>&1); rc=$?
t_eq "audit --limit 0 refused" "2" "$rc"
t_done
