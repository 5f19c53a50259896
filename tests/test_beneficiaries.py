"""extract/beneficiaries.py: statement patterns, population splitting, vocabularies."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from extract.beneficiaries import (PopulationVocabulary, ServiceVocabulary, canonical_population,
                                   find_standard, find_statements, minted_key, services_in, split_populations)
from extract.domains import domain_labels

CORPUS = Path(__file__).resolve().parents[1] / "data" / "corpus"


def _one(text):
    sts = find_statements(text)
    assert len(sts) == 1, sts
    return sts[0]


def _pops(st):
    return [p.written for p in st.populations]


# ---------------------------------------------------------------- vocabularies
def test_service_vocabulary_integrity():
    voc = ServiceVocabulary.load()
    keys = [e.key for e in voc.entries]
    assert len(keys) == len(set(keys))
    assert len(keys) >= 60
    for e in voc.entries:
        assert re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", e.key), e.key
        assert e.domain in {key for _, key in domain_labels()}, e
        assert e.label and e.label_en
    domains = {e.domain for e in voc.entries}
    for d in ("education", "employment", "social_insurance", "health", "social_services", "housing",
              "culture_sports", "disability"):
        assert d in domains


def test_population_vocabulary_integrity():
    voc = PopulationVocabulary.load()
    keys = [e.key for e in voc.entries]
    assert len(keys) == len(set(keys))
    seen = {}
    for e in voc.entries:
        assert re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", e.key), e.key
        assert e.broader is None or e.broader in voc.by_key, e
        for f in e.forms:  # a written form names one population
            assert seen.setdefault(f, e.key) == e.key, (f, seen[f], e.key)
    for k in keys:  # no cycles
        chain = voc.broader_chain(k)
        assert k not in chain
        e = voc.by_key[k]
        assert len(chain) == 0 or chain[0] == e.broader
        if e.broader:
            last = voc.by_key[chain[-1]]
            assert last.broader is None


def test_broader_hierarchy():
    voc = PopulationVocabulary.load()
    assert voc.broader_chain("severely-disabled")[0] == "disabled"
    assert "children" in voc.broader_chain("migrant-children")
    assert "students" in voc.broader_chain("needy-students")


def test_canonical_population():
    assert canonical_population("进城务工人员随迁子女").key == "migrant-children"
    assert canonical_population("基本公共服务") is None
    assert canonical_population("工作人员") is None
    k, label, broader = canonical_population("在读研究生家庭")  # not in the vocabulary, ends in a head noun
    assert k == minted_key("在读研究生家庭") and label == "在读研究生家庭" and broader is None


def test_qualified_group_is_its_own_node_below_the_group():
    node = canonical_population("符合条件的困难家庭学生")
    assert node == (minted_key("符合条件的困难家庭学生"), "符合条件的困难家庭学生", "needy-students")
    node = canonical_population("低收入家庭的老年人")
    assert node.key.startswith("p-") and node.broader == "elderly"
    assert canonical_population("有需求的重度残疾人").broader == "severely-disabled"
    # 的 and scope words (全体, 本市 …) do not narrow a group
    assert canonical_population("经济困难的老年人").key == "poor-elderly"
    assert canonical_population("全体职工").key == "employees"
    assert canonical_population("本市居民").key == "residents"
    assert canonical_population("特殊群体").key.startswith("p-")  # 群体 alone names no group
    assert canonical_population("群体") is None and canonical_population("各类群体") is None  # nor every kind of group


def test_vocabulary_keeps_groups_apart():
    voc = PopulationVocabulary.load()
    assert voc.form_key["户籍人口"] != voc.form_key["常住人口"]
    assert voc.form_key["大学生"] != voc.form_key["高校毕业生"]
    assert voc.form_key["事实无人抚养儿童"] != voc.form_key["孤儿"]
    assert "农村留守儿童" not in voc.form_key  # a qualified group, not another name of 留守儿童


def test_fragments_are_no_population():
    assert canonical_population("形成人人") is None  # 人人 / 全民 take no modifier
    assert canonical_population("城乡、惠及全民") is None
    assert canonical_population("人人").key == "everyone"


def test_services_in():
    found = [(k) for _, _, k in services_in("全面落实城乡居民基本养老保险和公共租赁住房")]
    assert found == ["basic-pension-insurance", "public-rental-housing"]
    assert ServiceVocabulary.load().canonical("九年义务教育") == "compulsory-education"


def test_standard_phrases():
    s = "为家庭经济困难的学生提供15年免费教育"
    a, b = find_standard(s)
    assert s[a:b] == "15年免费教育"
    s = "在一行政村一月放映一场电影的基础上"
    a, b = find_standard(s)
    assert s[a:b] == "一行政村一月放映一场电影"
    assert find_standard("完善制度") is None


# ---------------------------------------------------------------- splitting
def test_split_keeps_shared_modifiers():
    t = "经济困难的高龄、失能老年人"
    assert [t[a:b] for a, b in split_populations(t, 0, len(t))] == [t]
    t = "待业和退休人员"
    assert [t[a:b] for a, b in split_populations(t, 0, len(t))] == [t]


def test_split_separate_groups():
    t = "学龄儿童、少年和符合条件的流动人口"
    assert [t[a:b] for a, b in split_populations(t, 0, len(t))] == ["学龄儿童", "少年", "符合条件的流动人口"]
    t = "困难家庭学生及其他符合条件的学生"
    assert [t[a:b] for a, b in split_populations(t, 0, len(t))] == ["困难家庭学生", "其他符合条件的学生"]
    t = "农民工及其随迁家属"
    assert [t[a:b] for a, b in split_populations(t, 0, len(t))] == [t]


def test_split_rejects_non_population():
    t = "乡镇综合文化站"
    assert split_populations(t, 0, len(t)) == []


# ---------------------------------------------------------------- patterns
def test_wei_provide_with_standard():
    st = _one("各区为低收入家庭的老年人免费提供助餐服务。")
    assert _pops(st) == ["低收入家庭的老年人"]
    assert st.populations[0].broader == "elderly"  # a narrower group of 老年人
    assert st.service == "助餐服务"
    assert st.standard == "免费"
    assert st.pattern == "wei_provide"


def test_dui_give_and_comma():
    st = _one("对城乡特困人员和孤儿,给予基本生活补助。")
    assert _pops(st) == ["城乡特困人员", "孤儿"]
    assert [p.key for p in st.populations] == ["extremely-poor", "orphans"]


def test_enjoy_pattern():
    st = _one("保障外来务工人员随迁子女平等接受义务教育。")
    assert _pops(st) == ["外来务工人员随迁子女"]
    assert st.service_key == "compulsory-education"
    assert st.domain == "education"


def test_naru_and_mianxiang():
    st = _one("将灵活就业人员纳入工伤保险范围。")
    assert _pops(st) == ["灵活就业人员"] and st.service_key == "work-injury-insurance"
    st = _one("建立面向全体劳动者的终身职业技能培训制度。")
    assert _pops(st) == ["全体劳动者"]


def test_open_to_public():
    st = _one("县级体育场馆向社会免费或低收费开放。")
    assert _pops(st) == ["社会"]
    assert st.standard == "免费或低收费"


def test_compound_population_service():
    st = _one("全面落实重度残疾人护理补贴制度。")
    assert _pops(st) == ["重度残疾人"]
    assert st.service_key == "disability-nursing-allowance"
    assert st.pattern == "compound"


def test_vague_aims_are_skipped():
    assert find_statements("完善基本公共服务体系,提高服务质量。") == []
    assert find_statements("加强社会工作者队伍建设。") == []
    assert find_statements("(三)残疾人基本公共服务") == []  # a heading


def test_damaged_text_is_skipped():
    text = "为低保对象提供医疗救助。"
    assert find_statements(text, is_damaged=lambda s, e: True) == []
    assert len(find_statements(text, is_damaged=lambda s, e: False)) == 1


def test_spans_are_consistent():
    text = "坚持普惠。为有就业需求的残疾人提供就业培训服务。对零就业家庭提供就业援助。"
    sts = find_statements(text)
    assert len(sts) == 2
    for st in sts:
        assert text[st.service_span[0]:st.service_span[1]] == st.service
        for p in st.populations:
            assert text[p.span[0]:p.span[1]] == p.written
            assert st.span[0] <= p.span[0] < p.span[1] <= st.span[1]


def _all(text):
    return [(st.pattern, _pops(st), st.service, st.standard) for st in find_statements(text)]


def test_list_entries_name_population_and_service():
    sts = find_statements("本区服务清单包括:孕产妇健康服务、困境儿童基本生活保障、寄宿生生活补助等12项内容。")
    assert [(_pops(st), st.service) for st in sts] == [
        (["孕产妇"], "健康服务"), (["困境儿童"], "基本生活保障"), (["寄宿生"], "生活补助")]
    assert {st.pattern for st in sts} == {"item"}
    assert all(st.standard is None for st in sts)  # the list names no level


def test_groups_sharing_one_service_are_one_statement():
    st = _one("健全孤儿、困境儿童的福利保障体系。")
    assert _pops(st) == ["孤儿", "困境儿童"]


def test_full_coverage():
    st = _one("实现全镇居民安全饮水全覆盖。")
    assert _pops(st) == ["全镇居民"] and st.service == "安全饮水" and st.standard == "全覆盖"
    st = _one("推进县域公共卫生服务常住人口全覆盖。")
    assert _pops(st) == ["常住人口"] and st.service == "县域公共卫生服务"
    st = _one("基本实现孤儿应保尽保。")
    assert _pops(st) == ["孤儿"] and st.service == "应保尽保" and st.standard is None
    assert find_statements("建立健全覆盖城乡的服务网络。") == []


def test_labelled_fields_and_object_phrases():
    st = _one("在困难学生生活补助方面,补助对象为低保家庭中的在校学生,补助标准为每生每年1000元。")
    assert _pops(st) == ["低保家庭中的在校学生"] and st.service == "生活补助"
    assert st.standard == "每生每年1000元"  # stated in the clause after the group
    st = _one("以农村留守儿童为重点对象,开展关爱服务。")
    assert _pops(st) == ["农村留守儿童"] and st.service == "关爱服务"
    st = _one("做好退役士兵的安置工作。")
    assert _pops(st) == ["退役士兵"] and st.service == "安置"
    st = _one("公共服务资源向困难群体倾斜。")
    assert _pops(st) == ["困难群体"]


def test_counted_beneficiaries():
    st = _one("今年培训农村转移劳动力3000人次。")
    assert _pops(st) == ["农村转移劳动力"] and st.service == "培训"
    st = _one("发放临时救助金80万元,惠及困难群众600人。")
    assert _pops(st) == ["困难群众"] and st.service == "临时救助金"
    st = _one("为3000名高龄老人发放高龄津贴。")
    assert _pops(st) == ["高龄老人"] and st.populations[0].key == "oldest-old"  # the count is not the group


def test_amounts_are_standards():
    st = _one("将农村低保对象补助标准由每人每月500元提高到每人每月560元。")
    assert _pops(st) == ["农村低保对象"] and st.standard == "每人每月560元"  # the new level, not the old
    st = _one("将二级残疾人纳入救助范围,每月补助200元。")
    assert st.standard == "每月补助200元"
    st = _one("按800元/人的标准为退役士兵发放一次性补贴。")
    assert st.standard == "800元/人"


def test_priority_and_access_are_no_standards():
    assert _one("对低保家庭优先提供公共租赁住房。").standard is None
    assert find_standard("就近入学") is None and find_standard("凭证免费参观") == (2, 4)
    assert find_standard("落实税收优惠政策") is None  # a benefit to firms
    assert find_standard("免费开放", alone=True) is None  # 免费 needs a guarantee to a group
    assert find_standard("每个行政村一月放映一场电影", alone=True) is None
    assert find_standard("一村一月放映一场电影", alone=True) == (0, 10)


def test_not_covered_facilities_and_schemes_are_no_guarantees():
    assert find_statements("部分项目尚未覆盖流动人口。") == []
    assert find_statements("加快残疾人托养服务机构建设。") == []
    assert find_statements("完善城乡居民基本医疗保险制度。") == []
    assert find_statements("落实普惠性幼儿园扶持政策。") == []  # 幼儿园 is no group of 幼儿


def test_long_inputs_take_linear_time():
    import time

    def cost(text):
        best = None
        for _ in range(2):
            t0 = time.perf_counter()
            find_statements(text)
            best = min(best or 1e9, time.perf_counter() - t0)
        return best

    entries = "、".join(["农村留守儿童关爱保护", "寄宿生生活补助", "残疾人康复服务", "困难群众救助"] * 500)
    clauses = ",".join(["为困难群众提供临时救助", "对重度残疾人给予护理补贴", "完善制度"] * 600)
    amounts = "补贴标准为:" + ",".join(["重度残疾人每人每月100元", "其他残疾人每人每月50元"] * 600)
    lines = "(一)临时救助对象:\n" + "\n".join(f"{i % 9 + 1}.遭遇火灾的家庭;" for i in range(2000))
    for text in (entries, clauses, amounts, lines, "为老年人" + "均可" * 8000 + "提供服务"):
        cost(text[:500])
        small, large = cost(text[: len(text) // 4]), cost(text)
        assert large < 10 * small + 0.2, (small, large)  # 4x the input: about 4x the time, not 16x


# ---------------------------------------------------------------- constructions of unseen texts
def _triples(text):
    return [(st.pattern, _pops(st), st.service, st.standard) for st in find_statements(text)]


def test_a_list_of_statements_keeps_each_group_and_service_apart():
    got = _triples("今年将为农村孕妇提供住院分娩补助、为贫困儿童免费发放营养包、为待孕夫妇提供孕前检查。")
    assert [(p, s, std) for _, p, s, std in got] == [
        (["农村孕妇"], "住院分娩补助", None), (["贫困儿童"], "营养包", "免费"), (["待孕夫妇"], "孕前检查", None)]


def test_a_nested_preposition_restarts_the_group():
    got = _triples("全县共为1200名城乡老年人免费体检,其中,乡镇卫生院共为800名农村老年人开展健康体检服务。")
    assert [p for _, p, _, _ in got] == [["城乡老年人"], ["农村老年人"]]
    assert got[0][2] == "体检" and got[0][3] == "免费"  # 为X免费Y: the free service names itself


def test_copula_wei_and_modifiers_are_no_statements():
    got = _triples("补助标准分为两档,80至89周岁的老人每人每月发放60元。")
    assert [p for _, p, _, _ in got] == [["80至89周岁的老人"]]  # not "两档,80至89周岁的老人"
    assert find_statements("本次筛查主要针对城区户籍的低保家庭、单亲家庭的适龄女性。") == []  # a group after 的
    assert find_statements("满足不同人群的多样化服务需求。") == []
    assert all("了" not in w for _, ps, _, _ in _triples("客观上影响和制约了农村留守儿童和困境儿童关爱服务发展。")
               for w in ps)


def test_verbs_of_provision_and_raised_levels():
    assert _triples("对无生活来源的孤寡老人予以集中供养。")[0][1:3] == (["无生活来源的孤寡老人"], "集中供养")
    assert _triples("提高城乡困难群众的临时救助标准。")[0][1:3] == (["城乡困难群众"], "临时救助")
    assert find_statements("提升群众基本公共服务水平。") == []  # a level of provision in general


def test_focus_rental_definition_and_full_coverage():
    assert _triples("实施以失独家庭为重点的心理关爱服务。")[0][1:3] == (["失独家庭"], "心理关爱服务")
    assert _triples("面向新就业大学生和外来务工人员出租的人才公寓。")[0][1] == ["新就业大学生", "外来务工人员"]
    st = _one("公共文化服务是保障全体市民基本文化权益的公共服务。")
    assert _pops(st) == ["全体市民"] and st.service == "公共文化服务" and st.populations[0].key == "residents"
    assert _triples("困境儿童实现应保尽保。")[0][1:3] == (["困境儿童"], "应保尽保")


def test_labelled_fields_name_the_groups_of_a_service():
    got = _triples("孕产妇健康管理\n服务对象:辖区内常住的孕产妇。\n服务内容:产前检查。")
    assert [(p, s) for _, p, s, _ in got] == [(["辖区内常住的孕产妇"], "孕产妇健康管理")]
    got = _triples("(一)临时救助对象:\n1.遭遇火灾的家庭;\n2.突发重病的低收入居民。\n(二)救助标准")
    assert [(n, p, s) for n, p, s, _ in got] == [("field", ["遭遇火灾的家庭"], "临时救助"),
                                                 ("field", ["突发重病的低收入居民"], "临时救助")]
    # a numbered entry that ends its line is no label of the lines after it
    got = _triples("(一)医疗救助对象:\n1.低保对象;\n2.特困人员。")
    assert {s for _, _, s, _ in got} == {"医疗救助"}


def test_amounts_per_group_take_the_service_named_before():
    got = _triples("补贴标准为:重度残疾人每人每月100元,其他残疾人每人每月50元。")
    assert [(p, s, std) for _, p, s, std in got] == [(["重度残疾人"], "补贴", "每人每月100元"),
                                                    (["其他残疾人"], "补贴", "每人每月50元")]
    assert _triples("享受高龄津贴的百岁老人,每人每月发放500元。")[0][1:3] == (["百岁老人"], "高龄津贴")
    assert find_statements("90至94周岁的老人每人发放800元。") == []  # no service named: nothing to guarantee


def test_conditions_actors_titles_and_domain_lists():
    assert _triples("对残疾人自主创业的,给予一次性开业补贴。")[0][1:3] == (["残疾人"], "一次性开业补贴")
    assert _triples("中央财政支持各地资助特困人员参加居民医保。")[0][1] == ["特困人员"]
    got = _triples("印发《关于做好农村留守儿童关爱保护工作的通知》,加强困境儿童关爱保护。")
    assert [p for _, p, _, _ in got] == [["困境儿童"]]  # a title states no guarantee
    assert find_statements("涵盖公共教育、社会服务、残疾人服务等8大领域。") == []
    assert find_statements("建立经济困难的高龄、失能等老年人补贴制度。") == []  # 、…等 qualifies one group
    assert find_statements("孕产妇和儿童系统管理率达到90%以上。") == []
    assert _triples("就业困难人员和零就业家庭动态帮扶机制日趋完善。")[0][1] == ["就业困难人员", "零就业家庭"]
    assert _triples("转岗职工按照每人不低于1000元的标准,发放一次性生活补助。")[0][1:3] == (["转岗职工"], "一次性生活补助")


# ---------------------------------------------------------------- bundled corpus
def _plan(stem):
    from extract.normalize import normalize_text
    n = normalize_text((CORPUS / f"{stem}.txt").read_text(encoding="utf-8"))
    return n, find_statements(n.text, None, n.is_damaged)


@pytest.fixture(scope="module")
def shanxi():  # 000: Traditional with inline pinyin in the raw file
    return _plan("000_d6c6a4d0aa48d11c")


@pytest.fixture(scope="module")
def plan004():
    return _plan("004_a935d46978e3f922")


def _find(n, sts, needle):
    return [st for st in sts if needle in n.text[st.span[0]:st.span[1]]]


def test_corpus_pension_coverage(shanxi):
    n, sts = shanxi
    hits = _find(n, sts, "基本养老保险覆盖全体职工和适龄城乡居民")
    assert hits
    st = hits[0]
    assert [p.written for p in st.populations] == ["全体职工", "适龄城乡居民"]
    assert st.service_key == "basic-pension-insurance"
    quote = n.raw[slice(*n.raw_span(*st.span))]
    assert "覆蓋" in quote or "覆盖" in quote


def test_corpus_services_for_public(shanxi):
    n, sts = shanxi
    hits = _find(n, sts, "为社会公众提供政策咨询")
    assert hits and hits[0].populations[0].key == "public"


def test_corpus_disabled_critical_illness(plan004):
    n, sts = plan004
    hits = _find(n, sts, "支持残疾人参加大病保险")
    assert hits and hits[0].populations[0].written == "残疾人"
    assert hits[0].service_key == "critical-illness-insurance"


def test_corpus_all_plans_run():
    from extract.normalize import normalize_text
    total = 0
    for f in sorted(CORPUS.glob("*.txt")):
        n = normalize_text(f.read_text(encoding="utf-8"))
        sts = find_statements(n.text, None, n.is_damaged)
        total += len(sts)
        for st in sts:
            assert not n.is_damaged(*st.span)
            assert st.populations
    assert total > 200


# ---------------------------------------------------------------- counts, purchases, trims, background
def test_approximate_head_counts_split_from_each_group():
    t = "全县2.1万人左右城乡低保、800人左右特困供养人员"
    assert [t[a:b] for a, b in split_populations(t, 0, len(t))] == ["城乡低保", "特困供养人员"]


def test_buying_insurance_for_a_group_is_a_guarantee():
    st = _one("为全县70岁以上农村老年人购买一份意外伤害保险。")
    assert _pops(st) == ["全县70岁以上农村老年人"]
    assert st.service == "意外伤害保险"  # the count of copies (一份) is no part of the service


def test_unable_to_buy_is_part_of_the_group_not_the_verb():
    st = _one("为无力购买商品住房的城市低收入住房困难家庭提供公共租赁住房。")
    assert _pops(st) == ["无力购买商品住房的城市低收入住房困难家庭"]
    assert st.service == "公共租赁住房"


def test_service_trim_applies_inside_a_sentence():
    st = _one("今年起,为城乡困难残疾人提供相应的康复服务。")
    assert st.service == "康复服务"


def test_what_a_plan_builds_on_is_no_guarantee():
    assert find_statements("在落实五保户供养、孤儿养育的基础上,新建区级社会福利中心。") == []
    st = _one("在全面完成普查的基础上,为孤儿发放基本生活费。")
    assert _pops(st) == ["孤儿"]


def test_form_pattern_matches_the_longest_form_at_each_place():
    """The vocabularies' trie pattern finds what an alternation of the forms, longest first,
    finds: the longest form starting at each place, left to right, without overlaps."""
    import re

    from extract.guarantee_vocab import _alternation

    forms = ["养老", "养老保险", "养老服务", "基本养老保险", "医疗", "医疗保险", "保险", "险"]
    plain = re.compile("|".join(re.escape(f) for f in sorted(forms, key=lambda f: (-len(f), f))))
    trie = _alternation(forms)
    for text in ("城乡居民基本养老保险和医疗保险", "养老服务、养老、养老保", "保险险", "医疗保", "无关的句子"):
        assert [m.span() for m in trie.finditer(text)] == [m.span() for m in plain.finditer(text)]
    assert [m.group() for m in trie.finditer("基本养老保险与养老服务")] == ["基本养老保险", "养老服务"]
