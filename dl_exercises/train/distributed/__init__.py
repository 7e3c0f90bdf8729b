"""Distributed training with ``tf.distribute``, in child processes dlx starts, waits for and stops.

Day4 Section3 (分散深層学習: データ並列化 (同期型・非同期型), モデル並列化, GPU).

Why child processes: ``tf.distribute.MirroredStrategy`` over several CPU
devices needs logical devices, which TensorFlow accepts only before it
initialises (``tf.config.set_logical_device_configuration``), and
``MultiWorkerMirroredStrategy`` must be created at the start of a program. In a
process where TensorFlow already runs (the tests, ``dlx run --all``) neither is
possible, so every strategy run happens in a fresh Python process:
``python -m dl_exercises.train.distributed JOB SPEC.json``. The parent writes
the data and the settings to a temporary folder, starts the process(es) with
``run_processes`` (a timeout; a process that fails stops the others and
becomes a one-line ``DlxError``; nothing is left running), and reads back
each process's JSON result.

- ``processes``: the parent's side. ``free_ports`` (loopback ports the OS reports free, released
  before the workers bind them), ``tf_config`` (one worker's ``TF_CONFIG``), ``run_processes``
  (start, wait with a timeout, stop) and ``run_job``. Workers run in a network namespace that has
  only loopback (``train.loopback``): TensorFlow's unauthenticated gRPC server binds every
  interface. Where no namespace can be made, the caller is told before the workers start
  (``notice``), with the ports and for how long they listen.
- ``jobs``: the child's side, ``main`` and its jobs: ``local`` (MirroredStrategy with 1…R replicas
  under ``model.fit``, a one-step check against one device, model parallelism on two devices, the
  reference run of the multi-worker training) and ``worker`` (one worker of
  ``MultiWorkerMirroredStrategy``), and two jobs for the tests.
- ``strategy``: devices, data and models inside the child, and ``train_with_strategy``, the
  training loop the local reference and every worker run, line for line.
- ``parameter_server``: ``ParameterServer``, ``simulate_parameter_server``, ``simulate_synchronous``:
  the asynchronous parameter server (Keras 3 has no ParameterServerStrategy), simulated in numpy
  with worker threads.

Nothing here imports TensorFlow at module level.
"""
