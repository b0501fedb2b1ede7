// The trusted launcher that prepares each sandbox before the untrusted program starts. It is a shell
// script of small system tools rather than Python so a run pays for one interpreter start, not two.
// Inside fresh network, PID and mount namespaces it hides the world-writable folders behind private
// tmpfs mounts, writes the program (read from stdin) into a new working folder, makes the interpreter
// reachable through a read-only bind mount of its prefix (it may sit under a folder only root can
// enter), then drops to an unprivileged user and applies the resource limits.
//
// Positional arguments: $1 isolated (1/0), $2 working folder, $3 uid (0: keep), $4 interpreter,
// $5 interpreter prefix, $6 address-space bytes, $7 CPU seconds, $8 processes, $9 file-size bytes.
export const sandboxLauncherScript = String.raw`
set -eu
isolated=$1 work=$2 uid=$3 interpreter=$4 prefix=$5
if [ "$isolated" = 1 ]; then
  mount --make-rprivate /
  for shared in /tmp /var/tmp /dev/shm; do
    if [ -d "$shared" ]; then mount -t tmpfs -o size=64m,mode=1777 tmpfs "$shared"; fi
  done
  mkdir -m 700 "$work"
  case "$interpreter" in
    "$prefix"/*)
      mkdir -m 755 /tmp/.python
      mount --bind "$prefix" /tmp/.python
      mount -o remount,bind,ro /tmp/.python
      interpreter="/tmp/.python/${'$'}{interpreter#"$prefix"/}"
      ;;
  esac
fi
cat > "$work/program.py"
cd "$work"
limits="--as=$6 --data=$6 --cpu=$7 --nproc=$8 --fsize=$9 --core=0"
if [ "$uid" != 0 ]; then
  chown -R "$uid:$uid" "$work"
  exec env -i PATH=/usr/local/bin:/usr/bin:/bin HOME="$work" TMPDIR="$work" LANG=C.UTF-8 PYTHONHASHSEED=0 \
    setpriv --reuid="$uid" --regid="$uid" --clear-groups prlimit $limits -- "$interpreter" -I -B program.py
fi
exec env -i PATH=/usr/local/bin:/usr/bin:/bin HOME="$work" TMPDIR="$work" LANG=C.UTF-8 PYTHONHASHSEED=0 \
  prlimit $limits -- "$interpreter" -I -B program.py
`;
