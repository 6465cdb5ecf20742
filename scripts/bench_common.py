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


def psql_command(db):
    """psql on database db, quiet, unaligned, stopping at the first error."""
    return ["psql", "-X", "-q", "-At", "-v", "ON_ERROR_STOP=1", "-d", db]


def psql(sql, db, timing=False):
    """Runs SQL in database db; its output (with timing, the statements' times in ms)."""
    out = subprocess.run(psql_command(db), input=("\\timing on\n" if timing else "") + sql,
                         capture_output=True, text=True)
    if out.returncode != 0:
        sys.exit(f"psql failed: {out.stderr}")
    if timing:
        return [float(x) for x in re.findall(r"Time: ([0-9.]+) ms", out.stdout)]
    return out.stdout.strip()


def psql_at_once(scripts, db):
    """Wall-clock seconds to run each SQL text in `scripts` in its own session,
    all at the same time. Each session reads its own file: fed through pipes
    in turn, the second would wait for the first to take nearly all of its."""
    with tempfile.TemporaryDirectory() as tmp:
        paths = []
        for n, sql in enumerate(scripts):
            paths.append(os.path.join(tmp, f"session{n}.sql"))
            with open(paths[-1], "w") as f:
                f.write(sql)
        start = time.monotonic()
        runs = [subprocess.Popen(psql_command(db) + ["-f", path], stdout=subprocess.DEVNULL,
                                 stderr=subprocess.PIPE, text=True) for path in paths]
        failed = [run.stderr.read() for run in runs if run.wait() != 0]
        if failed:
            sys.exit(f"psql failed: {failed[0]}")
        return time.monotonic() - start


def pgbench(script, db):
    """TPS of a pgbench run of `script` (SQL text): CLIENTS clients, SECONDS seconds."""
    with tempfile.NamedTemporaryFile("w", suffix=".sql", delete=False) as f:
        f.write(script)
    try:
        return pgbench_run(db, ["-f", f.name])
    finally:
        os.unlink(f.name)


def pgbench_run(db, args, seconds=SECONDS):
    """TPS of a pgbench run with `args` (a script file, a built-in): CLIENTS
    clients, `seconds` seconds; a failed run or failed transaction stops the
    benchmark."""
    out = subprocess.run([f"{PG_BIN}/pgbench", "-n", "-c", str(CLIENTS), "-j", "2",
                          "-T", str(seconds), *args, db], capture_output=True, text=True)
    m = re.search(r"tps = ([0-9.]+) \(without initial connection time\)", out.stdout)
    failed = re.search(r"number of failed transactions: ([0-9]+)", out.stdout)
    if out.returncode != 0 or not m or (failed and int(failed.group(1)) > 0):
        sys.exit(f"pgbench failed: {out.stdout}\n{out.stderr}")
    return float(m.group(1))
