// « Nous récupérons vos données… »: ask the status (which waits a little for the end) until the data is there,
// then open the form. Without this script the page reloads itself (<noscript> meta refresh).
(() => {
  const box = document.querySelector("[data-waiting-status]");
  if (!box) return;
  const message = document.getElementById("waiting-message");
  const follow = async () => {
    let pause = 1000;
    try {
      const answer = await fetch(`${box.dataset.waitingStatus}?attendre=1`, {headers: {Accept: "application/json"}});
      if (answer.ok) {
        const state = await answer.json();
        if (state.done) {
          window.location.replace(state.next);
          return;
        }
        if (state.message && message.textContent !== state.message) message.textContent = state.message;
        pause = state.poll_ms;  // the service says when: at once after it waited, later in a crowd
      }
    } catch (error) {
      pause = 3000;  // the network hiccuped: try again a little later
    }
    setTimeout(follow, pause);
  };
  follow();
})();
