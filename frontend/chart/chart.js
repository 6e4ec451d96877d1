// plotly.js's core (which holds the scatter trace) and the trace types utils/charts.py draws
// with it: TRACES there must list the same. The full plotly.js (4.7 MB, in Streamlit's own chart
// element) is left for 3D and the rarer traces.
import Plotly from "plotly.js/lib/core";
import bar from "plotly.js/lib/bar";
import box from "plotly.js/lib/box";
import contour from "plotly.js/lib/contour";
import heatmap from "plotly.js/lib/heatmap";
import histogram from "plotly.js/lib/histogram";
import histogram2d from "plotly.js/lib/histogram2d";
import histogram2dcontour from "plotly.js/lib/histogram2dcontour";
import image from "plotly.js/lib/image";
import pie from "plotly.js/lib/pie";
import table from "plotly.js/lib/table";
import violin from "plotly.js/lib/violin";

Plotly.register([bar, box, contour, heatmap, histogram, histogram2d, histogram2dcontour, image,
                 pie, table, violin]);

export default Plotly;
