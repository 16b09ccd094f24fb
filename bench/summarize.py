#!/usr/bin/env python3
"""Turns a BenchmarkDotNet JSON report (--exporters json) and/or interleaved.csv (--interleaved) into the tables of
bench/README.md: times per method and the derived ratios against the targets.

usage: python3 bench/summarize.py [--bdn DIR_OR_JSON ...] [--interleaved interleaved.csv ...]
"""
import argparse, csv, glob, json, os, sys

KD_ELEMS = 16 * 131072

# family key -> (ceiling method, hand-fused, TensorPrimitives, scalar, generated, bytes per element moved at the ceiling)
FAMILIES = {
    ("KlValue", ""): ("Ceiling_Read", "HandFused_", "TensorPrimitives_", "Scalar_", "Generated", 8),
    ("KlValueAndGradient", ""): ("Ceiling_2R2W", "HandFused_", "TensorPrimitives_", "Scalar_", "Generated", 16),
    ("RenyiValue", ""): ("Ceiling_Read", "HandFused_", "TensorPrimitives_", "Scalar_", "Generated", 8),
    ("DistillationKlRows", "fwd"): ("Ceiling_Read", "HandFused_", "TensorPrimitives_", "Scalar_", "Generated", 8),
    ("DistillationKlRows", "bwd"): ("Ceiling_2R1W", "HandFused_Bwd", "TensorPrimitives_Bwd", "Scalar_Bwd", "Generated_Bwd", 12),
}
TITLES = {
    ("KlValue", ""): "KL value",
    ("KlValueAndGradient", ""): "KL value + gradient (ceiling: stream of 2 reads + 2 writes)",
    ("RenyiValue", ""): "Renyi value, a = 2",
    ("DistillationKlRows", "fwd"): "Distillation KL from logits, [16 x 128k], forward (Rows)",
    ("DistillationKlRows", "bwd"): "Distillation KL from logits, [16 x 128k], forward + backward (RowsAndGradient, ds; ceiling: 2 reads + 1 write)",
}


def fmt(ns):
    if ns is None:
        return "—"
    if ns < 1e3:
        return f"{ns:.0f} ns"
    if ns < 1e6:
        return f"{ns / 1e3:.2f} µs"
    return f"{ns / 1e6:.2f} ms"


def ratio(a, b):
    return "—" if a is None or b is None else f"{a / b:.2f}"


def load_bdn(paths):
    rows = {}
    files = []
    for p in paths:
        files += sorted(glob.glob(os.path.join(p, "**", "*.json"), recursive=True)) if os.path.isdir(p) else [p]
    for f in files:
        for b in json.load(open(f))["Benchmarks"]:
            params = dict(kv.split("=") for kv in b["Parameters"].split("&") if kv)
            n = int(params.get("N", 0))
            rows[(b["Type"], n, int(params["Threads"]), b["Method"])] = (
                b["Statistics"]["Mean"], b["Memory"]["BytesAllocatedPerOperation"])
    return rows


def load_interleaved(paths):
    """The minimum per method over every interleaved.csv given (several runs: each method's best spell)."""
    rows = {}
    for path in paths:
        with open(path) as f:
            for r in csv.DictReader(f):
                key = (r["family"], int(r["n"]), int(r["threads"]), r["method"])
                v = float(r["min_ns"])
                if key not in rows or v < rows[key][0]:
                    rows[key] = (v, None)
    return rows


def table(rows, label, show_alloc):
    out = []
    for (family, part), (ceil, hand, tp, scalar, gen, bpe) in FAMILIES.items():
        keys = sorted({(n, t) for (fam, n, t, m) in rows if fam == family})
        if not keys:
            continue
        out.append(f"#### {TITLES[(family, part)]} — {label}\n")
        head = "| n | threads | ceiling | hand-fused | TensorPrimitives | scalar | generated | gen / hand | TP / gen | scalar / gen | gen / ceiling | generated GB/s |"
        if show_alloc:
            head += " generated B/call |"
        out.append(head)
        out.append("|" + "---:|" * (head.count("|") - 1))
        for n, t in keys:
            get = lambda m: rows.get((family, n, t, m), (None, None))[0]
            c, h, p, s, g = (get(m) for m in (ceil, hand, tp, scalar, gen))
            elems = n if n else KD_ELEMS
            gbs = "—" if g is None else f"{bpe * elems / g:.1f}"
            line = (f"| {n if n else '16 x 128k'} | {t} | {fmt(c)} | {fmt(h)} | {fmt(p)} | {fmt(s)} | {fmt(g)} | "
                    f"{ratio(g, h)} | {ratio(p, g)} | {ratio(s, g)} | {ratio(g, c)} | {gbs} |")
            if show_alloc:
                a = rows.get((family, n, t, gen), (None, None))[1]
                line += f" {a} |"
            out.append(line)
        out.append("")
    return "\n".join(out)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bdn", nargs="*", default=[])
    ap.add_argument("--interleaved", nargs="*", default=[])
    a = ap.parse_args()
    if a.bdn:
        print(table(load_bdn(a.bdn), "BenchmarkDotNet, mean", show_alloc=True))
    if a.interleaved:
        print(table(load_interleaved(a.interleaved), "interleaved, min", show_alloc=False))


if __name__ == "__main__":
    sys.exit(main())
