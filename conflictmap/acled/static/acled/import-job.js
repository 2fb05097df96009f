/* An ACLED import's page in the admin: poll the job's status until it ends, showing its rows done of the
 * total, its counts and the bad rows. Server text is only ever written with textContent. */
const box = document.getElementById("acled-job");
const WORDS = JSON.parse(document.getElementById("job-words").textContent);
const POLL_MS = 1000;

function fill(message, values) {
  return message.replace(/%\((\w+)\)s/g, function (all, name) { return values[name] === undefined ? all : String(values[name]); });
}

function $(id) { return document.getElementById(id); }

function show(job) {
  const bar = $("job-progress");
  if (job.final) {
    $("job-state").textContent = WORDS[job.status];
    bar.max = 1;
    bar.value = 1;
  } else if (job.status === "running" && job.phase) {
    $("job-state").textContent = fill(WORDS[job.phase], { done: job.rows_done, total: job.rows_total });
    if (job.phase === "writing" && job.rows_total) { bar.max = job.rows_total; bar.value = job.rows_done; } else { bar.removeAttribute("value"); }
  } else {
    $("job-state").textContent = WORDS.queued;
    bar.removeAttribute("value");
  }
  ["created", "updated", "skipped"].forEach(function (name) { $("job-" + name).textContent = String(job[name]); });
  $("job-message").textContent = job.message;
  const list = $("job-errors");
  list.textContent = "";
  job.errors.forEach(function (error) {
    const item = document.createElement("li");
    item.textContent = error;
    list.appendChild(item);
  });
  if (job.more_errors) {
    const item = document.createElement("li");
    item.textContent = fill(WORDS.more, { n: job.more_errors });
    list.appendChild(item);
  }
  box.dataset.status = job.status;
}

function poll() {
  fetch(box.dataset.statusUrl, { headers: { Accept: "application/json" } })
    .then(function (r) { return r.json(); })
    .then(function (job) {
      show(job);
      if (!job.final) { setTimeout(poll, POLL_MS); }
    })
    .catch(function () { setTimeout(poll, POLL_MS * 5); });
}

if (box) { poll(); }
