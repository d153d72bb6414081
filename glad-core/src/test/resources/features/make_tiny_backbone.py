"""Writes tiny-backbone.pt, the TorchScript fixture of TorchScriptBackboneFeaturesTest.

Two strided convolutions with constant weights, so their outputs can be checked by hand: layer 1
is the 4x4 block mean of the channel-averaged input (8 identical channels, stride 4), layer 2 the
2x2 block mean of layer 1 (16 identical channels, stride 8). Regenerate with Debian's python3-torch:
    python3 make_tiny_backbone.py
"""
import torch


class TinyBackbone(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.stem = torch.nn.Conv2d(3, 8, kernel_size=4, stride=4, bias=False)
        self.down = torch.nn.Conv2d(8, 16, kernel_size=2, stride=2, bias=False)
        torch.nn.init.constant_(self.stem.weight, 1.0 / (3 * 4 * 4))
        torch.nn.init.constant_(self.down.weight, 1.0 / (8 * 2 * 2))

    def forward(self, x):
        s4 = self.stem(x)
        s8 = self.down(s4)
        return s4, s8


torch.jit.script(TinyBackbone().eval()).save("tiny-backbone.pt")
