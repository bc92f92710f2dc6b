/// The seccomp filter every local instance runs under (OCI `linux.seccomp`): deny by default
/// with `EPERM`, allow the system calls ordinary programs make.
///
/// It follows the shape of the default profiles container engines ship (Docker's and
/// containerd's): what stays out is what a process without `CAP_SYS_ADMIN` has no business
/// calling and what has the most kernel attack surface — new namespaces (`unshare`, `setns`,
/// namespace flags to `clone`), `mount` and the new mount API, `bpf`, `perf_event_open`,
/// `userfaultfd`, `io_uring`, keyrings other than the session's, module and `kexec`
/// loading, `reboot`, clock setting, `ptrace`-like access across processes and
/// `personality` beyond the harmless values. A name the kernel or libseccomp does not know
/// is skipped by runc, so one list serves every kernel.
enum SeccompProfile {
    /// The OCI runtime-spec `seccomp` object.
    static func make() -> [String: Any] {
        var rules: [[String: Any]] = [["names": allowed.sorted(), "action": "SCMP_ACT_ALLOW"]]
        // personality: only the execution domains programs (and `setarch`/`uname26`) ask for.
        for persona in [0, 8, 0x20000, 0x20008, 0xffff_ffff] {
            rules.append(["names": ["personality"], "action": "SCMP_ACT_ALLOW",
                          "args": [["index": 0, "value": persona, "valueTwo": 0, "op": "SCMP_CMP_EQ"]]])
        }
        // clone: threads and processes, never new namespaces (flags are argument 0 on x86-64 and arm64).
        rules.append(["names": ["clone"], "action": "SCMP_ACT_ALLOW",
                      "args": [["index": 0, "value": cloneNamespaceFlags, "valueTwo": 0, "op": "SCMP_CMP_MASKED_EQ"]]])
        // clone3 passes its flags in memory a filter cannot read: ENOSYS makes libc fall back to clone.
        rules.append(["names": ["clone3"], "action": "SCMP_ACT_ERRNO", "errnoRet": 38])
        return ["defaultAction": "SCMP_ACT_ERRNO", "defaultErrnoRet": 1, "architectures": architectures, "syscalls": rules]
    }

    /// CLONE_NEWNS | CLONE_NEWCGROUP | CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWUSER | CLONE_NEWPID | CLONE_NEWNET.
    static let cloneNamespaceFlags = 0x0002_0000 | 0x0200_0000 | 0x0400_0000 | 0x0800_0000 | 0x1000_0000 | 0x2000_0000 | 0x4000_0000

    static var architectures: [String] {
        #if arch(x86_64)
        ["SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32"]
        #elseif arch(arm64)
        ["SCMP_ARCH_AARCH64", "SCMP_ARCH_ARM"]
        #else
        []
        #endif
    }

    /// Allowed without conditions, grouped by what they are for.
    static let allowed: Set<String> = Set(files + processes + memory + signals + time + network + ipc + scheduling + identity + architectureSpecific)

    static let files = [
        "access", "chdir", "chmod", "chown", "chown32", "close", "close_range", "copy_file_range", "creat", "dup", "dup2", "dup3",
        "faccessat", "faccessat2", "fadvise64", "fadvise64_64", "fallocate", "fanotify_mark", "fchdir", "fchmod", "fchmodat",
        "fchmodat2", "fchown", "fchown32", "fchownat", "fcntl", "fcntl64", "fdatasync", "fgetxattr", "flistxattr", "flock",
        "fremovexattr", "fsetxattr", "fstat", "fstat64", "fstatat64", "fstatfs", "fstatfs64", "fsync", "ftruncate", "ftruncate64",
        "futimesat", "getcwd", "getdents", "getdents64", "getxattr", "inotify_add_watch", "inotify_init", "inotify_init1",
        "inotify_rm_watch", "io_cancel", "io_destroy", "io_getevents", "io_pgetevents", "io_pgetevents_time64", "io_setup",
        "io_submit", "ioctl", "lchown", "lchown32", "lgetxattr", "link", "linkat", "listxattr", "llistxattr", "_llseek",
        "lremovexattr", "lseek", "lsetxattr", "lstat", "lstat64", "mkdir", "mkdirat", "mknod", "mknodat", "name_to_handle_at",
        "newfstatat", "open", "openat", "openat2", "pipe", "pipe2", "pread64", "preadv", "preadv2", "pwrite64", "pwritev",
        "pwritev2", "read", "readahead", "readlink", "readlinkat", "readv", "removexattr", "rename", "renameat", "renameat2",
        "rmdir", "sendfile", "sendfile64", "setxattr", "splice", "stat", "stat64", "statfs", "statfs64", "statx", "symlink",
        "symlinkat", "sync", "sync_file_range", "syncfs", "tee", "truncate", "truncate64", "umask", "unlink", "unlinkat", "utime",
        "utimensat", "utimensat_time64", "utimes", "write", "writev", "epoll_create", "epoll_create1", "epoll_ctl",
        "epoll_ctl_old", "epoll_pwait", "epoll_pwait2", "epoll_wait", "epoll_wait_old", "eventfd", "eventfd2", "poll", "ppoll",
        "ppoll_time64", "pselect6", "pselect6_time64", "select", "_newselect", "signalfd", "signalfd4", "timerfd_create",
        "timerfd_gettime", "timerfd_gettime64", "timerfd_settime", "timerfd_settime64", "memfd_create",
        "landlock_add_rule", "landlock_create_ruleset", "landlock_restrict_self",
    ]

    static let processes = [
        "execve", "execveat", "exit", "exit_group", "fork", "vfork", "wait4", "waitid", "waitpid", "getpid", "getppid", "gettid",
        "getpgid", "getpgrp", "getsid", "setpgid", "setsid", "prctl", "seccomp", "getrlimit", "setrlimit", "prlimit64",
        "ugetrlimit", "getrusage", "times", "uname", "sysinfo", "getrandom", "restart_syscall", "rseq", "set_robust_list",
        "get_robust_list", "set_tid_address", "futex", "futex_time64", "futex_requeue", "futex_wait", "futex_waitv",
        "futex_wake", "membarrier", "capget", "capset", "pidfd_open", "pidfd_send_signal", "pidfd_getfd", "process_mrelease",
        "getcpu", "ptrace", "process_vm_readv", "process_vm_writev",
    ]

    static let memory = [
        "brk", "madvise", "mincore", "mlock", "mlock2", "mlockall", "mmap", "mmap2", "mprotect", "mremap", "msync", "munlock",
        "munlockall", "munmap", "remap_file_pages", "pkey_alloc", "pkey_free", "pkey_mprotect", "map_shadow_stack",
    ]

    static let signals = [
        "kill", "tkill", "tgkill", "pause", "rt_sigaction", "rt_sigpending", "rt_sigprocmask", "rt_sigqueueinfo", "rt_sigreturn",
        "rt_sigsuspend", "rt_sigtimedwait", "rt_sigtimedwait_time64", "rt_tgsigqueueinfo", "sigaltstack", "sigprocmask",
        "sigreturn", "alarm",
    ]

    static let time = [
        "clock_getres", "clock_getres_time64", "clock_gettime", "clock_gettime64", "clock_nanosleep", "clock_nanosleep_time64",
        "gettimeofday", "nanosleep", "time", "getitimer", "setitimer", "timer_create", "timer_delete", "timer_getoverrun",
        "timer_gettime", "timer_gettime64", "timer_settime", "timer_settime64",
    ]

    static let network = [
        "socket", "socketpair", "socketcall", "bind", "listen", "accept", "accept4", "connect", "getsockname", "getpeername",
        "getsockopt", "setsockopt", "shutdown", "recv", "recvfrom", "recvmsg", "recvmmsg", "recvmmsg_time64", "send", "sendto",
        "sendmsg", "sendmmsg",
    ]

    static let ipc = [
        "ipc", "msgctl", "msgget", "msgrcv", "msgsnd", "semctl", "semget", "semop", "semtimedop", "semtimedop_time64", "shmat",
        "shmctl", "shmdt", "shmget", "mq_getsetattr", "mq_notify", "mq_open", "mq_timedreceive", "mq_timedreceive_time64",
        "mq_timedsend", "mq_timedsend_time64", "mq_unlink",
    ]

    static let scheduling = [
        "sched_getaffinity", "sched_getattr", "sched_getparam", "sched_get_priority_max", "sched_get_priority_min",
        "sched_getscheduler", "sched_rr_get_interval", "sched_rr_get_interval_time64", "sched_setaffinity", "sched_setattr",
        "sched_setparam", "sched_setscheduler", "sched_yield", "getpriority", "setpriority", "ioprio_get", "ioprio_set",
    ]

    /// Changes of identity stay within the instance's user namespace (the kernel checks capabilities there).
    static let identity = [
        "getuid", "getuid32", "geteuid", "geteuid32", "getgid", "getgid32", "getegid", "getegid32", "getgroups", "getgroups32",
        "getresuid", "getresuid32", "getresgid", "getresgid32", "setuid", "setuid32", "setgid", "setgid32", "setreuid",
        "setreuid32", "setregid", "setregid32", "setresuid", "setresuid32", "setresgid", "setresgid32", "setfsuid", "setfsuid32",
        "setfsgid", "setfsgid32", "setgroups", "setgroups32",
    ]

    static let architectureSpecific = ["arch_prctl", "modify_ldt", "set_thread_area", "get_thread_area", "set_tls"]
}
