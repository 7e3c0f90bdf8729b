"""Reinforcement learning on gymnasium environments (Day4 Section1, 強化学習): the runs the exercises and ``bench.rl`` show.

- Tabular Q-learning and Sarsa (``scratch.tabular_rl``) on ``CliffWalking-v1``
  (Sutton & Barto, Example 6.6) and slippery ``FrozenLake-v1`` (optimum by
  value iteration on the environment's own transition table).
- REINFORCE with a baseline (``nn.rl.build_policy_net``; the gradient's numpy
  twin is ``scratch.policy_gradient``) and DQN (``nn.rl``, ``scratch.replay_buffer``)
  on ``CartPole-v1``.

Rooms: ``config`` (parameters, budgets, the settings dataclasses: each default written once),
``cartpole`` (environments stepped in lockstep, greedy evaluation), ``loops`` (the training runs,
over callbacks, never the run context), ``report`` (metrics and tables through ``ctx``) and
``figures`` (CSV and PNG files). ``day4.q_learning``/``day4.sarsa``, ``day4.policy_gradient``/``day4.dqn``
and ``bench.rl`` all run these functions.

Environment seeds: training environment i is seeded once, at its first reset, with
``TRAIN_SEED + seed·1000 + i`` (later resets continue its generator); validation (early stopping)
uses ``VALIDATION_SEED + j`` and the reported greedy evaluation ``EVAL_SEED + j`` — three ranges
that never meet.
"""
