// Démarche: after a form is sent, its buttons are disabled so a double click sends it once.
// Comfort only: the server makes a replayed submission land on the same dossier anyway.
document.addEventListener("submit", (event) => {
  const buttons = event.target.querySelectorAll("button[type=submit], button:not([type])");
  // Disabled on the next tick: the clicked button's name and value must still be sent.
  setTimeout(() => buttons.forEach((button) => {
    button.disabled = true;
    button.setAttribute("aria-disabled", "true");
  }), 0);
});
