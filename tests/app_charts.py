"""The charts an AppTest run drew, whichever element drew them (utils/charts.py uses ours where
it can, Streamlit's st.plotly_chart for the rest)."""

from __future__ import annotations

import json

from streamlit.testing.v1 import AppTest

from utils import charts


def chart_specs(app: AppTest) -> list[str]:
    """The figure (as JSON text) of every chart on the page, in page order."""
    specs = []
    for node in app._tree:
        if node.type == "plotly_chart":
            specs.append(node.proto.spec)
        elif node.type == "bidi_component" and node.proto.component_name.endswith(charts.NAME):
            specs.append(json.loads(node.proto.json)["figure"])
    return specs
