"""Chapter 5.1's demo settings, with no torch: the chapter's widgets draw their first view from
these and the charts kept for it (utils/first_view_charts.py) before torch is imported."""

PIXEL_CHOICES = (40, 60, 80)  # 80 x 80 with a t.linalg.solve renderer takes ~10 s in the sandbox
