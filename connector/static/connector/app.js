// htmx requests carry the CSRF token from <meta name="csrf-token"> (no inline hx-headers JSON).
document.addEventListener("htmx:configRequest", (event) => {
  const meta = document.querySelector('meta[name="csrf-token"]');
  if (meta) event.detail.headers["X-CSRFToken"] = meta.content;
});

// Forms that ask first: <form data-confirm="Are you sure?"> (no inline onsubmit).
document.addEventListener("submit", (event) => {
  const form = event.target.closest("form[data-confirm]");
  if (form && !window.confirm(form.dataset.confirm)) event.preventDefault();
});

// Copy buttons: <button data-copy-target="#id">. Uses the clipboard API, falls back to selecting the text.
document.addEventListener("click", async (event) => {
  const button = event.target.closest("[data-copy-target]");
  if (!button) return;
  const field = document.querySelector(button.dataset.copyTarget);
  const status = document.querySelector(button.dataset.copyStatus || "#copy-status");
  let said = "Copied to the clipboard.";
  try {
    await navigator.clipboard.writeText(field.value);
  } catch (err) {
    field.select();
    said = "Select the text and copy it (Ctrl+C): the browser refused clipboard access.";
  }
  if (status) status.textContent = said;
});
