"""Similar past cases: same incident type family, shared hazards and similar wording."""
from __future__ import annotations

import numpy as np

from matcher.plans import type_fit


def rank(cases: list[dict], code: str | None, hazards: list[str], text_sim: np.ndarray, k: int) -> list[dict]:
    """`cases` rows: {"title","source","type_code","hazards","text"}; `text_sim` in [0, 1] per case."""
    out = []
    for i, c in enumerate(cases):
        fit = type_fit([c["type_code"]] if c.get("type_code") else [], code)
        shared = [h for h in hazards if h in c["text"]]
        s = 0.55 * fit + 0.3 * float(text_sim[i]) + 0.15 * min(len(shared), 3) / 3
        why = []
        if fit >= 0.9:
            why.append("同类事件")
        elif fit >= 0.5:
            why.append("相近类型事件")
        if shared:
            why.append("共同危险因素：" + "、".join(shared[:3]))
        if text_sim[i] > 0.6:
            why.append("经过描述相似")
        out.append({"title": c["title"], "source": c.get("source"), "score": round(s, 3),
                    "why": "；".join(why) or "文本相似"})
    out.sort(key=lambda x: -x["score"])
    return out[:k]
