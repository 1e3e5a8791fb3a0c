/* Suggestions under the search box (ARIA 1.2 combobox with a listbox).
   Without this script the search box is a plain form; with it, typing asks
   /api/suggest/ and the arrow keys, Enter and Escape work the list. */
(function () {
  "use strict";
  var form = document.querySelector("form[data-suggest]");
  if (!form || !window.fetch) { return; }
  var input = form.querySelector("input[name=q]");
  var endpoint = form.getAttribute("data-suggest");
  var list = document.createElement("ul");
  var status = document.createElement("div");
  var items = [];
  var active = -1;
  var timer = null;
  var pending = null;

  list.id = input.id + "-suggestions";
  list.className = "suggestions";
  list.setAttribute("role", "listbox");
  list.setAttribute("aria-label", form.getAttribute("data-suggest-label") || "");
  list.hidden = true;
  status.className = "visually-hidden";
  status.setAttribute("role", "status");
  form.appendChild(list);
  form.appendChild(status);
  input.setAttribute("role", "combobox");
  input.setAttribute("aria-autocomplete", "list");
  input.setAttribute("aria-expanded", "false");
  input.setAttribute("aria-controls", list.id);
  input.setAttribute("autocomplete", "off");

  function close() {
    list.hidden = true;
    active = -1;
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
  }

  function highlight(index) {
    items.forEach(function (item, i) { item.el.setAttribute("aria-selected", i === index ? "true" : "false"); });
    active = index;
    if (index < 0) { input.removeAttribute("aria-activedescendant"); return; }
    input.setAttribute("aria-activedescendant", items[index].el.id);
    items[index].el.scrollIntoView({ block: "nearest" });
  }

  function show(suggestions) {
    list.textContent = "";
    items = suggestions.map(function (s, i) {
      var el = document.createElement("li");
      el.id = list.id + "-" + i;
      el.setAttribute("role", "option");
      el.setAttribute("aria-selected", "false");
      // The name and what it is (person, event, article) are two elements
      // of a flex row, so the name's last letter never joins the label.
      var label = document.createElement("bdi");
      label.className = "suggestions__label";
      label.setAttribute("lang", s.language);
      label.setAttribute("dir", "auto");
      label.textContent = s.label;
      el.appendChild(label);
      var kind = form.getAttribute("data-kind-" + s.kind);
      if (kind) {
        var tag = document.createElement("span");
        tag.className = "suggestions__kind";
        tag.setAttribute("lang", document.documentElement.lang);
        tag.textContent = kind;
        el.appendChild(tag);
      }
      // mousedown, not click: the input must not lose focus first
      el.addEventListener("mousedown", function (event) { event.preventDefault(); window.location.href = s.url; });
      list.appendChild(el);
      return { el: el, url: s.url };
    });
    active = -1;
    list.hidden = items.length === 0;
    input.setAttribute("aria-expanded", items.length ? "true" : "false");
    status.textContent = items.length ? (form.getAttribute("data-suggest-count") || "%s").replace("%s", items.length) : "";
  }

  function ask() {
    var q = input.value;
    if (pending) { pending.abort(); }
    if (q.trim().length < 2) { show([]); return; }
    pending = new AbortController();
    fetch(endpoint + "?q=" + encodeURIComponent(q), { signal: pending.signal, headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : { suggestions: [] }; })
      .then(function (data) { if (input.value === q) { show(data.suggestions); } })
      .catch(function () { /* aborted or offline: the plain form still works */ });
  }

  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(ask, 120);
  });
  input.addEventListener("keydown", function (event) {
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      if (list.hidden) { if (items.length) { list.hidden = false; input.setAttribute("aria-expanded", "true"); } return; }
      event.preventDefault();
      // -1 is the text box itself: the list wraps through it
      var next = active + (event.key === "ArrowDown" ? 1 : -1);
      if (next >= items.length) { next = -1; } else if (next < -1) { next = items.length - 1; }
      highlight(next);
    } else if (event.key === "Enter" && active >= 0 && !list.hidden) {
      event.preventDefault();
      window.location.href = items[active].url;
    } else if (event.key === "Escape" && !list.hidden) {
      event.preventDefault();
      close();
    }
  });
  input.addEventListener("blur", close);
})();
