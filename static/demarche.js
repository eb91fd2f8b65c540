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

// RGAA 13.1: two minutes before a signed-in session ends for inactivity, an alert says when, and
// « Rester connecté » extends it (POST /session/prolonger; any request resets the server's idle limit).
(() => {
  const box = document.getElementById("session-expiry");
  if (!box) return;
  const idle = Number(box.dataset.idleSeconds) * 1000;
  const warnBefore = Math.min(120000, idle / 2);
  const alert = box.querySelector("[role=alert]");
  const text = document.getElementById("session-expiry-text");
  const button = document.getElementById("session-expiry-extend");
  let timer;
  const time = (ms) => new Date(Date.now() + ms).toLocaleTimeString("fr-FR", {hour: "2-digit", minute: "2-digit"});
  const arm = () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      text.textContent = `Sans activité de votre part, votre session se fermera dans ${Math.round(warnBefore / 60000)}`
        + ` minutes, à ${time(warnBefore)}. Ce que vous avez saisi sans l’envoyer serait perdu.`;
      button.hidden = false;
      alert.hidden = false;
    }, idle - warnBefore);
  };
  button.addEventListener("click", async () => {
    const answer = await fetch(box.dataset.extendUrl, {method: "POST", headers: {"X-CSRFToken": box.dataset.csrf}})
      .catch(() => null);
    if (answer && answer.ok) {
      text.textContent = `Votre session est prolongée jusqu’à ${time(idle)}.`;
      setTimeout(() => { alert.hidden = true; }, 10000);
      arm();
    } else {
      text.textContent = "Votre session a pris fin : reconnectez-vous pour continuer.";
    }
    button.hidden = true;
  });
  arm();
})();
