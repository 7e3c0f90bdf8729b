"""HRED and VHRED: utterance encoder + context RNN + decoder, and its latent-variable version (Day3 Section5).

HRED (Serban et al. 2016) = seq2seq + context RNN: each utterance is encoded
to a vector, a context GRU runs over those vectors, and its final state c
conditions the reply decoder, so the reply can depend on earlier turns. As in
the paper, the decoder sees c at every step (c starts the decoder and joins
each step's word embedding), not only as its initial state: the path from the
first turn to every reply word stays short.
VHRED adds a latent z per reply (the VAE idea): a prior p(z | context) and,
in training, a posterior q(z | context, reply); the decoder is conditioned on
c + W z, and KL(q ‖ p) joins the loss. Sampling z from the prior gives
different replies to the same context; HRED's only randomness is word by word.
"""

from __future__ import annotations

import keras
from keras import ops

from .vae import Sampling


@keras.saving.register_keras_serializable(package="dlx")
class GaussianKL(keras.layers.Layer):
    """Adds weight · mean KL(N(μq, σq²) ‖ N(μp, σp²)) to the losses; passes (μq, log σq²) through.

    The weight is a non-trainable variable (``kl_weight``) so a callback can anneal it.

    Args:
        initial_weight: starting KL weight.

    Call arguments:
        q_mean, q_log_var, p_mean, p_log_var: (batch, latent_dim).

    Returns:
        ``(q_mean, q_log_var)``.
    """

    def __init__(self, initial_weight: float = 1.0, **kwargs):
        super().__init__(**kwargs)
        if initial_weight < 0:
            raise ValueError(f"initial_weight must be non-negative. Received: initial_weight={initial_weight}")
        self.initial_weight = initial_weight

    def build(self, q_mean_shape, q_log_var_shape=None, p_mean_shape=None, p_log_var_shape=None):
        self.kl_weight = self.add_weight(shape=(), initializer=keras.initializers.Constant(self.initial_weight), trainable=False, name="kl_weight")
        self.built = True

    def call(self, q_mean, q_log_var, p_mean, p_log_var):
        kl = 0.5 * ops.sum(
            p_log_var - q_log_var + (ops.exp(q_log_var) + ops.square(q_mean - p_mean)) / ops.exp(p_log_var) - 1.0, axis=-1
        )
        self.add_loss(self.kl_weight * ops.mean(kl))
        return q_mean, q_log_var

    def compute_output_shape(self, q_mean_shape, q_log_var_shape=None, p_mean_shape=None, p_log_var_shape=None):
        return q_mean_shape, q_log_var_shape or q_mean_shape

    def get_config(self):
        return {**super().get_config(), "initial_weight": self.initial_weight}


@keras.saving.register_keras_serializable(package="dlx")
class RepeatOverTime(keras.layers.Layer):
    """Repeats a vector at every time step of a sequence (HRED's context joins each decoder input).

    Call arguments:
        vector: (batch, d).
        like: (batch, T, ...) or (batch, T): only its first two dimensions are used.

    Returns:
        (batch, T, d).
    """

    def build(self, vector_shape, like_shape=None):
        self.built = True

    def call(self, vector, like):
        shape = ops.shape(like)
        return ops.broadcast_to(ops.expand_dims(vector, 1), (shape[0], shape[1], ops.shape(vector)[-1]))

    def compute_mask(self, *args, **kwargs):
        return None

    def compute_output_shape(self, vector_shape, like_shape=None):
        return (vector_shape[0], like_shape[1] if like_shape else None, vector_shape[-1])


def build_hred(
    vocab_size: int,
    *,
    turns: int,
    turn_len: int,
    embed_dim: int = 32,
    units: int = 64,
    latent_dim: int = 0,
    context: bool = True,
    context_every_step: bool = True,
    name: str = "hred",
) -> dict:
    """HRED (``latent_dim`` = 0) or VHRED (``latent_dim`` > 0); ``context=False`` sees the last turn only.

    Args:
        vocab_size: words (id 0 pads); turns, turn_len: context shape.
        embed_dim: word embedding size; units: GRU units of encoder, context RNN and decoder.
        latent_dim: size of VHRED's z (0 for HRED).
        context: False gives the no-context baseline (a seq2seq on the last turn).
        context_every_step: join the conditioning vector (c, or c + W z) to every decoder
            input as well as starting the decoder from it; False: initial state only.
        name: prefix of every layer name.
    Returns:
        dict with ``train`` (teacher-forced model: [turns (B, turns, turn_len), reply_in (B, R)]
        → logits (B, R, V)), ``generate`` (the same with a third input z (B, latent_dim) for VHRED,
        drawn from the prior by ``prior`` ([turns] → [mean, log_var])), and ``kl`` (the KL layer or None).
    """
    if units < 1 or embed_dim < 1 or latent_dim < 0:
        raise ValueError(f"Received: units={units}, embed_dim={embed_dim}, latent_dim={latent_dim}")
    embedding = keras.layers.Embedding(vocab_size, embed_dim, mask_zero=True, name=f"{name}_embedding")
    utterance = keras.Input((turn_len,), dtype="int32", name=f"{name}_utterance")
    utterance_encoder = keras.Model(
        utterance, keras.layers.GRU(units, name=f"{name}_utterance_gru")(embedding(utterance)), name=f"{name}_utterance_encoder"
    )
    context_rnn = keras.layers.GRU(units, name=f"{name}_context_gru")
    decoder_rnn = keras.layers.GRU(units, return_sequences=True, name=f"{name}_decoder_gru")
    logits_layer = keras.layers.Dense(vocab_size, name=f"{name}_logits")

    dialogue = keras.Input((turns, turn_len), dtype="int32", name=f"{name}_turns")
    reply_in = keras.Input((None,), dtype="int32", name=f"{name}_reply_in")
    if context:
        vectors = keras.layers.TimeDistributed(utterance_encoder, name=f"{name}_encode_turns")(dialogue)
        c = context_rnn(vectors)
    else:
        c = utterance_encoder(dialogue[:, -1])

    repeat = RepeatOverTime(name=f"{name}_repeat_condition")
    join = keras.layers.Concatenate(name=f"{name}_word_and_condition")

    def decode(condition):
        words = embedding(reply_in)
        if context_every_step:
            words = join([words, repeat(condition, reply_in)])
        return logits_layer(decoder_rnn(words, initial_state=condition))

    if latent_dim == 0:
        model = keras.Model([dialogue, reply_in], decode(c), name=name)
        return {"train": model, "generate": model, "prior": None, "kl": None}

    prior_hidden = keras.layers.Dense(units, activation="tanh", name=f"{name}_prior_hidden")
    prior_mean = keras.layers.Dense(latent_dim, name=f"{name}_prior_mean")
    prior_log_var = keras.layers.Dense(latent_dim, name=f"{name}_prior_log_var")
    z_to_state = keras.layers.Dense(units, name=f"{name}_z_to_state")
    add_z = keras.layers.Add(name=f"{name}_context_plus_z")

    def init_layer(c_and_z):
        # the decoder is conditioned on c + W z: z shifts the context state instead of replacing it
        return add_z([c_and_z[0], z_to_state(c_and_z[1])])

    hp = prior_hidden(c)
    p_mean, p_log_var = prior_mean(hp), prior_log_var(hp)

    reply_out = keras.Input((None,), dtype="int32", name=f"{name}_reply_out")
    r = keras.layers.GRU(units, name=f"{name}_reply_gru")(embedding(reply_out))
    hq = keras.layers.Dense(units, activation="tanh", name=f"{name}_posterior_hidden")(keras.layers.Concatenate(name=f"{name}_c_r")([c, r]))
    q_mean = keras.layers.Dense(latent_dim, name=f"{name}_posterior_mean")(hq)
    q_log_var = keras.layers.Dense(latent_dim, name=f"{name}_posterior_log_var")(hq)
    kl = GaussianKL(0.0, name=f"{name}_kl")
    q_mean, q_log_var = kl(q_mean, q_log_var, p_mean, p_log_var)
    z = Sampling(name=f"{name}_sampling")(q_mean, q_log_var)
    train = keras.Model([dialogue, reply_in, reply_out], decode(init_layer([c, z])), name=name)

    z_in = keras.Input((latent_dim,), name=f"{name}_z")
    generate = keras.Model([dialogue, reply_in, z_in], decode(init_layer([c, z_in])), name=f"{name}_generate")
    prior = keras.Model(dialogue, [p_mean, p_log_var], name=f"{name}_prior")
    return {"train": train, "generate": generate, "prior": prior, "kl": kl}
