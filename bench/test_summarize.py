#!/usr/bin/env python3
"""Self-test of bench/summarize.py (a few seconds, no .NET): python3 bench/test_summarize.py

Builds run directories like bench/run-issue12.sh writes them, from hand-made numbers (whose ratios and verdicts are
known in advance) and from the committed results of earlier runs, and checks the tables.
"""
import io
import json
import os
import shutil
import subprocess
import sys
import tempfile
import unittest
from contextlib import redirect_stdout

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import summarize  # noqa: E402

RESULTS = os.path.join(HERE, "results")
M = 1 << 20


def write_run(root, name, bdn, interleaved, commit="0123456789abcdef0123456789abcdef01234567", dirty=False):
    """bdn: [(type, {param: value}, method, mean ns)]; interleaved: [(family, n, threads, method, min ns, d)]."""
    run = os.path.join(root, name)
    os.makedirs(os.path.join(run, "bdn", "results"))
    benchmarks = [{"Type": t, "Method": m, "Parameters": "&".join(f"{k}={v}" for k, v in p.items()),
                   "Statistics": {"Mean": ns}, "Memory": {"BytesAllocatedPerOperation": 0}} for t, p, m, ns in bdn]
    with open(os.path.join(run, "bdn", "results", "report-full-compressed.json"), "w") as f:
        json.dump({"Title": name, "Benchmarks": benchmarks}, f)
    with open(os.path.join(run, "interleaved.csv"), "w") as f:
        f.write("family,n,threads,method,min_ns,median_ns,rounds,d\n")
        for fam, n, t, m, ns, d in interleaved:
            f.write(f"{fam},{n},{t},{m},{ns},{ns},30,{d}\n")
    with open(os.path.join(run, "commit.txt"), "w") as f:
        f.write(commit + "\n")
    with open(os.path.join(run, "dirty.txt"), "w") as f:
        f.write("dirty\n" if dirty else "clean\n")
    with open(os.path.join(run, "status.txt"), "w") as f:
        f.write(" M src/x.cs\n" if dirty else "")
    with open(os.path.join(run, "machine.txt"), "w") as f:
        f.write("cpu: Test CPU\ncpus: 2\nruntime: 10.0.0\n")
    with open(os.path.join(run, "uptime.txt"), "w") as f:
        f.write("start:  10:00:00 up 1 day,  load average: 0.10, 0.20, 0.30\nend:  10:20:00 up 1 day,  load average: 1.00, 1.10, 1.20\n")
    return run


def kl_case(family, n, gen, hand, tp, scalar=1e6, ceiling=1.0, threads=1):
    """One thread's methods of a vector family, as BDN rows and interleaved rows with the same numbers."""
    methods = {"Generated": gen, "HandFused_": hand, "TensorPrimitives_": tp, "Scalar_": scalar, "Ceiling_Read": ceiling}
    bdn = [(family, {"N": n, "Threads": threads}, m, v) for m, v in methods.items() if v is not None]
    il = [(family, n, threads, m, v, 0) for m, v in methods.items() if v is not None]
    return bdn, il


def row(md, first_cells):
    """The markdown table row that starts with the given cells."""
    prefix = "| " + " | ".join(first_cells) + " |"
    hits = [line for line in md.splitlines() if line.startswith(prefix)]
    assert len(hits) == 1, (prefix, hits)
    return [c.strip() for c in hits[0].strip("|").split("|")]


class Issue12Tables(unittest.TestCase):
    def setUp(self):
        self.root = tempfile.mkdtemp()

    def tearDown(self):
        shutil.rmtree(self.root)

    def test_met_when_both_ratios_hold_in_all_four_measurements(self):
        bdn, il = kl_case("KlValue", 4096, gen=100.0, hand=110.0, tp=160.0)
        r1 = write_run(self.root, "run1", bdn, il)
        r2 = write_run(self.root, "run2", bdn, il)
        cells = row(summarize.issue12([r1, r2]), ["KL value", "4096"])
        # gen / hand = 100 / 110 in the four measurements; TP / gen = 1.6
        self.assertEqual(cells[2:8], ["0.909"] * 6)
        self.assertEqual(cells[8:14], ["1.600"] * 6)
        self.assertEqual(cells[14], "**yes**")

    def test_one_measurement_failing_fails_the_claim_and_is_the_worse(self):
        bdn, il = kl_case("KlValue", M, gen=100.0, hand=110.0, tp=160.0)
        _, il_slow = kl_case("KlValue", M, gen=100.0, hand=98.0, tp=160.0)   # run 2's interleaved: gen / hand 1.0204
        r1 = write_run(self.root, "run1", bdn, il)
        r2 = write_run(self.root, "run2", bdn, il_slow)
        cells = row(summarize.issue12([r1, r2]), ["KL value", "1M"])
        self.assertEqual(cells[5], f"{100 / 98:.3f}")   # IL run 2
        self.assertEqual(cells[6], f"{100 / 110:.3f}")  # worse BDN: both runs 0.909
        self.assertEqual(cells[7], f"{100 / 98:.3f}")   # worse IL = the largest
        self.assertEqual(cells[14], "no")

    def test_tensor_primitives_below_target_fails(self):
        bdn, il = kl_case("KlValueAndGradient", 4096, gen=100.0, hand=100.0, tp=149.0)
        bdn = [(t, p, "Ceiling_2R2W" if m == "Ceiling_Read" else m, v) for t, p, m, v in bdn]
        r1 = write_run(self.root, "run1", bdn, il)
        cells = row(summarize.issue12([r1, r1]), ["KL value + gradient", "4096"])
        self.assertEqual(cells[2], "1.000")      # exactly 1.0 holds
        self.assertEqual(cells[12], "1.490")
        self.assertEqual(cells[14], "no")

    def test_missing_baseline_is_incomplete_and_non_target_sizes_have_no_verdict(self):
        bdn, il = kl_case("RenyiValue", 4096, gen=100.0, hand=200.0, tp=None)
        bdn16, il16 = kl_case("SmallNRenyiValue", 16, gen=30.0, hand=20.0, tp=90.0)
        r1 = write_run(self.root, "run1", bdn + bdn16, il + il16)
        md = summarize.issue12([r1, r1])
        self.assertEqual(row(md, ["Renyi value, a = 2", "4096"])[14], "incomplete")
        small = row(md, ["Renyi value, a = 2", "16", "1.500"])  # SmallNRenyiValue reported as Renyi at n = 16: 30 / 20
        self.assertEqual(small[14], "—")
        # the per-call table: every measurement, and the worse (largest) per source
        self.assertEqual(row(md, ["Renyi value, a = 2", "16", "generated"])[3:], ["30.0 ns"] * 6)

    def test_distillation_rows_use_the_backward_methods(self):
        methods = {"Generated": 2.0e6, "HandFused_": 2.5e6, "TensorPrimitives_": 3.5e6, "Scalar_": 9e6, "Ceiling_Read": 3e5,
                   "Generated_Bwd": 3.0e6, "HandFused_Bwd": 2.9e6, "TensorPrimitives_Bwd": 5.0e6, "Scalar_Bwd": 9e6, "Ceiling_2R1W": 6e5}
        bdn = [("DistillationKlRows", {"Threads": 1}, m, v) for m, v in methods.items()]
        il = [("DistillationKlRows", 0, 1, m, v, 0) for m, v in methods.items()]
        r1 = write_run(self.root, "run1", bdn, il)
        md = summarize.issue12([r1, r1])
        fwd = row(md, ["Distillation [16 x 128k] fwd", "16 x 128k"])
        bwd = row(md, ["Distillation [16 x 128k] fwd+bwd", "16 x 128k"])
        self.assertEqual((fwd[6], fwd[12], fwd[14]), ("0.800", "1.750", "**yes**"))
        self.assertEqual((bwd[7], bwd[13], bwd[14]), (f"{3.0 / 2.9:.3f}", f"{5.0 / 3.0:.3f}", "no"))

    def test_composition_pass_by_pass(self):
        bdn, il = kl_case("KlValue", 4096, gen=900.0, hand=1300.0, tp=1400.0)
        passes = {"Pass_Divide": 250.0, "Pass_Log": 1000.0, "Pass_Dot": 125.0}
        bdn += [("KlValue", {"N": 4096, "Threads": 1}, m, v) for m, v in passes.items()]
        il += [("KlValue", 4096, 1, m, v, 0) for m, v in passes.items()]
        r1 = write_run(self.root, "run1", bdn, il)
        md = summarize.issue12([r1, r1])
        cells = row(md, ["4096", "BDN run 1", "250 ns"])
        # divide, log, dot, their sum 1375, composed 1400, generated 900; log / gen, sum / gen, TP / gen
        self.assertEqual(cells[3:], ["1.00 µs", "125 ns", "1.38 µs", "1.40 µs", "900 ns", "1.11", "1.53", "1.56"])
        # without the passes (runs before they were measured) there is no such table
        r2 = write_run(self.root, "run2", *kl_case("KlValue", 4096, gen=900.0, hand=1300.0, tp=1400.0))
        self.assertNotIn("pass by pass", summarize.issue12([r2, r2]))

    def test_all_cores_at_16m_against_the_ceiling(self):
        n, t = 1 << 24, 2
        bdn = [("KlValue", {"N": n, "Threads": 1}, "Generated", 20e6), ("KlValue", {"N": n, "Threads": 1}, "Ceiling_Read", 5e6),
               ("KlValue", {"N": n, "Threads": t}, "Generated", 6e6), ("KlValue", {"N": n, "Threads": t}, "Ceiling_Read", 3e6)]
        il = [("KlValue", n, 1, "Generated", 20e6, 0), ("KlValue", n, 1, "Ceiling_Read", 5e6, 0),
              ("KlValue", n, t, "Generated", 4e6, 0), ("KlValue", n, t, "Ceiling_Read", 3e6, 0)]
        r1 = write_run(self.root, "run1", bdn, il)
        cells = row(summarize.issue12([r1, r1]), ["KL value", "2"])
        # gen / ceiling 2.0 (BDN) and 1.33 (IL): the worse is 2.0, not within 1.5x; the floor 20 / 2 / 3 = 3.33: compute-bound
        self.assertEqual(cells[3:8], ["2.00", "2.00", "1.33", "1.33", "2.00"])
        self.assertEqual(cells[8:], ["no", "3.33", "yes", "n/a (compute-bound)"])

    def test_pairs_rate_fraction_of_roofline_and_naive(self):
        n, d = 4096, 3
        m1 = {"Generated_Value": 10e6, "Roofline_Fma": 5e6, "Naive_Value": 300e6}
        bdn = [("PairsMmd", {"D": d, "N": n, "Threads": 1}, m, v) for m, v in m1.items()]
        il = [("PairsMmd", n, 1, m, v * 0.9, d) for m, v in m1.items()]
        r1 = write_run(self.root, "run1", bdn, il)
        md = summarize.issue12([r1, r1])
        pairs = n * (n - 1) + n * n
        bdn_row = row(md, [str(n), str(d), "1", "BDN run 1"])
        self.assertEqual(bdn_row[7:], [f"{pairs / 10e6:.2f}", "0.50", "30.0"])
        worse = row(md, [str(n), str(d), "1", "**worse**"])
        self.assertEqual(worse[7:], [f"{pairs / 10e6:.2f}", "0.50", "30.0"])   # the IL rate is higher; the fraction equal

    def test_header_names_commit_tree_machine_and_load(self):
        bdn, il = kl_case("KlValue", 4096, gen=1.0, hand=1.0, tp=1.0)
        r1 = write_run(self.root, "run1", bdn, il, dirty=True)
        r2 = write_run(self.root, "run2", bdn, il, commit="f" * 40)
        md = summarize.issue12([r1, r2])
        self.assertIn("**The runs are of different commits**", md)
        self.assertIn("| 1 | `0123456789ab` | dirty (1 path(s) in git status) | 0.10, 0.20, 0.30 → 1.00, 1.10, 1.20 |", md)
        self.assertIn("Machine (run 1): cpu: Test CPU; cpus: 2; runtime: 10.0.0", md)

    def test_deterministic_and_cli_equals_function(self):
        bdn, il = kl_case("KlValue", 4096, gen=100.0, hand=110.0, tp=160.0)
        r1 = write_run(self.root, "run1", bdn, il)
        r2 = write_run(self.root, "run2", bdn, il)
        once = summarize.issue12([r1, r2])
        self.assertEqual(once, summarize.issue12([r1, r2]))
        cli = subprocess.run([sys.executable, os.path.join(HERE, "summarize.py"), r1, r2], capture_output=True, text=True, check=True)
        self.assertEqual(cli.stdout, once)


class CommittedResults(unittest.TestCase):
    """A fake pair of runs from the committed results of issue 9-11 (bench/results): the tables come out, with every
    ratio taken from the raw numbers."""

    def setUp(self):
        self.root = tempfile.mkdtemp()

    def tearDown(self):
        shutil.rmtree(self.root)

    def test_fake_pair_from_committed_results(self):
        with open(os.path.join(RESULTS, "bdn-shortrun.json")) as f:
            report = json.load(f)
        runs = []
        for i in (1, 2):
            run = os.path.join(self.root, f"run{i}")
            os.makedirs(os.path.join(run, "bdn", "results"))
            with open(os.path.join(run, "bdn", "results", "report.json"), "w") as f:
                json.dump(report, f)
            shutil.copy(os.path.join(RESULTS, f"interleaved-run{i}.csv"), os.path.join(run, "interleaved.csv"))
            runs.append(run)
        md = summarize.issue12(runs)
        self.assertEqual(md, summarize.issue12(runs))
        raw = {(b["Type"], b["Parameters"], b["Method"]): b["Statistics"]["Mean"] for b in report["Benchmarks"]}
        gen = raw[("KlValue", "N=4096&Threads=1", "Generated")]
        hand = raw[("KlValue", "N=4096&Threads=1", "HandFused_")]
        cells = row(md, ["KL value", "4096"])
        self.assertEqual(cells[2], f"{gen / hand:.3f}")
        for name in ("### Issue 12 targets", "### 16M, all cores", "#### KL value + gradient (ceiling: 2 reads + 2 writes)"):
            self.assertIn(name, md)

    def test_legacy_tables_still_print(self):
        out = io.StringIO()
        with redirect_stdout(out):
            summarize.main(["--bdn", os.path.join(RESULTS, "bdn-shortrun.json"),
                            "--interleaved", os.path.join(RESULTS, "interleaved-run1.csv"), os.path.join(RESULTS, "interleaved-run2.csv")])
        self.assertIn("#### KL value — BenchmarkDotNet, mean", out.getvalue())
        self.assertIn("#### KL value — interleaved, min", out.getvalue())


if __name__ == "__main__":
    unittest.main()
