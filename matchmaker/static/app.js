// The app's only script, served from our own origin: the Content-Security-Policy allows no
// inline script. Forms with data-confirm ask before they submit (e.g. deleting a listing).
document.addEventListener("submit", (event) => {
  const message = event.target.dataset && event.target.dataset.confirm;
  if (message && !window.confirm(message)) {
    event.preventDefault();
  }
});
