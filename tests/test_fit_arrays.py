"""``train.arrays.fit_arrays``: Keras's batches of in-memory arrays (a shuffled order per epoch, short last batch)."""

import numpy as np

from dl_exercises.train.arrays import array_batches, epoch_orders, fit_arrays


def test_each_epoch_reads_every_row_once_in_its_own_seeded_order():
    orders = epoch_orders(50, 3, shuffle=True, seed=7)
    assert all(sorted(o) == list(range(50)) for o in orders)
    assert not np.array_equal(orders[0], orders[1])
    assert np.array_equal(orders, epoch_orders(50, 3, shuffle=True, seed=7))
    assert not np.array_equal(orders, epoch_orders(50, 3, shuffle=True, seed=8))
    assert np.array_equal(epoch_orders(5, 2, shuffle=False, seed=7), [[0, 1, 2, 3, 4]] * 2)


def test_batches_follow_the_orders_with_a_short_last_batch_per_epoch():
    x = np.arange(20, dtype=np.float32).reshape(10, 2)
    y = np.arange(10) * 10
    weights = np.arange(10, dtype=np.float32) / 10
    batches, steps = array_batches([x, -x], y, batch_size=4, epochs=2, seed=3, sample_weight=weights)
    got = list(batches.as_numpy_iterator())
    assert steps == 3 and [len(b[1]) for b in got] == [4, 4, 2, 4, 4, 2]
    orders = epoch_orders(10, 2, shuffle=True, seed=3)
    for epoch in range(2):
        rows = np.concatenate([b[1] // 10 for b in got[3 * epoch:3 * epoch + 3]])
        assert np.array_equal(rows, orders[epoch])
    for (first, second), labels, w in got:
        rows = labels // 10
        assert np.array_equal(first, x[rows]) and np.array_equal(second, -x[rows]) and np.allclose(w, weights[rows])


def test_full_batches_keep_a_static_batch_dimension():
    batches, steps = array_batches(np.zeros((12, 3), np.float32), np.zeros(12), batch_size=4, epochs=1)
    assert steps == 3 and batches.element_spec[0].shape.as_list() == [4, 3]


def test_fit_arrays_trains_every_step_of_every_epoch():
    from dl_exercises.runtime import tf_keras

    _, keras = tf_keras()
    keras.utils.set_random_seed(0)
    rng = np.random.default_rng(0)
    x = rng.normal(size=(90, 3)).astype(np.float32)
    y = (x @ np.array([1.0, -2.0, 0.5], np.float32) > 0).astype(np.int64)
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2)])
    model.compile(keras.optimizers.Adam(0.05), keras.losses.SparseCategoricalCrossentropy(from_logits=True),
                  metrics=["accuracy"], steps_per_execution=4)
    history = fit_arrays(model, x, y, batch_size=32, epochs=6, seed=0, validation_data=(x, y))
    assert int(model.optimizer.iterations) == 6 * 3  # 32 + 32 + 26 rows each epoch
    assert len(history.history["loss"]) == 6 and "val_accuracy" in history.history
    assert history.history["accuracy"][-1] > 0.9


def test_a_call_of_several_steps_never_runs_into_the_next_epoch():
    from dl_exercises.runtime import tf_keras

    _, keras = tf_keras()
    x, y = np.zeros((80, 2), np.float32), np.zeros(80, np.int64)
    model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(2)])
    model.compile("sgd", keras.losses.SparseCategoricalCrossentropy(from_logits=True), steps_per_execution=4)
    fit_arrays(model, x, y, batch_size=8, epochs=2)  # 10 steps an epoch: 2 a call for this fit
    assert int(model.optimizer.iterations) == 20 and model.steps_per_execution == 4
