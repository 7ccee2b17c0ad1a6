// The app's only script, served from our own origin: the Content-Security-Policy allows no
// inline script. Everything here improves a page that works without it.

// A form, or the choice checked or selected in it, with data-confirm asks before it submits
// (deleting a listing, rejecting a match). Without script the server still demands a reason.
document.addEventListener("submit", (event) => {
  const form = event.target;
  const choice = form.querySelector("input:checked[data-confirm], option:checked[data-confirm]");
  const message = (form.dataset && form.dataset.confirm) || (choice && choice.dataset.confirm);
  if (message && !window.confirm(message)) {
    event.preventDefault();
  }
});

// A "select all" checkbox (data-select-all="<name>") ticks every checkbox of that name in its
// form, and shows itself half-ticked when only some are.
document.addEventListener("change", (event) => {
  const box = event.target;
  const form = box.form;
  if (!form) {
    return;
  }
  if (box.dataset.selectAll) {
    form.querySelectorAll(`input[type=checkbox][name="${box.dataset.selectAll}"]`)
      .forEach((item) => { item.checked = box.checked; });
    box.indeterminate = false;
    return;
  }
  const all = form.querySelector(`input[data-select-all="${box.name}"]`);
  if (all) {
    const items = [...form.querySelectorAll(`input[type=checkbox][name="${box.name}"]`)];
    const ticked = items.filter((item) => item.checked).length;
    all.checked = ticked === items.length;
    all.indeterminate = ticked > 0 && ticked < items.length;
  }
});

// A decision form: the submit button looks like and says what the chosen action does, and the
// note's label says what the note is for (a message, a note, or a required reason).
function showDecision(form) {
  const choice = form.querySelector("input:checked[data-style], option:checked[data-style]");
  const button = form.querySelector("[data-decision-submit]");
  if (!choice || !button) {
    return;
  }
  button.classList.remove("primary", "secondary", "danger");
  button.classList.add(choice.dataset.style);
  if (choice.dataset.submitLabel) {
    button.textContent = choice.dataset.submitLabel;
  }
  const note = form.querySelector("textarea[name=note]");
  const label = note && note.id && form.querySelector(`label[for="${note.id}"]`);
  if (label && choice.dataset.noteLabel) {
    label.textContent = choice.dataset.noteLabel;
  }
  if (note) {
    note.required = "noteRequired" in choice.dataset;
  }
}

document.addEventListener("change", (event) => {
  const form = event.target.form;
  if (form && form.querySelector("[data-decision-submit]")) {
    showDecision(form);
  }
});

document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("form").forEach((form) => {
    if (form.querySelector("[data-decision-submit]")) {
      showDecision(form);
    }
  });
});

// A postcode field with data-postcode (the lookup URL, CODE standing for the postcode) fills a
// blank place and municipality in its form; the server fills them on save in any case.
document.addEventListener("change", async (event) => {
  const input = event.target;
  if (!input.dataset || !input.dataset.postcode || !input.form) {
    return;
  }
  const code = input.value.replace(/\s/g, "");
  if (!/^\d{4}$/.test(code)) {
    return;
  }
  const response = await fetch(input.dataset.postcode.replace("CODE", code),
                               { headers: { Accept: "application/json" } });
  if (!response.ok) {
    return;
  }
  const found = await response.json();
  for (const [name, key] of [["city", "place"], ["municipality", "municipality"]]) {
    const field = input.form.elements[name];
    if (field && !field.value.trim() && found[key]) {
      field.value = found[key];
    }
  }
});

// A page prints as a report: tables folded away on screen are printed open.
window.addEventListener("beforeprint", () => {
  document.querySelectorAll("details").forEach((details) => { details.open = true; });
});
