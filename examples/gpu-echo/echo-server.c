/*
 * echo-server: the gpu-echo image's WebSocket echo and raw TCP echo.
 *
 *   echo-server [--ws PORT] [--tcp PORT]
 *
 * --ws PORT   HTTP/1.1 on 0.0.0.0:PORT. A request with `Upgrade: websocket` (any path)
 *             gets an RFC 6455 handshake (the first offered Sec-WebSocket-Protocol is
 *             chosen), then every text/binary frame is echoed back frame by frame with
 *             the same opcode and FIN bit (so fragmented messages stay fragmented and
 *             valid), ping gets a pong with the same payload, close gets a close with
 *             the same status code. Unmasked client frames, reserved bits or opcodes and
 *             bad fragmentation close with 1002. Frames are streamed through a 64 KiB
 *             buffer, so any payload size works in constant memory.
 *             Without Upgrade: GET /healthz -> 200 "ok\n"; any other GET or HEAD -> 200
 *             text/plain "echo-server: websocket echo; path=<path>\n" (HTTP/1.1 keep-alive
 *             unless the client says close); other methods or a request body -> 405.
 * --tcp PORT  raw TCP echo on 0.0.0.0:PORT: every byte read is written back until EOF.
 *
 * One process per connection (fork; SIGCHLD ignored, so no zombies; children die with
 * the parent). SIGTERM/SIGINT: close the listeners, end the connections, exit 0.
 * Build: gcc -static -O2 -o echo-server echo-server.c
 */
#define _GNU_SOURCE
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <unistd.h>

#define CHUNK 65536
#define MAX_HEADER 16384

static volatile sig_atomic_t stop_signal;
static void on_stop(int sig) { stop_signal = sig; }

/* ---- I/O: whole reads and writes, retrying on EINTR and partial transfers ---------- */

static int write_all(int fd, const void *p, size_t n) {
  const char *b = p;
  while (n > 0) {
    ssize_t w = write(fd, b, n);
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0) return -1;
    b += w; n -= (size_t)w;
  }
  return 0;
}

/* A connection with the bytes already read past the HTTP header. */
struct conn { int fd; unsigned char buf[CHUNK]; size_t pos, len; };

/* Up to n bytes (at least 1) from the buffer or the socket; 0 on EOF, -1 on error. */
static ssize_t conn_read_some(struct conn *c, void *dst, size_t n) {
  if (c->pos < c->len) {
    size_t k = c->len - c->pos < n ? c->len - c->pos : n;
    memcpy(dst, c->buf + c->pos, k);
    c->pos += k;
    return (ssize_t)k;
  }
  for (;;) {
    ssize_t r = read(c->fd, dst, n);
    if (r < 0 && errno == EINTR) continue;
    return r;
  }
}

static int conn_read_full(struct conn *c, void *dst, size_t n) {
  unsigned char *d = dst;
  while (n > 0) {
    ssize_t r = conn_read_some(c, d, n);
    if (r <= 0) return -1;
    d += r; n -= (size_t)r;
  }
  return 0;
}

/* ---- SHA-1 (FIPS 180-4) and base64, just enough for Sec-WebSocket-Accept ----------- */

#define ROL(x, n) (((x) << (n)) | ((x) >> (32 - (n))))

static void sha1(const unsigned char *msg, size_t len, unsigned char out[20]) {
  uint32_t h[5] = {0x67452301, 0xEFCDAB89, 0x98BADCFE, 0x10325476, 0xC3D2E1F0};
  size_t total = ((len + 8) / 64 + 1) * 64;
  for (size_t off = 0; off < total; off += 64) {
    uint32_t w[80];
    for (int i = 0; i < 16; i++) {
      w[i] = 0;
      for (int j = 0; j < 4; j++) {
        size_t k = off + (size_t)i * 4 + (size_t)j;
        unsigned char byte;
        if (k < len) byte = msg[k];
        else if (k == len) byte = 0x80;
        else if (k >= total - 8) byte = (unsigned char)((uint64_t)len * 8 >> (8 * (total - 1 - k)));
        else byte = 0;
        w[i] = w[i] << 8 | byte;
      }
    }
    for (int i = 16; i < 80; i++) w[i] = ROL(w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16], 1);
    uint32_t a = h[0], b = h[1], c = h[2], d = h[3], e = h[4];
    for (int i = 0; i < 80; i++) {
      uint32_t f, k;
      if (i < 20)      { f = (b & c) | (~b & d);          k = 0x5A827999; }
      else if (i < 40) { f = b ^ c ^ d;                   k = 0x6ED9EBA1; }
      else if (i < 60) { f = (b & c) | (b & d) | (c & d); k = 0x8F1BBCDC; }
      else             { f = b ^ c ^ d;                   k = 0xCA62C1D6; }
      uint32_t t = ROL(a, 5) + f + e + k + w[i];
      e = d; d = c; c = ROL(b, 30); b = a; a = t;
    }
    h[0] += a; h[1] += b; h[2] += c; h[3] += d; h[4] += e;
  }
  for (int i = 0; i < 20; i++) out[i] = (unsigned char)(h[i / 4] >> (24 - 8 * (i % 4)));
}

static void base64(const unsigned char *in, size_t n, char *out) {
  static const char t[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  size_t o = 0;
  for (size_t i = 0; i < n; i += 3) {
    uint32_t v = (uint32_t)in[i] << 16 | (i + 1 < n ? (uint32_t)in[i + 1] << 8 : 0) | (i + 2 < n ? in[i + 2] : 0);
    out[o++] = t[v >> 18 & 63];
    out[o++] = t[v >> 12 & 63];
    out[o++] = i + 1 < n ? t[v >> 6 & 63] : '=';
    out[o++] = i + 2 < n ? t[v & 63] : '=';
  }
  out[o] = 0;
}

/* ---- HTTP ------------------------------------------------------------------------- */

/* The value of header `name` (case-insensitive) in the header block, trimmed, or NULL. */
static const char *header(char *hdrs, const char *name, char *out, size_t outsz) {
  size_t nl = strlen(name);
  for (char *line = hdrs; line && *line; ) {
    char *end = strstr(line, "\r\n");
    size_t ll = end ? (size_t)(end - line) : strlen(line);
    if (ll > nl && strncasecmp(line, name, nl) == 0 && line[nl] == ':') {
      const char *v = line + nl + 1, *ve = line + ll;
      while (v < ve && (*v == ' ' || *v == '\t')) v++;
      while (ve > v && (ve[-1] == ' ' || ve[-1] == '\t')) ve--;
      size_t vl = (size_t)(ve - v) < outsz - 1 ? (size_t)(ve - v) : outsz - 1;
      memcpy(out, v, vl);
      out[vl] = 0;
      return out;
    }
    line = end ? end + 2 : NULL;
  }
  return NULL;
}

/* Does the comma-separated list contain token (case-insensitive)? */
static int has_token(const char *list, const char *token) {
  size_t tl = strlen(token);
  for (const char *p = list; *p; ) {
    while (*p == ' ' || *p == '\t' || *p == ',') p++;
    const char *e = p;
    while (*e && *e != ',') e++;
    const char *te = e;
    while (te > p && (te[-1] == ' ' || te[-1] == '\t')) te--;
    if ((size_t)(te - p) == tl && strncasecmp(p, token, tl) == 0) return 1;
    p = e;
  }
  return 0;
}

/* One write for header and body: two small writes would meet Nagle and delayed ACKs. */
static int http_reply(int fd, const char *status, const char *body, int head_only, int keep_alive) {
  char r[8192];
  int n = snprintf(r, sizeof r, "HTTP/1.1 %s\r\nContent-Type: text/plain; charset=utf-8\r\n"
                   "Content-Length: %zu\r\nConnection: %s\r\n\r\n%s", status, strlen(body),
                   keep_alive ? "keep-alive" : "close", head_only ? "" : body);
  return write_all(fd, r, (size_t)n < sizeof r ? (size_t)n : sizeof r - 1);
}

/* ---- WebSocket ---------------------------------------------------------------------- */

static int ws_send_header(int fd, int fin, int opcode, uint64_t len) {
  unsigned char h[10];
  size_t n = 2;
  h[0] = (unsigned char)((fin ? 0x80 : 0) | opcode);
  if (len < 126) h[1] = (unsigned char)len;
  else if (len <= 0xFFFF) { h[1] = 126; h[2] = (unsigned char)(len >> 8); h[3] = (unsigned char)len; n = 4; }
  else { h[1] = 127; for (int i = 0; i < 8; i++) h[2 + i] = (unsigned char)(len >> (56 - 8 * i)); n = 10; }
  return write_all(fd, h, n);
}

static void ws_close(int fd, unsigned code, const char *why) {
  unsigned char p[2] = {(unsigned char)(code >> 8), (unsigned char)code};
  if (ws_send_header(fd, 1, 8, 2) == 0) write_all(fd, p, 2);
  fprintf(stderr, "echo-server: ws: closing %u (%s)\n", code, why);
}

static void ws_echo(struct conn *c) {
  static unsigned char data[CHUNK];
  int in_message = 0;           /* inside a fragmented text/binary message */
  for (;;) {
    unsigned char h[2], ext[8], mask[4];
    if (conn_read_full(c, h, 2) < 0) return;
    int fin = h[0] & 0x80, rsv = h[0] & 0x70, op = h[0] & 0x0F;
    uint64_t len = h[1] & 0x7F;
    if (len == 126) {
      if (conn_read_full(c, ext, 2) < 0) return;
      len = (uint64_t)ext[0] << 8 | ext[1];
    } else if (len == 127) {
      if (conn_read_full(c, ext, 8) < 0) return;
      len = 0;
      for (int i = 0; i < 8; i++) len = len << 8 | ext[i];
      if (len >> 63) { ws_close(c->fd, 1002, "64-bit length with the top bit set"); return; }
    }
    if (!(h[1] & 0x80)) { ws_close(c->fd, 1002, "unmasked client frame"); return; }
    if (conn_read_full(c, mask, 4) < 0) return;
    if (rsv) { ws_close(c->fd, 1002, "reserved bits set"); return; }
    if (op & 0x8) {                                   /* control frame */
      if (!fin || len > 125) { ws_close(c->fd, 1002, "fragmented or long control frame"); return; }
      if (op != 8 && op != 9 && op != 10) { ws_close(c->fd, 1002, "reserved control opcode"); return; }
      if (conn_read_full(c, data, (size_t)len) < 0) return;
      for (size_t i = 0; i < len; i++) data[i] ^= mask[i & 3];
      if (op == 9) {                                   /* ping -> pong, same payload */
        if (ws_send_header(c->fd, 1, 10, len) < 0 || write_all(c->fd, data, (size_t)len) < 0) return;
      } else if (op == 8) {                            /* close -> close with the same code */
        if (len == 1) { ws_close(c->fd, 1002, "close frame with a 1-byte payload"); return; }
        if (ws_send_header(c->fd, 1, 8, len >= 2 ? 2 : 0) == 0 && len >= 2) write_all(c->fd, data, 2);
        return;
      }
      continue;                                        /* pong: nothing to do */
    }
    if (op == 0 && !in_message) { ws_close(c->fd, 1002, "continuation without a message"); return; }
    if ((op == 1 || op == 2) && in_message) { ws_close(c->fd, 1002, "new message inside a fragmented one"); return; }
    if (op != 0 && op != 1 && op != 2) { ws_close(c->fd, 1002, "reserved data opcode"); return; }
    in_message = !fin;
    /* Echo this frame as is: same FIN and opcode, payload unmasked, streamed. */
    if (ws_send_header(c->fd, fin, op, len) < 0) return;
    uint64_t done = 0;
    while (done < len) {
      size_t want = len - done < CHUNK ? (size_t)(len - done) : CHUNK;
      ssize_t r = conn_read_some(c, data, want);
      if (r <= 0) return;
      for (ssize_t i = 0; i < r; i++) data[i] ^= mask[(done + (uint64_t)i) & 3];
      if (write_all(c->fd, data, (size_t)r) < 0) return;
      done += (uint64_t)r;
    }
  }
}

static void serve_ws(int fd) {
  static struct conn c;
  c.fd = fd; c.pos = c.len = 0;
  for (;;) {                                    /* one request per round: HTTP/1.1 keep-alive */
    char *hdr = (char *)c.buf, *end;
    c.buf[c.len] = 0;                            /* CHUNK > MAX_HEADER: room for the NUL */
    end = strstr(hdr, "\r\n\r\n");              /* a pipelined request may be here already */
    alarm(60);                                  /* a request header must arrive within 60 s */
    while (!end) {
      if (c.len >= MAX_HEADER) { http_reply(fd, "431 Request Header Fields Too Large", "header too large\n", 0, 0); return; }
      ssize_t r = read(fd, c.buf + c.len, MAX_HEADER - c.len);
      if (r < 0 && errno == EINTR) continue;
      if (r <= 0) return;
      c.len += (size_t)r;
      c.buf[c.len] = 0;
      end = strstr(hdr, "\r\n\r\n");
    }
    alarm(0);
    size_t hlen = (size_t)(end - hdr) + 4;
    end[2] = 0;                                 /* the header block ends with one \r\n */
    char method[16], path[4096], key[256], val[1024], proto[1024];
    int major = 0, minor = 0;
    if (sscanf(hdr, "%15s %4095s HTTP/%d.%d", method, path, &major, &minor) != 4) {
      http_reply(fd, "400 Bad Request", "bad request\n", 0, 0);
      return;
    }
    char *fields = strstr(hdr, "\r\n") + 2;
    if (header(fields, "Upgrade", val, sizeof val) && has_token(val, "websocket")) {
      if (!header(fields, "Sec-WebSocket-Key", key, sizeof key) || strcmp(method, "GET") != 0) {
        http_reply(fd, "400 Bad Request", "websocket upgrade needs GET and Sec-WebSocket-Key\n", 0, 0);
        return;
      }
      char kg[512], accept[64], resp[2048];
      unsigned char digest[20];
      snprintf(kg, sizeof kg, "%s258EAFA5-E914-47DA-95CA-C5AB0DC85B11", key);
      sha1((unsigned char *)kg, strlen(kg), digest);
      base64(digest, 20, accept);
      int n = snprintf(resp, sizeof resp, "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n"
                       "Connection: Upgrade\r\nSec-WebSocket-Accept: %s\r\n", accept);
      if (header(fields, "Sec-WebSocket-Protocol", proto, sizeof proto)) {
        size_t pl = strcspn(proto, ", \t");      /* the first offered subprotocol */
        if (pl > 0) n += snprintf(resp + n, sizeof resp - (size_t)n, "Sec-WebSocket-Protocol: %.*s\r\n", (int)pl, proto);
      }
      n += snprintf(resp + n, sizeof resp - (size_t)n, "\r\n");
      if (write_all(fd, resp, (size_t)n) < 0) return;
      fprintf(stderr, "echo-server: ws: upgraded %s\n", path);
      int one = 1;
      setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
      c.pos = hlen;                             /* frames may have come with the header */
      ws_echo(&c);
      return;
    }
    int head = strcmp(method, "HEAD") == 0;
    if ((strcmp(method, "GET") != 0 && !head) || header(fields, "Transfer-Encoding", val, sizeof val)
        || (header(fields, "Content-Length", val, sizeof val) && strcmp(val, "0") != 0)) {
      http_reply(fd, "405 Method Not Allowed", "only GET and HEAD, without a body\n", 0, 0);
      return;
    }
    const char *conn = header(fields, "Connection", val, sizeof val);
    int keep = major > 1 || (major == 1 && minor >= 1) ? !(conn && has_token(conn, "close"))
                                                       : (conn && has_token(conn, "keep-alive"));
    size_t pathlen = strcspn(path, "?");
    char body[4200];
    if (pathlen == 8 && strncmp(path, "/healthz", 8) == 0) snprintf(body, sizeof body, "ok\n");
    else snprintf(body, sizeof body, "echo-server: websocket echo; path=%s\n", path);
    if (http_reply(fd, "200 OK", body, head, keep) < 0 || !keep) return;
    memmove(c.buf, c.buf + hlen, c.len - hlen);   /* keep what followed this request */
    c.len -= hlen;
  }
}

static void serve_tcp(int fd) {
  static char buf[CHUNK];
  for (;;) {
    ssize_t r = read(fd, buf, sizeof buf);
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0 || write_all(fd, buf, (size_t)r) < 0) return;
  }
}

/* ---- main ----------------------------------------------------------------------------- */

static int listen_on(const char *port_arg) {
  char *e;
  long port = strtol(port_arg, &e, 10);
  if (*port_arg == 0 || *e || port < 1 || port > 65535) { fprintf(stderr, "echo-server: bad port '%s'\n", port_arg); exit(2); }
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0), one = 1;
  struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port), .sin_addr.s_addr = htonl(INADDR_ANY)};
  setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  if (fd < 0 || bind(fd, (struct sockaddr *)&a, sizeof a) < 0 || listen(fd, 128) < 0) {
    fprintf(stderr, "echo-server: cannot listen on 0.0.0.0:%ld: %s\n", port, strerror(errno));
    exit(1);
  }
  return fd;
}

int main(int argc, char **argv) {
  struct pollfd fds[2];
  int kinds[2], nfds = 0;                       /* kind 0: ws, 1: tcp */
  for (int i = 1; i < argc; i++) {
    int kind = strcmp(argv[i], "--ws") == 0 ? 0 : strcmp(argv[i], "--tcp") == 0 ? 1 : -1;
    if (kind < 0 || i + 1 >= argc || nfds == 2) {
      fprintf(stderr, "usage: echo-server [--ws PORT] [--tcp PORT]\n");
      return 2;
    }
    kinds[nfds] = kind;
    fds[nfds].fd = listen_on(argv[++i]);
    fds[nfds++].events = POLLIN;
    printf("echo-server: %s on 0.0.0.0:%s\n", kind ? "tcp echo" : "websocket echo (http)", argv[i]);
  }
  if (nfds == 0) { fprintf(stderr, "usage: echo-server [--ws PORT] [--tcp PORT]\n"); return 2; }
  fflush(stdout);

  struct sigaction sa = {0};
  sa.sa_handler = on_stop;                      /* no SA_RESTART: poll returns EINTR */
  sigaction(SIGTERM, &sa, NULL);
  sigaction(SIGINT, &sa, NULL);
  signal(SIGCHLD, SIG_IGN);                     /* children are reaped by the kernel */
  signal(SIGPIPE, SIG_IGN);
  pid_t parent = getpid();

  while (!stop_signal) {
    if (poll(fds, (nfds_t)nfds, -1) < 0) {
      if (errno == EINTR) continue;
      perror("echo-server: poll");
      return 1;
    }
    for (int i = 0; i < nfds && !stop_signal; i++) {
      if (!(fds[i].revents & POLLIN)) continue;
      int fd = accept4(fds[i].fd, NULL, NULL, SOCK_CLOEXEC);
      if (fd < 0) continue;                     /* EINTR, ECONNABORTED, EMFILE: try again */
      pid_t pid = fork();
      if (pid == 0) {
        prctl(PR_SET_PDEATHSIG, SIGKILL);        /* die with the server */
        if (getppid() != parent) _exit(0);
        for (int j = 0; j < nfds; j++) close(fds[j].fd);
        signal(SIGTERM, SIG_DFL);
        signal(SIGINT, SIG_DFL);
        signal(SIGCHLD, SIG_DFL);
        if (kinds[i] == 0) serve_ws(fd); else serve_tcp(fd);
        shutdown(fd, SHUT_WR);
        close(fd);
        _exit(0);
      }
      close(fd);
    }
  }
  /* Stop: the connection processes get SIGKILL when this one exits (PR_SET_PDEATHSIG). */
  for (int j = 0; j < nfds; j++) close(fds[j].fd);
  fprintf(stderr, "echo-server: stopping on signal %d\n", (int)stop_signal);
  return 0;
}
