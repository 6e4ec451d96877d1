// gtf_plotly sources sha256 b2ed4f567a6511598c474acb0f285df8855a15e2ac903536578621a62f1ea959 (built by frontend/chart/build.mjs; licences in gtf_plotly.LICENSES.txt)
import{R as a}from"./gtf_plotly_shared.2JNUID3G.js";export{a as default};
