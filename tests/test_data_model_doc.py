"""docs/data-model.md names every table the site registers, and every index of each."""

from pathlib import Path

import pytest

from photosite.tables import table_models

DOC = (Path(__file__).resolve().parents[1] / "docs" / "data-model.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("model", table_models(), ids=lambda model: model.Meta.table)
def test_the_data_model_doc_describes_every_table_and_its_indexes(model):
    rows = [line for line in DOC.splitlines() if line.startswith(f"| `{model.Meta.table}` |")]
    assert rows, f"docs/data-model.md has no row for the table {model.Meta.table}"
    for index in model._indexes.values():
        assert f"`{index.Meta.index_name}`" in DOC, (model.Meta.table, index.Meta.index_name)
