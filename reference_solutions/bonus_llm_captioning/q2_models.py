"""Q2 models: a frozen CNN encoder and three decoders joined by `ImageCaptioningModel`; training and decoding.

* CNN-RNN (Show and Tell): the pooled image feature is the LSTM's initial state (h0, c0).
* Attention CNN-RNN (Show, Attend and Tell): additive attention over the feature map's regions,
  input_t = concat(embedding, context); the per-step weights are returned for heatmaps.
* CNN-Transformer: the region features pass through a new trainable projection (the only
  trainable part of the encoder) into a Transformer decoder with word and positional
  embeddings, a causal mask and a padding mask.

Every model is called `model(images, captions_in) -> logits (B, T, V)` (the attention model
returns `(logits, alphas)` with alphas (B, T, R)); logits[:, t] predicts captions_in[:, t + 1].
`smoke`: `SmallCNN`, pretrained here on the shapes' attributes; `full`: torchvision ResNet-50
or EfficientNet-B0 with ImageNet weights, imported lazily. Only torch is imported at module
level: the example notebooks embed this source.
"""

from __future__ import annotations

import torch
from torch import nn


class SmallCNN(nn.Module):
    """Smoke-profile backbone: 32x32 -> a 64 x 4 x 4 feature map; `head` is used for pretraining only."""

    def __init__(self, n_classes: int = 48, channels: int = 64):
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv2d(3, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(32, 64, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(64, channels, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
        )  # fmt: skip
        self.channels = channels
        self.head = nn.Linear(channels, n_classes)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.head(self.features(x).mean(dim=(2, 3)))


def torchvision_backbone(name: str = "resnet50") -> tuple[nn.Module, int]:
    """Full profile: an ImageNet-pretrained CNN without its pooling and FC layers, and its channels."""
    import torchvision  # full profile only (not installed for tests)

    if name == "resnet50":
        net = torchvision.models.resnet50(weights=torchvision.models.ResNet50_Weights.DEFAULT)
        return nn.Sequential(*list(net.children())[:-2]), 2048
    net = torchvision.models.efficientnet_b0(
        weights=torchvision.models.EfficientNet_B0_Weights.DEFAULT
    )
    return net.features, 1280


class Encoder(nn.Module):
    """A frozen CNN feature map, as a vector (`spatial=False`) or as R regions (B, R, C).

    `project_to` adds a new trainable linear projection (the CNN-Transformer's "last layer")."""

    def __init__(
        self, backbone: nn.Module, channels: int, spatial: bool, project_to: int | None = None
    ):
        super().__init__()
        self.backbone = backbone.eval()  # frozen: batch-norm statistics stay as pretrained
        for p in self.backbone.parameters():
            p.requires_grad = False
        self.spatial = spatial
        self.project = nn.Linear(channels, project_to) if project_to else None
        self.out_dim = project_to or channels

    def train(self, mode: bool = True) -> Encoder:
        super().train(mode)
        self.backbone.eval()  # frozen: batch-norm statistics stay as pretrained
        return self

    @torch.no_grad()
    def extract(self, images: torch.Tensor) -> torch.Tensor:
        """The frozen CNN's regions (B, R, C); cacheable, since nothing here is trained. Always
        in eval mode (running batch-norm statistics, no dropout or stochastic depth), also when
        called before any `train()`/`eval()` of the whole model, as the feature cache is."""
        if self.backbone.training:
            self.backbone.eval()
        return self.backbone(images).flatten(2).transpose(1, 2)

    def adapt(self, regions: torch.Tensor) -> torch.Tensor:
        """The trainable part: the new projection (if any), then pooling unless spatial."""
        if self.project is not None:
            regions = self.project(regions)
        return regions if self.spatial else regions.mean(dim=1)

    def forward(self, images: torch.Tensor) -> torch.Tensor:
        return self.adapt(self.extract(images))


class ShowTellDecoder(nn.Module):
    """Embedding + LSTM + Linear; the image vector initialises (h0, c0)."""

    def __init__(self, vocab_size: int, feat_dim: int, embed: int = 64, hidden: int = 128):
        super().__init__()
        self.embed = nn.Embedding(vocab_size, embed, padding_idx=0)
        self.init_h = nn.Linear(feat_dim, hidden)
        self.init_c = nn.Linear(feat_dim, hidden)
        self.lstm = nn.LSTM(embed, hidden, batch_first=True)
        self.fc = nn.Linear(hidden, vocab_size)

    def forward(self, features: torch.Tensor, captions: torch.Tensor) -> torch.Tensor:
        h0 = torch.tanh(self.init_h(features)).unsqueeze(0)
        c0 = torch.tanh(self.init_c(features)).unsqueeze(0)
        out, _ = self.lstm(self.embed(captions), (h0, c0))
        return self.fc(out)


class AdditiveAttention(nn.Module):
    """e_t^i = v^T tanh(W_a a_i + W_h h_{t-1}); alpha_t = softmax over the regions i."""

    def __init__(self, feat_dim: int, hidden: int, attn: int = 64):
        super().__init__()
        self.W_a = nn.Linear(feat_dim, attn)
        self.W_h = nn.Linear(hidden, attn)
        self.v = nn.Linear(attn, 1)

    def forward(self, regions: torch.Tensor, h: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        e = self.v(torch.tanh(self.W_a(regions) + self.W_h(h).unsqueeze(1))).squeeze(-1)  # (B, R)
        alpha = torch.softmax(e, dim=1)
        context = (alpha.unsqueeze(-1) * regions).sum(dim=1)  # z_t = sum_i alpha_i a_i
        return context, alpha


class AttentionDecoder(nn.Module):
    """LSTMCell over concat(embedding, context); returns logits and the weights of every step."""

    def __init__(self, vocab_size: int, feat_dim: int, embed: int = 64, hidden: int = 128):
        super().__init__()
        self.embed = nn.Embedding(vocab_size, embed, padding_idx=0)
        self.attention = AdditiveAttention(feat_dim, hidden)
        self.init_h = nn.Linear(feat_dim, hidden)
        self.init_c = nn.Linear(feat_dim, hidden)
        self.cell = nn.LSTMCell(embed + feat_dim, hidden)
        self.fc = nn.Linear(hidden, vocab_size)

    def forward(
        self, regions: torch.Tensor, captions: torch.Tensor
    ) -> tuple[torch.Tensor, torch.Tensor]:
        mean = regions.mean(dim=1)
        h, c = torch.tanh(self.init_h(mean)), torch.tanh(self.init_c(mean))
        emb = self.embed(captions)
        logits, alphas = [], []
        for t in range(captions.shape[1]):
            context, alpha = self.attention(regions, h)
            h, c = self.cell(torch.cat([emb[:, t], context], dim=1), (h, c))
            logits.append(self.fc(h))
            alphas.append(alpha)
        return torch.stack(logits, dim=1), torch.stack(alphas, dim=1)


class TransformerCaptionDecoder(nn.Module):
    """Word + learned positional embeddings, nn.TransformerDecoder over the image regions."""

    def __init__(
        self,
        vocab_size: int,
        d_model: int = 64,
        heads: int = 4,
        layers: int = 2,
        max_len: int = 32,
        pad_id: int = 0,
    ):
        super().__init__()
        self.pad_id = pad_id
        self.embed = nn.Embedding(vocab_size, d_model, padding_idx=pad_id)
        self.position = nn.Embedding(max_len, d_model)
        layer = nn.TransformerDecoderLayer(
            d_model, heads, dim_feedforward=4 * d_model, dropout=0.1, batch_first=True
        )
        self.decoder = nn.TransformerDecoder(layer, layers)
        self.fc = nn.Linear(d_model, vocab_size)

    def forward(self, memory: torch.Tensor, captions: torch.Tensor) -> torch.Tensor:
        T = captions.shape[1]
        pos = torch.arange(T, device=captions.device)
        x = self.embed(captions) + self.position(pos)
        causal = torch.triu(torch.ones(T, T, dtype=torch.bool, device=captions.device), diagonal=1)
        padding = captions == self.pad_id
        out = self.decoder(x, memory, tgt_mask=causal, tgt_key_padding_mask=padding)
        return self.fc(out)


class ImageCaptioningModel(nn.Module):
    """Encoder + decoder, trained end to end (the encoder's CNN stays frozen)."""

    def __init__(self, encoder: Encoder, decoder: nn.Module):
        super().__init__()
        self.encoder = encoder
        self.decoder = decoder

    def forward(self, images: torch.Tensor, captions: torch.Tensor):
        return self.decoder(self.encoder(images), captions)


def logits_of(output) -> torch.Tensor:
    return output[0] if isinstance(output, tuple) else output


@torch.no_grad()
def greedy_decode(
    model: nn.Module, images: torch.Tensor, start_id: int, end_id: int, max_len: int
) -> torch.Tensor:
    """Greedy decoding: feed the words chosen so far, take the arg-max of the last step."""
    model.eval()
    seq = torch.full((images.shape[0], 1), start_id, dtype=torch.long, device=images.device)
    done = torch.zeros(images.shape[0], dtype=torch.bool, device=images.device)
    for _ in range(max_len - 1):
        nxt = logits_of(model(images, seq))[:, -1].argmax(-1)
        nxt = torch.where(done, torch.zeros_like(nxt), nxt)
        seq = torch.cat([seq, nxt.unsqueeze(1)], dim=1)
        done |= nxt == end_id
        if bool(done.all()):
            break
    return seq[:, 1:]


def fit(
    model: ImageCaptioningModel,
    cache: torch.Tensor,
    captions: torch.Tensor,
    image_of: torch.Tensor,
    train_rows: torch.Tensor,
    val_rows: torch.Tensor,
    criterion: nn.Module,
    epochs: int,
    lr: float = 3e-3,
    batch_size: int = 64,
) -> dict[str, list[float]]:
    """Teacher forcing on cached CNN regions (`cache[image_of[row]]`, the CNN being frozen):
    the trainable rest of the encoder and the decoder run on every batch. Train/val loss per epoch."""
    opt = torch.optim.Adam([p for p in model.parameters() if p.requires_grad], lr=lr)
    history: dict[str, list[float]] = {"train": [], "val": []}

    def batch_loss(rows: torch.Tensor) -> torch.Tensor:
        c = captions[rows]
        logits = logits_of(model.decoder(model.encoder.adapt(cache[image_of[rows]]), c[:, :-1]))
        return criterion(logits.reshape(-1, logits.shape[-1]), c[:, 1:].reshape(-1))

    for _ in range(epochs):
        model.train()
        total = 0.0
        for b in train_rows[torch.randperm(len(train_rows), device=train_rows.device)].split(
            batch_size
        ):
            loss = batch_loss(b)
            opt.zero_grad()
            loss.backward()
            nn.utils.clip_grad_norm_(model.parameters(), 5.0)
            opt.step()
            total += loss.item() * len(b)
        history["train"].append(total / len(train_rows))
        model.eval()
        with torch.no_grad():
            history["val"].append(
                sum(batch_loss(b).item() * len(b) for b in val_rows.split(256)) / len(val_rows)
            )
    return history
