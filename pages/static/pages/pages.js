// Small behaviours of the pages, kept out of the HTML (Content-Security-Policy: no inline
// script or event handler attributes).
document.addEventListener("change", (event) => {
  // A filter that applies as soon as it is chosen (the form still has its button).
  if (event.target.matches("[data-autosubmit]")) {
    event.target.form.requestSubmit();
  }
});

// A form is sent once: a second click (or Enter) while the page is on its way is ignored,
// and its buttons are disabled. The server acts once per confirmation anyway
// (pages.confirm); this spares the second request. Disabled after the browser has read
// the pressed button's name and value, which a disabled button would not send.
document.addEventListener("submit", (event) => {
  const form = event.target;
  if (event.defaultPrevented || form.method.toLowerCase() !== "post") {
    return;
  }
  if (form.dataset.sent) {
    event.preventDefault();
    return;
  }
  form.dataset.sent = "true";
  setTimeout(() => {
    form.querySelectorAll("button, input[type=submit]").forEach((button) => {
      if (button.type === "submit") {
        button.disabled = true;
        button.setAttribute("aria-busy", "true");
      }
    });
  }, 0);
});

// Back to a page kept in the browser's memory: its forms may be sent again.
window.addEventListener("pageshow", (event) => {
  if (!event.persisted) {
    return;
  }
  document.querySelectorAll("form[data-sent]").forEach((form) => {
    delete form.dataset.sent;
    form.querySelectorAll("[aria-busy=true]").forEach((button) => {
      button.disabled = false;
      button.removeAttribute("aria-busy");
    });
  });
});

// A form that came back with errors: its summary takes the focus (and scrolls into view,
// where the form is), and each of its links takes the focus to its field.
document.addEventListener("DOMContentLoaded", () => {
  const summary = document.querySelector("[data-error-summary]");
  if (summary) {
    const section = summary.closest("details");
    if (section) {
      section.open = true;
    }
    summary.focus();
  }
});
document.addEventListener("click", (event) => {
  const link = event.target.closest("[data-error-summary] a[href^='#']");
  if (!link) {
    return;
  }
  const target = document.getElementById(link.getAttribute("href").slice(1));
  const field = target && (target.matches("input, select, textarea") ? target : target.querySelector("input, select, textarea"));
  if (field) {
    event.preventDefault();
    field.focus();
    field.scrollIntoView({ block: "center" });
  }
});

// What scrolls sideways inside the page (a wide table, a chart, the state diagram) can be
// scrolled from the keyboard: it takes the focus and is a region named by its table's
// caption, its figure's caption or its section's heading (WCAG 2.1.1; axe's
// scrollable-region-focusable). Again after htmx puts new content in.
function nameScrollRegions(root) {
  root.querySelectorAll(".table-scroll, figure").forEach((box) => {
    if (box.hasAttribute("tabindex")) {
      return;
    }
    const named = box.querySelector("caption, figcaption, svg > title")
      || box.closest("section, article, details")?.querySelector("h2, h3, h4, summary")
      || document.querySelector("main h1");
    box.setAttribute("tabindex", "0");
    box.setAttribute("role", "region");
    if (!box.hasAttribute("aria-label") && !box.hasAttribute("aria-labelledby") && named) {
      box.setAttribute("aria-label", named.textContent.trim().replace(/\s+/g, " "));
    }
  });
}
document.addEventListener("DOMContentLoaded", () => nameScrollRegions(document));
document.addEventListener("htmx:afterSettle", (event) => nameScrollRegions(event.target));

// The header's menu on a narrow screen (pages.css, below 700 px): folded behind its button,
// which says whether it is open (aria-expanded). Without this script the button stays
// hidden and the menu open.
document.addEventListener("DOMContentLoaded", () => {
  const button = document.querySelector(".menu-toggle[aria-controls]");
  const menu = button && document.getElementById(button.getAttribute("aria-controls"));
  if (!menu) {
    return;
  }
  document.documentElement.classList.add("js-menu");
  button.hidden = false;
  button.addEventListener("click", () => {
    const open = button.getAttribute("aria-expanded") !== "true";
    button.setAttribute("aria-expanded", String(open));
    menu.classList.toggle("open", open);
  });
  document.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && button.getAttribute("aria-expanded") === "true") {
      button.setAttribute("aria-expanded", "false");
      menu.classList.remove("open");
      button.focus();
    }
  });
});
