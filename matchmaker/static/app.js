// The app's only script, served from our own origin: the Content-Security-Policy allows no
// inline script. Forms with data-confirm ask before they submit (e.g. deleting a listing).
document.addEventListener("submit", (event) => {
  const message = event.target.dataset && event.target.dataset.confirm;
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
