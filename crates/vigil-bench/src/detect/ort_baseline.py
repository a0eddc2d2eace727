"""The baseline of `vigil bench detect`: onnxruntime's Python API running the same models on
the same input tensors, timed per run (wall clock and this thread's CPU).

Reads a JSON spec from argv[1]:
  {"runs": N, "threads": [1, 2], "models": [{"name", "path", "input", "shape"}]}
where `input` is a file of raw little-endian f32. Writes each model's outputs (from the last
1-thread run) next to its input as `<input>.out<i>` and prints one JSON line:
  {"onnxruntime": version, "models": [{"name", "ms": {threads: {"wall": [...], "cpu": [...]}}}]}
"""
import json
import sys
import time

import numpy as np
import onnxruntime as ort


def session(path, threads):
    so = ort.SessionOptions()
    so.intra_op_num_threads = threads
    so.inter_op_num_threads = 1
    so.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
    so.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    return ort.InferenceSession(path, so, providers=["CPUExecutionProvider"])


def main():
    spec = json.load(open(sys.argv[1]))
    report = {"onnxruntime": ort.__version__, "models": []}
    for m in spec["models"]:
        x = np.fromfile(m["input"], dtype="<f4").reshape(m["shape"])
        ms = {}
        outputs = None
        for threads in spec["threads"]:
            s = session(m["path"], threads)
            feed = {s.get_inputs()[0].name: x}
            s.run(None, feed)  # warm-up
            wall, cpu = [], []
            for _ in range(spec["runs"]):
                c0, t0 = time.thread_time_ns(), time.perf_counter_ns()
                out = s.run(None, feed)
                wall.append((time.perf_counter_ns() - t0) / 1e6)
                cpu.append((time.thread_time_ns() - c0) / 1e6)
            ms[str(threads)] = {"wall": wall, "cpu": cpu}
            if outputs is None:
                outputs = out
        for i, o in enumerate(outputs):
            np.asarray(o, dtype="<f4").tofile(f"{m['input']}.out{i}")
        report["models"].append({"name": m["name"], "ms": ms})
    print(json.dumps(report))


if __name__ == "__main__":
    main()
