#!/bin/bash
# runtime-trace.sh LOG RUNTIME: writes LOG.runtime, an OCI runtime wrapper that runs RUNTIME with
# the same arguments (and the same stdio: a runtime hands its stdio to the container, so it is not
# captured) and appends one line per call to LOG: "rc=STATUS ARGS". Give its path to podman, ctr
# or dockerd instead of the runtime's to see which calls they make and which fail.
set -eu
log=$1 rt=$2
out=$log.runtime
cat >"$out" <<WRAP
#!/bin/bash
rc=0
"$rt" "\$@" || rc=\$?
{ flock 9; printf 'rc=%s %s\n' "\$rc" "\$*" >&9; } 9>>"$log"
exit \$rc
WRAP
chmod +x "$out"
echo "$out"
