from extract.structure import DomainTagger, body_start, classify_line, parse_structure

TAGGER = DomainTagger([("基本公共教育", "education"), ("教育", "education"),
                       ("住房保障", "housing"), ("社会保险", "social_insurance")])

TEXT = """某市基本公共服务规划
一、总体要求
二、重点任务
(一)基本公共教育
1.重点任务。
(1)推进义务教育均衡发展。
促进义务教育均衡发展。建立城乡统一的经费保障机制。
(2)发展学前教育,扩大普惠资源。到2020年学前三年毛入园率达到85%。
(二)基本住房保障
1、实施公共租赁住房保障。为城镇住房困难家庭提供公共租赁住房。
三、保障措施
"""


def test_markers_and_ranks():
    blocks = parse_structure(TEXT, TAGGER)
    heads = [(b.rank, b.marker, b.title) for b in blocks if b.is_section]
    assert heads == [
        (1, "一、", "总体要求"), (1, "二、", "重点任务"), (2, "(一)", "基本公共教育"),
        (3, "1.", "重点任务"), (4, "(1)", "推进义务教育均衡发展"),
        (4, "(2)", "发展学前教育,扩大普惠资源"), (2, "(二)", "基本住房保障"),
        (3, "1、", "实施公共租赁住房保障"), (1, "三、", "保障措施"),
    ]


def test_items_paragraph_leads_parents_and_domains():
    blocks = parse_structure(TEXT, TAGGER)
    para = next(b for b in blocks if b.kind == "paragraph" and b.title == "促进义务教育均衡发展")
    assert para.domain == "education"
    assert para.path == ("重点任务", "基本公共教育", "重点任务", "推进义务教育均衡发展")
    item = next(b for b in blocks if b.title == "发展学前教育,扩大普惠资源")
    assert item.kind == "item" and item.domain == "education"
    housing = next(b for b in blocks if b.title == "实施公共租赁住房保障")
    assert housing.kind == "item" and housing.domain == "housing"
    assert blocks[housing.parent].title == "基本住房保障"
    last = blocks[-1]
    assert last.title == "保障措施" and last.domain is None and last.parent is None


def test_title_spans_point_into_text():
    blocks = parse_structure(TEXT, TAGGER)
    for b in blocks:
        if b.title_span:
            assert TEXT[b.title_span[0]:b.title_span[1]] == b.title


def test_not_headings():
    # a year, a decimal and a long paragraph are not outline markers / lead phrases
    assert classify_line("2015年,义务教育巩固率达到95%。", 0, 19, 0).kind == "paragraph"
    b = classify_line("1.5万人次参加培训。", 0, 11, 0)
    assert b.kind == "paragraph"
    long_para = "坚持以人民为中心的发展思想,坚持普惠性、保基本、均等化、可持续的方向。"
    assert classify_line(long_para, 0, len(long_para), 0).title == ""


def test_body_start():
    blocks = parse_structure(TEXT, TAGGER)
    assert TEXT[body_start(blocks):].startswith("一、总体要求")


def test_bare_sub_section_titles_nest_under_their_section():
    text = "(一)基本公共教育\n重点任务\n(1)推进义务教育均衡发展。\n保障工程:\n1.学校建设工程。新建学校10所。\n(二)基本住房保障\n"
    blocks = parse_structure(text, TAGGER)
    by_title = {b.title: b for b in blocks if b.title}
    assert by_title["重点任务"].kind == "heading" and by_title["重点任务"].rank == 2.5
    assert blocks[by_title["推进义务教育均衡发展"].parent].title == "重点任务"
    assert blocks[by_title["保障工程"].parent].title == "基本公共教育"
    assert blocks[by_title["学校建设工程"].parent].title == "保障工程"
    assert by_title["学校建设工程"].domain == "education"
    assert by_title["基本住房保障"].parent is None
