"""The Japanese of the parameters' help that ``dlx show`` prints, by chapter and exercise.

``glossary/__init__.py`` merges these entries with ``ja.JA`` into one catalog, and an
English text may be a key of only one of the two. The help most exercises share
(``"mini-batch size"``, ``"{what} (course: {value})"``, …) is in ``ja._PARAMETERS``;
an entry here is either a whole help text as the registry builds it (f-strings
included: ``"training sums (…) (at most what the data set has)"``), or the ``{what}``
of a help that ``ja``'s pattern ``"{what} (course: {value})"`` completes.

Terms as in ``ja.py``: 学習率, ミニバッチ, エポック数, 中間層, 重み, 勾配, 畳み込み, 方策,
利得, 割引率, 取り置き (held-out), 微調整 (pruning's fine-tuning), ファインチューニング
(transfer learning's), 蒸留, 量子化, 枝刈り, スパース率. Parameter names, code values
(``non_saturating``, ``one_shot``, ``cosine``), names (Adam, DQN, CliffWalking, …) and
numbers stay as they are. One help is kept as it is on purpose: ``"C"`` (the channels
of day4.normalization's tensor) is a symbol, and an entry for it would also rename the
ground truth ``C`` in day4.detection_metrics' tables.
"""

from __future__ import annotations

JA_PARAMS: dict[str, str] = {
    # --- Day 1 ------------------------------------------------------------------------------------
    # day1.backprop, day1.mnist_mlp
    "learning rate of the SGD update": "SGD による更新の学習率",
    "SGD iterations (mini-batches)": "SGD のイテレーション数 (ミニバッチの数)",
    "std of the initial weights": "重みの初期値の標準偏差",
    # day1.playground
    "epochs per configuration": "構成ごとのエポック数",
    "Adam learning rate at the start (cosine decay to 0)": "開始時の Adam の学習率 (0 へ cosine 減衰)",
    "networks to try: all five, or minimal (linear and 2×16 relu)":
        "試すネットワーク: all (5 つすべて) か minimal (線形と 2×16 の ReLU)",
    # day1.sgd
    "training points x ~ U[0,1)²": "学習データの点の数 x ~ U[0,1)²",
    "epochs for every mode": "全方式に共通のエポック数",
    "learning rate (all modes)": "学習率 (全方式に共通)",

    # --- Day 2 ------------------------------------------------------------------------------------
    # day2.batch_norm
    "SGD learning rate, the same with and without BN": "SGD の学習率 (BN あり・なしで共通)",
    # day2.cnn_architectures
    "training epochs per small model": "小型モデルごとの学習エポック数",
    "comma-separated small variants (see dlx bench cnn)": "学習する小型版 (カンマ区切り、dlx bench cnn を参照)",
    "build the full-size models and compare with keras.applications": "実寸のモデルを構築して keras.applications と比べる",
    # day2.deep_cnn
    "evaluate a moving average of the Keras weights with this momentum (Adam use_ema); 0: the last weights, as the course":
        "Keras の重みをこの momentum で移動平均したものを評価する (Adam の use_ema); 0: 講座と同じく最後の重み",
    "move each Keras training image by up to this many pixels, afresh each epoch (0: the course)":
        "Keras の各学習画像を、エポックごとに新たに最大この数のピクセルだけ平行移動する (0: 講座のまま)",
    "Keras net: auto = mixed bfloat16 where the CPU computes it natively, else float32":
        "Keras のネットワーク: auto = CPU がネイティブに計算できれば混合 bfloat16、できなければ float32",
    # day2.im2col, day2.optimizers
    "seed of the random cross-check tensors": "照合に使う乱数のテンソルのシード",
    "steps of each optimizer on f(x, y) = x²/20 + y²": "f(x, y) = x²/20 + y² 上での各最適化手法のステップ数",
    # day2.overfitting
    "L2 λ of L2+dropout (0.1 collapses the net within 5000 iterations)":
        "L2+ドロップアウトの L2 の λ (0.1 では 5000 イテレーション以内にネットワークが崩れる)",
    "independent draws (training images, initial weights, batches) of none / L2 / dropout; the gap reductions are their means":
        "正則化なし / L2 / ドロップアウトの独立な試行の数 (学習画像・初期の重み・バッチを引き直す); 差の減少はその平均",
    # day2.transfer_learning
    "epochs on the source classes": "元タスクのクラスでのエポック数",
    "epochs on the small target set": "目標タスクの小さなデータでのエポック数",
    "labelled target images (the small set, spread over the 5 classes)":
        "目標タスクのラベル付き画像の枚数 (5 クラスに分けた小さなデータ)",
    "independent draws of the small target set; accuracies are their means":
        "目標タスクの小さなデータを独立に引く回数; 正答率はその平均",
    "learning rate of the pretrained layers when fine-tuning": "ファインチューニングでの事前学習済みの層の学習率",
    # day2.vanishing_gradient
    "std of the 'Gaussian' initialisation": "ガウス分布 ('Gaussian') の初期値の標準偏差",
    "independent draws of the initial weights and batches; relu_he_shortfall compares their means":
        "初期の重みとバッチを独立に引く回数; relu_he_shortfall はその平均を比べる",
    "hidden layers (width 100) of the activation-histogram net": "活性化の分布を見るネットワークの中間層の数 (幅 100)",

    # --- Day 3 ------------------------------------------------------------------------------------
    # day3.attention
    "training strings": "学習用の文字列の数",
    "shortest input": "最短の入力の長さ",
    "longest input": "最長の入力の長さ",
    "hidden size of the additive score vᵀ tanh(W_q s + W_k h)": "加法スコア vᵀ tanh(W_q s + W_k h) の中間の次元数",
    "comma-separated models to train: none, additive, dot": "学習するモデル (カンマ区切り): none, additive, dot",
    "cosine: decay lr to lr/20 over the training steps": "cosine: 学習のステップにわたり lr を lr/20 まで減衰",
    "unroll the RNN loops (same math; faster on CPU for these short sequences)":
        "RNN のループを展開する (計算は同じ; 短い系列なので CPU では速い)",
    # day3.autoencoder, day3.segmentation and day4.ssd's n_train
    "training images": "学習画像の枚数",
    "comma-separated sizes of z to compare": "比べる z のサイズ (カンマ区切り)",
    # day3.bidirectional
    "units per direction": "方向ごとのユニット数",
    "sequence length": "系列の長さ",
    # day3.gradient_clipping, day3.simple_rnn
    "hidden units (the course's RNN: 16)": "中間層のユニット数 (講座の RNN: 16)",
    "learning rate (the course's RNN: 0.1)": "学習率 (講座の RNN: 0.1)",
    "scale of the 'std' init and biases": "'std' 初期値とバイアスのスケール",
    "largest gradient norm per weight array": "重みの配列ごとの勾配ノルムの上限",
    "hidden activation of the demo": "デモの中間層の活性化関数",
    "hidden activation": "中間層の活性化関数",
    # day3.gru
    "periods of the sine series (T = 100 steps)": "sin 波の系列の周期数 (1 周期 T = 100 ステップ)",
    "Keras GRU variant (True: cuDNN form)": "Keras の GRU の変種 (True: cuDNN の形)",
    # day3.hred
    "training dialogues": "学習用の対話の数",
    "test dialogues": "テスト用の対話の数",
    "GRU units": "GRU のユニット数",
    "VHRED's z": "VHRED の潜在変数 z の次元数",
    "join c (c + W z) to every decoder input, not only the initial state":
        "c (c + W z) を初期状態だけでなくデコーダのすべての入力に結合する",
    "replies generated per context for the diversity score": "多様性のスコアのために文脈ごとに生成する応答の数",
    "test contexts used for the diversity score": "多様性のスコアに使うテストの文脈の数",
    # day3.seq2seq (enja: the course's small_parallel_enja corpus)
    "training pairs": "学習用の組の数",
    "test pairs": "テスト用の組の数",
    "Adam learning rate (peak, with the cosine schedule)": "Adam の学習率 (cosine スケジュールでの最大値)",
    "enja: padded tokens per batch (length-bucketed batches, replaces batch_size)":
        "enja: バッチあたりのパディング込みのトークン数 (長さでまとめたバッチ、batch_size の代わり)",
    "enja: training words seen fewer times become <unk>": "enja: 学習データでの出現回数がこれより少ない単語は <unk> にする",
    "enja: feed each source reversed (Sutskever et al. 2014)": "enja: 入力文を逆順にして与える (Sutskever et al. 2014)",
    "enja: label smoothing ε": "enja: ラベル平滑化の ε",
    "enja: beam width of the second test decoding (1 = greedy only)": "enja: 2 回目のテストのデコードのビーム幅 (1 = greedy のみ)",
    "enja: beam search divides log-probabilities by length**this": "enja: ビームサーチで対数確率を 長さ**この値 で割る",
    "enja: auto = mixed bfloat16 where native, else float32":
        "enja: auto = ネイティブに計算できれば混合 bfloat16、できなければ float32",
    "enja: matrix size of the matmul peak measured in the same run": "enja: 同じ実行で測る matmul のピークの行列サイズ",
    "enja: stop at the first epoch boundary past which the next epoch would end after this many minutes (0 = every epoch)":
        "enja: 次のエポックの終わりがこの分数を超えるなら、その手前のエポックの区切りで止める (0 = すべてのエポック)",
    "enja: directory holding train/dev/test .en/.ja (default: cache or $DLX_DATA_DIR)":
        "enja: train/dev/test の .en/.ja があるディレクトリ (既定: キャッシュか $DLX_DATA_DIR)",
    # day3.vae
    "size of z (2 gives the latent map)": "z のサイズ (2 なら潜在空間の地図を描く)",
    "weight of the KL term (1: the ELBO)": "KL 項の重み (1: ELBO)",
    "z samples per test image for the ELBO estimate": "ELBO の推定でのテスト画像あたりの z のサンプル数",
    # day3.word2vec
    "embedding size d": "埋め込みの次元数 d",
    "context words on each side": "片側あたりの文脈語の数",
    "noise words per true pair": "本物の組 1 つあたりのノイズ語の数",
    "corpus words used": "使うコーパスの単語数",
    "drop rarer words": "これより出現回数の少ない単語を除く",
    "frequent-word subsampling threshold (0: off)": "頻出語のサブサンプリングのしきい値 (0: なし)",
    "path of a text file to train on (default: Python's documentation)": "学習に使うテキストファイルのパス (既定: Python のドキュメント)",
    "comma-separated query words": "最近傍を調べる単語 (カンマ区切り)",

    # --- Day 4 ------------------------------------------------------------------------------------
    # day4.alphago
    "the board game": "ボードゲームの種類",
    "MCTS simulations per move of the final agents": "最終的なエージェントの 1 手あたりの MCTS のシミュレーション回数",
    "c of PUCT: Q + c·P·√N / (1 + n)": "PUCT の c: Q + c·P·√N / (1 + n)",
    "random rollouts per leaf in AlphaGo's search (0: value net only)":
        "AlphaGo の探索での葉ノードあたりのランダムなロールアウトの数 (0: 価値ネットワークのみ)",
    "λ of AlphaGo's leaf value (1 − λ)·v_θ + λ·z_rollout": "AlphaGo の葉ノードの評価値 (1 − λ)·v_θ + λ·z_rollout の λ",
    "channels of every convolution": "すべての畳み込みのチャネル数",
    "3×3 convolutions of the policy and value nets": "方策ネットワークと価値ネットワークの 3×3 畳み込みの層数",
    "residual blocks of the AlphaGo Zero net": "AlphaGo Zero のネットワークの残差ブロックの数",
    "channels of the AlphaGo Zero net": "AlphaGo Zero のネットワークのチャネル数",
    "mini-batch size of the SL policy and value nets": "SL 方策ネットワークと価値ネットワークのミニバッチのサイズ",
    "Adam learning rate of the SL policy and value nets": "SL 方策ネットワークと価値ネットワークの Adam の学習率",
    "SL policy epochs": "SL 方策ネットワークの学習エポック数",
    "value net epochs": "価値ネットワークの学習エポック数",
    "held-out share of the expert's positions (by symmetry class)": "熟練者の局面のうち取り置く割合 (対称な局面はまとめて分ける)",
    "RL policy iterations (one opponent from the pool each)": "RL 方策のイテレーション数 (毎回プールから相手を 1 つ選ぶ)",
    "self-play games per RL iteration": "RL のイテレーションあたりの自己対局の数",
    "Adam learning rate of REINFORCE": "REINFORCE の Adam の学習率",
    "RL iterations between additions to the opponent pool": "対戦相手のプールに加える間隔 (RL のイテレーション数)",
    "games of SL-then-random-then-RL play, one position each": "SL → ランダム → RL の順に指す対局の数 (各対局から局面を 1 つ)",
    "AlphaGo Zero iterations (self-play, train, evaluate)": "AlphaGo Zero のイテレーション数 (自己対局・学習・評価)",
    "self-play games per iteration": "イテレーションあたりの自己対局の数",
    "MCTS simulations per self-play move": "自己対局の 1 手あたりの MCTS のシミュレーション回数",
    "leaves per network call in self-play search (virtual loss between them)":
        "自己対局の探索で 1 回のネットワーク呼び出しに送る葉ノードの数 (その間は virtual loss)",
    "α of the Dirichlet noise on the root priors in self-play (0: none)":
        "自己対局でルートの事前確率に加えるディリクレノイズの α (0: なし)",
    "plies that draw moves from the visit counts (τ = 1); then the most visited (9: every ply of tic-tac-toe)":
        "訪問回数に比例して手を選ぶ手数 (τ = 1); その後は最多訪問の手 (9: 三目並べのすべての手)",
    "epochs over the replay buffer per iteration": "イテレーションあたりのリプレイバッファ上のエポック数",
    "mini-batch size of the AlphaGo Zero net": "AlphaGo Zero のネットワークのミニバッチのサイズ",
    "iterations of self-play kept in the replay buffer": "リプレイバッファに残す自己対局のイテレーション数",
    "Adam learning rate of the AlphaGo Zero net": "AlphaGo Zero のネットワークの Adam の学習率",
    "c of the L2 term c‖θ‖² of AlphaGo Zero's loss": "AlphaGo Zero の損失の L2 項 c‖θ‖² の c",
    "score (win + draw/2) the new net needs against the self-play net to replace it":
        "新しいネットワークが自己対局のネットワークと交代するのに必要なスコア (勝ち + 引き分け/2)",
    "check every opponent line (tic-tac-toe); otherwise only the solver's lines":
        "相手のすべての手順を確かめる (三目並べ); オフならソルバーの手順だけ",
    # day4.dcgan
    "GAN epochs over the training images": "学習画像に対する GAN のエポック数",
    "real images per step (and as many fakes)": "ステップあたりの本物の画像の枚数 (偽物も同じ枚数)",
    "D's Adam learning rate": "D の Adam の学習率",
    "G's Adam learning rate (two time scales, TTUR: G's twice D's)": "G の Adam の学習率 (2 つの時間スケール、TTUR: G は D の 2 倍)",
    "Adam β1 (DCGAN: 0.5)": "Adam の β1 (DCGAN: 0.5)",
    "−log D(G(z)) or the minimax log(1 − D(G(z)))": "G の損失: −log D(G(z)) か、minimax の log(1 − D(G(z)))",
    "epochs of the independent CNN that scores the samples": "サンプルを採点する独立した CNN (判定器) のエポック数",
    "generated images scored (the first 1,000 saved to samples.npy)": "採点する生成画像の枚数 (最初の 1,000 枚を samples.npy に保存)",
    "1-D toy: fresh samples of each density for the Monte Carlo V of the trained D":
        "1 次元の例: 学習した D の V をモンテカルロ法で求める、各密度の新しいサンプル数",
    "1-D toy: Adam steps of the MLP discriminator": "1 次元の例: MLP の識別器の Adam のステップ数",
    "size of z ~ N(0, I), seen by G as a 1×1 map (ConvT 7×7 projects it; no FC layer)":
        "z ~ N(0, I) のサイズ (G は 1×1 の特徴マップとみなす; ConvT 7×7 で射影し、全結合層はない)",
    "G's channels at 14×14 (2× at 7×7): ConvT + BN + ReLU layers, tanh output":
        "G の 14×14 でのチャネル数 (7×7 では 2 倍): ConvT + BN + ReLU の層、出力は tanh",
    "D's channels at 14×14 (2× at 7×7): strided Conv + LeakyReLU (+ BN) layers":
        "D の 14×14 でのチャネル数 (7×7 では 2 倍): ストライド付き Conv + LeakyReLU (+ BN) の層",
    # day4.densenet
    "channels entering the dense block": "dense block に入るチャネル数",
    "growth rate k": "成長率 k",
    "layers in the demonstration dense block": "例示の dense block の層数",
    "build keras.applications.DenseNet121 and compare parameters": "keras.applications.DenseNet121 を構築してパラメータ数を比べる",
    # day4.detection_metrics
    "t2: a detection is a TP when IoU ≥ this": "t2: IoU がこの値以上の検出を TP とする",
    "t1: detections with confidence ≥ this are listed": "t1: 確信度がこの値以上の検出を一覧にする",
    "NMS drops a box whose IoU with a kept one is above this": "NMS は、残したボックスとの IoU がこの値を超えるボックスを除く",
    "shapes_detection test images scored with the simulated detector": "模擬の検出器で採点する shapes_detection のテスト画像の枚数",
    "simulated detector: box noise, a fraction of the box size": "模擬の検出器: ボックスのノイズ (ボックスのサイズに対する割合)",
    "simulated detector: share of objects it misses": "模擬の検出器: 見逃す物体の割合",
    "simulated detector: mean spurious boxes per image": "模擬の検出器: 画像あたりの誤検出のボックス数の平均",
    "single-image calls timed for FPS": "FPS を測る 1 枚ずつの呼び出しの回数",
    # day4.distillation
    "networks in the teacher (more than one: an ensemble of their mean log-probabilities)":
        "教師のネットワークの数 (2 つ以上: 対数確率の平均によるアンサンブル)",
    "hidden widths of the teacher MLP (comma-separated)": "教師の MLP の中間層の幅 (カンマ区切り)",
    "training epochs of each teacher network": "教師の各ネットワークの学習エポック数",
    "pixels the teacher's training images are shifted by, at most": "教師の学習画像を平行移動する最大のピクセル数",
    "dropout after each hidden layer of the teacher": "教師の各中間層の後のドロップアウト率",
    "hidden widths of the student MLP (comma-separated)": "生徒の MLP の中間層の幅 (カンマ区切り)",
    "α: weight of the hard-label cross-entropy (1 − α: the soft term)": "α: ハードラベルの交差エントロピーの重み (1 − α: ソフトターゲットの項)",
    "T of the main distilled student (added to temperatures)": "主に見る蒸留した生徒の T (temperatures に加える)",
    "comma-separated temperatures T > 0 to compare": "比べる温度 T > 0 (カンマ区切り)",
    "mini-batch size of the teacher": "教師のミニバッチのサイズ",
    "mini-batch size of the students": "生徒のミニバッチのサイズ",
    "Adam learning rate (cosine decay to 0 over each network's training)": "Adam の学習率 (各ネットワークの学習にわたり 0 へ cosine 減衰)",
    # day4.distributed ({devices}: the CPUs this machine lends the process, at least 2)
    "most replicas of the synchronous runs (devices here: {devices})": "同期型の実行のレプリカ数の上限 (ここでのデバイス数: {devices})",
    "global mini-batch, split evenly over the replicas": "全体のミニバッチのサイズ (レプリカに均等に分ける)",
    "epochs of every synchronous run": "同期型の各実行のエポック数",
    "SGD learning rate of the synchronous runs": "同期型の実行の SGD の学習率",
    "hidden units of the MLP": "MLP の中間層のユニット数",
    "also train as two MultiWorkerMirroredStrategy worker processes on loopback ports":
        "ループバックのポートで 2 つの MultiWorkerMirroredStrategy のワーカープロセスとしても学習する",
    "seconds to wait for the child processes before stopping them": "子プロセスを止めるまでに待つ秒数",
    "worker threads of the parameter-server simulation": "パラメータサーバの模擬のワーカースレッド数",
    "staleness τ values of the asynchronous runs (comma-separated integers >= 0)":
        "非同期の実行の古さ τ の値 (0 以上の整数をカンマ区切り)",
    "gradients computed in each parameter-server run": "パラメータサーバの各実行で計算する勾配の数",
    "mini-batch of one worker's gradient": "ワーカー 1 つの勾配のミニバッチのサイズ",
    "SGD learning rate of one asynchronous update (synchronous: × workers)": "非同期の 1 回の更新の SGD の学習率 (同期: × ワーカー数)",
    # day4.dqn
    "environment steps at most": "環境ステップ数の上限",
    "environments acting together (one compiled call per step)": "同時に行動する環境の数 (1 ステップにコンパイル済みの呼び出し 1 回)",
    "ReLU units of each of the Q network's two hidden layers": "Q ネットワークの 2 つの中間層それぞれの ReLU ユニット数",
    "transitions per update": "更新あたりの遷移の数",
    "replay memory (transitions)": "Experience Replay のメモリの大きさ (遷移の数)",
    "random steps before the first update": "最初の更新の前のランダムなステップ数",
    "discount γ": "割引率 γ",
    "environment steps between training rounds": "学習の回の間の環境ステップ数",
    "updates per training round": "学習 1 回あたりの更新回数",
    "updates between copies of the online net into the target net": "オンラインのネットワークをターゲットネットワークへコピーする間隔 (更新回数)",
    "ε of ε-greedy at the start": "開始時の ε-greedy の ε",
    "ε after the linear fall": "線形に下げた後の ε",
    "environment steps over which ε falls linearly": "ε を線形に下げる環境ステップ数",
    "TD loss: Huber (δ = 1) or squared error": "TD 誤差の損失: Huber (δ = 1) か二乗誤差",
    "Double DQN targets": "Double DQN の目標値",
    "experience replay (off: learn from the latest batch_size transitions only)":
        "Experience Replay (オフ: 直近の batch_size 個の遷移だけから学習)",
    "fixed target network (off: bootstrap from the online net)": "固定したターゲットネットワーク (オフ: オンラインのネットワークからブートストラップ)",
    "clip rewards to [−1, 1]": "報酬を [−1, 1] に clipping する",
    "global gradient-norm clip (0 = off)": "全体の勾配ノルムのクリッピング (0 = なし)",
    "environment steps between greedy validations": "greedy な検証の間隔 (環境ステップ数)",
    "first environment step that validates": "検証を始める環境ステップ",
    "further validation episodes that confirm a score of stop_at": "stop_at のスコアを確かめる追加の検証エピソード数",
    "compile the updates and the acting with XLA": "更新と行動を XLA でコンパイルする",
    "stop once the validation mean reaches this": "検証の平均がこの値に達したら止める",
    "greedy validation episodes (seeds 2000000…)": "greedy な検証のエピソード数 (シード 2000000…)",
    "greedy evaluation episodes on unseen seeds (1000000…)": "未知のシード (1000000…) での greedy な評価のエピソード数",
    "also train with each trick switched off (the ablation table)": "工夫を 1 つずつ外しても学習する (アブレーションの表)",
    "environment steps of each ablation run": "アブレーションの各実行の環境ステップ数",
    "seeds per ablation variant": "アブレーションの変種ごとのシード数",
    "greedy evaluation episodes per ablation run": "アブレーションの実行ごとの greedy な評価のエピソード数",
    # day4.mobilenet
    "kernel size D_K": "カーネルサイズ D_K",
    "input channels M": "入力チャネル数 M",
    "output channels N": "出力チャネル数 N",
    "feature map size D_F": "特徴マップのサイズ D_F",
    "build keras.applications.MobileNet and compare parameters": "keras.applications.MobileNet を構築してパラメータ数を比べる",
    # day4.normalization (its "C" stays: see above)
    "N of the demonstration tensor": "例示のテンソルの N (バッチサイズ)",
    "H = W": "H = W (高さと幅)",
    "groups of group normalization (must divide C)": "グループ正規化のグループ数 (C を割り切る数)",
    "ε inside the square root": "平方根の中の ε",
    # day4.policy_gradient
    "policy updates at most (each on a fresh batch of episodes)": "方策の更新回数の上限 (毎回新しいエピソードのバッチで)",
    "episodes played per update (N)": "更新あたりにプレイするエピソード数 (N)",
    "tanh units of the policy's hidden layer": "方策の中間層の tanh ユニット数",
    "Adam learning rate (gradient ascent on Σ log π (G − b))": "Adam の学習率 (Σ log π (G − b) の勾配上昇)",
    "discount γ of the returns G_t": "利得 G_t の割引率 γ",
    "divide G − b by its standard deviation in each batch": "各バッチで G − b をその標準偏差で割る",
    "validate greedily once a batch averages this return": "バッチの平均の利得がこの値に達したら greedy に検証する",
    # day4.pruning
    "training epochs of the dense CNN": "密な CNN の学習エポック数",
    "fine-tuning epochs after (or while) pruning": "枝刈りの後 (または最中) の微調整のエポック数",
    "Adam learning rate of the dense training": "密な CNN の学習での Adam の学習率",
    "Adam learning rate at the start of the fine-tuning (cosine decay to 0)": "微調整の開始時の Adam の学習率 (0 へ cosine 減衰)",
    "sparsity whose accuracy drop is the target (added to sparsities)": "正答率の低下を目標で見るスパース率 (sparsities に加える)",
    "comma-separated sparsities, each in [0, 1)": "スパース率 (カンマ区切り、それぞれ [0, 1) の範囲)",
    "gradual, one_shot or both: the schedule of the sweep (at the target sparsity both run, and the target takes the worse)":
        "gradual、one_shot、both のいずれか: 掃引のスケジュール (目標のスパース率では両方を実行し、目標には悪い方を使う)",
    "global: one magnitude threshold over all kernels; layer: each kernel alone":
        "global: すべてのカーネルに共通の大きさのしきい値; layer: カーネルごとに別々のしきい値",
    # day4.q_learning (CliffWalking as in Sutton & Barto's Example 6.6; FrozenLake slippery)
    "CliffWalking training episodes (Sutton & Barto: 500)": "CliffWalking の学習エピソード数 (Sutton & Barto: 500)",
    "CliffWalking step size α at the start, or of a pair's first update with alpha_power (Sutton & Barto: 0.5)":
        "CliffWalking のステップ幅 α: 開始時の値、alpha_power を使うときは各組の最初の更新での値 (Sutton & Barto: 0.5)",
    "CliffWalking α at the last episode (linear decay; = alpha keeps it fixed; unused with alpha_power)":
        "CliffWalking の最後のエピソードでの α (線形に減衰; alpha と同じなら一定; alpha_power を使うときは使わない)",
    "ω of a step size per state-action pair, α·n(s,a)^−ω after its n-th update (0: one α for all pairs, falling linearly)":
        "状態・行動の組ごとのステップ幅の ω: n 回目の更新の後は α·n(s,a)^−ω (0: すべての組に共通の α を線形に下げる)",
    "ε of ε-greedy on CliffWalking (Sutton & Barto: 0.1)": "CliffWalking での ε-greedy の ε (Sutton & Barto: 0.1)",
    "CliffWalking discount γ (Sutton & Barto: 1, undiscounted)": "CliffWalking の割引率 γ (Sutton & Barto: 1、割引なし)",
    "FrozenLake training episodes": "FrozenLake の学習エピソード数",
    "FrozenLake step size α at the start": "FrozenLake の開始時のステップ幅 α",
    "FrozenLake α at the last episode (linear decay)": "FrozenLake の最後のエピソードでの α (線形に減衰)",
    "FrozenLake ε after its linear fall from 1 over the first half of the episodes":
        "FrozenLake の ε (エピソードの前半で 1 から線形に下げた後の値)",
    "FrozenLake discount γ": "FrozenLake の割引率 γ",
    "greedy FrozenLake episodes for the success rate": "成功率を測る greedy な FrozenLake のエピソード数",
    "the most steps of any greedy rollout (a greedy Sarsa policy can loop forever)":
        "greedy なロールアウトのステップ数の上限 (greedy な Sarsa の方策は永遠にループしうる)",
    # day4.quantization
    "training epochs of the float32 CNN": "float32 の CNN の学習エポック数",
    "training epochs of the float32 MLP (300-100)": "float32 の MLP (300-100) の学習エポック数",
    "representative training images that calibrate full int8": "完全な int8 を較正する代表的な学習画像の枚数",
    # day4.segmentation
    "held-out test images": "取り置くテスト画像の枚数",
    "passes over the training images, for every model": "学習画像を通す回数 (すべてのモデルに共通)",
    "peak Adam learning rate (cosine decay to 0)": "Adam の学習率の最大値 (0 へ cosine 減衰)",
    "channels of each model's first stage": "各モデルの最初の段のチャネル数",
    "also train the dilated-convolution net (off at quick, to stay within its time)":
        "dilated 畳み込みのネットワークも学習する (quick では時間内に収めるためオフ)",
    # day4.ssd
    "passes over the training images": "学習画像を通す回数",
    "channels of the backbone's second stage": "バックボーンの 2 段目のチャネル数",
    "scale of the first map's default boxes": "最初の特徴マップのデフォルトボックスのスケール",
    "scale of the last map's default boxes": "最後の特徴マップのデフォルトボックスのスケール",
    "hard negatives kept per positive": "正例 1 つあたりに残す hard negative の数",
    "weight α of the localisation loss": "位置の損失 (L_loc) の重み α",
    "class scores above this enter NMS": "クラスのスコアがこの値を超えたものを NMS に入れる",
    "NMS drops boxes whose IoU with a kept one is above this": "NMS は、残したボックスとの IoU がこの値を超えるボックスを除く",
    # day4.transformer (the paper: Vaswani et al. 2017; the course lab: its Keras Transformer on small_parallel_enja)
    "training pairs (enja: at most 50,000)": "学習用の組の数 (enja: 最大 50,000)",
    "held-out pairs decoded for the metrics (enja: at most 500)": "指標のためにデコードする取り置きの組の数 (enja: 最大 500)",
    "encoder and decoder layers (the paper: 6)": "エンコーダとデコーダの層数 (論文: 6)",
    "model width (the paper: 512)": "モデルの幅 (論文: 512)",
    "attention heads (the paper: 8)": "Attention のヘッド数 (論文: 8)",
    "d_k = d_v of each head (0 = d_model / num_heads; the course lab: 32 with 6 heads)":
        "各ヘッドの d_k = d_v (0 = d_model / num_heads; 講座の演習: 6 ヘッドで 32)",
    "FFN inner width (the paper: 2048)": "FFN の内部の幅 (論文: 2048)",
    "dropout rate (the paper: 0.1; 0 on dates, whose fresh data needs no regularizer)":
        "ドロップアウト率 (論文: 0.1; dates は毎回新しいデータで正則化が要らないので 0)",
    "pairs per step": "ステップあたりの組の数",
    "linear warm-up steps of the paper's schedule (the paper: 4000)": "論文のスケジュールの線形ウォームアップのステップ数 (論文: 4000)",
    "noam: the paper's warm-up then step^-0.5; cosine: the same warm-up and peak, then a cosine decay to 0 at the last step; constant: Adam at lr with its default betas (the course lab)":
        "noam: 論文のウォームアップの後 step^-0.5; cosine: 同じウォームアップと最大値の後、最後のステップで 0 になる cosine 減衰; "
        "constant: 既定の β の Adam を学習率 lr で (講座の演習)",
    "multiplies the paper's learning-rate schedule": "論文の学習率スケジュールに掛ける係数",
    "the constant schedule's learning rate (the course lab: 1e-3)": "constant スケジュールの学習率 (講座の演習: 1e-3)",
    "label smoothing ε (the paper: 0.1)": "ラベル平滑化の ε (論文: 0.1)",
    "beam width for beam-search decoding (1 = greedy only)": "ビームサーチでデコードするときのビーム幅 (1 = greedy のみ)",
    "one embedding table for source and target (as the course's example 5.1)":
        "入力側と出力側で埋め込み行列を共有する (講座の例 5.1 と同じ)",
    "the output projection is the target embedding table (the course lab)": "出力の射影に出力側の埋め込み行列を使う (講座の演習)",
    "enja: momentum of a moving average of the weights, which the dev and test scores use (0 = the trained weights)":
        "enja: dev と test のスコアに使う重みの移動平均の momentum (0 = 学習した重みそのまま)",
    "batches of similar source length, trimmed to their longest (less padding; on dates it learned slower)":
        "入力の長さが近い文でバッチを作り、その最長に合わせて切り詰める (パディングが減る; dates では学習が遅かった)",
    "compile the training step with XLA": "学習ステップを XLA でコンパイルする",
    "auto = mixed bfloat16 where the CPU/GPU computes it natively, else float32":
        "auto = CPU/GPU がネイティブに計算できれば混合 bfloat16、できなければ float32",
    "beam search divides log-probabilities by length**this": "ビームサーチで対数確率を 長さ**この値 で割る",
    # the registry's text ends in "; " (translate strips the space and looks the rest up)
    "stop training after this many minutes (0 = run every epoch)": "この分数を過ぎたら学習を止める (0 = すべてのエポックを実行)",
    "enja only: directory holding train/dev/test .en/.ja (default: cache or $DLX_DATA_DIR)":
        "enja のみ: train/dev/test の .en/.ja があるディレクトリ (既定: キャッシュか $DLX_DATA_DIR)",
    # day4.wavenet
    "samples per second of the generated signal (Hz)": "生成する信号の 1 秒あたりのサンプル数 (Hz)",
    "training signal length (s)": "学習信号の長さ (s)",
    "held-out signal length (s)": "取り置く信号の長さ (s)",
    "dilated layers per stack: dilations 1, 2, …, 2^(L−1)": "スタックあたりの dilated な層の数: dilation 1, 2, …, 2^(L−1)",
    "dilation stacks (the cycle 1 … 2^(L−1) repeated)": "dilation のスタック数 (1 … 2^(L−1) の繰り返し)",
    "k of every dilated causal conv": "すべての dilated causal 畳み込みの k",
    "residual channels C (gated: 2C before tanh ⊙ σ)": "残差のチャネル数 C (ゲート付き: tanh ⊙ σ の前は 2C)",
    "skip-connection channels": "スキップ接続のチャネル数",
    "random training crops per epoch": "エポックあたりのランダムな学習用の切り出しの数",
    "samples per training crop (beyond the receptive field)": "学習用の切り出し 1 つのサンプル数 (受容野の分を除く)",
    "length of the generated waveform (s)": "生成する波形の長さ (s)",
    "softmax temperature when sampling": "サンプリング時の softmax の温度",
    "steps of the cache-free generation timed for comparison": "比較のために時間を測る、キャッシュなしの生成のステップ数",

    # --- the course's example programs (Day 4 Section 5) -----------------------------------------------
    # the {what} of "{what} (course: {value})" (ja._PARAMETERS has the pattern)
    "SGD steps": "SGD のステップ数",
    "steps per optimizer": "最適化手法ごとのステップ数",
    "full-batch gradient-descent steps": "全バッチの勾配降下法のステップ数",
    "Adam steps per model": "モデルごとの Adam のステップ数",
    "Momentum learning rate": "Momentum の学習率",
    "samples per step": "ステップあたりのサンプル数",
    "sequences per step": "ステップあたりの系列の数",
    "RNN activation": "RNN の活性化関数",
    # whole helps whose value says more than a number
    "epochs (course: 20)": "エポック数 (講座: 20)",
    "epochs (course: 5)": "エポック数 (講座: 5)",
    "iterations (course: 1000)": "イテレーション数 (講座: 1000)",
    "momentum (course: 0.9)": "Momentum の係数 (講座: 0.9)",
    "first hidden layer (course: 600)": "1 つ目の中間層のユニット数 (講座: 600)",
    "second hidden layer (course: 300)": "2 つ目の中間層のユニット数 (講座: 300)",
    "dropout after the second layer (course: 0.5)": "2 層目の後のドロップアウト率 (講座: 0.5)",
    "dropout before the output layer (course: 0.5; try 0)": "出力層の前のドロップアウト率 (講座: 0.5; 0 も試す)",
    "std of the Gaussian noise (course: 0.05, try 0.6)": "ガウスノイズの標準偏差 (講座: 0.05、0.6 も試す)",
    "full-batch Adam steps (course: 10000; 30000 for the quadratic try)": "全バッチの Adam のステップ数 (講座: 10000; quadratic の試しでは 30000)",
    "Adam learning rate (course: 0.001; 0.01 for the quadratic try)": "Adam の学習率 (講座: 0.001; quadratic の試しでは 0.01)",
    "truth table to learn (course: OR; try AND and XOR)": "学習する真理値表 (講座: OR; AND と XOR も試す)",
    "passes over the 4 inputs (course: 30; its try: 100)": "4 つの入力を通す回数 (講座: 30; 講座の試し: 100)",
    "inputs per step (course: 1; its try 10 fails at 30 epochs)": "ステップあたりの入力の数 (講座: 1; 講座の試しの 10 は 30 エポックでは失敗する)",
    "RNN units (course: 16; try 128)": "RNN のユニット数 (講座: 16; 128 も試す)",
    # examples.iris, examples.linear_regression
    "SGD learning rate (course's try: SGD(lr=0.1))": "SGD の学習率 (講座の試し: SGD(lr=0.1))",
    "true W in d = W x + b (the course also tries 5)": "d = W x + b の真の W (講座は 5 も試す)",
    "true b": "真の b",
    "std of the Gaussian noise; the course starts at 0.3, then tries 0.1": "ガウスノイズの標準偏差; 講座は 0.3 から始め、次に 0.1 を試す",
    "training points, x ~ U[0, 1)": "学習データの点の数、x ~ U[0, 1)",
    # examples.mnist_1layer's xla: the registry writes whichever this net measured
    "compile the train step with XLA (measured faster for this net on CPU)": "学習ステップを XLA でコンパイルする (このネットワークでは CPU で速いと測定)",
    # examples.mnist_cnn, examples.mnist_keras
    "move each training image by up to this many pixels as it is drawn (0: the course)":
        "引いた学習画像を最大この数のピクセルだけ平行移動する (0: 講座のまま)",
    "Adam learning rate (the syllabus: 0.01; Keras's default 0.001)": "Adam の学習率 (シラバス: 0.01; Keras の既定は 0.001)",
    "learning rate: constant (the course) or cosine decay to 0": "学習率: constant (一定、講座) か cosine (0 へ減衰)",
    "move each training image by up to this many pixels, afresh every epoch (0: the course)":
        "各学習画像を、エポックごとに新たに最大この数のピクセルだけ平行移動する (0: 講座のまま)",
    # examples.nonlinear_regression
    "cubic: d = -0.4x³ + 1.6x² - 2.8x + 1; quadratic: the course's try d = 30x² + 0.5x + 0.2":
        "cubic: d = -0.4x³ + 1.6x² - 2.8x + 1; quadratic: 講座の試し d = 30x² + 0.5x + 0.2",
    "training points, x ~ U[-2, 2)": "学習データの点の数、x ~ U[-2, 2)",
    "fresh test points from the same process": "同じ過程から新たに引くテストの点の数",
    # examples.rnn_addition (n_train / n_test as the registry builds them)
    "course: SGD; try adam": "講座: SGD; adam も試す",
    "training sums (test pairs never seen in training) (at most what the data set has)":
        "学習用の和の数 (テストの組は学習に現れない) (データセットにある数まで)",
    "test sums (test pairs never seen in training) (at most what the data set has)":
        "テスト用の和の数 (テストの組は学習に現れない) (データセットにある数まで)",

    # --- bench suites ---------------------------------------------------------------------------------
    # bench.cnn
    "training epochs per model": "モデルごとの学習エポック数",
    "comma-separated: all, or of deep_cnn, alexnet, vgg, googlenet, resnet, resnet_v2, wrn, mobilenet, densenet":
        "カンマ区切り: all、または deep_cnn, alexnet, vgg, googlenet, resnet, resnet_v2, wrn, mobilenet, densenet から",
    "jit_compile per model (auto: measured choice; Keras ignores it under DLX_DETERMINISTIC=1)":
        "モデルごとの jit_compile (auto: 測定に基づく選択; DLX_DETERMINISTIC=1 では Keras が無視する)",
    # bench.compression
    "representative images that calibrate full int8": "完全な int8 を較正する代表的な画像の枚数",
    "comma-separated sparsities in [0, 1) (the largest is also made full int8)":
        "[0, 1) のスパース率 (カンマ区切り; 最大のものは完全な int8 にもする)",
    "fine-tuning epochs of each pruned CNN": "枝刈りした各 CNN の微調整のエポック数",
    "Adam learning rate of the fine-tuning": "微調整の Adam の学習率",
    "filters of the student's first convolution (the second has twice as many)": "生徒の 1 つ目の畳み込みのフィルタ数 (2 つ目はその 2 倍)",
    "hidden Dense units of the student": "生徒の中間の Dense 層のユニット数",
    "α: weight of the hard-label cross-entropy": "α: ハードラベルの交差エントロピーの重み",
    "distillation temperature T": "蒸留の温度 T",
    # bench.normalization
    "epochs at every batch size (the same images seen)": "各バッチサイズでのエポック数 (見る画像は同じ)",
    "comma-separated batch sizes": "バッチサイズ (カンマ区切り)",
    "G of group normalization (divides 16 and 32)": "グループ正規化の G (16 と 32 を割り切る数)",
    "Adam learning rate at the smallest batch size (× √(batch / smallest) at the others)":
        "最小のバッチサイズでの Adam の学習率 (ほかのバッチサイズでは × √(batch / smallest))",
    # bench.rl
    "CliffWalking episodes of Q-learning and Sarsa": "Q 学習と Sarsa の CliffWalking のエピソード数",
    "REINFORCE updates at most": "REINFORCE の更新回数の上限",
    "DQN environment steps at most": "DQN の環境ステップ数の上限",
    "greedy CartPole evaluation episodes on unseen seeds": "未知のシードでの CartPole の greedy な評価のエピソード数",
    # bench.rnn
    "epochs per model and task": "モデルと課題ごとのエポック数",
    "recurrent units of every layer": "各再帰層のユニット数",
    "sine periods": "sin 波の周期数",
    "binary-addition training sequences": "2 進数の足し算の学習系列の数",
    # bench.speed
    "training steps per timed epoch (0: as many as the hand-written step takes epoch_s seconds for, 8 to 400)":
        "計測するエポックあたりの学習ステップ数 (0: 手書きの学習ステップで epoch_s 秒かかる数、8 から 400)",
    "seconds of a timed epoch, when steps is 0": "steps が 0 のときの、計測するエポックの秒数",
    "epochs per dlx measurement (the first, which traces, is not timed; each later one is paired with a "
    "hand-written float32 pass)":
        "dlx の測定ごとのエポック数 (トレースする最初のエポックは計測しない。以降の各エポックを手書きの float32 の学習ステップ 1 巡と組にする)",
    "matrix size of the matmul peak": "matmul のピークの行列サイズ",
    "comma-separated, of: mlp, cnn, transformer": "カンマ区切り、mlp, cnn, transformer から",
}
