"""Pure-numpy twins of the course's code (from-scratch layers, nets, optimizers, im2col, RNN cells).

Nothing here imports TensorFlow; tests compare these against Keras.
"""
