"""LangChain side of Tracewire's side-by-side benchmark.

Runs the same workloads as io.tracewire.bench.Workloads on langchain-core's astream_events v2
and prints a table, or JSON with --json. Sizes: --full for the published table, else about a
tenth. Run through run_langchain.sh, which installs the pinned langchain-core in a venv.
"""

import argparse
import asyncio
import gc
import json
import resource
import statistics
import sys
import time
from itertools import cycle

from langchain_core.language_models.fake_chat_models import GenericFakeChatModel
from langchain_core.messages import AIMessage
from langchain_core.output_parsers import StrOutputParser
from langchain_core.prompts import ChatPromptTemplate
from langchain_core.runnables import RunnableLambda


def reply(words):
    return " ".join("word%d" % (i % 10) for i in range(words))


def model(words):
    return GenericFakeChatModel(messages=cycle([AIMessage(content=reply(words))]))


async def drain_events(runnable, value):
    n = 0
    async for _ in runnable.astream_events(value, version="v2"):
        n += 1
    return n


async def drain(runnable, value):
    n = 0
    async for _ in runnable.astream(value):
        n += 1
    return n


def workloads(full):
    w1_words = 1000 if full else 200
    w3_runs = 2000 if full else 200
    w4_streams = 100 if full else 20
    m1_words = 10000 if full else 2000
    out = []

    w1 = model(w1_words)
    out.append(("W1", "chat stream, %d words" % w1_words,
                lambda: drain_events(w1, "hello"), lambda: drain(w1, "hello")))

    w2 = ChatPromptTemplate.from_messages([("human", "{q}")]) | model(w1_words) | StrOutputParser()
    out.append(("W2", "prompt | model | parser, %d words" % w1_words,
                lambda: drain_events(w2, {"q": "hello"}), lambda: drain(w2, {"q": "hello"})))

    plus = RunnableLambda(lambda x: x + 1)
    w3 = plus | plus | plus | plus | plus

    async def w3_events():
        n = 0
        for i in range(w3_runs):
            n += await drain_events(w3, i)
        return n

    async def w3_base():
        n = 0
        for i in range(w3_runs):
            n += await w3.ainvoke(i)
        return n

    out.append(("W3", "%d x astream_events of 5 piped lambdas" % w3_runs, w3_events, w3_base))

    w4 = model(100)

    async def w4_events():
        return sum(await asyncio.gather(*(drain_events(w4, "hello") for _ in range(w4_streams))))

    async def w4_base():
        return sum(await asyncio.gather(*(drain(w4, "hello") for _ in range(w4_streams))))

    out.append(("W4", "%d concurrent streams of 100 words (asyncio.gather)" % w4_streams, w4_events, w4_base))

    m1 = model(m1_words)
    out.append(("M1", "chat stream, %d words (memory)" % m1_words,
                lambda: drain_events(m1, "hello"), lambda: drain(m1, "hello")))
    return out


def status_bytes(key):
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith(key):
                    return int("".join(c for c in line if c.isdigit())) * 1024
    except OSError:
        pass
    return None


def reset_peak_rss():
    try:
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")
    except OSError:
        pass


async def measure(name, desc, events_body, base_body, runs, warmups):
    for _ in range(warmups):
        await events_body()
        await base_body()
    ev, base, events = [], [], 0
    for _ in range(runs):
        t0 = time.perf_counter()
        events = await events_body()
        ev.append((time.perf_counter() - t0) * 1e3)
        t1 = time.perf_counter()
        await base_body()
        base.append((time.perf_counter() - t1) * 1e3)
    med, base_med = statistics.median(ev), statistics.median(base)
    r = {
        "name": name, "description": desc, "events": events,
        "wall_ms_median": med, "wall_ms_min": min(ev), "wall_ms_max": max(ev),
        "events_per_s": events / (med / 1e3), "us_per_event": med * 1e3 / events,
        "overhead_us_per_event": (med - base_med) * 1e3 / events,
    }
    if name == "M1":
        gc.collect()
        reset_peak_rss()
        before = status_bytes("VmRSS:")
        n = await events_body()
        peak = status_bytes("VmHWM:")
        r["peak_rss_bytes_per_event"] = None if peak is None or before is None else max(0, peak - before) / n
    return r


def table(results):
    lines = ["%-4s %9s %12s %20s %12s %10s %12s  %s" % ("name", "events", "wall_ms_med", "wall_ms_min-max",
                                                       "events/s", "us/event", "overhead_us", "workload")]
    for r in results:
        lines.append("%-4s %9d %12.2f %20s %12.0f %10.3f %12.3f  %s" % (
            r["name"], r["events"], r["wall_ms_median"], "%.2f-%.2f" % (r["wall_ms_min"], r["wall_ms_max"]),
            r["events_per_s"], r["us_per_event"], r["overhead_us_per_event"], r["description"]))
        if "peak_rss_bytes_per_event" in r:
            lines.append("     peak RSS %s B/event" % ("n/a" if r["peak_rss_bytes_per_event"] is None
                                                      else "%.1f" % r["peak_rss_bytes_per_event"]))
    return "\n".join(lines)


async def main():
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--full", action="store_true")
    p.add_argument("--json", action="store_true")
    p.add_argument("--runs", type=int, default=5)
    p.add_argument("--warmups", type=int, default=1)
    a = p.parse_args()
    results = []
    for name, desc, ev, base in workloads(a.full):
        results.append(await measure(name, desc, ev, base, a.runs, a.warmups))
    import langchain_core
    if a.json:
        print(json.dumps({"side": "langchain", "langchain_core": langchain_core.__version__,
                          "python": sys.version.split()[0], "workloads": results}))
    else:
        print("langchain-core %s, Python %s" % (langchain_core.__version__, sys.version.split()[0]))
        print(table(results))


if __name__ == "__main__":
    asyncio.run(main())
