/*
 * sshd-nopriv.so: lets OpenSSH's sshd (and ssh-keygen) run where it cannot change
 * identities, LD_PRELOADed by /bin/start only there.
 *
 * sshd started as root separates privileges: its pre-authentication child chroots to
 * /run/sshd and becomes the `sshd` user, and the session process calls initgroups() for
 * the user logging in. That takes CAP_SYS_CHROOT, CAP_SETGID and CAP_SETUID, which the
 * platform's local adapter does not grant (its runc process keeps AUDIT_WRITE, KILL and
 * NET_BIND_SERVICE); under bwrap as an ordinary user (the Slurm adapter) the app is not
 * even uid 0, and that uid has no /etc/passwd entry in the image. With this library:
 *
 *   - chroot(), setgroups() and initgroups() that fail with EPERM succeed without doing
 *     anything (the process keeps its root directory and groups);
 *   - every user looked up (getpwnam, getpwuid) has the uid and gid the process runs as,
 *     and an unknown uid reads as root's entry with that uid: the privilege-separation
 *     user and the user logging in are the identity sshd already has, so changing to them
 *     is a no-op the kernel allows, and sshd's checks that the change happened pass.
 *
 * Authentication is unchanged (certificates from the user CA, for the instance's
 * principal); what is lost is only the separation of sshd's pre-auth network child from
 * the running identity — the child still runs under sshd's seccomp sandbox.
 * Build: gcc -shared -fPIC -O2 -o sshd-nopriv.so sshd-nopriv.c
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <stddef.h>
#include <sys/types.h>
#include <unistd.h>

#define REAL(ret, name, ...) \
  static ret (*real)(__VA_ARGS__); \
  if (!real) real = (ret (*)(__VA_ARGS__))dlsym(RTLD_NEXT, name); \
  if (!real) { errno = ENOSYS; return (ret)-1; }

int chroot(const char *path) {
  REAL(int, "chroot", const char *);
  int r = real(path);
  if (r < 0 && errno == EPERM) return 0;
  return r;
}

int setgroups(size_t n, const gid_t *list) {
  REAL(int, "setgroups", size_t, const gid_t *);
  int r = real(n, list);
  if (r < 0 && errno == EPERM) return 0;
  return r;
}

int initgroups(const char *user, gid_t group) {
  REAL(int, "initgroups", const char *, gid_t);
  int r = real(user, group);
  if (r < 0 && errno == EPERM) return 0;
  return r;
}

static struct passwd *as_self(struct passwd *pw) {
  if (pw) { pw->pw_uid = getuid(); pw->pw_gid = getgid(); }
  return pw;
}

struct passwd *getpwnam(const char *name) {
  static struct passwd *(*real)(const char *);
  if (!real) real = (struct passwd *(*)(const char *))dlsym(RTLD_NEXT, "getpwnam");
  return real ? as_self(real(name)) : NULL;
}

struct passwd *getpwuid(uid_t uid) {
  static struct passwd *(*real)(uid_t);
  if (!real) real = (struct passwd *(*)(uid_t))dlsym(RTLD_NEXT, "getpwuid");
  if (!real) return NULL;
  struct passwd *pw = real(uid);
  if (!pw && uid == getuid()) pw = real(0);
  return as_self(pw);
}
