"""A small batch training job that really trains, checkpoints and resumes.

Why it exists: the platform's catalog needs a batch job (`mode: job`) whose run a test can
kill midway and resume, whose exit status means something, and whose TensorBoard events
another app (examples/tensorboard) can show. It trains a two-layer perceptron with numpy on
a deterministic synthetic data set (two interleaved spirals), on CPU, in seconds.

Layout on the output volume (the manifest mounts it at /data):

    checkpoints/<run>/latest.npz   the newest checkpoint (weights and step)
    runs/<run>/events.out.tfevents.*   TensorBoard scalars: loss, accuracy, learning rate

A checkpoint is written to a temporary file, flushed to disk and renamed over latest.npz,
so a kill at any instant leaves either the previous or the new checkpoint, never half of
one. On start the job loads latest.npz when it exists and prints `resumed from step K`.
The mini-batch of step s is drawn from a generator seeded with (seed, s), so a resumed run
computes exactly what an uninterrupted one would. With --status-port (the manifest passes
the port of its `status` endpoint) GET / answers the progress as JSON.

Exit status: 0 when all steps ran; 2 for bad arguments; 143 on SIGTERM (the platform's
stop); 1 on any other error (an unreadable checkpoint, a full volume).
"""

import argparse
import os
import signal
import sys
import time

import numpy as np


def parse_args(argv):
    """The job's knobs; each also reads an environment variable so a manifest can set either."""
    env = os.environ.get
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--steps", type=int, default=int(env("TRAIN_STEPS", "1000")), help="total optimizer steps")
    p.add_argument("--checkpoint-every", type=int, default=int(env("TRAIN_CHECKPOINT_EVERY", "50")),
                   help="write a checkpoint every N steps (and after the last)")
    p.add_argument("--step-delay-ms", type=int, default=int(env("TRAIN_STEP_DELAY_MS", "0")),
                   help="milliseconds to sleep after each step, so a test can stop the job midway")
    p.add_argument("--output", default=env("TRAIN_OUTPUT", "/data"), help="the persistent volume")
    p.add_argument("--run-name", default=env("TRAIN_RUN_NAME", "spirals"), help="names runs/<run> and checkpoints/<run>")
    p.add_argument("--status-port", type=int, default=int(env("PORT_STATUS", "0")),
                   help="serve the progress as JSON on this port (GET /); 0: no server")
    p.add_argument("--seed", type=int, default=int(env("TRAIN_SEED", "7")))
    p.add_argument("--hidden", type=int, default=64)
    p.add_argument("--batch", type=int, default=64)
    p.add_argument("--learning-rate", type=float, default=1.0)
    a = p.parse_args(argv)
    if a.steps < 1 or a.checkpoint_every < 1 or a.step_delay_ms < 0 or a.hidden < 1 or a.batch < 1:
        p.error("--steps, --checkpoint-every, --hidden and --batch must be positive and --step-delay-ms not negative")
    if not a.run_name or "/" in a.run_name or a.run_name.startswith("."):
        p.error(f"--run-name {a.run_name!r} must be one path component")
    return a


def spirals(seed, points=512):
    """Two interleaved spirals in the plane, labelled 0 and 1: not linearly separable."""
    rng = np.random.default_rng(seed)
    t = np.sqrt(rng.uniform(0.0, 1.0, points)) * 3.0 * np.pi
    arms = [np.stack([t * np.cos(t + k * np.pi), t * np.sin(t + k * np.pi)], axis=1) for k in (0, 1)]
    x = np.concatenate(arms) / (3.0 * np.pi) + rng.normal(0.0, 0.02, (2 * points, 2))
    y = np.concatenate([np.zeros(points, dtype=np.int64), np.ones(points, dtype=np.int64)])
    return x.astype(np.float64), y


def init_params(seed, hidden):
    rng = np.random.default_rng(seed + 1)
    return {
        "w1": rng.normal(0.0, 1.0, (2, hidden)), "b1": np.zeros(hidden),
        "w2": rng.normal(0.0, 1.0 / np.sqrt(hidden), (hidden, 2)), "b2": np.zeros(2),
    }


def forward(params, x):
    h = np.tanh(x @ params["w1"] + params["b1"])
    logits = h @ params["w2"] + params["b2"]
    logits -= logits.max(axis=1, keepdims=True)
    p = np.exp(logits)
    return h, p / p.sum(axis=1, keepdims=True)


def step_once(params, x, y, lr):
    """One SGD step of softmax cross-entropy; returns the batch loss before the update."""
    h, p = forward(params, x)
    n = len(y)
    loss = float(-np.log(p[np.arange(n), y] + 1e-12).mean())
    d = p.copy()
    d[np.arange(n), y] -= 1.0
    d /= n
    grads = {"w2": h.T @ d, "b2": d.sum(axis=0)}
    dh = (d @ params["w2"].T) * (1.0 - h * h)
    grads["w1"], grads["b1"] = x.T @ dh, dh.sum(axis=0)
    for k in params:
        params[k] -= lr * grads[k]
    return loss


def accuracy(params, x, y):
    return float((forward(params, x)[1].argmax(axis=1) == y).mean())


def save_checkpoint(path, params, step):
    """Atomic: a temporary file in the same folder, fsync'd, renamed over `path`, folder fsync'd."""
    folder = os.path.dirname(path)
    tmp = os.path.join(folder, f".latest.{os.getpid()}.tmp.npz")
    with open(tmp, "wb") as f:
        np.savez(f, step=np.int64(step), **params)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def load_checkpoint(path):
    with np.load(path) as data:
        return int(data["step"]), {k: data[k].copy() for k in ("w1", "b1", "w2", "b2")}


class Progress:
    """What the status endpoint reports; written by the training loop, read by the server thread."""

    def __init__(self, run, steps):
        self.state = {"run": run, "steps": steps, "step": 0, "loss": None, "accuracy": None, "resumedFrom": None}

    def serve(self, port):
        """GET / answers the progress as JSON, so a user can watch the job through a connect action."""
        import json
        import threading
        from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

        progress = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                body = json.dumps(progress.state).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        server = ThreadingHTTPServer(("0.0.0.0", port), Handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()


def say(message):
    print(message, flush=True)


def main(argv):
    args = parse_args(argv)
    # The platform stops a job with SIGTERM: leave through SystemExit so the event writer
    # is flushed and closed; the last checkpoint is already whole on disk.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    from tensorboardX import SummaryWriter  # imported late: --help works without it

    ckpt_dir = os.path.join(args.output, "checkpoints", args.run_name)
    log_dir = os.path.join(args.output, "runs", args.run_name)
    os.makedirs(ckpt_dir, exist_ok=True)
    os.makedirs(log_dir, exist_ok=True)
    latest = os.path.join(ckpt_dir, "latest.npz")

    x, y = spirals(args.seed)
    progress = Progress(args.run_name, args.steps)
    if args.status_port:
        progress.serve(args.status_port)
    if os.path.exists(latest):
        start, params = load_checkpoint(latest)
        if params["w1"].shape[1] != args.hidden:
            raise SystemExit(f"error: checkpoint {latest} has {params['w1'].shape[1]} hidden units, not {args.hidden}")
        progress.state["resumedFrom"] = start
        say(f"resumed from step {start} ({latest})")
    else:
        start, params = 0, init_params(args.seed, args.hidden)
        say(f"starting run {args.run_name} from step 0")
    if start >= args.steps:
        say(f"done: already at step {start} of {args.steps}, accuracy {accuracy(params, x, y):.3f}")
        return 0

    # purge_step writes a SessionLog START at start + 1 (the first step this run computes) into
    # each new event file; TensorBoard treats every START after a run's first as a restart and
    # drops the events at or past its step: what a stopped run wrote after its last checkpoint.
    # So a fresh run writes one too.
    writer = SummaryWriter(logdir=log_dir, purge_step=start + 1, flush_secs=1)
    began = time.monotonic()
    try:
        for step in range(start + 1, args.steps + 1):
            batch = np.random.default_rng([args.seed, step]).choice(len(y), args.batch, replace=False)
            lr = args.learning_rate * (0.5 if step > args.steps * 0.7 else 1.0)
            loss = step_once(params, x[batch], y[batch], lr)
            writer.add_scalar("train/loss", loss, step)
            writer.add_scalar("train/learning_rate", lr, step)
            progress.state.update(step=step, loss=loss)
            if step % 10 == 0 or step == args.steps:
                acc = accuracy(params, x, y)
                writer.add_scalar("train/accuracy", acc, step)
                progress.state["accuracy"] = acc
                say(f"step {step}/{args.steps} loss {loss:.4f} accuracy {acc:.3f}")
            if step % args.checkpoint_every == 0 or step == args.steps:
                writer.flush()
                save_checkpoint(latest, params, step)
                say(f"checkpoint step {step} -> {latest}")
            if args.step_delay_ms:
                time.sleep(args.step_delay_ms / 1000)
    finally:
        writer.close()
    say(f"done: {args.steps} steps ({args.steps - start} this run) in {time.monotonic() - began:.1f} s, "
        f"accuracy {accuracy(params, x, y):.3f}")
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv[1:]))
    except (OSError, ValueError, KeyError) as error:
        print(f"error: {error}", file=sys.stderr, flush=True)
        sys.exit(1)
