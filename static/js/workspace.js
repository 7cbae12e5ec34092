// Translator's editor: autosave every few seconds, live preview, word counts. The page works without it.
(function () {
  "use strict";
  const form = document.getElementById("translation-form");
  if (!form) return;
  const status = form.querySelector("[data-autosave-status]");
  const preview = document.querySelector("[data-preview]");
  const total = document.querySelector("[data-total-words]");
  const words = (text) => (text.match(/[\p{L}\p{N}_]+/gu) || []).length;
  let timer = null;
  let pending = false;

  function bodyText() {
    return Array.from(form.querySelectorAll("textarea[name^='para-']"))
      .map((box) => box.value.trim()).filter(Boolean).join("\n\n");
  }

  function counts(target) {
    if (target && target.name && target.name.startsWith("para-")) {
      const cell = document.querySelector(`[data-words-for='${target.id}']`);
      if (cell) cell.textContent = words(target.value);
    }
    if (total) total.textContent = words(bodyText());
  }

  async function post(url, data) {
    const response = await fetch(url, {
      method: "POST", body: data, credentials: "same-origin",
      headers: { "X-Requested-With": "fetch" },
    });
    const json = await response.json();
    if (!response.ok) throw new Error(json.error || response.statusText);
    return json;
  }

  async function save() {
    if (pending) { schedule(); return; }
    pending = true;
    try {
      const result = await post(form.dataset.draftUrl, new FormData(form));
      status.textContent = status.dataset.savedLabel
        ? status.dataset.savedLabel.replace("%s", result.saved_at) : `✓ ${result.saved_at}`;
    } catch (error) {
      status.textContent = `⚠ ${error.message}`;
    } finally {
      pending = false;
    }
    const data = new FormData();
    data.append("csrfmiddlewaretoken", form.elements.csrfmiddlewaretoken.value);
    data.append("body", bodyText());
    try {
      const rendered = await post(form.dataset.previewUrl, data);
      if (preview) preview.innerHTML = rendered.html;  // sanitised by the server's renderer
    } catch (error) { /* the next save retries */ }
  }

  function schedule() {
    clearTimeout(timer);
    timer = setTimeout(save, 1500);
  }

  form.addEventListener("input", (event) => { counts(event.target); schedule(); });
})();
