"""Day4 Section1 (強化学習): policy gradient (方策勾配法) and DQN on gymnasium's CartPole-v1.

``day4.policy_gradient`` is REINFORCE with a baseline: the policy network
(``nn.rl.build_policy_net``) climbs Σ log π(a|s, θ)(G − b), the course's
policy-gradient theorem with the return G in place of Q^π; its gradient's numpy
twin (``scratch.policy_gradient``) is checked against ``tf.GradientTape`` in the
run and in the tests. ``day4.dqn`` is Q-learning with a Q network and the
course's four tricks — experience replay, a fixed target network, reward
clipping and the Huber loss — with an ablation table that switches each off.
Both save ``policy.keras`` (float32 observations (n, 4) → scores (n, 2), greedy
action = argmax), which ``keras.models.load_model`` loads with no custom objects.
The runs live in ``studies.rl`` (settings in ``studies.rl.config``); TensorFlow is imported inside them only.
"""

from __future__ import annotations

from ..registry import exercise
from ..studies.rl import config

_THRESHOLD = (config.CARTPOLE_THRESHOLD, "gymnasium's reward_threshold for CartPole-v1 (the environment counts as solved)")


@exercise(
    "day4.policy_gradient",
    title="REINFORCE with a baseline on CartPole",
    title_ja="方策勾配法（REINFORCE・ベースライン付き）",
    section="Day4 Section1",
    tags=("keras", "numpy", "rl", "gymnasium"),
    params=config.pg_params(),
    budgets=config.PG_BUDGETS,
    targets={"quick": {"greedy_mean_return": ">= 300"}, "full": {"greedy_mean_return": ">= 475"}},
    references={"greedy_mean_return": _THRESHOLD},
)
def policy_gradient(ctx):
    """REINFORCE: θ ← θ + η (1/N) Σ ∇θ log π(a_t|s_t, θ)(G_t − b) on CartPole-v1; greedy return on unseen seeds (Day4 Section1)."""
    from ..studies.rl.report import run_policy_gradient

    run_policy_gradient(ctx)


@exercise(
    "day4.dqn",
    title="DQN on CartPole: replay, target network, reward clipping, Huber loss",
    title_ja="DQN（Experience Replay・Fixed Target Q-Network・報酬のclipping・Huber関数）",
    section="Day4 Section1",
    tags=("keras", "rl", "gymnasium"),
    params=config.dqn_params(),
    budgets=config.DQN_BUDGETS,
    targets={"quick": {"greedy_mean_return": ">= 475"}, "full": {"greedy_mean_return": ">= 475"}},
    references={"greedy_mean_return": _THRESHOLD,
                "env_steps": (50_000, "rl-baselines3-zoo DQN CartPole-v1: 500 within 50,000 environment steps")},
)
def dqn(ctx):
    """DQN: y = r + γ(1 − terminated) max_a' Q_target(s', a'), Huber loss, replay, ε schedule on CartPole-v1 (Day4 Section1)."""
    from ..studies.rl.report import run_dqn

    run_dqn(ctx)
