// Small behaviours of the pages, kept out of the HTML (Content-Security-Policy: no inline
// script or event handler attributes).
document.addEventListener("change", (event) => {
  // A filter that applies as soon as it is chosen (the form still has its button).
  if (event.target.matches("[data-autosubmit]")) {
    event.target.form.requestSubmit();
  }
});
