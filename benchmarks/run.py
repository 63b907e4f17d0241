"""Runs the raw C loop and every built language benchmark side by side and
prints ns/op, the ratio to raw C, and whether each target is met.

usage: python3 benchmarks/run.py BUILD_DIR   (or: cmake --build build --target benchmark)
"""
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))

# Targets from the issues: the ratio to the raw C loop each op must stay under.
TARGETS = {
    "python": {"sem_pair": 4.5, "mq_64": 1.6, "mq_4096": 1.6},
    "lua": {"sem_pair": 5.0, "mq_64": 1.6},
    "tcl": {"sem_pair": 10.0, "mq_64": 2.0},
}
# Python against the model of posix_ipc 1.3.2 (python/upstream_model.c): no slower.
UPSTREAM_TARGET = 1.0
OPS = ["sem_pair", "sem_pair_bound", "sem_with", "mq_64", "mq_4096", "sem_value",
       "mq_current_messages", "shm_lifecycle", "method_call"]


def parse(output):
    results = {}
    for line in output.splitlines():
        parts = line.split()
        if len(parts) == 2:
            try:
                results[parts[0]] = float(parts[1])
            except ValueError:
                pass
    return results


def run(command, env_extra=None):
    env = dict(os.environ, **(env_extra or {}))
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=300)
    if done.returncode != 0:
        sys.stderr.write("%s failed:\n%s%s" % (" ".join(command), done.stdout, done.stderr))
        return None
    return parse(done.stdout)


def main():
    build = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else "build")
    versus_upstream = {}
    results = {"raw C": run([os.path.join(build, "benchmarks", "raw_c_bench")])}
    if os.path.isdir(os.path.join(build, "python", "posix_ipc")):
        python = os.environ.get("POSIX_IPC_PYTHON", "/usr/bin/python3")
        env = {"PYTHONPATH": os.path.join(build, "python")}
        model_dir = os.path.join(build, "benchmarks", "python")
        if os.path.isdir(model_dir) and any(name.startswith("_upstream_model")
                                            for name in os.listdir(model_dir)):
            env["POSIX_IPC_UPSTREAM_MODEL"] = model_dir
        python_results = run([python, os.path.join(HERE, "python", "bench.py")], env)
        if python_results:
            results["python"] = {op: value for op, value in python_results.items()
                                 if not op.startswith(("cpu.", "upstream"))}
            versus_upstream = {op[len("cpu."):]: (value, python_results["upstream." + op],
                                                  python_results["upstream_twin." + op])
                               for op, value in python_results.items()
                               if op.startswith("cpu.") and "upstream_twin." + op in python_results}
    lua_dir = os.path.join(build, "lua")
    if os.path.isdir(lua_dir):
        results["lua"] = run(["lua5.4", os.path.join(HERE, "lua", "bench.lua")],
                             {"LUA_CPATH": lua_dir + "/?.so;;", "LUA_PATH": lua_dir + "/?.lua;;"})
    tcl_dir = os.path.join(build, "tcl")
    if os.path.isdir(tcl_dir):
        results["tcl"] = run(["tclsh", os.path.join(HERE, "tcl", "bench.tcl")], {"TCLLIBPATH": tcl_dir})
    raw = results["raw C"] or {}
    languages = [name for name in results if name != "raw C" and results[name]]

    header = "%-22s %10s" % ("op (ns/op)", "raw C") + "".join("%20s" % name for name in languages)
    print(header)
    print("-" * len(header))
    for op in OPS:
        if not any(op in (results[name] or {}) for name in results):
            continue
        row = "%-22s %10s" % (op, "%.1f" % raw[op] if op in raw else "-")
        for name in languages:
            value = results[name].get(op)
            if value is None:
                row += "%20s" % "-"
            elif op in raw:
                row += "%20s" % ("%.1f (%.2fx)" % (value, value / raw[op]))
            else:
                row += "%20s" % ("%.1f" % value)
        print(row)

    print()
    failed = False
    for name in languages:
        for op, limit in TARGETS.get(name, {}).items():
            if op not in results[name] or op not in raw:
                continue
            ratio = results[name][op] / raw[op]
            ok = ratio <= limit
            failed |= not ok
            print("%-7s %-10s %.2fx raw C (target <= %.1fx): %s" % (name, op, ratio, limit, "met" if ok else "MISSED"))
    # Against the model of upstream: met when no slower; "within noise" when
    # slower by less than the model differs from itself in the same run (a
    # second copy of the same path, timed in the same turns).
    for op in OPS:
        if op in versus_upstream:
            ours, upstream, twin = versus_upstream[op]
            ratio, noise = ours / upstream, abs(twin / upstream - 1)
            if ratio <= UPSTREAM_TARGET:
                verdict = "met"
            elif ratio <= UPSTREAM_TARGET + noise:
                verdict = "within noise"
            else:
                verdict = "MISSED"
                failed = True
            print("python  %-20s %7.1f vs %7.1f ns CPU: %.2fx the posix_ipc 1.3.2 model, "
                  "noise %.0f%% (target <= %.1fx): %s" % (op, ours, upstream, ratio, 100 * noise,
                                                         UPSTREAM_TARGET, verdict))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
