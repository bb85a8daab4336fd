"""examples/notebooks/health.ipynb runs headless from top to bottom (nbclient)."""

from __future__ import annotations

import pytest

from conftest import EXAMPLES

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")


def test_health_notebook_executes():
    path = EXAMPLES / "notebooks" / "health.ipynb"
    nb = nbformat.read(path, as_version=4)
    client = nbclient.NotebookClient(
        nb, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}}
    )
    client.execute()
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])]
    assert not [o for o in outputs if o.get("output_type") == "error"]
    html = [o["data"]["text/html"] for o in outputs if "text/html" in o.get("data", {})]
    # The explained account's contribution table is rendered for Jupyter.
    assert any("contribution" in h and "fjord" in h for h in html)
