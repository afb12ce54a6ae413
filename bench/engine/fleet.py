#!/usr/bin/env python3
"""The fleet benchmark's scenario, its per-sync measurement and its summary table
(bench/engine/run-fleet-bench.sh; columns explained in docs/BENCH.md, "A fleet on one key")."""
import json
import statistics
import sys

CIO_RATE = 10.0  # Customer.io App API requests per second (the sandbox enforces it)


def scenario(mappings, members, churn, merged):
    mappings, members = int(mappings), int(members)
    moved = int(round(members * float(churn)))
    return {
        "seed": 1717,
        "customerio": {"app_api_key": "fleet-key", "identifiers": "email",
                       "last_page_next": "absent", "rate_limit_per_second": 10},
        "mixpanel": {
            "project_token": "fleet-token", "project_id": 42,
            "service_account": "fleet-sa:fleet-secret",
            "existing_profile_share": 0.9, "existing_profile_key": "cio_id",
            "query_limit_per_hour": 60,
            "cohorts": [{"id": i, "name": f"Fleet {i}", "property": "cio_cohorts",
                         "value": f"Fleet {i}"} for i in range(1, mappings + 1)],
        },
        # Merged people leave every segment on the first tick: exits the exit check finds.
        "population": {"size": mappings * members // 2 + members,
                       "anomalies": {"merged": float(merged)}},
        "segments": [{"id": i, "name": f"Fleet {i}", "size": members,
                      "churn": {"entered": moved, "exited": moved}}
                     for i in range(1, mappings + 1)],
    }


def longest_gap(times):
    times = sorted(times)
    return max((b - a for a, b in zip(times, times[1:])), default=0)


def collect(tag, d, t0, t1, mappings, members, load):
    runs = json.load(open(f"{d}/{tag}.json"))
    log = json.load(open(f"{d}/{tag}.stats.json"))["log"]
    cio = [e for e in log if e["route"].startswith("cio.")]
    times = [e["t_ms"] for e in cio]
    queries = [e for e in log if e["route"].startswith("mp.query")]
    wall = float(t1) - float(t0)
    bound = max(0, len(cio) - 1) / CIO_RATE
    first, last = (min(times), max(times)) if times else (0, 0)
    checked = sum(r.get("exits_checked", 0) for r in runs)
    exits = sum(r.get("exited", 0) for r in runs)
    sampled = sum(1 for r in runs if r.get("exit_check", {}).get("sampled"))
    verified = sum(r.get("verification", {}).get("verified", 0) for r in runs)
    status = {}
    try:
        status = json.load(open(f"{d}/{tag}.status.json"))
    except (OSError, ValueError):
        pass
    rec = {
        "tag": tag, "mappings": int(mappings), "members": int(members), "load": load,
        "succeeded": sum(1 for r in runs if r.get("status") == "succeeded"), "runs": len(runs),
        "wall_s": wall, "cio_requests": len(cio),
        "segment_reads": sum(1 for e in cio if e["route"] == "cio.segment"),
        "pages": sum(1 for e in cio if e["route"] == "cio.membership"),
        "lookups": sum(1 for e in cio if e["route"] == "cio.customer_attributes"),
        "http429": sum(1 for e in cio if e.get("status") == 429),
        "bound_s": bound, "cio_span_s": (last - first) / 1000.0,
        "longest_gap_ms": longest_gap(times),
        "queries": len(queries),
        "query_routes": {r: sum(1 for e in queries if e["route"] == r)
                         for r in sorted({e["route"] for e in queries})},
        "exits": exits, "exits_checked": checked, "runs_sampled": sampled,
        "keys_verified": verified,
        "query_budget": status.get("query_budget"),
    }
    print(json.dumps(rec))


def summary(path):
    rows = [json.loads(line) for line in open(path) if line.strip()]
    print("| sync | mappings × members | runs ok | Customer.io requests (reads + pages + lookups) "
          "| 429 | seconds | bound s | ratio | longest gap ms | exits checked | queries |")
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    for tag in ("first", "churn"):
        rs = [r for r in rows if r["tag"] == tag]
        if not rs:
            continue

        def span(key, fmt="{:.1f}"):
            vals = sorted(r[key] for r in rs)
            lo, hi = fmt.format(vals[0]), fmt.format(vals[-1])
            return lo if lo == hi else f"{lo}–{hi}"

        r0 = rs[0]
        ratios = sorted(r["wall_s"] / r["bound_s"] for r in rs if r["bound_s"] > 0)
        ratio = f"{ratios[0]:.2f}–{ratios[-1]:.2f}" if ratios else "–"
        print(f"| {tag} | {r0['mappings']} × {r0['members']:,} | {span('succeeded', '{}')}/{r0['runs']} "
              f"| {span('cio_requests', '{}')} ({span('segment_reads', '{}')} + {span('pages', '{}')} + "
              f"{span('lookups', '{}')}) | {span('http429', '{}')} | {span('wall_s')} | {span('bound_s')} "
              f"| {ratio} | {span('longest_gap_ms', '{}')} | {span('exits_checked', '{}')} of "
              f"{span('exits', '{}')} | {span('queries', '{}')} |")


if __name__ == "__main__":
    cmd = sys.argv[1]
    if cmd == "scenario":
        print(json.dumps(scenario(*sys.argv[2:6]), indent=1))
    elif cmd == "collect":
        collect(*sys.argv[2:9])
    elif cmd == "summary":
        summary(sys.argv[2])
    else:
        sys.exit(f"unknown command {cmd}")
