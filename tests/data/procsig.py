# procsig.py — /proc's SigBlk, SigIgn and SigCgt (tests/userland_procps.t,
# against the host's python3): a process's and a thread's, the mask a
# thread of its own blocked (its thread-self's, not the process's: that
# is the leader's), and a child's after exec (python's subprocess
# restore_signals, its test_restore_signals; ignored ones stay ignored
# across exec, caught ones are reset)
import os, signal, subprocess, threading
# what a launcher left ignored (nohup's SIGHUP, a script's & job's SIGINT
# and SIGQUIT) is no part of the comparison
signal.signal(signal.SIGHUP, signal.SIG_DFL)
signal.signal(signal.SIGQUIT, signal.SIG_DFL)
signal.signal(signal.SIGINT, signal.default_int_handler)
signal.signal(signal.SIGUSR1, lambda *a: None)
signal.signal(signal.SIGPIPE, signal.SIG_IGN)
signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGUSR2, signal.SIGRTMIN})
def sigs(who="self"):
    return [l for l in open("/proc/%s/status" % who).read().splitlines() if l.startswith(("SigBlk", "SigIgn", "SigCgt"))]
print("process", sigs())
def th():
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGHUP})
    print("thread", sigs("thread-self"))
    print("thread, its process's", sigs(str(os.getpid())))
t = threading.Thread(target=th)
t.start()
t.join()
for restore in (True, False):
    r = subprocess.run(["grep", "^Sig[BIC]", "/proc/self/status"], capture_output=True, restore_signals=restore)
    print("exec, restore_signals", restore, r.stdout.decode().split("\n"))
