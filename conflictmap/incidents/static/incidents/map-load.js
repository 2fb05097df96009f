/* load(): reload the markers, the histogram, the choropleth and the ACLED layer for the current filters. */
import { loadAcled } from "./map-acled.js";
import { syncDownloads } from "./map-downloads.js";
import { loadChoropleth, syncLayers } from "./map-layers.js";
import { loadMarkers } from "./map-markers.js";
import { nextLoad } from "./map-state.js";
import { $, I18N } from "./map-text.js";
import { loadHistogram } from "./map-timeline.js";
import { track } from "./map-track.js";

export function load() {
  const token = nextLoad();
  $("map-status").textContent = I18N.loading;
  syncLayers();
  syncDownloads();
  track(loadMarkers(token, false));
  track(loadHistogram(token));
  track(loadChoropleth(token));
  track(loadAcled(token));
}
