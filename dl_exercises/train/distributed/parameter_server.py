"""The asynchronous parameter server (Keras 3 has no ParameterServerStrategy), simulated in numpy with worker threads.

Day4 Section3 (データ並列化: 非同期型 vs 同期型). Every run is deterministic: the order of
updates is fixed however the threads are scheduled.
"""

from __future__ import annotations

import threading
import time

import numpy as np


class ParameterServer:
    """Shared parameters with versions: update t is applied with a gradient computed on version max(0, t − τ).

    Worker threads ``pull`` a version (waiting until it exists) and ``push`` a
    gradient for update t (waiting for its turn, so the order of updates, and with
    it every result, is the same on every run however the threads are scheduled).
    Only the last τ + 1 versions are kept.
    """

    def __init__(self, params: dict[str, np.ndarray], staleness: int) -> None:
        if staleness < 0:
            raise ValueError(f"ParameterServer: staleness must be >= 0, Received: staleness={staleness}")
        self.staleness = staleness
        self.version = 0
        self.versions = {0: {k: np.array(v) for k, v in params.items()}}
        self.snapshots: dict[int, dict[str, np.ndarray]] = {}
        self.cond = threading.Condition()
        self.error: BaseException | None = None

    def pull(self, version: int) -> dict[str, np.ndarray]:
        with self.cond:
            self.cond.wait_for(lambda: self.error is not None or self.version >= version)
            if self.error is not None:
                raise RuntimeError("another worker failed")
            return self.versions[version]

    def push(self, update: int, grads: dict[str, np.ndarray], lr: float, keep: bool = False) -> None:
        with self.cond:
            self.cond.wait_for(lambda: self.error is not None or self.version == update)
            if self.error is not None:
                raise RuntimeError("another worker failed")
            current = self.versions[self.version]
            self.version += 1
            self.versions[self.version] = {k: current[k] - lr * grads[k] for k in current}
            self.versions.pop(self.version - self.staleness - 1, None)
            if keep:
                self.snapshots[self.version] = self.versions[self.version]
            self.cond.notify_all()

    def fail(self, error: BaseException) -> None:
        with self.cond:
            self.error = error
            self.cond.notify_all()


def batch_order(n: int, batch: int, count: int, seed: int) -> np.ndarray:
    """``count`` mini-batches of ``batch`` indices, epoch after epoch of seeded permutations."""
    rng = np.random.default_rng(seed)
    per_epoch = n // batch
    epochs = -(-count // per_epoch)
    order = np.concatenate([rng.permutation(n)[: per_epoch * batch] for _ in range(epochs)])
    return order.reshape(-1, batch)[:count]


def _net(params, n_in: int, hidden: int):
    from ...scratch.two_layer_net import TwoLayerNet

    return TwoLayerNet(n_in, hidden, 10, params=params)


def _set(net, params) -> None:
    for k, v in params.items():
        net.params[k][...] = v


def _evaluate(snapshots: dict[int, dict], net, x, y) -> dict[int, float]:
    losses = {}
    for version, params in sorted(snapshots.items()):
        _set(net, params)
        with np.errstate(all="ignore"):
            losses[version] = float(net.loss(x, y))
    return losses


def initial_params(n_in: int, hidden: int, seed: int) -> dict[str, np.ndarray]:
    """He-initialised W1, b1, W2, b2 of the course's two-layer net."""
    rng = np.random.default_rng(seed)
    return {"W1": rng.standard_normal((n_in, hidden)) * np.sqrt(2.0 / n_in), "b1": np.zeros(hidden),
            "W2": rng.standard_normal((hidden, 10)) * np.sqrt(2.0 / hidden), "b2": np.zeros(10)}


def simulate_parameter_server(x, y, x_eval, y_eval, *, workers: int, staleness: int, lr: float, batch: int,
                              gradients: int, hidden: int, seed: int, eval_every: int) -> dict:
    """Asynchronous SGD: ``workers`` threads, each update's gradient computed on parameters τ updates old.

    Worker w computes the gradients of updates w, w + W, w + 2W, … on its own
    mini-batches while the others compute theirs (numpy releases the GIL in its
    matrix products). τ = W − 1 is what W equally fast workers see; τ = 0 makes
    every worker wait for the newest parameters (plain SGD, one worker at a time).

    Returns:
        {"curve": [(gradients computed, loss on the evaluation images)], "params", "seconds"}.
    """
    from threadpoolctl import threadpool_limits

    params = initial_params(x.shape[1], hidden, seed)
    server = ParameterServer(params, staleness)
    server.snapshots[0] = server.versions[0]
    batches = batch_order(len(x), batch, gradients, seed + 1)

    def work(worker: int) -> None:
        net = _net(params, x.shape[1], hidden)
        try:
            for update in range(worker, gradients, workers):
                _set(net, server.pull(max(0, update - staleness)))
                idx = batches[update]
                with np.errstate(all="ignore"):
                    grads = net.gradient(x[idx], y[idx])
                server.push(update, grads, lr, keep=(update + 1) % eval_every == 0 or update + 1 == gradients)
        except BaseException as exc:  # noqa: BLE001 (handed to the main thread)
            server.fail(exc)

    start = time.perf_counter()
    with threadpool_limits(limits=1):
        threads = [threading.Thread(target=work, args=(w,), name=f"dlx-ps-worker{w}") for w in range(workers)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    seconds = time.perf_counter() - start
    if server.error is not None:
        raise server.error
    losses = _evaluate(server.snapshots, _net(params, x.shape[1], hidden), x_eval, y_eval)
    return {"curve": sorted(losses.items()), "params": server.versions[server.version], "seconds": seconds}


def simulate_synchronous(x, y, x_eval, y_eval, *, workers: int, lr: float, batch: int, gradients: int, hidden: int,
                         seed: int, eval_every: int) -> dict:
    """Synchronous SGD: each round ``workers`` threads compute gradients on the same parameters; the mean is applied.

    The same mini-batches as ``simulate_parameter_server`` (round r uses batches
    rW … rW + W − 1), so the x-axis "gradients computed" means the same work.
    """
    from concurrent.futures import ThreadPoolExecutor

    from threadpoolctl import threadpool_limits

    params = initial_params(x.shape[1], hidden, seed)
    batches = batch_order(len(x), batch, gradients, seed + 1)
    nets = [_net(params, x.shape[1], hidden) for _ in range(workers)]
    snapshots = {0: params}
    current = params

    def gradient(args):
        net, idx = args
        _set(net, current)
        with np.errstate(all="ignore"):
            return net.gradient(x[idx], y[idx])

    start = time.perf_counter()
    with threadpool_limits(limits=1), ThreadPoolExecutor(workers, thread_name_prefix="dlx-sync-worker") as pool:
        for first in range(0, gradients - workers + 1, workers):
            grads = list(pool.map(gradient, [(nets[w], batches[first + w]) for w in range(workers)]))
            current = {k: current[k] - lr * sum(g[k] for g in grads) / workers for k in current}
            done = first + workers
            if done % eval_every < workers or done + workers > gradients:
                snapshots[done] = current
    seconds = time.perf_counter() - start
    losses = _evaluate(snapshots, _net(params, x.shape[1], hidden), x_eval, y_eval)
    return {"curve": sorted(losses.items()), "params": current, "seconds": seconds}


def params_accuracy(params, x, y, hidden: int) -> float:
    net = _net(params, x.shape[1], hidden)
    with np.errstate(all="ignore"):
        return net.accuracy(x, y)
