# tmux.sh: drive the wizard in a private tmux server, as a person would.
# Source it; set TM (a unique -L name) first. Every wait polls capture-pane
# until the text shows or a deadline passes: no fixed sleeps.
#   tm_start W H ENV... -- COMMAND   start COMMAND in a W x H window; when it
#                                    ends the pane shows EXITED-<status>
#   tm_keys KEYS...                  send-keys (tmux key names)
#   tm_type TEXT                     send TEXT literally
#   tm_screen                        the pane's text now
#   tm_wait TEXT [SECONDS]           until TEXT shows (fixed string); 1 if not
#   tm_wait_gone TEXT [SECONDS]      until TEXT no longer shows
#   tm_stop                          kill the server (call from a trap)
: "${TM:?set TM to a private tmux socket name}"
tm() { tmux -u -L "$TM" -f /dev/null "$@"; }

tm_start() {
	local w=$1 h=$2 envs=() cmd
	shift 2
	while [ $# -gt 0 ] && [ "$1" != -- ]; do envs+=(-e "$1"); shift; done
	shift
	cmd="$*"
	tm new-session -d -s w -x "$w" -y "$h" "${envs[@]}" \
	    "$cmd; echo EXITED-\$?; stty -a | tr ' ' '\n' | grep -x -e echo -e icanon -e -echo -e -icanon | tr '\n' ' '; echo; sleep 600"
}
tm_keys() { tm send-keys -t w "$@"; }
tm_type() { tm send-keys -t w -l "$1"; }
tm_screen() { tm capture-pane -p -t w; }
tm_wait() {
	local text=$1 secs=${2:-10} end
	end=$(( $(date +%s%N) / 1000000 + secs * 1000 ))
	while [ $(( $(date +%s%N) / 1000000 )) -lt "$end" ]; do
		tm_screen 2>/dev/null | grep -qF -- "$text" && return 0
		sleep 0.05
	done
	return 1
}
tm_wait_gone() {
	local text=$1 secs=${2:-10} end
	end=$(( $(date +%s%N) / 1000000 + secs * 1000 ))
	while [ $(( $(date +%s%N) / 1000000 )) -lt "$end" ]; do
		tm_screen 2>/dev/null | grep -qF -- "$text" || return 0
		sleep 0.05
	done
	return 1
}
# kill-server returns before the server has gone: a tm_start right after
# it could reach the dying server ("server exited unexpectedly"). Wait
# (bounded, polling) until no server answers on the socket.
tm_stop() {
	local i
	tm kill-server 2>/dev/null || return 0
	for i in $(seq 1 100); do
		tm list-sessions 2>&1 | grep -q "no server running" && return 0
		sleep 0.05
	done
}

# TAP
tap_n=0
tap_failed=0
ok() {
	tap_n=$((tap_n + 1))
	if [ "$1" -eq 0 ]; then
		echo "ok $tap_n - $2"
	else
		echo "not ok $tap_n - $2"
		tap_failed=1
		tm_screen 2>/dev/null | sed 's/^/#   /'
	fi
}
# check "what" COMMAND...: one TAP line from a command's status
check() { local what=$1; shift; "$@"; ok $? "$what"; }
tap_done() { echo "1..$tap_n"; exit $tap_failed; }
