// The trusted Python launcher that runs inside the sandbox before the untrusted program: it reads the
// program from stdin, hides the writable shared folders behind private tmpfs mounts (isolated mode),
// applies resource limits, drops to an unprivileged user and replaces itself with the program.
export const sandboxLauncherSource = String.raw`
import os, resource, subprocess, sys
isolated, work, uid, memory, cpu, processes, file_size = sys.argv[1] == "1", sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]), int(sys.argv[6]), int(sys.argv[7])
program = sys.stdin.buffer.read()
if isolated:
    subprocess.run(["mount", "--make-rprivate", "/"], check=True)
    for shared in ("/tmp", "/var/tmp", "/dev/shm"):
        if os.path.isdir(shared):
            subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64m,mode=1777", "tmpfs", shared], check=True)
    os.makedirs(work, mode=0o700)
    # The interpreter may live under a folder the sandbox user cannot enter (a per-user install):
    # a read-only bind mount of its prefix makes it reachable without opening that folder.
    interpreter = os.path.realpath(sys.executable)
    prefix = os.path.realpath(sys.base_prefix)
    if interpreter.startswith(prefix + os.sep):
        mirror = "/tmp/.python"
        os.makedirs(mirror, mode=0o755)
        subprocess.run(["mount", "--bind", prefix, mirror], check=True)
        subprocess.run(["mount", "-o", "remount,bind,ro", mirror], check=True)
        interpreter = os.path.join(mirror, os.path.relpath(interpreter, prefix))
else:
    interpreter = sys.executable
with open(os.path.join(work, "program.py"), "wb") as handle:
    handle.write(program)
limits = [(resource.RLIMIT_AS, memory), (resource.RLIMIT_DATA, memory), (resource.RLIMIT_CPU, cpu), (resource.RLIMIT_FSIZE, file_size), (resource.RLIMIT_CORE, 0)]
if os.getuid() == 0 and uid > 0:
    os.chown(work, uid, uid)
    os.chown(os.path.join(work, "program.py"), uid, uid)
    limits.append((resource.RLIMIT_NPROC, processes))
    os.setgroups([])
    os.setgid(uid)
    os.setuid(uid)
else:
    limits.append((resource.RLIMIT_NPROC, processes))
for kind, value in limits:
    resource.setrlimit(kind, (value, value))
os.chdir(work)
os.execve(interpreter, [interpreter, "-I", "-B", "program.py"], {"PATH": "/usr/local/bin:/usr/bin:/bin", "HOME": work, "TMPDIR": work, "LANG": "C.UTF-8", "PYTHONHASHSEED": "0"})
`;
