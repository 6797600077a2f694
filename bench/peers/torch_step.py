#!/usr/bin/env python3
"""torch_step.py - the PyTorch peer: one full-batch training step of the
2-layer ReLU net N(x) = sum_j v_j relu(w_j . x + b_j) in double precision
(forward, mean logistic loss, backward by autograd, plain GD update), timed
per case and written as Google Benchmark JSON, so that compare.py and the
reluvet report read it like the C benchmarks.

`reluvet bench` runs it with the harness shapes, the case names and the
cost model's flop counts (C is the one source of truth for both):

    torch_step.py --out FILE [--min-time S] [--repetitions R] [--seed N]
                  --case NAME N D M THREADS FLOPS [--case ...]

Times follow the C benchmarks: CPU time at 1 thread, wall-clock above. The
rate counter GFLOP/s divides FLOPS by that time. Exit status: 0 ok, 2 usage,
3 torch cannot be imported (the peer is optional).
"""
import argparse
import datetime
import json
import os
import platform
import statistics
import sys
import time


def parse_args():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", required=True, help="JSON file to write")
    ap.add_argument("--min-time", type=float, default=0.1,
                    help="seconds each repetition runs at least (default 0.1)")
    ap.add_argument("--repetitions", type=int, default=3, help="default 3; median reported")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--case", nargs=6, action="append", required=True,
                    metavar=("NAME", "N", "D", "M", "THREADS", "FLOPS"))
    a = ap.parse_args()
    if a.min_time <= 0 or a.repetitions < 1:
        ap.error("--min-time must be > 0 and --repetitions >= 1")
    cases = []
    for name, n, d, m, t, flops in a.case:
        try:
            c = dict(name=name, n=int(n), d=int(d), m=int(m), threads=int(t), flops=float(flops))
        except ValueError:
            ap.error(f"--case {name}: N D M THREADS must be integers and FLOPS a number")
        if min(c["n"], c["d"], c["m"], c["threads"]) < 1:
            ap.error(f"--case {name}: N D M THREADS must be >= 1")
        cases.append(c)
    return a, cases


def make_step(torch, n, d, m, seed):
    """The training step on fresh data and parameters, as a closure."""
    g = torch.Generator().manual_seed(seed)
    f64 = torch.float64

    def uniform(*shape, scale=1.0):
        return (torch.rand(*shape, generator=g, dtype=f64) * 2 - 1) * scale

    X = uniform(n, d, scale=1.0 / d if d > 1 else 1.0)
    y = torch.where(torch.rand(n, generator=g, dtype=f64) < 0.5, -1.0, 1.0).to(f64)
    W = uniform(m, d).requires_grad_()
    b = uniform(m).requires_grad_()
    v = uniform(m).requires_grad_()
    params, lr = (W, b, v), 1e-3

    def step():
        o = torch.relu(torch.addmm(b, X, W.t())) @ v
        loss = torch.nn.functional.softplus(-y * o).mean()
        loss.backward()
        with torch.no_grad():
            for p in params:
                p -= lr * p.grad
                p.grad = None

    return step


def time_case(torch, c, min_time, repetitions, seed):
    """Per repetition: (iterations, wall seconds, CPU seconds)."""
    torch.set_num_threads(c["threads"])
    step = make_step(torch, c["n"], c["d"], c["m"], seed)
    for _ in range(10):  # warm-up: allocator, thread pool, caches
        step()
    runs = []
    for _ in range(repetitions):
        iters, w0, c0 = 0, time.perf_counter(), time.process_time()
        while True:
            step()
            iters += 1
            wall = time.perf_counter() - w0
            if wall >= min_time:
                break
        runs.append((iters, wall, time.process_time() - c0))
    return runs


def entry(c, torch_version, run_type, iters, wall, cpu, **extra):
    seconds = cpu if c["threads"] == 1 else wall
    e = {
        "name": c["name"], "run_name": c["name"], "run_type": run_type,
        "threads": 1, "iterations": iters,
        "real_time": wall / iters * 1e6, "cpu_time": cpu / iters * 1e6, "time_unit": "us",
        "GFLOP/s": c["flops"] * iters / seconds * 1e-9,
        "n": c["n"], "d": c["d"], "m": c["m"], "nthreads": c["threads"],
        "flops": c["flops"],
        "label": f"PyTorch {torch_version} float64, autograd, threads={c['threads']}",
    }
    e.update(extra)
    return e


def main():
    args, cases = parse_args()
    try:
        import torch
    except ImportError as err:
        print(f"torch_step.py: PyTorch is not available ({err})", file=sys.stderr)
        return 3
    out = []
    for c in cases:
        runs = time_case(torch, c, args.min_time, args.repetitions, args.seed)
        reps = len(runs)
        for i, (iters, wall, cpu) in enumerate(runs):
            out.append(entry(c, torch.__version__, "iteration", iters, wall, cpu,
                             repetitions=reps, repetition_index=i))
        if reps > 1:
            per_wall = [w / k for k, w, _ in runs]
            per_cpu = [p / k for k, _, p in runs]
            for agg, fn in (("mean", statistics.mean), ("median", statistics.median)):
                e = entry(c, torch.__version__, "aggregate", 1, fn(per_wall), fn(per_cpu),
                          repetitions=reps, aggregate_name=agg)
                e["name"] = c["name"] + "_" + agg
                out.append(e)
    doc = {
        "context": {
            "date": datetime.datetime.now().astimezone().isoformat(timespec="seconds"),
            "host_name": platform.node(),
            "executable": os.path.abspath(__file__),
            "num_cpus": os.cpu_count(),
            "library_build_type": "release",
            "reluvet_peer": f"PyTorch {torch.__version__} (Python {platform.python_version()})",
            "reluvet_seed": str(args.seed),
            "reluvet_timing": "CPU time at 1 thread, wall-clock time at more",
        },
        "benchmarks": out,
    }
    with open(args.out, "w", encoding="utf-8") as f:
        json.dump(doc, f, indent=2)
        f.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
