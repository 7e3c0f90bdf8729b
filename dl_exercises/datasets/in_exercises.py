"""Data that exercises make for themselves, and the environments the RL exercises run: listed, not loaded here.

Each is generated (or simulated) inside its exercise from the run's seed and
parameters; it is registered so that ``dlx data list`` names every data set a
result can record, with the exercises that make it.
"""

from __future__ import annotations

import importlib.util

from . import generated_inside


def _gymnasium(env_id: str):
    def status() -> tuple[bool, str]:
        if importlib.util.find_spec("gymnasium") is None:
            return False, "needs gymnasium (pip install gymnasium)"
        return True, f"simulated by gymnasium ({env_id})"

    return status


generated_inside("digit_copy", used_by=("day3.attention",),
                 description="digit strings to copy, of random lengths (seq2seq with and without attention)")
generated_inside("majority3", used_by=("day3.bidirectional",),
                 description="bit sequences; label t = majority of bits t−1, t, t+1 (needs both directions)")
generated_inside("truth_tables", used_by=("examples.or_perceptron",),
                 records=("or_truth_table", "and_truth_table", "xor_truth_table"),
                 description="the 4 inputs of a 2-input gate (OR, AND, XOR) and its outputs")
generated_inside("quadratic", used_by=("examples.nonlinear_regression",),
                 description="d = 30x² + 0.5x + 0.2 + noise, x uniform in [-2, 2) (--set function=quadratic)")
generated_inside("text_file", used_by=("day3.word2vec",), kind="local",
                 status=lambda: (True, "a text file of yours: --set corpus=PATH"),
                 description="any UTF-8 text file, tokenized as the python_docs corpus is")
generated_inside("cliff_walking", used_by=("day4.q_learning", "day4.sarsa", "bench.rl"), kind="environment",
                 records=("CliffWalking-v1",), status=_gymnasium("CliffWalking-v1"),
                 description="gymnasium CliffWalking-v1: 4×12 grid, −100 for the cliff (Sutton & Barto 6.6)")
generated_inside("frozen_lake", used_by=("day4.q_learning", "day4.sarsa"), kind="environment",
                 records=("FrozenLake-v1",), status=_gymnasium("FrozenLake-v1"),
                 description="gymnasium FrozenLake-v1: slippery 4×4 lake")
generated_inside("cartpole", used_by=("day4.dqn", "day4.policy_gradient", "bench.rl"), kind="environment",
                 records=("CartPole-v1",), status=_gymnasium("CartPole-v1"),
                 description="gymnasium CartPole-v1: balance a pole, +1 per step, at most 500 steps")
