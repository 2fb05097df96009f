/* The review API over fetch: JSON both ways, the session's CSRF token on writes, and a count of the requests
 * sent (review.js reports it with each action's time). */

export const sent = { count: 0 };

function csrfToken() {
  const m = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
  return m ? decodeURIComponent(m[1]) : "";
}

/* GET `url`, or POST `body` as JSON to it; resolves to {status, ok, body} for any HTTP status (the callers
 * read the 400 and 409 bodies), rejects only when the server cannot be reached. */
export function call(url, body) {
  sent.count += 1;
  const init = { headers: { Accept: "application/json" }, credentials: "same-origin" };
  if (body !== undefined) {
    init.method = "POST";
    init.headers["Content-Type"] = "application/json";
    init.headers["X-CSRFToken"] = csrfToken();
    init.body = JSON.stringify(body);
  }
  return fetch(url, init).then(function (r) {
    return r.json().catch(function () { return {}; }).then(function (data) {
      return { status: r.status, ok: r.ok, body: data };
    });
  });
}
