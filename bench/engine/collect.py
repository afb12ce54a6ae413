#!/usr/bin/env python3
"""Turns one measurement (GNU time output, lockstep's --json, the sandbox's request log)
into a JSON line, and a results file into the summary table (medians over repetitions).
Definitions are in docs/BENCH.md ("Lower bound")."""
import json
import re
import statistics
import sys
from collections import defaultdict

CIO_RATE = 10.0  # Customer.io App API requests per second (the sandbox enforces it)


def gnu_time(path):
    t = open(path).read()

    def num(label):
        m = re.search(re.escape(label) + r":\s*([0-9.]+)", t)
        return float(m.group(1)) if m else 0.0

    wall = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): ([0-9:.]+)", t).group(1)
    secs = 0.0
    for part in wall.split(":"):
        secs = secs * 60 + float(part)
    return {"wall_s": secs, "user_s": num("User time (seconds)"), "sys_s": num("System time (seconds)"),
            "max_rss_kb": num("Maximum resident set size (kbytes)")}


def sync(tag, d, sbx0, sbx1, concurrency, load):
    t = gnu_time(f"{d}/{tag}.time")
    runs = json.load(open(f"{d}/{tag}.json"))
    run = runs[0]
    stats = json.load(open(f"{d}/{tag}.stats.json"))
    log = stats["log"]
    by = defaultdict(list)
    for e in log:
        by[e["route"]].append(e)
    cio = by["cio.segment"] + by["cio.membership"]
    pages = len(by["cio.membership"])
    # The checks a run makes besides reading and sending: exits looked up in Customer.io
    # (same bucket as the pages) and Mixpanel queries (holders of a full resync, the
    # verification of entered keys), one at a time.
    lookups = len(by["cio.customer_attributes"])
    queries = [e for e in log if e["route"].startswith("mp.query")]
    query_s = sum(e["duration_ms"] for e in queries) / 1000.0
    engage = by["mp.engage"]
    batches = len(engage)
    engage_ms = [e["duration_ms"] for e in engage]
    per_batch_ms = statistics.mean(engage_ms) if engage_ms else 0.0
    concurrency = int(concurrency)
    # The lower bound the limits impose (docs/BENCH.md): the Customer.io token bucket
    # (first request free, then one per 1/rate s) plus the batches, `concurrency` at a
    # time, each taking the sandbox's measured service time.
    read_bound = max(0, len(cio) - 1) / CIO_RATE
    send_bound = batches / concurrency * per_batch_ms / 1000.0
    # The engine sends while it still reads, so the limits also allow the two to overlap:
    # a tighter bound, the larger of the two phases.
    send_serial = sum(engage_ms) / 1000.0
    members = run.get("segment_count", 0)
    phases = {}
    if by["cio.membership"]:
        phases["read_s"] = (by["cio.membership"][-1]["t_ms"] - cio[0]["t_ms"]) / 1000.0
    if engage:
        first_engage = engage[0]["t_ms"]
        # Negative: the first batch left before the last page was read (streaming).
        phases["plan_gap_s"] = (first_engage - by["cio.membership"][-1]["t_ms"]) / 1000.0 if pages else 0
        # Last page -> last reply: what the run adds after the rate-limited read.
        phases["tail_s"] = (engage[-1]["t_ms"] + engage[-1]["duration_ms"]
                            - by["cio.membership"][-1]["t_ms"]) / 1000.0 if pages else 0
        phases["send_s"] = (engage[-1]["t_ms"] + engage[-1]["duration_ms"] - first_engage) / 1000.0
    rec = {
        "kind": "sync", "tag": tag, "dir": d, "status": run.get("status"), "members": members,
        "entered": run.get("entered"), "exited": run.get("exited"), "mismatched": run.get("mismatched"),
        "api_calls": run.get("api_calls"), "run_duration_ms": run.get("duration_ms"),
        "wall_s": t["wall_s"], "cpu_s": t["user_s"] + t["sys_s"], "user_s": t["user_s"], "sys_s": t["sys_s"],
        "max_rss_kb": t["max_rss_kb"], "cio_requests": len(cio), "pages": pages, "batches": batches,
        "per_batch_ms": per_batch_ms, "concurrency": concurrency,
        "bound_s": read_bound + send_bound, "bound_serial_s": read_bound + send_serial,
        "lookups": lookups, "queries": len(queries), "query_s": query_s,
        "bound_checks_s": read_bound + lookups / CIO_RATE + send_bound + query_s,
        "bound_overlap_s": max(read_bound, send_bound),
        "sandbox_busy_s": sum(e["duration_ms"] for e in log) / 1000.0,
        "sandbox_cpu_s": float(sbx1) - float(sbx0), "http429": sum(
            v.get("statuses", {}).get("429", 0) for v in stats["routes"].values()),
        "load": load, **phases,
    }
    print(json.dumps(rec))


def node(d, sbx0, sbx1, load):
    t = gnu_time(f"{d}/node.time")
    n = json.load(open(f"{d}/node.json"))
    stats = json.load(open(f"{d}/node.stats.json"))
    print(json.dumps({"kind": "node", "dir": d, **n, "node_cpu_s": t["user_s"] + t["sys_s"],
                      "node_max_rss_kb": t["max_rss_kb"], "sandbox_cpu_s": float(sbx1) - float(sbx0),
                      "accepted": stats["engage"]["accepted"], "load": load}))


def baseline(path):
    t = gnu_time(path)
    print(json.dumps({"kind": "baseline", **t}))


def med(xs):
    xs = [x for x in xs if x is not None]
    return statistics.median(xs) if xs else float("nan")


def summary(path):
    recs = [json.loads(l) for l in open(path) if l.strip()]
    base = next((r for r in recs if r["kind"] == "baseline"), {"max_rss_kb": 0})
    base_kb = base["max_rss_kb"]
    groups = defaultdict(list)
    for r in recs:
        if r["kind"] == "sync":
            # steady3-email, steady4-email... (--steady N) make one row: steady-email
            groups[re.sub(r"^steady\d+-", "steady-", r["tag"])].append(r)
    nodes = [r for r in recs if r["kind"] == "node"]
    out = []
    counts = sorted({len(g) for g in groups.values()})
    out.append(f"Runs per row: {' or '.join(str(c) for c in counts)} (medians; a steady row pools its repetitions' runs). "
               f"Baseline RSS (`lockstep --version`): {base_kb / 1024:.1f} MiB.\n")
    out.append("| run | members | entered/exited | pages | batches | exit lookups | queries | wall s | "
               "lower bound L s | ratio | L with checks s | ratio | "
               "overlapped bound s | ratio | CPU s / 1M | peak RSS MiB | RSS B/member (excl. baseline) | "
               "sandbox CPU s | statuses |")
    out.append("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    for tag, g in groups.items():
        m = med([r["members"] for r in g])
        wall = med([r["run_duration_ms"] / 1000.0 for r in g])
        bound = med([r["bound_s"] for r in g])
        serial = med([r.get("bound_overlap_s") for r in g])
        cpu = med([r["cpu_s"] for r in g])
        rss = med([r["max_rss_kb"] for r in g])
        checks = med([r.get("bound_checks_s", r["bound_s"]) for r in g])
        out.append(
            f"| {tag} | {m:.0f} | {med([r['entered'] for r in g]):.0f}/{med([r['exited'] for r in g]):.0f} | "
            f"{med([r['pages'] for r in g]):.0f} | {med([r['batches'] for r in g]):.0f} | "
            f"{med([r.get('lookups', 0) for r in g]):.0f} | {med([r.get('queries', 0) for r in g]):.0f} | {wall:.2f} | "
            f"{bound:.2f} | {wall / bound:.2f} | {checks:.2f} | {wall / checks:.2f} | "
            f"{serial:.2f} | {wall / serial:.2f} | "
            f"{cpu / m * 1e6:.2f} | {rss / 1024:.0f} | {(rss - base_kb) * 1024 / m:.0f} | "
            f"{med([r['sandbox_cpu_s'] for r in g]):.2f} | "
            f"{','.join(sorted(set(r['status'] for r in g)))} |")
    spread = [(tag, g) for tag, g in groups.items() if len(g) > 1]
    if spread:
        out.append("")
        out.append("Spread (every run of a row): " + "; ".join(
            f"{tag} {min(r['run_duration_ms'] for r in g) / 1000:.2f}–{max(r['run_duration_ms'] for r in g) / 1000:.2f} s, "
            f"ratio {min(r['run_duration_ms'] / 1000 / r['bound_s'] for r in g):.2f}–"
            f"{max(r['run_duration_ms'] / 1000 / r['bound_s'] for r in g):.2f}" for tag, g in spread) + ".")
    out.append("")
    out.append("| run | read s (first→last page) | first batch − last page s (negative: overlap) | "
               "last page → last reply s | send s | "
               "per-batch service ms | sandbox busy s (Σ duration_ms) | load (1/5/15 min) |")
    out.append("|---|---|---|---|---|---|---|---|")
    for tag, g in groups.items():
        out.append(f"| {tag} | {med([r.get('read_s') for r in g]):.2f} | {med([r.get('plan_gap_s') for r in g]):.2f} | "
                   f"{med([r.get('tail_s') for r in g]):.2f} | "
                   f"{med([r.get('send_s') for r in g]):.2f} | {med([r['per_batch_ms'] for r in g]):.1f} | "
                   f"{med([r['sandbox_busy_s'] for r in g]):.2f} | {' ; '.join(r['load'] for r in g)} |")
    if nodes:
        rate = med([n["updates_per_second"] for n in nodes])
        init = groups.get("initial-cio_id", [])
        node_1m = 1e6 / rate
        out.append("")
        out.append(f"Node `mixpanel` library: {nodes[0]['updates']} updates a repetition, "
                   f"{nodes[0]['concurrency']} in flight: median {rate:.0f} updates/s "
                   f"(node CPU {med([n['node_cpu_s'] for n in nodes]):.1f} s, sandbox CPU "
                   f"{med([n['sandbox_cpu_s'] for n in nodes]):.1f} s for the sample) → "
                   f"{node_1m:.0f} s extrapolated to 1M.")
        if init:
            wall = med([r["run_duration_ms"] / 1000.0 for r in init])
            out.append(f"Lockstep initial 1M (cio_id): {wall:.1f} s → Node / Lockstep = {node_1m / wall:.1f}×.")
    print("\n".join(out))


if __name__ == "__main__":
    cmd = sys.argv[1]
    if cmd == "sync":
        sync(*sys.argv[2:8])
    elif cmd == "node":
        node(*sys.argv[2:6])
    elif cmd == "baseline":
        baseline(sys.argv[2])
    elif cmd == "summary":
        summary(sys.argv[2])
