// The "Print this page" buttons (templates/includes/print_button.html): shown only when this
// script runs, they open the browser's print dialog; the print stylesheet (site.css) does the rest.
document.querySelectorAll("[data-print]").forEach((button) => {
  button.hidden = false;
  button.addEventListener("click", () => window.print());
});
