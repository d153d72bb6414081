"""Golden values for MetricsGoldenTest, computed independently of the Java code.

Run with the Debian interpreter (python3-sklearn, python3-scipy):  /usr/bin/python3 metrics_golden.py
The output is pasted into glad-core/src/test/java/com/gladstream/glad/metrics/MetricsGoldenTest.java.
Nothing in the build or the tests runs this script.
"""
import numpy as np
from scipy import ndimage
from sklearn.metrics import average_precision_score, precision_recall_curve, roc_auc_score


def f1max(y, s):
    p, r, _ = precision_recall_curve(y, s)
    f1 = np.divide(2 * p * r, p + r, out=np.zeros_like(p), where=(p + r) > 0)
    return f1.max()


def ranking(name, y, s):
    y = np.asarray(y)
    s = np.asarray(s, dtype=np.float64)
    print(f"{name}: scores={s.tolist()} labels={y.astype(int).tolist()}")
    print(f"  auroc={roc_auc_score(y, s)!r} ap={average_precision_score(y, s)!r} f1max={f1max(y, s)!r}")


def aupro(maps, masks, fpr_limit=0.3):
    """One pass per distinct threshold, recomputing every region's overlap from scratch."""
    structure = np.ones((3, 3), dtype=int)  # 8-connectivity
    maps = np.stack(maps).astype(np.float64)
    masks = np.stack(masks) > 0.5
    normal_scores = maps[~masks]
    fprs, pros = [0.0], [0.0]
    for t in np.unique(maps)[::-1]:
        fprs.append(np.mean(normal_scores >= t))
        overlaps = []
        for i, mask in enumerate(masks):
            labeled, count = ndimage.label(mask, structure=structure)
            for r in range(1, count + 1):
                region = labeled == r
                overlaps.append(np.mean(maps[i][region] >= t))
        pros.append(np.mean(overlaps))
    fprs, pros = np.array(fprs), np.array(pros)
    # Integrate up to the limit, interpolating the segment that crosses it.
    inside = fprs <= fpr_limit
    area = np.trapz(pros[inside], fprs[inside])
    last = np.nonzero(inside)[0][-1]
    if fprs[last] < fpr_limit:
        x0, x1, y0, y1 = fprs[last], fprs[last + 1], pros[last], pros[last + 1]
        y_at = y0 + (y1 - y0) * (fpr_limit - x0) / (x1 - x0)
        area += (y0 + y_at) / 2 * (fpr_limit - x0)
    return area / fpr_limit


ranking("ties", [0, 1, 0, 1, 0, 1, 0, 1, 1, 0],
        [0.1, 0.4, 0.35, 0.8, 0.4, 0.4, 0.2, 0.9, 0.35, 0.05])
ranking("allTied", [0, 1, 0, 1, 1, 0], [0.5] * 6)
ranking("negativeScores", [1, 0, 1, 0, 0, 1, 0], [-1.5, -3.0, 2.0, -1.5, 0.0, -0.25, -2.0])
rng = np.random.default_rng(7)
y = rng.random(40) < 0.4
s = np.round(rng.normal(size=40) + 0.8 * y, 1)
ranking("random40", y, s)

h, w = 6, 8
m0 = np.zeros((h, w)); m0[1, 1] = m0[2, 2] = m0[2, 3] = 1  # one region via a diagonal link
m0[4:6, 5:8] = 1                                            # a second region
m1 = np.zeros((h, w)); m1[0:3, 0:2] = 1
m2 = np.zeros((h, w))                                       # a good image
masks = [m0, m1, m2]
rng = np.random.default_rng(11)
maps = [np.round(rng.random((h, w)) * 0.6 + 0.5 * m * rng.random((h, w)), 1) for m in masks]
for i, (m, a) in enumerate(zip(masks, maps)):
    print(f"mask{i}={m.astype(int).ravel().tolist()}")
    print(f"map{i}={a.ravel().tolist()}")
flat_y = np.concatenate([m.ravel() for m in masks])
flat_s = np.concatenate([a.ravel() for a in maps])
ranking("pixels", flat_y > 0.5, flat_s)
print(f"  aupro={aupro(maps, masks)!r}")
