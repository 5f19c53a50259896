"""The explorer page renders the plans and agencies of a built store (Streamlit AppTest)."""
from __future__ import annotations

import os

from conftest import ROOT


def test_app_lists_plans_and_agencies(built_store, monkeypatch):
    from streamlit.testing.v1 import AppTest

    store, _ = built_store
    monkeypatch.setenv("PSKG_STORE", str(store.path))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.run()
    assert not at.exception, at.exception
    assert "5 plans" in at.caption[0].value
    plans = at.dataframe[0].value
    assert len(plans) == 5
    assert "上海市" in set(plans["region"])
    at.selectbox[0].select_index(1).run()  # the Baiyin plan
    agencies = at.dataframe[1].value
    assert "白银市教育局" in set(agencies["label"])
    labels = [o["label"] if isinstance(o, dict) else o for o in at.selectbox[1].options]
    at.selectbox[1].select_index([i for i, o in enumerate(labels) if "白银市教育局" in str(o)][0]).run()
    quotes = [md.value for md in at.markdown if md.value.startswith(">")]
    assert quotes and all("市教育局" in q for q in quotes)


def test_app_without_store_says_what_to_do(tmp_path, monkeypatch):
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("PSKG_STORE", str(tmp_path / "none"))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.run()
    assert at.error and "pskg build" in at.error[0].value
    assert os.environ["PSKG_STORE"].endswith("none")
