"""Numeric indicators: measures with baseline and target values, units, comparators and years.

Works on the clean text of :mod:`extract.normalize` (Simplified, ASCII digits and punctuation)
and returns clean offsets. One :class:`Indicator` per measure statement:

* ``X达到95%以上`` / ``X保持在4.2%以内`` / ``X不低于90%`` -- a name, a trigger verb
  (``data/indicator_triggers.tsv``), a number and a unit (``data/indicator_units.tsv``);
  comparator words before or after the figure (``data/indicator_comparators.tsv``);
* ``新增公共租赁住房14504套`` (verb-object-value), ``培养800名适配工程师`` (value before its
  object), ``80%的乡镇综合文化站达到…`` (value-的-object);
* figures in Chinese numerals (``一所``, ``两个``, ``百分之九十``) and figures the crawl broke
  (``49. 2%``, ``62826.`` / ``5万元`` over a line break);
* ``X由2010年的86.8%提高到93.4%`` (also ``由每年660元增加到每年726元``, ``由X的50%提高到100%``,
  a to-value without its unit) -- one statement with a from-value (always achieved: a
  baseline) and a to-value (a target in a goal section; in the review of the past period it
  is an achieved figure too, so two baselines are returned);
* ``A和B分别达到x和y`` / ``A、B分别达到x、y`` -- one indicator per named measure, the shared
  tail of the names completed (``高血压和糖尿病患者规范化管理率`` → ``高血压患者规范化管理率``);
* ranges ``5%-10%`` / ``20-30名`` -- two indicators, ``>=`` low end and ``<=`` high end;
* flattened goal tables (header ``指标 单位 2015年 2020年 属性``, one row per line or one
  cell per line): the year columns give baseline (before the plan period) and target;
* flattened category tables (funding tables: ``单位:万元``, columns ``合计 中央财政 省级财政``):
  one indicator per row and column (``data/indicator_table_columns.tsv``).

Kind and year: the plan period is what the document declares (:class:`frame.Period`): a
five-year period or a range in its title/preamble (``“十三五”`` → 2016-2020, ``2016-2020年``),
one year in its title (an annual plan: ``2019年民生实事`` → 2019), else the latest five-year
period the text names, its latest ``到YYYY年``, a clause-initial topic year (``2013年,该县…``),
the five-year period of the years it names; unknown (years None) when it names none. A
document without plan words and with words of achievement is a *report*: its figures are
achieved, of the year it reports on. A figure is a *baseline* when its year cue lies before the
period, when it sits in a section reviewing the past (发展基础/现实基础…, also chapters the
outline does not number: ``第一节 发展基础``; ``data/indicator_cues.tsv``), when it is a
from-value, inside an achieved ``在…实现…基础上``, or when ``已经/截至/目前`` precede it;
otherwise it is a *target*. Its year is the cue of its own clause (``增加到2015年的…``) or the
nearest preceding cue of the sentence (``到2020年`` / ``2015年`` / ``“十二五”期间`` → 2015 /
``(2017-2020年)`` → 2020); cues after ``比`` (reference years) and inside 《》 are ignored.
Without a cue a target takes the plan's end year and a baseline the year before the plan
starts (a report: the year reported; a from-value in a review: the period before that).

Not indicators: years and dates, ordinals (第N), item numbers, document numbers and phone
numbers (no unit), denominators (每3万人), ages qualifying a group (0-6岁儿童), counts of an
enumeration (等5项标准, 东部、西部、北部三个片区), numbered slogans (“四个全面”), counts of plan structure (8个领域, 80个服务项目), table footnotes
(注:1.指…), scopes (3公里范围内), numbers before a word that starts with a unit character
(``450000 支持…``, ``20万人口以上``), figures inside 《》 and damaged (``?``) text.

Modules, one job each: ``record`` (the Indicator), ``data`` (the vocabularies), ``spans``
(clauses, sentences), ``numbers`` (figures with unit and comparator), ``names`` (measure
names), ``frame`` (the period a document declares), ``years`` (year cues, kind), ``sentences`` (the sentence parser),
``tables`` (goal tables), ``category_tables`` (funding tables), ``document`` (a whole document).

Public API: :class:`Indicator`, :func:`find_indicators`, :func:`plan_period`.
"""
from __future__ import annotations

from .document import find_indicators
from .record import Indicator
from .frame import plan_period

__all__ = ["Indicator", "find_indicators", "plan_period"]
