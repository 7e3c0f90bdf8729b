"""AlphaGo and AlphaGo Zero in miniature on tic-tac-toe and 4×4 connect-four (Day4 Section2): day4.alphago's runs.

Rooms: ``config`` (parameters, budgets, ``AlphaGoConfig``: each default written once), ``evaluator``
(networks called once per position and version), ``selfplay`` (the positions the networks learn
from: the solver's moves, policy self-play, MCTS self-play), ``loops`` (SL, RL, value and Zero
training over the loop protocol, never the run context), ``verification`` (deterministic agents
checked against every line), ``pipeline`` (the stages in order) and ``report`` (metrics, tables and
files through ``ctx``; the network ``dlx play`` trains).
"""
