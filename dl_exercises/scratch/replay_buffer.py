"""Experience replay for DQN in numpy: a ring buffer of transitions sampled uniformly (Day4 Section1, DQN).

The course's first DQN trick (Experience Replay): learning from each step as it
comes feeds the network strongly correlated samples; storing transitions and
drawing mini-batches at random from memory breaks that correlation. A buffer
whose capacity equals the batch size is the ablation "no replay": every batch
is then simply the latest transitions.
"""

from __future__ import annotations

import numpy as np


class ReplayBuffer:
    """Transitions (s, a, r, s', terminated) in a fixed-size ring; the oldest are overwritten.

    Args:
        capacity: transitions kept.
        obs_dim: length of an observation vector.
        seed: seeds the sampling.
    """

    def __init__(self, capacity: int, obs_dim: int, *, seed: int = 0) -> None:
        if capacity < 1:
            raise ValueError(f"capacity must be >= 1, Received: capacity={capacity}")
        self.capacity, self.obs_dim = int(capacity), int(obs_dim)
        self.obs = np.zeros((capacity, obs_dim), np.float32)
        self.next_obs = np.zeros((capacity, obs_dim), np.float32)
        self.actions = np.zeros(capacity, np.int32)
        self.rewards = np.zeros(capacity, np.float32)
        self.terminated = np.zeros(capacity, np.float32)
        self.size = 0
        self._next = 0
        self._rng = np.random.default_rng(seed)

    def __len__(self) -> int:
        return self.size

    def add(self, obs, actions, rewards, next_obs, terminated) -> None:
        """Append a batch of n transitions (arrays with a leading n); ``terminated`` 1.0 where s' is terminal.

        A truncated transition (time limit) is stored with terminated = 0: its target bootstraps from s'.
        """
        obs = np.asarray(obs, np.float32).reshape(-1, self.obs_dim)
        n = len(obs)
        idx = (self._next + np.arange(n)) % self.capacity
        self.obs[idx] = obs
        self.next_obs[idx] = np.asarray(next_obs, np.float32).reshape(-1, self.obs_dim)
        self.actions[idx] = np.asarray(actions).reshape(-1)
        self.rewards[idx] = np.asarray(rewards, np.float32).reshape(-1)
        self.terminated[idx] = np.asarray(terminated, np.float32).reshape(-1)
        self._next = int((self._next + n) % self.capacity)
        self.size = int(min(self.capacity, self.size + n))

    def sample(self, batch_size: int, n_batches: int = 1) -> tuple[np.ndarray, ...]:
        """``n_batches`` mini-batches drawn uniformly with replacement: arrays of shape (n_batches, batch_size, ...).

        When the buffer holds no more than ``batch_size`` transitions, every batch is the whole buffer
        (the "no replay" ablation: learn from the latest transitions only).
        """
        if self.size == 0:
            raise ValueError("sample() from an empty buffer")
        if self.size <= batch_size:
            idx = np.broadcast_to(np.arange(self.size), (n_batches, self.size))
        else:
            idx = self._rng.integers(0, self.size, size=(n_batches, batch_size))
        return (self.obs[idx], self.actions[idx], self.rewards[idx], self.next_obs[idx], self.terminated[idx])
