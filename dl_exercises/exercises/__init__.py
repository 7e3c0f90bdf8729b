"""One module per course chapter or section; each registers its exercises with ``@exercise``.

Modules here must not import TensorFlow, Keras or matplotlib at import time:
``dlx list`` imports every one of them. Import heavy libraries inside the
exercise functions (``tf, keras = ctx.tf_keras()``).
"""
