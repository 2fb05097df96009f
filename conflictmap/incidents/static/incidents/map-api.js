/* JSON from the map's APIs: one fetch helper that turns API errors into exceptions naming the parameter. */
import { takePrefetched } from "./map-prefetch.js";

/* Fetch JSON; a 4xx/5xx rejects with the API's error message, the parameter it names and the whole body. */
export function getJSON(url) {
  const request = takePrefetched(url) || fetch(url, { headers: { Accept: "application/json" } });
  return request.then(function (r) {
    return r.json().catch(function () { return {}; }).then(function (body) {
      if (!r.ok) {
        const err = new Error(body.error || ("HTTP " + r.status));
        err.parameter = body.parameter;
        err.status = r.status;
        err.body = body;
        throw err;
      }
      return body;
    });
  });
}
