"""What the benchmark scripts share: psql and pgbench runs against the
throwaway cluster (libpq's environment), failing loudly."""
import os
import re
import subprocess
import sys
import tempfile
import time

CLIENTS = int(os.environ.get("CREDITS_BENCH_CLIENTS", "16"))
SECONDS = int(os.environ.get("CREDITS_BENCH_SECONDS", "15"))
PG_BIN = os.environ.get("PG_BIN", "/usr/lib/postgresql/15/bin")


def psql(sql, db, timing=False):
    """Runs SQL in database db; its output (with timing, the statements' times in ms)."""
    args = ["psql", "-X", "-q", "-At", "-v", "ON_ERROR_STOP=1", "-d", db]
    out = subprocess.run(args, input=("\\timing on\n" if timing else "") + sql,
                         capture_output=True, text=True)
    if out.returncode != 0:
        sys.exit(f"psql failed: {out.stderr}")
    if timing:
        return [float(x) for x in re.findall(r"Time: ([0-9.]+) ms", out.stdout)]
    return out.stdout.strip()


def psql_at_once(scripts, db):
    """Wall-clock seconds to run each SQL text in `scripts` in its own session,
    all at the same time."""
    args = ["psql", "-X", "-q", "-At", "-v", "ON_ERROR_STOP=1", "-d", db]
    start = time.monotonic()
    runs = [subprocess.Popen(args, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL,
                             stderr=subprocess.PIPE, text=True) for _ in scripts]
    for run, sql in zip(runs, scripts):
        run.stdin.write(sql)
        run.stdin.close()
    for run in runs:
        if run.wait() != 0:
            sys.exit(f"psql failed: {run.stderr.read()}")
    return time.monotonic() - start


def pgbench(script, db):
    """TPS of a pgbench run of `script` (SQL text): CLIENTS clients, SECONDS seconds."""
    with tempfile.NamedTemporaryFile("w", suffix=".sql", delete=False) as f:
        f.write(script)
    out = subprocess.run([f"{PG_BIN}/pgbench", "-n", "-c", str(CLIENTS), "-j", "2",
                          "-T", str(SECONDS), "-f", f.name, db], capture_output=True, text=True)
    os.unlink(f.name)
    m = re.search(r"tps = ([0-9.]+) \(without initial connection time\)", out.stdout)
    failed = re.search(r"number of failed transactions: ([0-9]+)", out.stdout)
    if out.returncode != 0 or not m or (failed and int(failed.group(1)) > 0):
        sys.exit(f"pgbench failed: {out.stdout}\n{out.stderr}")
    return float(m.group(1))
