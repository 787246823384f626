#!/usr/bin/env sh
# Set up a claimmark team database on a CouchDB 3 server (also works on
# pouchdb-server, which the tests run). Needs curl. Idempotent: run it again
# to add users or update the design document.
#
#   COUCH=https://admin:ADMIN-PASSWORD@couch.example.org \
#   DB=newsdesk APP_ORIGIN=https://claimmark.example.org \
#   MEMBERS="ana:ana-password ben:ben-password:editor" \
#   couchdb/setup.sh
#
# COUCH       the server's root URL with a server admin's credentials
# DB          the team database to create (lowercase letters, digits, _$()+-)
# APP_ORIGIN  where claimmark is served from, for CORS ("*" allows any site)
# MEMBERS     users to create (or update) and make members: name:password or
#             name:password:editor (editors may change or delete anyone's
#             annotations). The examples in README → Teams are ana (a member)
#             and ben (an editor).
#
# What it does: turns CORS on for APP_ORIGIN with the Authorization header
# allowed (claimmark signs every request with Basic authentication, so it
# works with third-party cookies blocked); creates the database; sets its
# `_security` so that only the listed members (and admins) can read or
# write; installs `_design/claimmark` (couchdb/design.json: the
# validate_doc_update function and the article filter); creates the users.
set -eu
: "${COUCH:?set COUCH to the server root with admin credentials, e.g. https://admin:secret@couch.example.org}"
: "${DB:?set DB to the database name}"
APP_ORIGIN="${APP_ORIGIN:-*}"
MEMBERS="${MEMBERS:-}"
here="$(cd "$(dirname "$0")" && pwd)"
COUCH="${COUCH%/}"

# curl that fails loudly on HTTP errors except those listed in $OK (e.g. 412).
call() {
  method="$1"; path="$2"; body="${3:-}"; ok="${OK:-}"
  out="$(mktemp)"
  if [ -n "$body" ]; then
    code="$(curl -sS -o "$out" -w '%{http_code}' -X "$method" -H 'Content-Type: application/json' --data-binary "$body" "$COUCH$path")"
  else
    code="$(curl -sS -o "$out" -w '%{http_code}' -X "$method" "$COUCH$path")"
  fi
  case "$code" in
    2??) ;;
    *) case " $ok " in *" $code "*) ;; *) echo "setup: $method $path answered $code: $(cat "$out")" >&2; rm -f "$out"; exit 1 ;; esac ;;
  esac
  cat "$out"; rm -f "$out"
}
json_string() { printf '"%s"' "$(printf '%s' "$1" | sed 's/\\/\\\\/g; s/"/\\"/g')"; }

# CouchDB 3 keeps its settings under /_node/_local/_config; older servers
# (and pouchdb-server) under /_config.
if curl -sf -o /dev/null "$COUCH/_node/_local/_config/httpd"; then CONFIG=/_node/_local/_config; else CONFIG=/_config; fi
call PUT "$CONFIG/httpd/enable_cors" '"true"' >/dev/null
call PUT "$CONFIG/cors/origins" "$(json_string "$APP_ORIGIN")" >/dev/null
call PUT "$CONFIG/cors/credentials" '"true"' >/dev/null
call PUT "$CONFIG/cors/methods" '"GET, PUT, POST, HEAD, DELETE"' >/dev/null
call PUT "$CONFIG/cors/headers" '"accept, authorization, content-type, origin, referer"' >/dev/null
echo "setup: CORS allows $APP_ORIGIN with the Authorization header"

OK="412" call PUT "/_users" >/dev/null
OK="412" call PUT "/$DB" >/dev/null
echo "setup: database $DB"

names=""; roles_json=""
for m in $MEMBERS; do
  name="${m%%:*}"; rest="${m#*:}"; password="${rest%%:*}"; role=""
  [ "$rest" != "$password" ] && role="${rest#*:}"
  if [ -n "$role" ]; then roles_json="[$(json_string "$role")]"; else roles_json="[]"; fi
  doc="{\"name\":$(json_string "$name"),\"password\":$(json_string "$password"),\"roles\":$roles_json,\"type\":\"user\"}"
  rev="$(curl -sS "$COUCH/_users/org.couchdb.user:$name" | sed -n 's/.*"_rev":"\([^"]*\)".*/\1/p')"
  if [ -n "$rev" ]; then doc="${doc%\}},\"_rev\":\"$rev\"}"; fi
  call PUT "/_users/org.couchdb.user:$name" "$doc" >/dev/null
  echo "setup: user $name${role:+ ($role)}"
  names="$names${names:+,}$(json_string "$name")"
done
call PUT "/$DB/_security" "{\"admins\":{\"names\":[],\"roles\":[]},\"members\":{\"names\":[$names],\"roles\":[]}}" >/dev/null
echo "setup: members of $DB: ${names:-none (add names to _security.members)}"

rev="$(curl -sS "$COUCH/$DB/_design/claimmark" | sed -n 's/.*"_rev":"\([^"]*\)".*/\1/p')"
design="$(cat "$here/design.json")"
if [ -n "$rev" ]; then design="{\"_rev\":\"$rev\",${design#\{}"; fi
call PUT "/$DB/_design/claimmark" "$design" >/dev/null
echo "setup: _design/claimmark installed (validate_doc_update, filters/article)"
