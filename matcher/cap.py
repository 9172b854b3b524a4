"""CAP 1.2 alerts (Common Alerting Protocol, OASIS; 国家预警信息发布 uses it) as incident input.

    alert = parse_cap(Path("corpora/lianyungang/cap/台风风暴潮预警.xml"))
    text = cap_to_report(alert)      # Chinese report text for nlp.incident.parse_report
    hints = cap_hints(alert)         # severity, category, event, area, lat, lon, time

Parsing goes through defusedxml with DTDs forbidden, so entity expansion ("billion laughs"),
external entities and any <!DOCTYPE> are refused. Every failure is a CapError with a one-line
Chinese message. Accepted namespaces: CAP 1.2, CAP 1.1 (same elements) and none.
"""
from __future__ import annotations

import codecs
import os
import re
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from xml.etree.ElementTree import Element, ParseError

import defusedxml.ElementTree as SafeET
from defusedxml import DefusedXmlException, DTDForbidden, EntitiesForbidden, ExternalReferenceForbidden

CAP_NS = "urn:oasis:names:tc:emergency:cap:1.2"
ACCEPTED_NS = (CAP_NS, "urn:oasis:names:tc:emergency:cap:1.1", "")
MAX_BYTES = 1 << 20                  # 1 MB: a real alert is a few kB


class CapError(ValueError):
    """The input is not a usable CAP alert; the message is one line for the user."""


@dataclass
class CapArea:
    area_desc: str
    polygons: list[list[tuple[float, float]]] = field(default_factory=list)   # [(lat, lon), ...]
    circles: list[tuple[float, float, float]] = field(default_factory=list)   # (lat, lon, radius km)
    geocodes: list[tuple[str, str]] = field(default_factory=list)             # (valueName, value)

    def center(self) -> tuple[float, float] | None:
        """A circle's centre, else the first polygon's centroid, else None."""
        if self.circles:
            return self.circles[0][0], self.circles[0][1]
        if self.polygons:
            return polygon_centroid(self.polygons[0])
        return None


@dataclass
class CapInfo:
    language: str
    categories: list[str]
    event: str
    urgency: str = ""
    severity: str = ""
    certainty: str = ""
    headline: str = ""
    description: str = ""
    instruction: str = ""
    sender_name: str = ""
    effective: str = ""
    onset: str = ""
    expires: str = ""
    event_codes: list[tuple[str, str]] = field(default_factory=list)
    parameters: list[tuple[str, str]] = field(default_factory=list)
    areas: list[CapArea] = field(default_factory=list)

    @property
    def is_chinese(self) -> bool:
        return self.language.lower().startswith("zh")


@dataclass
class CapAlert:
    """One <alert>. Field names are CAP's in snake_case (msgType → msg_type, areaDesc → area_desc)."""
    identifier: str
    sender: str
    sent: str                         # as written, e.g. 2025-08-14T10:00:00+08:00
    status: str
    msg_type: str
    scope: str = ""
    references: str = ""
    info: list[CapInfo] = field(default_factory=list)

    @property
    def sent_at(self) -> datetime | None:
        return _datetime(self.sent)


def _datetime(value: str) -> datetime | None:
    try:
        return datetime.fromisoformat(value) if value else None
    except ValueError:
        return None


# ---------------------------------------------------------------------------------------------
# Reading and parsing
# ---------------------------------------------------------------------------------------------

def _read(source: bytes | bytearray | memoryview | str | os.PathLike) -> bytes:
    if isinstance(source, (bytes, bytearray, memoryview)):
        data = bytes(source)
        if len(data) > MAX_BYTES:
            raise CapError(f"CAP 预警过大：{len(data)} 字节，上限 {MAX_BYTES} 字节（1 MB）")
        return data
    if isinstance(source, str) and source.lstrip().startswith("<"):    # XML text, not a path
        data = source.encode("utf-8", "replace")
        m = _DECL_ENCODING.match(data)
        return _read(m.group(1) + b"UTF-8" + m.group(3) + data[m.end():] if m else data)
    if not isinstance(source, (str, os.PathLike)):
        raise TypeError(f"parse_cap needs bytes, XML text or a file path, got {type(source).__name__}")
    path = Path(source)
    try:
        if not path.is_file():
            raise CapError(f"找不到 CAP 预警文件：{path}")
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise CapError(f"CAP 预警文件过大：{path.name} 有 {size} 字节，上限 {MAX_BYTES} 字节（1 MB）")
        with open(path, "rb") as fh:
            data = fh.read(MAX_BYTES + 1)
    except OSError as exc:
        raise CapError(f"无法读取 CAP 预警文件 {path}：{exc.strerror or exc}") from exc
    if len(data) > MAX_BYTES:       # grew while we looked
        raise CapError(f"CAP 预警文件过大：{path.name} 超过 {MAX_BYTES} 字节（1 MB）")
    return data


_DECL_ENCODING = re.compile(rb"^(\s*<\?xml[^>]*?\bencoding\s*=\s*[\"'])([A-Za-z0-9._-]+)([\"'])")
_EXPAT_ENCODINGS = {"utf-8", "utf8", "utf-16", "utf16", "us-ascii", "ascii", "iso-8859-1", "latin-1", "latin1"}


def _to_utf8(data: bytes) -> bytes:
    """expat reads no multi-byte legacy encoding: recode GB2312/GBK/GB18030/Big5 … to UTF-8."""
    m = _DECL_ENCODING.match(data)
    if not m or m.group(2).decode("ascii").lower() in _EXPAT_ENCODINGS:
        return data
    name = m.group(2).decode("ascii")
    try:
        codec = codecs.lookup(name).name
    except LookupError:
        raise CapError(f"CAP 预警声明了未知的字符编码 {name}") from None
    codec = "gb18030" if codec in ("gb2312", "gbk") else codec    # producers write GBK as "GB2312"
    try:
        text = data.decode(codec)
    except UnicodeDecodeError:
        raise CapError(f"CAP 预警的内容不是其声明的 {name} 编码") from None
    return m.group(1) + b"UTF-8" + m.group(3) + text.encode("utf-8")[len(m.group(0)):]


def _xml(data: bytes) -> Element:
    try:
        return SafeET.fromstring(_to_utf8(data), forbid_dtd=True)
    except DTDForbidden:
        raise CapError("CAP 预警含 <!DOCTYPE>/DTD 声明（可能是实体膨胀或外部实体攻击），已拒绝解析") from None
    except EntitiesForbidden:
        raise CapError("CAP 预警含实体声明（可能是实体膨胀“十亿笑”攻击），已拒绝解析") from None
    except ExternalReferenceForbidden:
        raise CapError("CAP 预警引用外部实体或外部资源，已拒绝解析") from None
    except DefusedXmlException as exc:
        raise CapError(f"CAP 预警含不安全的 XML 结构（{type(exc).__name__}），已拒绝解析") from None
    except ParseError as exc:
        raise CapError(f"CAP 预警不是格式正确的 XML：{exc}") from None
    except ValueError as exc:         # e.g. an encoding expat cannot read
        raise CapError(f"CAP 预警无法解析：{exc}") from None


class _Node:
    """Child look-up in the alert's namespace."""

    def __init__(self, el: Element, ns: str) -> None:
        self.el, self.ns = el, ns

    def _tag(self, name: str) -> str:
        return f"{{{self.ns}}}{name}" if self.ns else name

    def all(self, name: str) -> list["_Node"]:
        return [_Node(c, self.ns) for c in self.el.findall(self._tag(name))]

    def text(self, name: str) -> str:
        child = self.el.find(self._tag(name))
        return (child.text or "").strip() if child is not None else ""

    def texts(self, name: str) -> list[str]:
        return [t for t in ((c.text or "").strip() for c in self.el.findall(self._tag(name))) if t]

    def pairs(self, name: str) -> list[tuple[str, str]]:
        return [(n.text("valueName"), n.text("value")) for n in self.all(name)]


def _split_ns(tag: str) -> tuple[str, str]:
    if tag.startswith("{"):
        ns, _, local = tag[1:].partition("}")
        return ns, local
    return "", tag


def _short(value: str, n: int = 60) -> str:
    return value if len(value) <= n else value[:n] + "…"


def _point(pair: str, raw: str) -> tuple[float, float]:
    try:
        lat_s, lon_s = pair.split(",")
        lat, lon = float(lat_s), float(lon_s)
    except ValueError:
        raise CapError(f"CAP 区域坐标格式错误（应为“纬度,经度”）：{_short(raw)}") from None
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise CapError(f"CAP 区域坐标超出范围：{_short(raw)}")
    return lat, lon


def _polygon(raw: str) -> list[tuple[float, float]]:
    points = [_point(p, raw) for p in raw.split()]
    if len(points) < 3:
        raise CapError(f"CAP 多边形区域至少需要 3 个点：{_short(raw)}")
    return points


def _circle(raw: str) -> tuple[float, float, float]:
    parts = raw.split()
    if len(parts) != 2:
        raise CapError(f"CAP 圆形区域格式错误（应为“纬度,经度 半径公里”）：{_short(raw)}")
    lat, lon = _point(parts[0], raw)
    try:
        radius = float(parts[1])
    except ValueError:
        raise CapError(f"CAP 圆形区域半径不是数字：{_short(raw)}") from None
    if radius < 0:
        raise CapError(f"CAP 圆形区域半径为负：{_short(raw)}")
    return lat, lon, radius


def _area(node: _Node) -> CapArea:
    return CapArea(area_desc=node.text("areaDesc"),
                   polygons=[_polygon(p) for p in node.texts("polygon")],
                   circles=[_circle(c) for c in node.texts("circle")],
                   geocodes=node.pairs("geocode"))


def _info(node: _Node, n: int) -> CapInfo:
    event = node.text("event")
    if not event:
        raise CapError(f"CAP 预警第 {n} 个 <info> 缺少 <event>（事件类型）")
    return CapInfo(
        language=node.text("language") or "en-US",          # CAP's default
        categories=node.texts("category"), event=event,
        urgency=node.text("urgency"), severity=node.text("severity"), certainty=node.text("certainty"),
        headline=node.text("headline"), description=node.text("description"),
        instruction=node.text("instruction"), sender_name=node.text("senderName"),
        effective=node.text("effective"), onset=node.text("onset"), expires=node.text("expires"),
        event_codes=node.pairs("eventCode"), parameters=node.pairs("parameter"),
        areas=[_area(a) for a in node.all("area")])


def parse_cap(source: bytes | bytearray | memoryview | str | os.PathLike) -> CapAlert:
    """Parse one CAP alert from its bytes, a file path (str or Path), or XML text (a str
    starting with ``<``)."""
    root = _xml(_read(source))
    ns, local = _split_ns(root.tag)
    if local != "alert":
        raise CapError(f"不是 CAP 预警：根元素是 <{local}>，应为 <alert>")
    if ns not in ACCEPTED_NS:
        raise CapError(f"不是 CAP 1.2 预警：命名空间为 {ns}，应为 {CAP_NS}")
    node = _Node(root, ns)
    missing = [name for name in ("identifier", "sender", "sent") if not node.text(name)]
    if missing:
        raise CapError(f"CAP 预警缺少必填元素：{'、'.join(f'<{m}>' for m in missing)}")
    infos = node.all("info")
    if not infos:
        raise CapError("CAP 预警没有 <info>（事件信息），无法用于事件匹配")
    return CapAlert(identifier=node.text("identifier"), sender=node.text("sender"), sent=node.text("sent"),
                    status=node.text("status"), msg_type=node.text("msgType"), scope=node.text("scope"),
                    references=node.text("references"),
                    info=[_info(i, n) for n, i in enumerate(infos, 1)])


# ---------------------------------------------------------------------------------------------
# From alert to matcher input
# ---------------------------------------------------------------------------------------------

_CJK = re.compile(r"[\u4e00-\u9fff]")
_SENTENCE_END = "。！？；.!?;"


def chinese_info(alert: CapAlert) -> CapInfo:
    """The first zh-* <info>; else the first with Chinese text; else the first."""
    for info in alert.info:
        if info.is_chinese:
            return info
    for info in alert.info:
        if _CJK.search(info.event + info.headline + info.description):
            return info
    return alert.info[0]


def polygon_centroid(points: list[tuple[float, float]]) -> tuple[float, float]:
    """Area centroid of a (lat, lon) ring (planar; fine for a city-sized area)."""
    ring = points[:-1] if len(points) > 1 and points[0] == points[-1] else list(points)
    area2 = cx = cy = 0.0
    for (y0, x0), (y1, x1) in zip(ring, ring[1:] + ring[:1]):
        cross = x0 * y1 - x1 * y0
        area2 += cross
        cx += (x0 + x1) * cross
        cy += (y0 + y1) * cross
    if abs(area2) < 1e-12:            # degenerate (a line): mean of the points
        return sum(p[0] for p in ring) / len(ring), sum(p[1] for p in ring) / len(ring)
    return cy / (3 * area2), cx / (3 * area2)


def _sentence(text: str) -> str:
    text = " ".join(text.split())
    return text if not text or text[-1] in _SENTENCE_END else text + "。"


def cap_to_report(alert: CapAlert) -> str:
    """A Chinese report text (event, headline, description, affected area) from the first
    Chinese <info>, for ``nlp.incident.parse_report``; repeated parts are written once."""
    info = chinese_info(alert)
    event, headline, desc = info.event.strip(), info.headline.strip(), info.description.strip()
    parts = [p for p in (event if event not in headline + desc else "",
                         headline if headline not in desc else "", desc) if p]
    areas = "、".join(a.area_desc for a in info.areas if a.area_desc)
    text = "".join(_sentence(p) for p in parts)
    if areas:
        text += _sentence(f"影响区域：{areas}")
    return text


def cap_hints(alert: CapAlert) -> dict:
    """Structured hints from the first Chinese <info>: severity (CAP value, e.g. "Severe"),
    category (the first, e.g. "Met"), event, area (areaDescs joined with 、), lat/lon (first
    circle centre or polygon centroid, else None) and time (onset, else effective, else sent)."""
    info = chinese_info(alert)
    center = next((c for c in (a.center() for a in info.areas) if c is not None), None)
    return {
        "severity": info.severity or None,
        "category": info.categories[0] if info.categories else None,
        "event": info.event,
        "area": "、".join(a.area_desc for a in info.areas if a.area_desc) or None,
        "lat": round(center[0], 6) if center else None,
        "lon": round(center[1], 6) if center else None,
        "time": info.onset or info.effective or alert.sent or None,
    }
