#!/usr/bin/env python3
"""The benchmark tables of bench/README.md, from committed raw results.

Issue 12 (the official protocol): two run directories written by bench/run-issue12.sh, each with BenchmarkDotNet's JSON
reports (bdn/results/*.json), interleaved.csv and the facts of the run (commit.txt, dirty.txt, machine.txt,
uptime.txt, settings.txt):

    python3 bench/summarize.py RUN1 RUN2 > tables.md

Deterministic: the same inputs give the same markdown (no clock, no machine facts but those of the run directories).

Legacy (the older tables further down bench/README.md): a BenchmarkDotNet JSON and/or interleaved.csv files:

    python3 bench/summarize.py --bdn DIR_OR_JSON ... --interleaved interleaved.csv ...
"""
import argparse
import csv
import glob
import json
import os
import sys

KD_ELEMS = 16 * 131072  # the distillation rows: [16 x 128k]

# (family, part) -> (ceiling, hand-fused, TensorPrimitives, scalar, generated, bytes per element at the ceiling)
FAMILIES = {
    ("KlValue", ""): ("Ceiling_Read", "HandFused_", "TensorPrimitives_", "Scalar_", "Generated", 8),
    ("KlValueAndGradient", ""): ("Ceiling_2R2W", "HandFused_", "TensorPrimitives_", "Scalar_", "Generated", 16),
    ("RenyiValue", ""): ("Ceiling_Read", "HandFused_", "TensorPrimitives_", "Scalar_", "Generated", 8),
    ("DistillationKlRows", "fwd"): ("Ceiling_Read", "HandFused_", "TensorPrimitives_", "Scalar_", "Generated", 8),
    ("DistillationKlRows", "bwd"): ("Ceiling_2R1W", "HandFused_Bwd", "TensorPrimitives_Bwd", "Scalar_Bwd", "Generated_Bwd", 12),
}
TITLES = {
    ("KlValue", ""): "KL value",
    ("KlValueAndGradient", ""): "KL value + gradient",
    ("RenyiValue", ""): "Renyi value, a = 2",
    ("DistillationKlRows", "fwd"): "Distillation [16 x 128k] fwd",
    ("DistillationKlRows", "bwd"): "Distillation [16 x 128k] fwd+bwd",
}
CEILING_NAMES = {"Ceiling_Read": "read", "Ceiling_2R2W": "2 reads + 2 writes", "Ceiling_2R1W": "2 reads + 1 write"}

# Issue 12's targets, one thread: generated / hand-fused <= 1.0 and TensorPrimitives / generated >= 1.5 at these sizes
# (0: the distillation rows); all cores at 16M: generated within 1.5x of the ceiling unless compute-bound.
TARGET_SIZES = {("KlValue", ""): (4096, 1 << 20), ("KlValueAndGradient", ""): (4096, 1 << 20),
                ("RenyiValue", ""): (4096, 1 << 20), ("DistillationKlRows", "fwd"): (0,), ("DistillationKlRows", "bwd"): (0,)}
MAX_GEN_OVER_HAND = 1.0
MIN_TP_OVER_GEN = 1.5
MAX_GEN_OVER_CEILING = 1.5
SOURCES = (("BDN", "bdn"), ("IL", "il"))  # BenchmarkDotNet mean; interleaved min over rounds


def fmt(ns):
    if ns is None:
        return "—"
    if ns < 1e3:
        return f"{ns:.1f} ns" if ns < 100 else f"{ns:.0f} ns"
    if ns < 1e6:
        return f"{ns / 1e3:.2f} µs"
    return f"{ns / 1e6:.2f} ms"


def div(a, b):
    return None if a is None or b is None or b == 0 else a / b


def r2(x, digits=2):
    return "—" if x is None else f"{x:.{digits}f}"


def size_label(n):
    if n == 0:
        return "16 x 128k"
    if n >= 1 << 20 and n % (1 << 20) == 0:
        return f"{n >> 20}M"
    return str(n)


def base_family(name):
    return name[len("SmallN"):] if name.startswith("SmallN") else name


# ---------------------------------------------------------------- loading

def bdn_files(paths):
    files = []
    for p in paths:
        files += sorted(glob.glob(os.path.join(p, "**", "*.json"), recursive=True)) if os.path.isdir(p) else [p]
    return files


def load_bdn(paths):
    """(family, n, d, threads, method) -> (mean ns, bytes allocated per call); SmallN families under their base name."""
    rows = {}
    for f in bdn_files(paths):
        with open(f) as fh:
            report = json.load(fh)
        for b in report.get("Benchmarks", []):
            stats = b.get("Statistics")
            if not stats or stats.get("Mean") is None:
                continue
            params = dict(kv.split("=", 1) for kv in (b.get("Parameters") or "").split("&") if kv)
            key = (base_family(b["Type"]), int(params.get("N", 0)), int(params.get("D", 0)), int(params.get("Threads", 1)), b["Method"])
            rows[key] = (stats["Mean"], (b.get("Memory") or {}).get("BytesAllocatedPerOperation"))
    return rows


def load_interleaved(paths):
    """(family, n, d, threads, method) -> (min ns, None): the minimum over every file given."""
    rows = {}
    for path in paths:
        with open(path) as f:
            for r in csv.DictReader(f):
                key = (base_family(r["family"]), int(r["n"]), int(r.get("d") or 0), int(r["threads"]), r["method"])
                v = float(r["min_ns"])
                if key not in rows or v < rows[key][0]:
                    rows[key] = (v, None)
    return rows


def read_text(run, name):
    path = os.path.join(run, name)
    if not os.path.exists(path):
        return None
    with open(path) as f:
        return f.read().strip()


def load_run(run):
    il = os.path.join(run, "interleaved.csv")
    machine = {}
    for line in (read_text(run, "machine.txt") or "").splitlines():
        if ":" in line:
            k, v = line.split(":", 1)
            machine[k.strip()] = v.strip()
    return {
        "dir": run,
        "bdn": load_bdn([os.path.join(run, "bdn")]) if os.path.isdir(os.path.join(run, "bdn")) else {},
        "il": load_interleaved([il]) if os.path.exists(il) else {},
        "commit": read_text(run, "commit.txt") or "unknown",
        "dirty": read_text(run, "dirty.txt") or "unknown",
        "status": read_text(run, "status.txt") or "",
        "machine": machine,
        "uptime": (read_text(run, "uptime.txt") or "").splitlines(),
        "settings": (read_text(run, "settings.txt") or "").splitlines(),
    }


def get(rows, family, n, threads, method, d=0):
    v = rows.get((family, n, d, threads, method))
    return None if v is None else v[0]


def measurements(runs):
    """The four measurements of the protocol, in a fixed order: (label, rows)."""
    return [(f"{label} run {i + 1}", run[src]) for label, src in SOURCES for i, run in enumerate(runs)]


def sizes_of(ms, family, threads):
    return sorted({k[1] for _, rows in ms for k in rows if k[0] == family and k[3] == threads})


def all_cores(ms, family):
    t = {k[3] for _, rows in ms for k in rows if k[0] == family}
    return max(t) if t and max(t) > 1 else None


def worst(values, pick):
    vals = [v for v in values if v is not None]
    return pick(vals) if vals and len(vals) == len(values) else None


# ---------------------------------------------------------------- issue 12 tables

def header(runs):
    out = ["### Runs", ""]
    commits = {r["commit"] for r in runs}
    if len(commits) > 1:
        out += ["**The runs are of different commits**: " + ", ".join(f"{r['dir']}: {r['commit']}" for r in runs), ""]
    out += ["| run | commit | tree | load (uptime) before → after | settings |", "|---|---|---|---|---|"]
    for i, r in enumerate(runs):
        def load(line):
            return line.split("load average:")[-1].strip() if "load average:" in line else "?"
        up = f"{load(r['uptime'][0])} → {load(r['uptime'][-1])}" if r["uptime"] else "—"
        tree = r["dirty"] + (f" ({len(r['status'].splitlines())} path(s) in git status)" if r["dirty"] == "dirty" else "")
        out.append(f"| {i + 1} | `{r['commit'][:12]}` | {tree} | {up} | {'; '.join(r['settings']) or '—'} |")
    m = runs[0]["machine"]
    out += ["", "Machine (run 1): " + "; ".join(f"{k}: {v}" for k, v in m.items() if v) if m else "Machine: not recorded"]
    if any(r["machine"] != m for r in runs[1:]):
        out.append("**The runs' machine facts differ** (see each run's machine.txt).")
    out.append("")
    return out


def verdict_table(ms):
    """One thread: gen / hand and TP / gen in each of the four measurements, the worse of the two runs per method (the
    number quoted: BDN official, IL the check), and whether the target holds in all four."""
    labels = [label for label, _ in ms]
    half = len(ms) // 2
    out = ["### Issue 12 targets, one thread: generated / hand-fused <= 1.0 and TensorPrimitives / generated >= 1.5", "",
           "BDN: BenchmarkDotNet mean (the official number); IL: interleaved, minimum over rounds (thread CPU time; the "
           "check). worse: the worse of the two runs. \"met\": both ratios hold in all four measurements (rows without a "
           "stated target: —).", "",
           "| family | n | " + " | ".join(f"gen / hand {l}" for l in labels) + " | worse BDN | worse IL | "
           + " | ".join(f"TP / gen {l}" for l in labels) + " | worse BDN | worse IL | met |",
           "|---|---:|" + "---:|" * (2 * len(labels) + 4) + "---|"]
    for fam, (ceil, hand, tp, scalar, gen, _) in FAMILIES.items():
        for n in sizes_of(ms, fam[0], 1):
            gh = [div(get(rows, fam[0], n, 1, gen), get(rows, fam[0], n, 1, hand)) for _, rows in ms]
            tg = [div(get(rows, fam[0], n, 1, tp), get(rows, fam[0], n, 1, gen)) for _, rows in ms]
            wgh, wtg = worst(gh, max), worst(tg, min)
            if n not in TARGET_SIZES[fam]:
                met = "—"
            elif wgh is None or wtg is None:
                met = "incomplete"
            else:
                met = "**yes**" if wgh <= MAX_GEN_OVER_HAND and wtg >= MIN_TP_OVER_GEN else "no"
            cells = [TITLES[fam], size_label(n)]
            cells += [r2(x, 3) for x in gh] + [r2(worst(gh[:half], max), 3), r2(worst(gh[half:], max), 3)]
            cells += [r2(x, 3) for x in tg] + [r2(worst(tg[:half], min), 3), r2(worst(tg[half:], min), 3)]
            out.append("| " + " | ".join(cells + [met]) + " |")
    out.append("")
    return out


PASSES = ("Pass_Divide", "Pass_Log", "Pass_Dot")


def passes_table(ms):
    """KL value, one thread: each of the TensorPrimitives composition's three passes alone, against the composition and
    the generated kernel (what fusing can save, and what TP / gen >= 1.5 asks of the generated kernel)."""
    sizes = [n for n in sizes_of(ms, "KlValue", 1) if any(get(rows, "KlValue", n, 1, "Pass_Log") for _, rows in ms)]
    if not sizes:
        return []
    out = ["### KL value: the TensorPrimitives composition pass by pass, one thread", "",
           "Pass_Divide, Pass_Log, Pass_Dot: each TensorPrimitives call of TensorPrimitives_ alone (p / q, log t, p · t). "
           "Fusing saves the traffic between the passes, not their arithmetic: TP / gen >= 1.5 needs the generated kernel "
           "to cost at most (sum of the passes) / 1.5, and log / gen > 1 says that TensorPrimitives' log pass alone costs "
           "more than the whole generated kernel.", "",
           "| n | measurement | divide | log | dot | sum of the passes | TensorPrimitives | generated | log / gen | sum / gen | TP / gen |",
           "|---:|---|" + "---:|" * 9]
    for n in sizes:
        for label, rows in ms:
            d, lg, dt, tp, g = (get(rows, "KlValue", n, 1, m) for m in PASSES + ("TensorPrimitives_", "Generated"))
            total = None if None in (d, lg, dt) else d + lg + dt
            out.append(f"| {size_label(n)} | {label} | {fmt(d)} | {fmt(lg)} | {fmt(dt)} | {fmt(total)} | {fmt(tp)} | {fmt(g)} | "
                       f"{r2(div(lg, g))} | {r2(div(total, g))} | {r2(div(tp, g))} |")
    out.append("")
    return out


def detail_tables(ms):
    """One thread, per family: the times of every measurement and their ratios."""
    out = ["### Times, one thread (every measurement)", ""]
    for fam, (ceil, hand, tp, scalar, gen, bpe) in FAMILIES.items():
        sizes = sizes_of(ms, fam[0], 1)
        if not sizes:
            continue
        out += [f"#### {TITLES[fam]} (ceiling: {CEILING_NAMES[ceil]})", "",
                "| n | measurement | ceiling | hand-fused | TensorPrimitives | scalar | generated | gen / hand | TP / gen | scalar / gen | gen / ceiling | generated GB/s | generated B/call (BDN) |",
                "|---:|---|" + "---:|" * 11]
        for n in sizes:
            for label, rows in ms:
                c, h, p, s, g = (get(rows, fam[0], n, 1, m) for m in (ceil, hand, tp, scalar, gen))
                alloc = rows.get((fam[0], n, 0, 1, gen), (None, None))[1]
                gbs = div(bpe * (n or KD_ELEMS), g)
                out.append(f"| {size_label(n)} | {label} | {fmt(c)} | {fmt(h)} | {fmt(p)} | {fmt(s)} | {fmt(g)} | "
                           f"{r2(div(g, h))} | {r2(div(p, g))} | {r2(div(s, g))} | {r2(div(g, c))} | {r2(gbs, 1)} | "
                           f"{'—' if alloc is None else alloc} |")
        out.append("")
    return out


def best(a, b):
    """The smaller of two times, either of which may be missing."""
    known = [x for x in (a, b) if x is not None]
    return min(known) if known else None


def all_core_table(ms):
    """16M on all cores: generated against the family's ceiling, and whether one thread's speed could reach it."""
    labels = [label for label, _ in ms]
    out = ["### 16M, all cores: generated / ceiling (target: within 1.5x where not compute-bound)", "",
           "compute floor: the best one-thread time (generated or hand-fused) divided by the thread count (perfect scaling), over the "
           "all-core ceiling; compute-bound where that floor is above 1.5 in every measurement (the target does not apply).", "",
           "| family | threads | ceiling | " + " | ".join(f"gen / ceiling {l}" for l in labels)
           + " | worse | within 1.5x | compute floor (best) | compute-bound | target |",
           "|---|---:|---|" + "---:|" * (len(labels) + 1) + "---|---:|---|---|"]
    n = 1 << 24
    for fam in (("KlValue", ""), ("KlValueAndGradient", ""), ("RenyiValue", "")):
        ceil, gen = FAMILIES[fam][0], FAMILIES[fam][4]
        t = all_cores(ms, fam[0])
        if t is None or n not in sizes_of(ms, fam[0], t):
            continue
        ratios = [div(get(rows, fam[0], n, t, gen), get(rows, fam[0], n, t, ceil)) for _, rows in ms]
        hand = FAMILIES[fam][1]
        # The floor is the best known one-thread compute speed (generated or hand-fused), so that a slow generated
        # kernel cannot exempt itself from the target by being slow.
        floors = [div(div(best(get(rows, fam[0], n, 1, gen), get(rows, fam[0], n, 1, hand)), t), get(rows, fam[0], n, t, ceil))
                  for _, rows in ms]
        w = worst(ratios, max)
        within = "—" if w is None else ("**yes**" if w <= MAX_GEN_OVER_CEILING else "no")
        known = [f for f in floors if f is not None]
        bound = ("incomplete" if len(known) < len(floors) else
                 "yes" if all(f > MAX_GEN_OVER_CEILING for f in known) else
                 "no" if all(f <= MAX_GEN_OVER_CEILING for f in known) else "mixed")
        target = ("—" if w is None else "**met**" if w <= MAX_GEN_OVER_CEILING
                  else "n/a (compute-bound)" if bound == "yes" else "no")
        out.append(f"| {TITLES[fam]} | {t} | {CEILING_NAMES[ceil]} | " + " | ".join(r2(x) for x in ratios)
                   + f" | {r2(w)} | {within} | {r2(min(known) if known else None)} | {bound} | {target} |")
    out.append("")
    return out


def small_n_table(ms):
    """Per-call cost at small n, one thread: every measurement and the worse (largest) of the two runs per source."""
    labels = [label for label, _ in ms]
    out = ["### Per-call cost at small n, one thread", "",
           "| family | n | method | " + " | ".join(labels) + " | worse BDN | worse IL |",
           "|---|---:|---|" + "---:|" * (len(labels) + 2)]
    for fam in (("KlValue", ""), ("KlValueAndGradient", ""), ("RenyiValue", "")):
        _, hand, tp, scalar, gen, _ = FAMILIES[fam]
        for n in [s for s in sizes_of(ms, fam[0], 1) if s < 4096]:
            for name, method in (("generated", gen), ("hand-fused", hand), ("TensorPrimitives", tp), ("scalar", scalar)):
                v = [get(rows, fam[0], n, 1, method) for _, rows in ms]
                half = len(v) // 2
                out.append(f"| {TITLES[fam]} | {n} | {name} | " + " | ".join(fmt(x) for x in v)
                           + f" | {fmt(worst(v[:half], max))} | {fmt(worst(v[half:], max))} |")
    out.append("")
    return out


def pairs_pairs(n):
    """Distinct pairs the sweep evaluates for the Gaussian MMD² value at n = m (PairsMmd.Pairs)."""
    return n * (n - 1) / 2 * 2 + n * n


def pairs_table(ms):
    """Gaussian MMD² value: generated against the FMA roofline and the naive double loop."""
    cases = sorted({(k[1], k[2], k[3]) for _, rows in ms for k in rows if k[0] == "PairsMmd"})
    if not cases:
        return []
    out = ["### Pairs: Gaussian MMD² value (PairsMmd), generated against the FMA roofline and the naive loop", "",
           "G pairs/s: the sweep's distinct pairs n(n - 1) + n² over the generated value's time; of roofline: the FMA "
           "roofline's time over the generated time (1 = at the roofline); x naive: the naive double loop's time over the "
           "generated time (one thread only). worse: the smallest of the four.", "",
           "| n | d | threads | measurement | generated | roofline | naive | G pairs/s | of roofline | x naive |",
           "|---:|---:|---:|---|---:|---:|---:|---:|---:|---:|"]
    for n, d, t in cases:
        rates, fractions, naives = [], [], []
        for label, rows in ms:
            g, roof, naive = (get(rows, "PairsMmd", n, t, m, d) for m in ("Generated_Value", "Roofline_Fma", "Naive_Value"))
            rate = div(pairs_pairs(n), g)
            rate = None if rate is None else rate  # pairs per ns = G pairs/s
            frac, xn = div(roof, g), div(naive, g)
            rates.append(rate); fractions.append(frac); naives.append(xn)
            out.append(f"| {n} | {d} | {t} | {label} | {fmt(g)} | {fmt(roof)} | {fmt(naive)} | {r2(rate)} | {r2(frac)} | {r2(xn, 1)} |")
        out.append(f"| {n} | {d} | {t} | **worse** | | | | {r2(worst(rates, min))} | {r2(worst(fractions, min))} | "
                   f"{r2(worst(naives, min), 1) if t == 1 else '—'} |")
    out.append("")
    return out


def issue12(run_dirs):
    runs = [load_run(d) for d in run_dirs]
    ms = measurements(runs)
    out = header(runs)
    out += verdict_table(ms)
    out += passes_table(ms)
    out += all_core_table(ms)
    out += small_n_table(ms)
    out += pairs_table(ms)
    out += detail_tables(ms)
    return "\n".join(out).rstrip() + "\n"


# ---------------------------------------------------------------- legacy tables (issues 8-11)

LEGACY_TITLES = {
    ("KlValueAndGradient", ""): "KL value + gradient (ceiling: stream of 2 reads + 2 writes)",
    ("DistillationKlRows", "fwd"): "Distillation KL from logits, [16 x 128k], forward (Rows)",
    ("DistillationKlRows", "bwd"): "Distillation KL from logits, [16 x 128k], forward + backward (RowsAndGradient, ds; ceiling: 2 reads + 1 write)",
}


def legacy_table(rows, label, show_alloc):
    out = []
    for fam, (ceil, hand, tp, scalar, gen, bpe) in FAMILIES.items():
        keys = sorted({(k[1], k[3]) for k in rows if k[0] == fam[0]})
        if not keys:
            continue
        out.append(f"#### {LEGACY_TITLES.get(fam, TITLES[fam])} — {label}\n")
        head = "| n | threads | ceiling | hand-fused | TensorPrimitives | scalar | generated | gen / hand | TP / gen | scalar / gen | gen / ceiling | generated GB/s |"
        if show_alloc:
            head += " generated B/call |"
        out.append(head)
        out.append("|" + "---:|" * (head.count("|") - 1))
        for n, t in keys:
            c, h, p, s, g = (get(rows, fam[0], n, t, m) for m in (ceil, hand, tp, scalar, gen))
            gbs = "—" if g is None else f"{bpe * (n or KD_ELEMS) / g:.1f}"
            line = (f"| {n if n else '16 x 128k'} | {t} | {fmt(c)} | {fmt(h)} | {fmt(p)} | {fmt(s)} | {fmt(g)} | "
                    f"{r2(div(g, h))} | {r2(div(p, g))} | {r2(div(s, g))} | {r2(div(g, c))} | {gbs} |")
            if show_alloc:
                line += f" {rows.get((fam[0], n, 0, t, gen), (None, None))[1]} |"
            out.append(line)
        out.append("")
    return "\n".join(out)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("runs", nargs="*", help="run directories of bench/run-issue12.sh (two for the protocol)")
    ap.add_argument("--bdn", nargs="*", default=[], help="legacy: BenchmarkDotNet JSON files or directories")
    ap.add_argument("--interleaved", nargs="*", default=[], help="legacy: interleaved.csv files (minimum over them)")
    a = ap.parse_args(argv)
    if a.runs:
        sys.stdout.write(issue12(a.runs))
        return 0
    if not a.bdn and not a.interleaved:
        ap.error("give run directories, or --bdn / --interleaved")
    if a.bdn:
        print(legacy_table(load_bdn(a.bdn), "BenchmarkDotNet, mean", show_alloc=True))
    if a.interleaved:
        print(legacy_table(load_interleaved(a.interleaved), "interleaved, min", show_alloc=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
