#!/usr/bin/env python3
"""Summarizes one run of load-tests/run.sh: python3 summarize.py OUT "ARGS" CLK_TCK.

Reads what run.sh left in OUT (Gatling's HTML report, the cross-user figures, the server's
/metrics at the plateau's start and end, the CPU and memory samples, heap after a full GC) and
prints the figures BENCHMARKS.md asks for, one per line.
"""
import csv
import html
import re
import sys
from pathlib import Path

out = Path(sys.argv[1])
args = sys.argv[2]
clk_tck = int(sys.argv[3])

REQUESTS = ["register", "join", "move", "speak", "emote", "perceive", "leave",
            "own chats came back", "first frame"]
COLUMNS = ["total", "ok", "ko", "ko_percent", "per_second", "min", "p50", "p75", "p95", "p99",
           "max", "mean", "std"]


def gatling_table():
    """Per request name, Gatling's statistics from its report's table."""
    index = out / "gatling-report" / "index.html"
    if not index.exists():
        return {}
    text = index.read_text()
    rows = {}
    for match in re.finditer(r'class="ellipsed-name">([^<]*)</span>(.*?)</tr>', text, re.S):
        name = html.unescape(match.group(1))
        values = re.findall(r'<td class="value [^"]*">([^<]*)</td>', match.group(2))
        if len(values) == len(COLUMNS):
            rows.setdefault(name, dict(zip(COLUMNS, values)))
    return rows


def metrics(name):
    """Prometheus text as {series: value}."""
    path = out / name
    series = {}
    if path.exists():
        for line in path.read_text().splitlines():
            if line and not line.startswith("#"):
                key, _, value = line.rpartition(" ")
                try:
                    series[key] = float(value)
                except ValueError:
                    pass
    return series


def total(series, prefix):
    return sum(v for k, v in series.items() if k.split("{")[0] == prefix)


def plateau(name):
    path = out / name
    if not path.exists():
        return None
    seconds, ticks, rss = path.read_text().split()
    return int(seconds), int(ticks), int(rss)


def tick_p99(start, end):
    """p99 of tick duration over the plateau, from the histogram's buckets (upper bound)."""
    buckets = {}
    for key, value in end.items():
        if key.startswith("clawbots_tick_duration_seconds_bucket"):
            le = re.search(r'le="([^"]+)"', key).group(1)
            buckets[le] = buckets.get(le, 0) + value - start.get(key, 0)
    ordered = sorted(((float("inf") if le == "+Inf" else float(le), n) for le, n in buckets.items()))
    count = ordered[-1][1] if ordered else 0
    for bound, n in ordered:
        if count and n >= 0.99 * count:
            return bound
    return None


print(f"run: {args}")
print(f"results: {out}")
table = gatling_table()
for name in REQUESTS:
    row = table.get(name)
    if row:
        print(f"{name}: count={row['total']} ko={row['ko']} p50={row['p50']} ms "
              f"p95={row['p95']} ms p99={row['p99']} ms max={row['max']} ms")
if "All Requests" in table:
    row = table["All Requests"]
    print(f"all requests: count={row['total']} ko={row['ko']} ({row['ko_percent']}%)")

figures = out / "figures.txt"
if figures.exists():
    for line in figures.read_text().splitlines():
        print(line)

start, end = metrics("metrics-start.txt"), metrics("metrics-end.txt")
p_start, p_end = plateau("plateau-start"), plateau("plateau-end")
if start and end and p_start and p_end and p_end[0] > p_start[0]:
    elapsed = p_end[0] - p_start[0]
    events = total(end, "clawbots_events_total") - total(start, "clawbots_events_total")
    print(f"plateau measured: {elapsed} s")
    print(f"events journaled per second: {events / elapsed:.0f}")
    ticks = total(end, "clawbots_tick_duration_seconds_count") - total(
        start, "clawbots_tick_duration_seconds_count")
    tick_time = total(end, "clawbots_tick_duration_seconds_sum") - total(
        start, "clawbots_tick_duration_seconds_sum")
    if ticks > 0:
        print(f"region ticks: {ticks:.0f}, mean {1000 * tick_time / ticks:.3f} ms, "
              f"p99 <= {1000 * tick_p99(start, end):.3f} ms (bucket bound)")
    cpu = (p_end[1] - p_start[1]) / clk_tck / elapsed * 100
    print(f"server CPU over the plateau: {cpu:.0f}% of one core (the machine has 2)")

samples = out / "resources.csv"
if samples.exists() and p_start and p_end:
    rows = [r for r in csv.DictReader(samples.open())
            if p_start[0] <= int(r["seconds"]) <= p_end[0]]
    if rows:
        def avg(column):
            return sum(int(r[column]) for r in rows) / len(rows)
        print(f"server RSS over the plateau: max {max(int(r['server_rss_mib']) for r in rows)} MiB")
        print(f"Gatling CPU over the plateau: {avg('gatling_cpu_percent'):.0f}% of one core, "
              f"RSS max {max(int(r['gatling_rss_mib']) for r in rows)} MiB")

heap = out / "heap-after-gc.txt"
if heap.exists():
    used = re.search(r"used (\d+)K", heap.read_text())
    if used:
        print(f"server heap after a full GC at the plateau's end: {int(used.group(1)) // 1024} MiB")

gc_log = out / "server-gc.log"
if gc_log.exists():
    # "[123.456s][info][gc] GC(7) Pause Young (Normal) (G1 Evacuation Pause) 612M->85M(4096M) 3.4ms"
    after_by_minute = {}
    for line in gc_log.read_text().splitlines():
        m = re.match(r"\[(\d+\.\d+)s\].*Pause.* \d+M->(\d+)M\(\d+M\)", line)
        if m:
            minute = int(float(m.group(1)) // 60)
            after = int(m.group(2))
            after_by_minute[minute] = min(after, after_by_minute.get(minute, after))
    if after_by_minute:
        print("server heap after GC by minute of uptime (lowest after a pause, MiB): " + " ".join(
            f"{minute}:{mib}" for minute, mib in sorted(after_by_minute.items())))

errors = out / "gatling.log"
if errors.exists():
    text = errors.read_text()
    section = text.rfind("---- Errors ---")
    if section >= 0:
        block = text[section:].split("=====")[0].splitlines()[1:]
        for line in block:
            if line.strip():
                print(f"error: {line.strip()}")
