"""Tests of extract/normalize/: the normalization layer that keeps offsets to the original."""
from __future__ import annotations

import codecs
import random
import time
import unicodedata
from pathlib import Path

import opencc
import pytest

from extract.normalize import (
    DecodeError,
    Normalized,
    chrome_line,
    decode_bytes,
    mojibake_report,
    normalize_bytes,
    normalize_text,
)

CORPUS = Path(__file__).resolve().parents[1] / "data" / "corpus"
SHANXI = CORPUS / "000_d6c6a4d0aa48d11c.txt"
BAIYIN = CORPUS / "001_a6579b1a56d4ceb4.txt"
JINGMEN = CORPUS / "002_aab9be7ad895d433.txt"
SHANGHAI = CORPUS / "003_a32ecd13fd3eabd8.txt"
ZHEJIANG = CORPUS / "004_a935d46978e3f922.txt"
ALL = [SHANXI, BAIYIN, JINGMEN, SHANGHAI, ZHEJIANG]

_T2S = opencc.OpenCC("t2s")


# ---------------------------------------------------------------------------------------------
# helpers
# ---------------------------------------------------------------------------------------------
def simulate_gbk_shift(text: str, start: int) -> str:
    """Damage ``text`` the way the Shanghai plan was damaged: GBK-encode it, lose alignment at
    character ``start`` (its lead byte shows as '?'), decode pairs (trail_i, lead_i+1) until the
    decoder falls back into step (ASCII byte, 0x80, or a lead byte followed by ASCII which shows
    as '?' and swallows the ASCII byte); undefined pairs vanish; full-width forms are folded to
    ASCII afterwards, as the crawler did."""
    b = text[start:].encode("gbk")
    out = ["?"]
    j = 1
    while j < len(b):
        x = b[j]
        if x < 0x80:
            out.append(chr(x))
            j += 1
            break
        if x == 0x80:
            out.append("€")
            j += 1
            break
        if j + 1 >= len(b):
            out.append("?")
            j += 1
            break
        y = b[j + 1]
        if y < 0x40:
            out.append("?")
            j += 2
            break
        try:
            out.append(bytes([x, y]).decode("gbk"))
        except UnicodeDecodeError:
            pass  # an undefined pair vanishes
        j += 2
    mojibake = "".join(chr(ord(c) - 0xFEE0) if 0xFF01 <= ord(c) <= 0xFF5E else c for c in out)
    return text[:start] + mojibake + b[j:].decode("gbk")


def expected_chars(raw_char: str) -> set[str]:
    """What a raw character may legitimately become in the clean text."""
    out = {raw_char}
    nf = unicodedata.normalize("NFKC", raw_char)
    out.update(nf)
    if 0xFF01 <= ord(raw_char) <= 0xFF5E:
        out.add(chr(ord(raw_char) - 0xFEE0))
    if raw_char.isspace() or raw_char in "\u00a0\u3000":
        out.add(" ")
        out.add("\n")
    for c in list(out):
        out.add(_T2S.convert(c))
    return out


def check_offsets(n: Normalized) -> None:
    """Structural invariants and the property: text[i] derives from raw[offsets[i]] unless the
    character is repaired/damaged mojibake."""
    assert len(n.text) == len(n.written)
    assert len(n.offsets) == len(n.text) + 1
    assert len(n.ends) == len(n.text)
    prev = 0
    for i, o in enumerate(n.offsets[:-1]):
        assert 0 <= o < len(n.raw)
        assert o >= prev, f"offsets must not decrease at {i}"
        assert n.ends[i] > o
        prev = o
    assert n.offsets[-1] <= len(n.raw)
    special = set()
    for a, b in n.damaged + n.repaired:
        special.update(range(a, b))
    for i, ch in enumerate(n.text):
        if i in special:
            continue
        raw_ch = n.raw[n.offsets[i]]
        assert ch in expected_chars(raw_ch) or n.written[i] in expected_chars(raw_ch), \
            (i, ch, raw_ch, n.text[max(0, i - 10):i + 10])


def clean_of(text: str) -> Normalized:
    n = normalize_text(text)
    check_offsets(n)
    return n


# ---------------------------------------------------------------------------------------------
# 1. inline pinyin
# ---------------------------------------------------------------------------------------------
def test_pinyin_removed_with_offsets():
    raw = "基本公共服務(wù)體(tǐ)系,一（yī）年"
    n = clean_of(raw)
    assert n.text == "基本公共服务体系,一年"
    assert "(" not in n.text and "wù" not in n.text
    i = n.text.index("务")
    assert raw[n.offsets[i]] == "務"
    s, e = n.raw_span(i, i + 2)  # 务体
    assert raw[s:e] == "務(wù)體"
    # a span ending on an annotated char ends right after that char (pinyin not included)
    s, e = n.raw_span(0, i + 1)
    assert raw[s:e] == "基本公共服務"


def test_genuine_parentheses_kept():
    raw = "政府和社会资本合作(PPP)模式,国内生产总值(GDP),see (yi) here,条款(a)和价格(元)"
    n = clean_of(raw)
    assert "(PPP)" in n.text and "(GDP)" in n.text
    assert "see (yi) here" in n.text  # after a non-CJK character: English, kept
    assert "条款(a)" in n.text  # a one-letter label without tone mark is not pinyin
    assert "价格(元)" in n.text


def test_plain_ascii_pinyin_removed():
    n = clean_of("大(da)力推进")
    assert n.text == "大力推进"


# ---------------------------------------------------------------------------------------------
# 2. mojibake repair
# ---------------------------------------------------------------------------------------------
def test_simulated_damage_reproduces_the_shanghai_fingerprint():
    # the simulation of the damage process gives exactly the corpus' mojibake
    assert simulate_gbk_shift("調整。基本公共服務(wù)管理制度", 2) == "調整?;竟卜?wù)管理制度"
    assert simulate_gbk_shift("配置。“十三五”期間,初步", 2) == "配置?!笆濉逼陂g,初步"


def test_mojibake_repaired_on_a_simulated_sentence():
    original = "積極開展工作,確保基本公共服務(wù)體系與經濟社會發展相適應。"
    start = original.index("保")
    damaged = simulate_gbk_shift(original, start)
    assert damaged != original and "?" in damaged
    n = clean_of(damaged)
    rep = mojibake_report(n)
    assert rep["runs_found"] == 1 and rep["repaired"] == 1 and rep["left_marked"] == 0
    assert "确保基本公共服务体系" in n.text
    assert n.repaired and not n.damaged
    # repaired characters map into the mojibake run of the original, in order
    i = n.text.index("基本公共服务")
    s, e = n.raw_span(i, i + 6)
    assert damaged[s:e] in damaged[start:start + 9] and s >= start
    assert n.offsets == sorted(n.offsets)


def test_mojibake_with_uncertain_first_character_keeps_it_marked():
    original = "進行動態調整。基本公共服務(wù)管理制度,是指一整套政策工具。"
    damaged = simulate_gbk_shift(original, original.index("。"))
    n = clean_of(damaged)
    assert "基本公共服务管理制度" in n.text
    # the lost first character (the lead byte shows as '?') cannot be known for sure
    q = n.text.index("基本公共服务管理制度") - 1
    assert n.text[q] in "?。" and (n.text[q] == "。" or n.is_damaged(q, q + 1))
    assert not n.is_damaged(q + 1, q + 11)


def test_vocabulary_bridges_vanished_pairs():
    # 十三五: the bytes of 三 fall entirely into undefined (vanished) pairs; 十二五 would give
    # the same bytes. Alone, the middle character stays unresolved ...
    original = "布局和配置。“十三五”期間,初步安排建設項目。"
    damaged = simulate_gbk_shift(original, original.index("。"))
    assert "三" not in damaged
    n = clean_of(damaged)
    i = n.text.index("“十")
    assert n.text[i:i + 7] in ("“十?五”期间", "“十三五”期间")
    assert n.is_damaged(i + 2, i + 3) or n.text[i + 2] == "三"
    assert not n.is_damaged(i, i + 2) and not n.is_damaged(i + 3, i + 7)
    # ... in a plan that keeps speaking of 十三五 the document's own terms make it certain
    plan = ("上海市“十三五”規劃\n“十三五”時期是關鍵時期。根據“十三五”規劃綱要,"
            "“十三五”期間完成“十三五”目標。\n" + damaged)
    n = clean_of(plan)
    j = n.text.index("配置") + 3
    assert n.text[j:j + 7] == "“十三五”期间"
    assert not n.is_damaged(j, j + 7)


def test_unrepairable_run_is_marked_damaged():
    original = "他說魑魅魍魎饕餮。龘靐齉,然後"  # no vocabulary term can confirm any reading
    assert simulate_gbk_shift(original, 2) == "他說?西洒汪u饕餮。龘靐齉,然後"
    damaged = simulate_gbk_shift(original, original.index("魑"))
    n = clean_of(damaged)
    rep = mojibake_report(n)
    assert rep["runs_found"] == 1
    assert rep["left_marked"] + rep["partially_repaired"] == 1
    assert n.damaged
    a, b = n.damaged[0]
    s, _e = n.raw_span(a, b)
    assert damaged[s] == "?"
    assert n.is_damaged(a, b) and not n.is_damaged(0, 2)


def test_ordinary_question_marks_are_not_mojibake():
    for text in ["这是什么?我们应当如何推进基本公共服务均等化?", "网址 http://a.gov.cn/x.php?id=12&b=3", "是否?是"]:
        n = clean_of(text)
        assert not n.damaged and not n.repaired and mojibake_report(n)["runs_found"] == 0


# ---------------------------------------------------------------------------------------------
# 3. chrome and spam lines
# ---------------------------------------------------------------------------------------------
CHROME = [
    "当前位置:首页 > 政务公开 > 规划计划",
    "當前位置:首頁 >> 最新動态",
    "最新動态",
    "主办:某某市人民政府 承办:某某市人民政府办公室",
    "某市人民政府辦公室主辦 某市政府網編輯部維護",
    "Copyright @ 某市人民政府办公室 陇ICP备06000732",
    "備案號:鄂ICP備05016447號-1 鄂公網安備 42080202000103號 網站標識碼:4208000040",
    "技术支持:北京某某信息技术股份有限公司电话:010-64848899",
    "電話:0351-5665697 地址:太原高新區晉陽街聯合大廈A座4單元1203号",
    "傳真:0351-5665697 郵編:030006",
    "电话(传真):(0724)6806528 地址:湖北省某市长宁大道51号 邮编:448000",
    "回顶部",
    "某市政务服务网 无障碍阅读",
    "秒速飞艇下载",
    "北京赛车pk10开奖直播",
    "重庆时时彩官方下载app",
    "[1]  [2]  [3]  下一頁  尾頁",
    "搜 索",
    "站内搜索:",
    "微博",
    "Qzone",
    "|",
    "• ",
    "評論留言",
    "我要留言",
    "◎歡迎參與討論,請在這裡發表您的看法",
    "资料图:5月8日,某市某小学的学生在操场上做操。某某社记者某某摄",
    "《某市民生实事分解表.docx》由会员分享,可在线阅读,更多相关《某市民生实事分解表.docx(3页)》请在某某文库上搜索。",
]
METADATA = [
    "文 號: 荊政發〔2018〕14號",
    "發文日期: 2018年09月06日 發布機構: 市人民政府",
    "索 引 號: 01123621-1/2018-06296 分  類: 2018;其他權力",
    "发布机构 白银市人民政府办公室",
    "索引号 GSD0101/2017-01965 生成日期 2017年12月22日",
    "信息名称 白银市人民政府办公室关于印发实施方案的通知 发布机构 白银市人民政府办公室",
]
CONTENT = [
    "(三)健全公共文化服务体系,合理利用体育彩票公益金和福利彩票公益金。",
    "开通12345便民服务电话,畅通群众诉求渠道。",
    "附件:荊門市“十三五”基本公共服務清單.xls",
    "主要任务",
    "(3)改善残疾人康复、文化体育、无障碍和扶残助残服务。",
    "推进无障碍服务设施建设",
    "发布时间:2024-02-19 15:07 信息来源:某县民生办",
]


@pytest.mark.parametrize("line", CHROME)
def test_chrome_line_detected(line):
    assert chrome_line(line)


@pytest.mark.parametrize("line", METADATA + CONTENT)
def test_metadata_and_content_are_not_chrome(line):
    assert not chrome_line(line)


def test_chrome_lines_removed_metadata_kept():
    body = "一、规划背景\n基本公共服务体系不断健全。"
    raw = "\n".join(CHROME[:3] + METADATA[:3] + ["", body, ""] + CHROME[3:] + CONTENT)
    n = clean_of(raw)
    for line in CHROME:
        assert _T2S.convert(line.replace(" ", "")) not in n.text.replace(" ", "")
    assert "ICP" not in n.text and "Copyright" not in n.text and "飞艇" not in n.text
    assert "文号: 荆政发〔2018〕14号" in n.text
    assert "发文日期: 2018年09月06日" in n.text and "发布机构: 市人民政府" in n.text
    assert "索引号: 01123621-1/2018-06296" in n.text
    assert body in n.text
    assert "体育彩票公益金" in n.text and "便民服务电话" in n.text
    assert not any(chrome_line(ln) for ln in n.text.split("\n"))


# ---------------------------------------------------------------------------------------------
# 4./5. whitespace and width
# ---------------------------------------------------------------------------------------------
def test_whitespace_folding():
    raw = ("\ufeff\u3000\u3000第一条\u00a0 基本\u2003公共\t服务。 \r\n"
           "我省 2008 年\u00a0\u00a0在全国率先, 到 2020 年\n\n\n\n\n第二\u200b条\u200d 完\u00ad成\n  \n")
    n = clean_of(raw)
    assert n.text == "第一条基本公共服务。\n我省 2008 年在全国率先, 到 2020 年\n\n第二条完成"
    assert "\u00a0" not in n.text and "\u3000" not in n.text and "\u200b" not in n.text


def test_fullwidth_and_compatibility_forms():
    raw = "ＡＢＣ１２３（一）：ａ，ｂ；㈠⑴⒈Ⅳ。、《》“”〔〕"
    n = clean_of(raw)
    assert n.text == "ABC123(一):a,b;(一)(1)1.IV。、《》“”〔〕"
    # every char produced by ㈠ maps to the raw index of ㈠
    k = raw.index("㈠")
    i = n.text.index("(一)(1)")
    assert n.offsets[i:i + 3] == [k, k, k]
    assert n.raw_span(i, i + 3) == (k, k + 1)
    assert n.raw_span(i, i + 1) == (k, k + 1)


# ---------------------------------------------------------------------------------------------
# 6. Traditional -> Simplified
# ---------------------------------------------------------------------------------------------
def test_t2s_keeps_alignment():
    raw = "爲了讓羣衆滿意,於是在這裏實施《國家基本公共服務體系規劃》,衹要甚麽都做"
    n = clean_of(raw)
    assert n.text == "为了让群众满意,于是在这里实施《国家基本公共服务体系规划》,只要甚么都做"
    assert n.written == raw
    assert len(n.text) == len(n.written) == len(raw)
    assert n.offsets[:-1] == list(range(len(raw)))


# ---------------------------------------------------------------------------------------------
# offsets: property test on random texts
# ---------------------------------------------------------------------------------------------
def test_offsets_property_on_random_texts():
    rnd = random.Random(42)
    alphabet = list("基本公共服務體系規劃一年,。、“”《》 \u00a0\u3000\tＡＢ１２（）㈠abcPPP") + \
        ["(wù)", "(yī)", "\n", "\n\n\n", "当前位置:首页 > 规划\n", "\n回顶部\n", "?", "(PPP)"]
    for _ in range(200):
        raw = "".join(rnd.choice(alphabet) for _ in range(rnd.randrange(0, 60)))
        n = clean_of(raw)
        for _ in range(5):
            a = rnd.randrange(0, len(n.text) + 1)
            b = rnd.randrange(a, len(n.text) + 1)
            s, e = n.raw_span(a, b)
            assert 0 <= s <= e <= len(raw)
            if a < b:
                assert n.raw[s:e] == raw[s:e] and e > s


def test_raw_span_rejects_bad_spans():
    n = clean_of("基本公共服务")
    with pytest.raises(IndexError):
        n.raw_span(3, 2)
    with pytest.raises(IndexError):
        n.raw_span(0, 99)
    assert n.raw_span(6, 6) == (6, 6)


# ---------------------------------------------------------------------------------------------
# decoding
# ---------------------------------------------------------------------------------------------
SAMPLE = "山西省“十三五”基本公共服务均等化规划\n一、规划背景\n基本公共教育体系更加完善。2015年,义务教育巩固率保持在95%以上。"
SAMPLE_TRAD = "荊門市“十三五”推進基本公共服務均等化規劃\n各縣、市、區人民政府,漳河新區,市政府各部門:現將規劃印發給你們,請結合實際,認真貫徹執行。"


def test_decode_utf8_and_bom():
    assert decode_bytes(SAMPLE.encode("utf-8")) == (SAMPLE, "utf-8")
    assert decode_bytes(codecs.BOM_UTF8 + SAMPLE.encode("utf-8")) == (SAMPLE, "utf-8")


def test_decode_gb18030():
    text, enc = decode_bytes(SAMPLE.encode("gb18030"))
    assert text == SAMPLE and enc in ("gb18030", "gbk")
    text, enc = decode_bytes(SAMPLE_TRAD.encode("gbk"))
    assert text == SAMPLE_TRAD and enc in ("gb18030", "gbk")


def test_decode_big5():
    text, enc = decode_bytes(SAMPLE_TRAD.encode("big5"))
    assert text == SAMPLE_TRAD and "big5" in enc


def test_decode_utf16():
    text, enc = decode_bytes(SAMPLE.encode("utf-16"))
    assert text == SAMPLE and enc.startswith("utf-16")
    text, enc = decode_bytes(SAMPLE.encode("utf-16-le"))
    assert text == SAMPLE and enc.startswith("utf-16")


def test_decode_truncated_utf8():
    data = SAMPLE.encode("utf-8")
    cut = data[:-2]  # inside the last character (。 is three bytes)
    text, enc = decode_bytes(cut)
    assert enc == "utf-8" and text == SAMPLE[:-1]
    n = normalize_bytes(cut)
    assert not n.damaged


@pytest.mark.parametrize("data", [b"", bytes(range(256)) * 40, b"\x00\x01\x02\x03" * 1000,
                                  random.Random(7).randbytes(100_000), b"\x89PNG\r\n\x1a\n" + bytes(500)])
def test_decode_rejects_empty_and_binary(data):
    with pytest.raises(DecodeError) as ei:
        decode_bytes(data)
    assert isinstance(ei.value, ValueError)
    assert str(ei.value)


def test_decode_rejects_text_without_letters():
    with pytest.raises(DecodeError):
        decode_bytes(b"1234 5678 ... ---\n" * 10)


# ---------------------------------------------------------------------------------------------
# the bundled corpus
# ---------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def corpus():
    return {p.name: normalize_bytes(p.read_bytes()) for p in ALL}


def test_corpus_offsets_valid(corpus):
    for n in corpus.values():
        check_offsets(n)
        # every clean line maps back to a contiguous slice of the original
        pos = 0
        for line in n.text.split("\n"):
            if line:
                s, e = n.raw_span(pos, pos + len(line))
                assert 0 <= s < e <= len(n.raw)
            pos += len(line) + 1


def test_shanxi_plan(corpus):
    n = corpus[SHANXI.name]
    assert "基本公共服务均等化规划" in n.text
    assert "(yī)" not in n.text and "yī" not in n.text and "(zhōng)" not in n.text
    i = n.text.index("山西省“十三五”基本公共服务均等化规划")
    s, e = n.raw_span(i, i + len("山西省“十三五”基本公共服务均等化规划"))
    assert n.raw[s:e] == "山西省“十三五”基本公共服務均等化規劃"
    assert "\ue004" not in n.text  # a private-use glyph of the page


def test_shanghai_mojibake_repaired(corpus):
    n = corpus[SHANGHAI.name]
    rep = mojibake_report(n)
    assert rep["runs_found"] >= 10
    assert rep["repaired"] >= 10
    assert rep["repaired"] + rep["left_marked"] == rep["runs_found"]
    damaged_at = n.raw.index("?;竟卜?wù)管理制度")
    # the repaired text reads 基本公共服务管理制度 exactly where the damage was
    i = n.text.index("基本公共服务管理制度", n.clean_span(damaged_at, damaged_at + 1)[0])
    s, e = n.raw_span(i, i + 10)
    assert damaged_at <= s <= damaged_at + 2 and n.raw[s:e].startswith(";竟卜?wù)")
    assert not n.is_damaged(i, i + 10)
    assert "十三五" in n.text and "竟卜" not in n.text and "笆濉逼" not in n.text
    for a, b in n.repaired:
        s, e = n.raw_span(a, b)
        assert s < e


def test_no_chrome_remains(corpus):
    for name, n in corpus.items():
        for line in n.text.split("\n"):
            assert not chrome_line(line), (name, line)
        for bad in ("ICP", "Copyright", "当前位置", "飞艇", "回顶部", "技术支持", "公网安备",
                    "网站标识码", "白银市政务服务网", "邮编", "传真:", "主办:", "最新动态"):
            assert bad not in n.text, (name, bad)
    assert "文号: 荆政发〔2018〕14号" in corpus[JINGMEN.name].text
    assert "发文日期: 2018年09月06日" in corpus[JINGMEN.name].text
    assert "发布机构白银市人民政府办公室" in corpus[BAIYIN.name].text
    assert "索引号 GSD0101/2017-01965 生成日期 2017年12月22日" in corpus[BAIYIN.name].text


def test_corpus_texts_are_simplified_and_clean(corpus):
    for n in corpus.values():
        assert "\u00a0" not in n.text and "\u3000" not in n.text
        assert "\n\n\n" not in n.text
        assert n.text == n.text.strip()
        for ch in "體規劃務發關衆爲":
            assert ch not in n.text


# ---------------------------------------------------------------------------------------------
# performance
# ---------------------------------------------------------------------------------------------
def test_corpus_is_fast():
    normalize_bytes(SHANGHAI.read_bytes())  # load the vocabulary once
    t = time.perf_counter()
    for p in ALL:
        normalize_bytes(p.read_bytes())
    assert time.perf_counter() - t < 2.0


def test_huge_single_line_does_not_blow_up():
    raw = "基本公共服务均等化(wù)?" * 150_000 + "。"
    t = time.perf_counter()
    n = normalize_text(raw)
    assert time.perf_counter() - t < 30
    assert len(n.offsets) == len(n.text) + 1
    raw = "基本公共服務　均等化" * 500_000
    t = time.perf_counter()
    n = normalize_text(raw)
    assert time.perf_counter() - t < 30
    assert n.text.startswith("基本公共服务均等化基本")
