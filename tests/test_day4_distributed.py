"""Day4 Section3 distributed training: synchronous data parallelism, model parallelism, workers, a parameter server.

The strategy checks run in a child process (logical devices must be set up before
TensorFlow initialises, which in a test process it already has); the reference
of a replicated step is the same step on one device, the reference of a split
model the unsplit one, the reference of the workers the single-process run, and
the reference of the simulated parameter server a hand-written SGD loop.
"""

from __future__ import annotations

import json
import socket
import time

import numpy as np
import pytest
from typer.testing import CliRunner

from dl_exercises.errors import DlxError
from dl_exercises.train.distributed import parameter_server as ps
from dl_exercises.train.distributed import processes


def _data(n_train=512, n_test=200, seed=0):
    rng = np.random.default_rng(seed)
    centres = rng.normal(0, 1, (10, 64))
    def make(n):
        y = rng.integers(0, 10, n)
        return (centres[y] + rng.normal(0, 1.5, (n, 64))).astype("float32"), y.astype("int64")
    x_train, y_train = make(n_train)
    x_test, y_test = make(n_test)
    return {"x_train": x_train, "y_train": y_train, "x_test": x_test, "y_test": y_test}


SPEC = {"seed": 0, "replicas": [1, 2], "global_batch": 64, "epochs": 2, "lr": 0.1, "hidden": 32, "reference": True}


@pytest.fixture(scope="module")
def local():
    """One child process: every single-machine strategy check at once."""
    return processes.run_job("local", {**SPEC, "arrays": _data()}, timeout=600)


# --- on one machine (child process) -------------------------------------------------------------


def test_one_synchronous_step_equals_one_device(local):
    """Same global batch and weights: 2 replicas give the loss and the update of one device (float32)."""
    one = local["one_step"]
    assert one["start_weight_diff"] == 0.0
    assert one["loss_diff"] <= 1e-5 * abs(one["loss_one_device"])  # about 80 float32 rounding steps of the loss
    assert one["weight_diff"] <= 1e-6 < one["update_size"] / 100  # the step itself moved weights far more


def test_fit_under_more_replicas_follows_the_same_losses(local):
    one, two = local["fit"]
    assert (one["replicas"], two["replicas"]) == (1, 2)
    np.testing.assert_allclose(two["losses"], one["losses"], rtol=1e-5)
    assert one["losses"][-1] < one["losses"][0]
    # the hand-written loop of the multi-worker run reaches the same losses as model.fit
    np.testing.assert_allclose(local["reference"]["losses"], one["losses"], rtol=1e-5)


def test_model_parallel_split_equals_the_unsplit_model(local):
    split = local["model_parallel"]
    assert split["variable_devices"][0].endswith("CPU:0") and split["variable_devices"][2].endswith("CPU:1")
    assert split["hidden_device"].endswith("CPU:0")
    assert split["output_diff"] <= 1e-6 and split["step_weight_diff"] <= 1e-6
    assert split["same_predictions"] == 1.0


@pytest.mark.slow
def test_two_worker_processes_reach_the_single_process_loss(local):
    workers = processes.run_job("worker", {**SPEC, "arrays": _data()}, timeout=600, workers=2)
    assert [w["task"]["index"] for w in workers] == [0, 1] and all(w["replicas"] == 2 for w in workers)
    for w in workers:
        np.testing.assert_allclose(w["losses"], local["reference"]["losses"], rtol=1e-5)


# --- processes: ports, TF_CONFIG, failures ------------------------------------------------------


def test_free_ports_are_distinct_and_released():
    ports = processes.free_ports(3)
    assert len(set(ports)) == 3
    for port in ports:  # released: each can be bound again
        with socket.socket() as s:
            s.bind(("127.0.0.1", port))


def test_tf_config_names_the_cluster_and_the_task():
    config = json.loads(processes.tf_config(["localhost:1", "localhost:2"], 1))
    assert config == {"cluster": {"worker": ["localhost:1", "localhost:2"]}, "task": {"type": "worker", "index": 1}}
    with pytest.raises(ValueError, match="Received: index=2"):
        processes.tf_config(["localhost:1", "localhost:2"], 2)


def test_a_dying_worker_is_one_line_and_stops_the_others():
    start = time.monotonic()
    with pytest.raises(DlxError) as info:
        processes.run_job("fail", {"fail_index": 1, "code": 7, "message": "CUDA out of memory (pretend)", "hang": 120,
                              "sleep": 0.5}, timeout=120, workers=2)
    message = str(info.value)
    assert "worker 1" in message and "code 7" in message and "CUDA out of memory (pretend)" in message
    assert "\n" not in message
    assert time.monotonic() - start < 60  # the hanging worker 0 was stopped, not waited for


def test_workers_that_hang_are_stopped_at_the_timeout():
    start = time.monotonic()
    with pytest.raises(DlxError, match="still running after 3 s"):
        processes.run_job("fail", {"fail_index": 5, "hang": 120}, timeout=3, workers=2)
    assert time.monotonic() - start < 60


def test_a_job_that_succeeds_returns_each_result():
    results = processes.run_job("fail", {"fail_index": 0, "code": 0}, timeout=120, workers=2)
    # each worker's own result, and whether it ran in a loopback-only network namespace (tests/test_loopback.py)
    assert [{k: v for k, v in r.items() if k != "loopback_namespace"} for r in results] == [{"index": 0}, {"index": 1}]
    assert all("loopback_namespace" in r for r in results)


# --- the parameter server, simulated ------------------------------------------------------------


def _hand_sgd(x, y, params, batches, lr, hidden):
    from dl_exercises.scratch.two_layer_net import TwoLayerNet

    net = TwoLayerNet(x.shape[1], hidden, 10, params=params)
    for idx in batches:
        grads = net.gradient(x[idx], y[idx])
        for k in net.params:
            net.params[k] -= lr * grads[k]
    return net.params


def test_no_staleness_is_plain_sgd_whatever_the_threads():
    d = _data(400)
    x, y = d["x_train"].astype(np.float64), d["y_train"]
    kw = dict(lr=0.05, batch=16, gradients=48, hidden=16, seed=3, eval_every=8)
    run = ps.simulate_parameter_server(x, y, x[:100], y[:100], workers=4, staleness=0, **kw)
    expected = _hand_sgd(x, y, ps.initial_params(64, 16, 3), ps.batch_order(len(x), 16, 48, 4), 0.05, 16)
    for k in expected:
        np.testing.assert_allclose(run["params"][k], expected[k], rtol=1e-12, atol=1e-14)


def test_synchronous_round_is_sgd_on_the_union_of_the_workers_batches():
    d = _data(400)
    x, y = d["x_train"].astype(np.float64), d["y_train"]
    kw = dict(batch=16, gradients=48, hidden=16, seed=3, eval_every=8)
    run = ps.simulate_synchronous(x, y, x[:100], y[:100], workers=4, lr=0.2, **kw)
    union = ps.batch_order(len(x), 16, 48, 4).reshape(12, 64)  # 4 workers × 16 = one batch of 64 per round
    expected = _hand_sgd(x, y, ps.initial_params(64, 16, 3), union, 0.2, 16)
    for k in expected:
        np.testing.assert_allclose(run["params"][k], expected[k], rtol=1e-9, atol=1e-12)


def test_stale_runs_repeat_exactly_and_differ_from_fresh_ones():
    d = _data(400)
    x, y = d["x_train"].astype(np.float64), d["y_train"]
    kw = dict(workers=4, lr=0.05, batch=16, gradients=64, hidden=16, seed=5, eval_every=8)
    a = ps.simulate_parameter_server(x, y, x[:100], y[:100], staleness=3, **kw)
    b = ps.simulate_parameter_server(x, y, x[:100], y[:100], staleness=3, **kw)
    fresh = ps.simulate_parameter_server(x, y, x[:100], y[:100], staleness=0, **kw)
    assert a["curve"] == b["curve"]
    assert a["curve"] != fresh["curve"]
    assert [g for g, _ in a["curve"]] == list(range(0, 65, 8))


def test_parameter_server_keeps_only_the_versions_still_needed():
    server = ps.ParameterServer({"w": np.zeros(2)}, staleness=2)
    for t in range(5):
        server.push(t, {"w": np.ones(2)}, lr=1.0)
    assert sorted(server.versions) == [3, 4, 5]
    np.testing.assert_array_equal(server.pull(5)["w"], [-5.0, -5.0])


# --- bad --set values exit 2 ------------------------------------------------------------------------


@pytest.mark.parametrize("setting,allowed", [
    ("replicas=0", ">= 1"),
    (f"replicas={__import__('dl_exercises.exercises.day4_distributed', fromlist=['DEVICES']).DEVICES + 1}", "<= "),
    ("staleness=0,-1", "integers >= 0"),
    ("global_batch=63", "divisible"),
])
def test_bad_settings_exit_2_with_the_allowed_range(setting, allowed):
    from dl_exercises.cli.app import app

    result = CliRunner().invoke(app, ["run", "day4.distributed", "--budget", "smoke", "--set", setting])
    assert result.exit_code == 2, result.output
    assert allowed in result.stderr


@pytest.mark.slow
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_quick_targets(seed):
    from dl_exercises import run

    result = run("day4.distributed", budget="quick", seed=seed)
    assert result.status == "ok", [(t.metric, t.value, t.bound) for t in result.targets if not t.met]
