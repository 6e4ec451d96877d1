// The 3D trace types, added to the same plotly.js as chart.js's (esbuild puts what both use in a
// shared chunk: a page with 2D and 3D charts loads plotly.js's core once). Loaded only for a
// figure with a 3D trace: TRACES_3D in utils/charts.py must list the same.
import Plotly from "./chart.js";
import mesh3d from "plotly.js/lib/mesh3d";
import scatter3d from "plotly.js/lib/scatter3d";
import surface from "plotly.js/lib/surface";

Plotly.register([mesh3d, scatter3d, surface]);

export default Plotly;
