"""Day 2 convolutional networks: im2col, the course's conv nets, modern architectures, transfer learning.

Day2 Section3 (畳み込みニューラルネットワークの概念) and Section4 (最新の CNN).
The numpy twins live in ``dl_exercises.scratch`` (im2col, conv_layers,
day2_convnets), the Keras builders in ``dl_exercises.nn``; the architecture
comparison is shared with ``dlx bench cnn`` (``dl_exercises.studies.cnn_architectures``).
TensorFlow, Keras and matplotlib are imported inside functions only.
"""

from __future__ import annotations

import time

from ..params import Param, choice, data_sizes, flag, fraction, learning_rate, non_negative, positive, string
from ..registry import exercise
from ..train.precision import PRECISIONS

COURSE_DEEP_TIME = "about an hour on a CPU (小一時間, numpy, 1000 iterations; Day2 Section3 report)"


# --- day2.im2col -----------------------------------------------------------------------------------

COURSE_IM2COL_INPUT = [
    [[[48, 2, 74, 50], [60, 0, 56, 22], [62, 44, 0, 95], [70, 60, 21, 76]]],
    [[[56, 96, 73, 30], [80, 67, 13, 1], [62, 24, 85, 17], [69, 32, 60, 93]]],
]


@exercise(
    "day2.im2col",
    title="im2col, convolution and pooling from scratch",
    title_ja="im2col と畳み込み層・プーリング層",
    section="Day2 Section3",
    tags=("numpy", "keras", "cnn"),
    params={"seed_input": non_negative(0, "seed of the random cross-check tensors")},
    course={"col_shape": ([8, 9], "Day2 Section3, im2col の結果: input (2,1,4,4), 3×3 filter")},
)
def im2col_exercise(ctx):
    """im2col/col2im, convolution and max-pooling via im2col, checked against scipy and Keras (Day2 Section3)."""
    import numpy as np
    from scipy import signal

    from ..scratch.conv_layers import Convolution, Pooling
    from ..scratch.gradient import numerical_gradient
    from ..scratch.im2col import conv_output_size, im2col, im2col_without_transpose

    x = np.array(COURSE_IM2COL_INPUT, dtype=np.float64)
    col = im2col(x, 3, 3, stride=1, pad=0)
    ctx.metric("col_shape", list(col.shape))
    ctx.table("im2col of the course's input (2, 1, 4, 4), 3×3 filter: one row per patch",
              [f"c{j}" for j in range(9)], col.astype(int).tolist())
    wrong = im2col_without_transpose(x, 3, 3)
    ctx.metric("rows_that_are_patches_without_transpose", int(sum(any((wrong[i] == col).all(1)) for i in range(8))))
    ctx.note("without the transpose (course: 'transpose なし') the same numbers are read in the wrong order: "
             "most rows are no longer patches")

    rows = []
    for h, f, s, p in [(28, 5, 1, 0), (28, 3, 1, 1), (14, 3, 1, 2), (7, 3, 2, 1), (227, 11, 4, 0), (6, 3, 2, 0), (4, 5, 1, 0)]:
        try:
            out = conv_output_size(h, f, s, p)
        except ValueError as exc:
            out = f"error: {exc}"
        rows.append([h, f, s, p, out])
    ctx.table("Output size (H + 2P − FH) / S + 1", ["H", "FH", "S", "P", "OH"], rows)

    # cross-checks on random tensors: scipy, Keras Conv2D, Keras MaxPooling2D, numeric gradients
    rng = np.random.default_rng(ctx.params["seed_input"])
    xr = rng.standard_normal((2, 3, 9, 9))
    W = rng.standard_normal((4, 3, 3, 3))
    b = rng.standard_normal(4)
    conv = Convolution(W, b, stride=2, pad=1)
    out = conv.forward(xr)
    xp = np.pad(xr, ((0, 0), (0, 0), (1, 1), (1, 1)))
    ref = np.stack([np.stack([sum(signal.correlate(xp[n, c], W[f, c], mode="valid") for c in range(3))[::2, ::2] + b[f]
                              for f in range(4)]) for n in range(2)])
    scipy_diff = ctx.metric("conv_vs_scipy_max_abs_diff", float(np.abs(out - ref).max()))

    tf, keras = ctx.tf_keras()
    layer = keras.layers.Conv2D(4, 3, strides=2, dtype="float64")
    padded = keras.layers.ZeroPadding2D(1, dtype="float64")(xr.transpose(0, 2, 3, 1))
    layer.build(padded.shape)
    layer.set_weights([W.transpose(2, 3, 1, 0), b])
    keras_out = np.asarray(layer(padded)).transpose(0, 3, 1, 2)
    keras_diff = ctx.metric("conv_vs_keras_max_abs_diff", float(np.abs(out - keras_out).max()))

    pool = Pooling(2, 2, stride=2)
    xq = rng.standard_normal((2, 3, 8, 8))
    keras_pool = np.asarray(keras.layers.MaxPooling2D(2, dtype="float64")(xq.transpose(0, 2, 3, 1))).transpose(0, 3, 1, 2)
    pool_diff = ctx.metric("pool_vs_keras_max_abs_diff", float(np.abs(pool.forward(xq) - keras_pool).max()))

    small = Convolution(rng.standard_normal((2, 2, 3, 3)), rng.standard_normal(2), stride=1, pad=1)
    xs = rng.standard_normal((1, 2, 5, 5))
    dout = rng.standard_normal(small.forward(xs).shape)
    loss = lambda _=None: float((small.forward(xs) * dout).sum())  # noqa: E731
    loss()
    dx = small.backward(dout)
    errors = [
        _rel_error(small.grads["W"], numerical_gradient(loss, small.params["W"])),
        _rel_error(small.grads["b"], numerical_gradient(loss, small.params["b"])),
        _rel_error(dx, numerical_gradient(loss, xs)),
    ]
    ctx.metric("conv_grad_max_rel_error", max(errors), note="backward vs central differences, float64")
    ctx.table("Convolution via im2col vs independent references",
              ["check", "max abs / rel difference"],
              [["conv (stride 2, pad 1) vs scipy.signal.correlate", scipy_diff],
               ["conv vs keras Conv2D (kernel (FN,C,FH,FW) → (FH,FW,C,FN), NCHW → NHWC)", keras_diff],
               ["max pool 2×2 vs keras MaxPooling2D", pool_diff],
               ["backward (dW, db, dx) vs numeric gradient (relative)", max(errors)]])


def _rel_error(a, b) -> float:
    import numpy as np
    return float(np.abs(a - b).max() / max(1e-12, np.abs(a).max() + np.abs(b).max()))


# --- the course's conv nets (shared by simple/double/deep) ------------------------------------------

CNN_PARAMS = {
    "epochs": positive(8, "Keras training epochs"),
    **data_sizes(4000, 1000),
    "batch_size": positive(100, "mini-batch size (course: 100)"),
    "lr": learning_rate(1e-3, "Adam learning rate (both nets)"),
    "numpy_iters": non_negative(100, "numpy training iterations (course: 1000); 0 skips numpy"),
    "numpy_train": Param(int, 1000, "training images for the numpy net (a subset)", min=10),
    "schedule": choice("constant", ("constant", "cosine"),
                       "Keras learning rate: constant (the course) or cosine decay to 0 over the epochs"),
}


IMAGE_SETS = ("mnist", "fashion_mnist", "mnist5k")
_COURSE_CNN = {"section": "Day2 Section3", "data": IMAGE_SETS, "tags": ("numpy", "keras", "cnn"), "params": CNN_PARAMS}


def _cnn_budgets(quick_epochs: int, quick_numpy_iters: int, full: dict | None = None, **quick) -> dict:
    return {
        "smoke": {"epochs": 1, "n_train": 300, "n_test": 200, "numpy_iters": 3, "numpy_train": 100},
        "quick": {"epochs": quick_epochs, "numpy_iters": quick_numpy_iters, **quick},
        "full": {"epochs": 20, "n_train": 60000, "n_test": 10000, "numpy_iters": 1000, "numpy_train": 60000,
                 "schedule": "cosine", **(full or {})},
    }


def train_course_cnn(ctx, kind: str, *, precision: str = "float32", shift: int = 0, ema: float = 0.0) -> None:
    """Train the Keras twin (all the data) and the numpy net (a subset) of one course CNN (Day2 Section3).

    The Keras net's recipe beyond the course (DeepConvNet's parameters): ``precision`` ("auto", "float32",
    "mixed_bfloat16"), ``shift`` (training images moved by up to this many pixels, afresh each epoch) and ``ema``
    (evaluate a moving average of the weights with this momentum; 0: the last weights).
    """
    import numpy as np
    from ..studies.images import load_cnn_images
    from ..train.fit import CONV_STEPS_PER_CALL
    from ..train.timing import EpochTimes
    from ..nn.day2_convnets import COURSE_CNNS
    from ..scratch.day2_convnets import NETS
    from ..train.arrays import fit_arrays
    from ..train.augment import shifted_epochs
    from ..train.precision import precision_policy, resolve

    p = ctx.params
    x_train, y_train, x_test, y_test, usage = load_cnn_images(ctx, p["n_train"], p["n_test"])

    tf, keras = ctx.tf_keras()
    precision = resolve(precision)
    with precision_policy(precision):
        model = COURSE_CNNS[kind]()
    lr = p["lr"]
    if p["schedule"] == "cosine":
        steps = p["epochs"] * -(-len(x_train) // p["batch_size"])
        lr = keras.optimizers.schedules.CosineDecay(p["lr"], decay_steps=steps)
    # jit_compile off: XLA made DeepConvNet 1.7x slower per epoch on these 2 CPU cores (measurement in bench/cnn.py)
    optimizer = keras.optimizers.Adam(lr, use_ema=bool(ema), ema_momentum=ema or 0.99)
    model.compile(optimizer, keras.losses.SparseCategoricalCrossentropy(from_logits=True),
                  metrics=["accuracy"], jit_compile=False, steps_per_execution=CONV_STEPS_PER_CALL)
    times = EpochTimes()
    callbacks = [times.callback(), *ctx.callbacks(epochs=p["epochs"], label=f"keras {kind}", run="keras")]
    with ctx.training():
        if shift:
            ctx.note(f"training recipe beyond the course's: each Keras training image moved by up to {shift} "
                     "pixel(s), afresh each epoch")
            model.fit(shifted_epochs(x_train, y_train, p["batch_size"], shift, ctx.seed), epochs=p["epochs"],
                      verbose=0, validation_data=(x_test, y_test), callbacks=callbacks)
        else:
            fit_arrays(model, x_train, y_train, batch_size=p["batch_size"], epochs=p["epochs"], seed=ctx.seed,
                       validation_data=(x_test, y_test), callbacks=callbacks)
    test_acc = float(model.evaluate(x_test, y_test, batch_size=500, verbose=0)[1])
    train_acc = float(model.evaluate(x_train, y_train, batch_size=500, verbose=0)[1])
    ctx.metric("test_accuracy", test_acc, note=f"Keras net in {precision}"
               + (f", moving average of its weights (momentum {ema:g})" if ema else ""))
    ctx.metric("train_accuracy", train_acc)
    ctx.metric("keras_s_per_epoch", times.seconds_per_epoch, unit="s", note="median epoch after the first")
    rows = [["keras", len(x_train), f"{p['epochs']} epochs", round(train_acc, 4), round(test_acc, 4), round(times.total, 1)]]

    if p["numpy_iters"]:
        net = NETS[kind](seed=ctx.seed)
        from ..scratch.optimizers import Adam

        optimizer = Adam(lr=p["lr"])
        n_np = min(p["numpy_train"], len(x_train))
        xn_train = x_train[:n_np].transpose(0, 3, 1, 2)  # NHWC → NCHW, the course's layout
        yn_train = y_train[:n_np]
        xn_test = x_test.transpose(0, 3, 1, 2)
        rng = np.random.default_rng(ctx.seed)
        start = time.perf_counter()
        with ctx.training():
            for i in ctx.progress(range(p["numpy_iters"]), f"numpy {kind}"):
                idx = rng.choice(n_np, p["batch_size"])  # the course samples each batch with replacement
                grads = net.gradient(xn_train[idx], yn_train[idx])
                ctx.check_finite(net.last_layer.loss, f"in numpy {kind} at iteration {i + 1}")
                optimizer.update(net.params, grads)
                if (i + 1) % max(1, p["numpy_iters"] // 10) == 0:
                    ctx.log(run="numpy", iteration=i + 1, loss=float(net.last_layer.loss))
        numpy_time = time.perf_counter() - start
        np_test = net.accuracy(xn_test, y_test)
        np_train = net.accuracy(xn_train[:1000], yn_train[:1000])
        per_iter = numpy_time / p["numpy_iters"]
        ctx.metric("numpy_test_accuracy", np_test)
        ctx.metric("numpy_train_accuracy", np_train, note="on up to 1000 of its training images")
        ctx.metric("numpy_s_per_iteration", per_iter, unit="s")
        ctx.metric("numpy_1000_iterations_s", per_iter * 1000, unit="s",
                   note="measured time per iteration × 1000 (the course's run)")
        rows.append(["numpy (scratch)", n_np, f"{p['numpy_iters']} iterations of {p['batch_size']}",
                     round(np_train, 4), round(np_test, 4), round(numpy_time, 1)])
    ctx.table(f"{kind} conv net on {usage.describe()}",
              ["implementation", "train images", "training", "train acc", "test acc", "time (s)"], rows)
    if p["schedule"] == "cosine":
        ctx.note(f"Keras learning rate: cosine decay from {p['lr']} to 0 over {p['epochs']} epochs")


@exercise(
    "day2.simple_cnn",
    title="SimpleConvNet (conv–pool–affine)",
    title_ja="単純な畳み込みネットワーク",
    **_COURSE_CNN,
    # quick: 15 epochs. Keras test accuracy at seeds 0/1/2 and seed 0 with TF_ENABLE_ONEDNN_OPTS=0 (AMX Xeon, 2 cores):
    # 8 epochs 0.956/0.967/0.962/0.956 (thin: margin 0.006 under a spread of 0.011); 15 epochs 0.965/0.967/0.965/0.967.
    budgets=_cnn_budgets(quick_epochs=15, quick_numpy_iters=100),
    targets={"quick": {"test_accuracy": ">= 0.95"}},
)
def simple_cnn(ctx):
    """SimpleConvNet conv(30, 5×5)–ReLU–pool–affine(100)–ReLU–affine(10), Keras and numpy (Day2 Section3)."""
    train_course_cnn(ctx, "simple")


@exercise(
    "day2.double_cnn",
    title="DoubleConvNet (two conv blocks)",
    title_ja="2 層の畳み込みネットワーク",
    **_COURSE_CNN,
    # quick: 20 epochs, cosine decay to 0. Keras test accuracy at seeds 0/1/2 and seed 0 with TF_ENABLE_ONEDNN_OPTS=0
    # (AMX Xeon, 2 cores): 10 epochs constant 0.964/0.965/0.962/0.964 (thin: margin 0.002); batches of 50
    # 0.967/0.972/0.954/0.968; 10 cosine 0.969/0.957/0.962/0.969; 15 constant 0.974/0.974/0.961/0.973; 15 cosine
    # 0.974/0.968/0.965/0.974; 20 cosine 0.974/0.971/0.972/0.974. Through train.arrays.fit_arrays (its own shuffled
    # orders; AMD EPYC AVX-512, 2 cores): 20 cosine 0.976/0.967/0.969/0.976 (thin: margin 0.007 under a spread of
    # 0.009), 25 cosine 0.976/0.973/0.969/0.977, 30 cosine 0.976/0.973/0.972/0.976, kept (0.22 s an epoch).
    budgets=_cnn_budgets(quick_epochs=30, quick_numpy_iters=200, schedule="cosine"),
    targets={"quick": {"test_accuracy": ">= 0.96"}},
)
def double_cnn(ctx):
    """DoubleConvNet (conv–ReLU–pool) × 2–affine(100)–ReLU–affine(10), Keras and numpy (Day2 Section3)."""
    train_course_cnn(ctx, "double")


@exercise(
    "day2.deep_cnn",
    title="DeepConvNet (six 3×3 convs, dropout)",
    title_ja="深い畳み込みネットワーク",
    **{**_COURSE_CNN, "params": {**CNN_PARAMS, "ema": fraction(
        0.0, "evaluate a moving average of the Keras weights with this momentum (Adam use_ema); 0: the last weights, "
             "as the course", upper=0.9999),
        "shift": non_negative(0, "move each Keras training image by up to this many pixels, afresh each epoch "
                                 "(0: the course)"),
        "precision": choice("float32", PRECISIONS, "Keras net: auto = mixed bfloat16 where the CPU computes it "
                                                   "natively, else float32")}},
    # quick: batches of 50 on mnist5k's 4,000 images. With the course's 100, seeds 0/1/2 gave 0.974/0.967/0.964
    # (cosine decay 0.968/0.969/0.966, 25 epochs 0.970/0.979/0.977); with 50, 0.976/0.983/0.977 in the same time.
    # That recipe (15 epochs, float32) gave 0.976/0.983/0.977 and 0.980 with oneDNN off: thin (margin 0.006 under a
    # spread of 0.007). Tried on an AMD EPYC with AVX512-BF16, 2 idle cores (Keras test accuracy, seeds 0/1/2, then
    # oneDNN off): an average of the weights alone (Adam use_ema, momentum 0.99) 0.979/0.983/0.978/0.976, still
    # thin; cosine decay 0.975/0.979/0.971; seeds 0/2 only: lr 2e-3 with cosine 0.976/0.982, lr 5e-4 0.970/0.979,
    # batches of 32 0.978/0.973. The net learns more only from more (shifted) images and epochs, which float32
    # cannot afford within the minute: an epoch of 4,000 took 2.1 s in float32 and 1.2 s in mixed bfloat16 here.
    # 20 epochs of images moved by up to 1 pixel afresh each epoch, mixed bfloat16: 0.987/0.984/0.981 (0.980 with
    # oneDNN off, in float32); in float32 at every seed 0.983/0.982/0.975 (thin again). Adding the weight average
    # (momentum 0.99, ≈ the last 100 steps): float32 0.986/0.987/0.981; kept, mixed bfloat16 where native (else
    # float32): 0.987/0.987/0.983 and 0.984 with oneDNN off (float32: Eigen emulates bfloat16, 738 s for one run).
    # 49-52 s wall with 10 numpy iterations on 500 images (0.23 s an iteration; with 50 on 1,000 the run took
    # 60-70 s); the float32 path takes 55 s plus the numpy part (about 65 s) on a CPU without bfloat16. Under
    # oneDNN off the run takes 192 s: Eigen's busy threads starve the Python batch producer (10.1 s an epoch of
    # shifted batches vs 3.2 s unshifted); a tf.data RandomTranslation pipeline took 4.0 s there but 1.74 s instead
    # of 1.4-1.6 s in the default build, so the default build keeps the faster producer.
    # full: on Fashion-MNIST's 60,000 images (its full-budget stand-in here, no MNIST) the old full recipe, 20 epochs
    # with cosine decay in float32, gave 0.9216 and 0.9220: thin against 0.92. Seed 0, AMD EPYC AVX-512 bfloat16,
    # 2 cores shared with other runs, Keras part only: 20 epochs with 1-pixel shifts, the weight average (0.99) and
    # mixed bfloat16 0.924 (train 0.939: the shifts leave it underfitting); 40 epochs, the weight average and mixed
    # bfloat16, no shifts 0.9277 (train 0.989), 27.6 s an epoch. Kept: 40 epochs, weight average, precision auto.
    budgets=_cnn_budgets(quick_epochs=20, quick_numpy_iters=10, batch_size=50, shift=1, ema=0.99, precision="auto",
                         numpy_train=500, full={"epochs": 40, "ema": 0.99, "precision": "auto", "schedule": "cosine"}),
    targets={"quick": {"test_accuracy": ">= 0.97"},
             "full": {"test_accuracy": {"mnist": ">= 0.99", "fashion_mnist": ">= 0.92"}}},
    course={
        "numpy_train_accuracy": (0.995, "Day2 Section3, 2_8 deep_convolution_net, 1000 iterations", "mnist"),
        "numpy_test_accuracy": (0.982, "Day2 Section3, 2_8 deep_convolution_net, 1000 iterations", "mnist"),
        "numpy_1000_iterations_s": ("≈3600", COURSE_DEEP_TIME),
    },
)
def deep_cnn(ctx):
    """DeepConvNet: 3×3 convs 16,16,32,32,64,64, pools, dropout, affine 50, affine 10; Keras and numpy (Day2 Section3)."""
    p = ctx.params
    train_course_cnn(ctx, "deep", precision=p["precision"], shift=p["shift"], ema=p["ema"])


# --- day2.cnn_architectures ------------------------------------------------------------------------


@exercise(
    "day2.cnn_architectures",
    title="Modern CNNs: AlexNet, VGG, GoogLeNet, ResNet, WideResNet",
    title_ja="最新の CNN",
    section="Day2 Section4",
    data=IMAGE_SETS,
    tags=("keras", "cnn"),
    params={
        "epochs": positive(2, "training epochs per small model"),
        **data_sizes(4000, 1000, min_train=100, min_test=100),
        "models": string("alexnet,vgg,googlenet,resnet,resnet_v2,wrn", "comma-separated small variants (see dlx bench cnn)"),
        "reference_counts": flag(True, "build the full-size models and compare with keras.applications"),
    },
    budgets={
        "smoke": {"epochs": 1, "n_train": 200, "n_test": 100, "models": "vgg", "reference_counts": False},
        "quick": {"epochs": 4, "n_train": 2000},
        "full": {"epochs": 10, "n_train": 60000, "n_test": 10000},
    },
    references={"vgg16_params": (138357544, "keras.applications.VGG16(weights=None)"),
                "resnet50_params": (25636712, "keras.applications.ResNet50(weights=None)"),
                "resnet50v2_params": (25613800, "keras.applications.ResNet50V2(weights=None)")},
)
def cnn_architectures(ctx):
    """AlexNet, VGG16, GoogLeNet (aux heads 0.3), ResNet v1/v2/Wide: params vs keras.applications, small variants trained (Day2 Section4)."""
    from ..studies.cnn_architectures import compare_architectures, reference_parameter_counts

    p = ctx.params
    if p["reference_counts"]:
        reference_parameter_counts(ctx)
    models = [m.strip() for m in p["models"].split(",") if m.strip()]
    compare_architectures(ctx, models, dataset=ctx.dataset or "mnist", n_train=p["n_train"], n_test=p["n_test"],
                          epochs=p["epochs"])
    ctx.note("GoogLeNet trains with its two auxiliary classifiers (loss weight 0.3) and is evaluated without them.")


# --- day2.transfer_learning ------------------------------------------------------------------------


@exercise(
    "day2.transfer_learning",
    title="Transfer learning vs fine-tuning vs training from scratch",
    title_ja="転移学習とファインチューニング",
    section="Day2 Section4",
    data=IMAGE_SETS,
    tags=("keras", "cnn"),
    params={
        "pretrain_epochs": positive(4, "epochs on the source classes"),
        "epochs": positive(30, "epochs on the small target set"),
        "n_target": Param(int, 25, "labelled target images (the small set, spread over the 5 classes)", min=5),
        "draws": positive(1, "independent draws of the small target set; accuracies are their means"),
        **data_sizes(4000, 1000, min_train=100, min_test=100),
        "finetune_lr": learning_rate(1e-4, "learning rate of the pretrained layers when fine-tuning"),
    },
    budgets={
        "smoke": {"pretrain_epochs": 1, "epochs": 2, "n_train": 400, "n_test": 200, "n_target": 20, "draws": 1},
        # quick: 10 labelled target images (2 per class) and 8 pretraining epochs. frozen − scratch / fine-tuned −
        # scratch at seeds 0/1/2, then seed 0 with TF_ENABLE_ONEDNN_OPTS=0 (AMX Xeon, 2 cores):
        #   25 images, 4 epochs (the old recipe): +0.016/+0.030, −0.014/−0.022 (missed), +0.048/+0.048
        #   25 images, 4 epochs, mean of 5 draws of the small set: +0.026/+0.027, +0.005/−0.002, +0.032/+0.031
        #   25 images, 8 epochs: +0.038/+0.038, +0.028/+0.022, +0.062/+0.054
        #   10 images, 4 epochs: +0.080/+0.094, +0.052/+0.048, +0.052/+0.040
        #   10 images, 8 epochs: +0.098/+0.098, +0.074/+0.082, +0.056/+0.054; oneDNN off +0.094/+0.098
        # The fewer the labels, the more the pretrained features are worth: the course's point, with margin.
        "quick": {"n_target": 10, "pretrain_epochs": 8},
        "full": {"pretrain_epochs": 5, "epochs": 40, "n_train": 60000, "n_test": 10000},
    },
    targets={"quick": {"frozen_minus_scratch": "> 0", "finetune_minus_scratch": "> 0"}},
)
def transfer_learning(ctx):
    """Pretrain on classes 0–4, reuse on a few labelled images of classes 5–9: frozen vs fine-tuned vs scratch (Day2 Section4)."""
    import numpy as np
    from ..studies.images import load_images
    from ..nn.transfer import classifier, feature_extractor
    from ..train.arrays import fit_arrays

    p = ctx.params
    x_train, y_train, x_test, y_test, usage = load_images(ctx, p["n_train"], p["n_test"], "nhwc")
    source = y_train < 5
    target_pool = np.flatnonzero(y_train >= 5)
    rng = np.random.default_rng(ctx.seed)
    per_class = max(1, p["n_target"] // 5)
    draws = [np.concatenate([rng.choice(target_pool[y_train[target_pool] == c], per_class, replace=False)
                             for c in range(5, 10)]) for _ in range(p["draws"])]
    test_mask = y_test >= 5
    xt_test, yt_test = x_test[test_mask], y_test[test_mask] - 5

    tf, keras = ctx.tf_keras()
    loss = keras.losses.SparseCategoricalCrossentropy(from_logits=True)

    base = feature_extractor("pretrained_base")
    source_model = classifier(base, 5, "source")
    source_model.compile(keras.optimizers.Adam(1e-3), loss, metrics=["accuracy"])
    with ctx.training():
        fit_arrays(source_model, x_train[source], y_train[source], batch_size=100, epochs=p["pretrain_epochs"],
                   seed=ctx.seed,
                   callbacks=ctx.callbacks(epochs=p["pretrain_epochs"], label="pretrain 0–4", run="pretrain"))
    source_acc = float(source_model.evaluate(x_test[~test_mask], y_test[~test_mask], verbose=0)[1])
    pretrained = base.get_weights()

    def fit_target(mode: str, target_idx) -> float:
        xt, yt = x_train[target_idx], y_train[target_idx] - 5
        ctx.reseed(1)  # the same head initialisation and batches for every mode
        new_base = feature_extractor(f"{mode}_base")
        if mode != "scratch":
            new_base.set_weights(pretrained)
        model = classifier(new_base, 5, mode)
        # fine-tuning: first train the new head on the frozen base (half the epochs), then unfreeze
        # everything at a small learning rate, so the random head does not wreck the pretrained features
        phases = {"scratch": [(True, 1e-3, p["epochs"])], "frozen": [(False, 1e-3, p["epochs"])],
                  "finetune": [(False, 1e-3, p["epochs"] // 2), (True, p["finetune_lr"], p["epochs"] - p["epochs"] // 2)]}
        for trainable, lr, epochs in phases[mode]:
            if not epochs:
                continue
            new_base.trainable = trainable
            model.compile(keras.optimizers.Adam(lr), loss, metrics=["accuracy"])
            with ctx.training():
                model.fit(xt, yt, batch_size=min(32, len(xt)), epochs=epochs, verbose=0,
                          callbacks=ctx.callbacks(epochs=epochs, label=f"target {mode}", run=mode))
        return float(model.evaluate(xt_test, yt_test, batch_size=500, verbose=0)[1])

    modes = ("scratch", "frozen", "finetune")
    per_draw = {mode: [] for mode in modes}
    for d, target_idx in enumerate(draws):
        for mode in modes:
            per_draw[mode].append(fit_target(mode, target_idx))
        ctx.log(run="draw", draw=d + 1, **{f"{m}_accuracy": per_draw[m][-1] for m in modes})
    results = {mode: float(np.mean(v)) for mode, v in per_draw.items()}
    spread = {mode: float(np.std(v)) for mode, v in per_draw.items()}
    ctx.metric("source_accuracy", source_acc, note="pretraining task (classes 0–4)")
    for mode, acc in results.items():
        ctx.metric(f"{mode}_accuracy", acc)
    ctx.metric("frozen_minus_scratch", results["frozen"] - results["scratch"])
    ctx.metric("finetune_minus_scratch", results["finetune"] - results["scratch"])
    ctx.table(
        f"Target task: classes 5–9 from {5 * per_class} labelled images, mean ± std over {len(draws)} draws of them "
        f"({usage.describe()})",
        ["model", "pretrained on 0–4", "feature extractor", "target test accuracy"],
        [[label, pre, how, f"{results[mode]:.4f} ± {spread[mode]:.4f}"] for mode, label, pre, how in (
            ("scratch", "scratch", "no", "trained"),
            ("frozen", "transfer (frozen)", "yes", "conv layers frozen, new dense head"),
            ("finetune", "fine-tuning", "yes", f"head first, then all layers at lr {p['finetune_lr']}"))],
    )
    ctx.note(f"source task (classes 0–4) test accuracy after pretraining: {source_acc:.4f}")

