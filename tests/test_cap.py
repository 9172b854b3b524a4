"""CAP 1.2 alerts: the bundled examples, hostile and broken input."""
from __future__ import annotations

import pytest

from matcher.cap import MAX_BYTES, CapError, cap_hints, cap_to_report, chinese_info, parse_cap, polygon_centroid
from tests.conftest import CORPUS

CAP_DIR = CORPUS / "cap"
TYPHOON = CAP_DIR / "连云港市气象台台风橙色预警.xml"
CHEMICAL = CAP_DIR / "徐圩新区危险化学品泄漏预警.xml"


def _alert(body: str = "", *, ns: str = ' xmlns="urn:oasis:names:tc:emergency:cap:1.2"',
           info: str | None = None, decl: str = '<?xml version="1.0" encoding="UTF-8"?>') -> str:
    if info is None:
        info = ("<info><language>zh-CN</language><category>Fire</category><event>森林火灾</event>"
                "<urgency>Immediate</urgency><severity>Moderate</severity><certainty>Observed</certainty>"
                "<headline>云台山林区发生火情</headline><description>云台山花果山景区东侧山林起火，过火面积约2公顷。"
                "</description><area><areaDesc>云台山林区</areaDesc><circle>34.65,119.29 2</circle></area></info>")
    return (f"{decl}<alert{ns}><identifier>T-1</identifier><sender>test@example.invalid</sender>"
            f"<sent>2025-04-05T09:30:00+08:00</sent><status>Test</status><msgType>Alert</msgType>"
            f"<scope>Public</scope>{body}{info}</alert>")


def test_typhoon_alert():
    alert = parse_cap(TYPHOON)
    assert alert.identifier.startswith("CN.320700") and alert.status == "Actual" and alert.msg_type == "Alert"
    assert alert.sent_at.isoformat() == "2025-08-14T10:00:00+08:00"
    assert [i.language for i in alert.info] == ["en-US", "zh-CN"]
    zh = chinese_info(alert)
    assert zh is alert.info[1] and zh.event == "台风" and zh.categories == ["Met"]
    assert (zh.urgency, zh.severity, zh.certainty) == ("Expected", "Severe", "Likely")
    assert zh.sender_name == "连云港市气象台" and zh.parameters == [("预警级别", "橙色")]
    area = zh.areas[0]
    assert area.area_desc.startswith("连云港市沿海") and area.geocodes == [("行政区划代码", "320700")]
    assert len(area.polygons) == 1 and area.polygons[0][0] == (35.10, 119.15) and not area.circles

    report = cap_to_report(alert)
    assert report.startswith("连云港市气象台发布台风橙色预警信号。") and "风暴增水" in report
    assert report.endswith("影响区域：连云港市沿海（赣榆区、连云区、灌云县、灌南县、徐圩新区）。")
    assert "Typhoon" not in report and "\n" not in report

    hints = cap_hints(alert)
    assert hints["event"] == "台风" and hints["severity"] == "Severe" and hints["category"] == "Met"
    assert hints["time"] == "2025-08-14T20:00:00+08:00"
    lats = [p[0] for p in area.polygons[0]]
    lons = [p[1] for p in area.polygons[0]]
    assert min(lats) < hints["lat"] < max(lats) and min(lons) < hints["lon"] < max(lons)


def test_chemical_alert_and_parser_round_trip():
    alert = parse_cap(CHEMICAL)
    info = alert.info[0]
    assert info.categories == ["Safety", "Env"] and info.areas[0].circles == [(34.586, 119.595, 3.0)]
    hints = cap_hints(alert)
    assert hints == {"severity": "Severe", "category": "Safety", "event": "危险化学品泄漏",
                     "area": "徐圩新区石化产业基地及其西南方向3公里范围", "lat": 34.586, "lon": 119.595,
                     "time": "2025-06-18T14:20:00+08:00"}
    report = cap_to_report(alert)
    assert report.startswith("徐圩新区发布危险化学品泄漏突发事件预警。2025年6月18日")

    from nlp.incident import parse_report
    facts = parse_report(report)
    assert facts["type_name"] == "危险化学品事故" and facts["location"]["county"] == "徐圩新区"
    assert facts["hazards"] == ["苯"] and facts["leak_tonnes"] == 2 and facts["time"] == "2025-06-18T14:20"


def test_bytes_path_str_path_and_text_agree():
    alert = parse_cap(CHEMICAL)
    assert parse_cap(CHEMICAL.read_bytes()) == parse_cap(str(CHEMICAL)) == alert
    assert parse_cap(CHEMICAL.read_text(encoding="utf-8")) == alert
    gb_text = _alert(decl='<?xml version="1.0" encoding="GB2312"?>')     # text: its declaration no longer applies
    assert parse_cap(gb_text).info[0].event == "森林火灾"


def test_no_namespace_gb2312_and_cap11_are_accepted():
    alert = parse_cap(_alert(ns="").encode("utf-8"))
    assert alert.info[0].event == "森林火灾" and cap_hints(alert)["lat"] == 34.65
    gb = _alert(decl='<?xml version="1.0" encoding="GB2312"?>').encode("gb18030")
    assert parse_cap(gb).info[0].headline == "云台山林区发生火情"
    cap11 = _alert(ns=' xmlns="urn:oasis:names:tc:emergency:cap:1.1"').encode()
    assert parse_cap(cap11).identifier == "T-1"


def test_report_skips_repeated_parts_and_prefers_chinese_text():
    info = ("<info><category>Fire</category><event>森林火灾</event><urgency>Immediate</urgency>"
            "<severity>Moderate</severity><certainty>Observed</certainty>"
            "<headline>云台山发生森林火灾</headline><description>云台山发生森林火灾，明火已扑灭</description></info>")
    alert = parse_cap(_alert(info=info).encode())
    assert alert.info[0].language == "en-US"          # CAP's default when <language> is absent
    assert cap_to_report(alert) == "云台山发生森林火灾，明火已扑灭。"
    assert cap_hints(alert)["lat"] is None and cap_hints(alert)["area"] is None


def test_polygon_centroid():
    square = [(34.0, 119.0), (34.0, 120.0), (35.0, 120.0), (35.0, 119.0), (34.0, 119.0)]
    assert polygon_centroid(square) == pytest.approx((34.5, 119.5))
    assert polygon_centroid([(34.0, 119.0), (34.0, 119.0), (34.0, 119.0)]) == pytest.approx((34.0, 119.0))


BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE alert [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol9 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2"><identifier>&lol9;</identifier></alert>"""

EXTERNAL_ENTITY = """<?xml version="1.0"?>
<!DOCTYPE alert [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2"><identifier>&secret;</identifier></alert>"""

EXTERNAL_DTD = """<?xml version="1.0"?>
<!DOCTYPE alert SYSTEM "http://127.0.0.1:9/cap.dtd">
<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2"><identifier>x</identifier></alert>"""


@pytest.mark.parametrize("data, message", [
    (BILLION_LAUGHS, "DTD"),
    (EXTERNAL_ENTITY, "DTD"),
    (EXTERNAL_DTD, "DTD"),
    ("<alert><identifier>T-1</identifier>", "不是格式正确的 XML"),
    ("", "不是格式正确的 XML"),
    ('<feed xmlns="http://www.w3.org/2005/Atom"><entry/></feed>', "根元素是 <feed>"),
    ('<alert xmlns="urn:example:not-cap"><identifier>x</identifier></alert>', "命名空间"),
    (_alert(info=""), "没有 <info>"),
    (_alert().replace("<sender>test@example.invalid</sender>", ""), "<sender>"),
    (_alert().replace("<event>森林火灾</event>", ""), "缺少 <event>"),
    (_alert().replace("34.65,119.29 2", "34.65;119.29 2"), "坐标格式错误"),
    (_alert().replace("34.65,119.29 2", "134.65,119.29 2"), "超出范围"),
    (_alert().replace("<circle>34.65,119.29 2</circle>", "<polygon>34.6,119.2 34.7,119.3</polygon>"), "至少需要 3 个点"),
    (_alert(decl='<?xml version="1.0" encoding="x-no-such-codec"?>'), "未知的字符编码"),
])
def test_bad_input_raises_cap_error(data, message):
    with pytest.raises(CapError, match=message) as err:
        parse_cap(data.encode("utf-8"))
    assert "\n" not in str(err.value)


def test_oversize_bytes_and_file(tmp_path):
    padding = "<note>" + "预" * (MAX_BYTES // 3) + "</note>"
    big = _alert(body=padding).encode("utf-8")
    assert len(big) > MAX_BYTES
    with pytest.raises(CapError, match="过大"):
        parse_cap(big)
    path = tmp_path / "big.xml"
    path.write_bytes(big)
    with pytest.raises(CapError, match="过大"):
        parse_cap(path)


def test_missing_file_and_wrong_type(tmp_path):
    with pytest.raises(CapError, match="找不到"):
        parse_cap(tmp_path / "none.xml")
    with pytest.raises(CapError, match="找不到"):
        parse_cap(tmp_path)                            # a folder is no alert file
    with pytest.raises(TypeError):
        parse_cap(42)
