#!/bin/sh
# tmux-demo.sh shows cognitoimport's progress bars as a person sees them: it
# runs an import of USERS users (default 5000) in a real terminal (tmux),
# against the standalone test server importing RATE users a second (default
# 500), and prints the screen in the middle of the import and at its end.
#
#	sh cmd/cognitoimport/testdata/tmux-demo.sh [USERS [RATE]]
#
# It needs tmux and a Go toolchain; it changes nothing outside a temporary
# directory. The README's captured screens come from it.
set -eu

users=${1:-5000}
rate=${2:-500}
root=$(cd "$(dirname "$0")/../../.." && pwd)
tmp=$(mktemp -d)
socket=cognitoimport-demo-$$
server_pid=
cleanup() {
	tmux -L "$socket" kill-server 2>/dev/null || true
	if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; fi
	rm -rf "$tmp"
}
trap cleanup EXIT INT TERM

command -v tmux >/dev/null || { echo "tmux-demo.sh: tmux is not installed" >&2; exit 1; }
cd "$root"
go build -o "$tmp/cognitoimport" ./cmd/cognitoimport
go build -o "$tmp/cognitoimport-server" ./cmd/cognitoimport-server

# The server picks a free port and prints its endpoint first.
"$tmp/cognitoimport-server" -addr 127.0.0.1:0 -pool us-east-1_example -import-rate "$rate" >"$tmp/banner" 2>&1 &
server_pid=$!
i=0
until endpoint=$(sed -n 's/^endpoint: *//p' "$tmp/banner") && [ -n "$endpoint" ]; do
	i=$((i + 1))
	[ "$i" -lt 100 ] || { cat "$tmp/banner" >&2; exit 1; }
	sleep 0.1
done

export AWS_ACCESS_KEY_ID=AKIDCOGNITOIMPORTTEST AWS_SECRET_ACCESS_KEY=cognitoimporttest/secret/access/key
export AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null
ci() { "$tmp/cognitoimport" --endpoint-url "$endpoint" --region us-east-1 "$@"; }

# A users file: the pool's header, then one row a user, in its column order.
ci header --pool us-east-1_example >"$tmp/users.csv"
awk -F, -v n="$users" 'NR == 1 {
	for (c = 1; c <= NF; c++) col[$c] = c
	for (u = 1; u <= n; u++) {
		for (c = 1; c <= NF; c++) v[c] = ""
		v[col["cognito:username"]] = "user" u
		v[col["given_name"]] = "Given"
		v[col["email"]] = "user" u "@example.com"
		v[col["email_verified"]] = "TRUE"
		v[col["phone_number_verified"]] = "FALSE"
		v[col["cognito:mfa_enabled"]] = "FALSE"
		line = v[1]
		for (c = 2; c <= NF; c++) line = line "," v[c]
		print line
	}
}' "$tmp/users.csv" >>"$tmp/users.csv"

cat >"$tmp/run.sh" <<SCRIPT
cd "$tmp"
printf '$ cognitoimport import --pool us-east-1_example --role \$ROLE users.csv\n'
"$tmp/cognitoimport" --endpoint-url "$endpoint" --region us-east-1 import --pool us-east-1_example \
	--role arn:aws:iam::123456789012:role/CognitoImport users.csv
echo "exit status \$?"
tmux -L "$socket" wait-for -S done
exec cat
SCRIPT
tmux -L "$socket" -f /dev/null new-session -d -s demo -x 100 -y 12 sh "$tmp/run.sh"

# The middle: half the import's time.
sleep "$(awk -v n="$users" -v r="$rate" 'BEGIN { print n / r / 2 + 1 }')"
echo "--- during the import:"
tmux -L "$socket" capture-pane -p -t demo | sed -e 's/[[:space:]]*$//' -e '/^$/d'
tmux -L "$socket" wait-for done
echo "--- at the end:"
tmux -L "$socket" capture-pane -p -t demo | sed -e 's/[[:space:]]*$//' -e '/^$/d'
