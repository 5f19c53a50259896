from extract import plan_meta as pm
from extract.structure import parse_structure

NOTICE = """当前位置:首页
某某市人民政府关于印发某某市“十三五”推进基本公共服务均等化规划的通知
文号: 某政发〔2019〕7号
各县、区人民政府:
现将《某某市“十三五”推进基本公共服务均等化规划》印发给你们,请认真贯彻执行。
某某市人民政府
2019年3月5日
某某市“十三五”推进基本公共服务均等化规划
本规划依据国家《“十三五”推进基本公共服务均等化规划》《某某省“十三五”推进基本公共服务均等化规划》编制。
一、发展基础
按照《基本公共服务领域改革方案》(国办发〔2018〕6号)要求,合理划分事权。
根据《某某市教育发展规划》,加快建设学校。
"""


def _hdr(text):
    return pm.header_end(parse_structure(text), text)


def test_title_prefers_standalone_line_equal_to_notice():
    hdr = _hdr(NOTICE)
    t = pm.find_title(NOTICE, parse_structure(NOTICE), hdr)
    assert t.value == "某某市“十三五”推进基本公共服务均等化规划"
    assert NOTICE[t.span[0]:t.span[1]] == t.value
    # the standalone line, not the notice, is the evidence
    assert NOTICE.rfind("\n", 0, t.span[0]) + 1 == t.span[0]


def test_document_number_only_from_header():
    f = pm.find_document_number(NOTICE, _hdr(NOTICE))
    assert f.value == "某政发〔2019〕7号"
    body_only = "一、总则\n按照《某方案》(国办发〔2018〕6号)要求。\n"
    assert pm.find_document_number(body_only, _hdr(body_only)) is None


def test_issued_from_signature_and_labels():
    sig_start = NOTICE.index("某某市人民政府\n2019")
    sig_end = sig_start + len("某某市人民政府")
    f = pm.find_issued(NOTICE, _hdr(NOTICE), NOTICE.index("\n", sig_end))
    assert f.value == "2019-03-05"
    labelled = "发文日期: 2018年09月06日\n生成日期 2018年10月01日\n一、总则\n"
    assert pm.find_issued(labelled, _hdr(labelled), None).value == "2018-09-06"
    # a signature date written without 日
    sig = "某办公室\n                2017年12月22\n\n一、总体要求\n"
    assert pm.find_issued(sig, _hdr(sig), sig.index("\n")).value == "2017-12-22"


def test_issuer_is_notice_sender():
    spans = [(NOTICE.index("某某市人民政府关于"), NOTICE.index("某某市人民政府关于") + 7)]
    assert pm.find_issuer(NOTICE, _hdr(NOTICE), spans, None) == spans[0]


def test_implements_only_basis_not_every_citation():
    got = pm.find_implements(NOTICE, _hdr(NOTICE))
    titles = [c.title for c in got]
    assert titles == ["“十三五”推进基本公共服务均等化规划", "某某省“十三五”推进基本公共服务均等化规划"]
    assert got[0].national and not got[1].national
    for c in got:
        assert NOTICE[c.span[0]:c.span[1]] == c.title


def test_implements_unwraps_forwarding_notice():
    text = ("为认真贯彻落实某省人民政府办公厅《关于印发<某省“十三五”推进基本公共服务均等化规划>的通知》"
            "(某政办发〔2017〕137号)精神,现提出如下实施方案。\n一、总体要求\n")
    got = pm.find_implements(text, _hdr(text))
    assert [c.title for c in got] == ["某省“十三五”推进基本公共服务均等化规划"]
    assert text[got[0].span[0]:got[0].span[1]] == got[0].title


def test_self_level_hint():
    assert pm.self_level_hint("我省率先实施。全省城乡居民。我市") == "provincial"
    assert pm.self_level_hint("本市基本公共服务。全市") == "prefectural"
    assert pm.self_level_hint("没有自称") is None


def test_title_broken_over_lines_beats_a_notice_that_drops_a_character():
    text = ("某市人民政府办公室关于印发贯彻落实某省规划实施方案的通知\n\n某市人民政府办公室\n2017年1月2日\n"
            "贯彻落实某省\n\n规划的实施方案\n\n为认真贯彻落实《某省规划》,现提出如下实施方案。\n一、总体要求\n")
    blocks = parse_structure(text)
    t = pm.find_title(text, blocks, pm.header_end(blocks, text))
    assert t.value == "贯彻落实某省规划的实施方案"


def test_chinese_numeral_signature_date():
    sig = "某县人民政府\n二〇一七年十二月二十二日\n\n一、总体要求\n"
    assert pm.find_issued(sig, _hdr(sig), sig.index("\n")).value == "2017-12-22"
    assert pm.cn_number("十") == 10 and pm.cn_number("二十") == 20 and pm.cn_number("三十一") == 31
