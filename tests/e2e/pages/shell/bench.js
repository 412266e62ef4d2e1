// Inserts 1,000 mixed elements (mostly not trackers) into the page, the way
// a page's own scripts build content; returns the median time of `rounds`
// runs in ms. Loaded by bench.html (with the shell) and bench-plain.html
// (without), so the difference is the shell's overhead.
window.benchInsert = async function (rounds, trackerBase) {
  const times = [];
  for (let r = 0; r < rounds; r++) {
    const box = document.getElementById("box");
    box.style.display = "none"; // no layout, no image loads
    box.textContent = "";
    const t0 = performance.now();
    for (let i = 0; i < 1000; i++) {
      const k = i % 20;
      let el;
      if (k < 12) {
        el = document.createElement(k % 3 ? "div" : "span");
        el.className = "item";
        el.textContent = "item " + i;
      } else if (k < 15) {
        el = document.createElement("a");
        el.setAttribute("href", "/page/" + i);
        el.textContent = "link";
      } else if (k < 17) {
        el = document.createElement("p");
        el.append(document.createElement("b"), "text");
      } else if (k < 19) {
        el = document.createElement("img");
        el.alt = "";
        el.width = 1;
        el.src = "data:image/gif;base64,R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7";
      } else {
        el = document.createElement("img");
        el.loading = "lazy"; // decided, but not fetched: keeps the network out of the timing
        el.src = i % 40 === 19 ? trackerBase + "/b/" + i + ".gif" : "/shell/px-" + i + ".gif?same-origin";
      }
      box.appendChild(el);
    }
    await Promise.resolve(); // the MutationObserver's callback is part of the cost
    times.push(performance.now() - t0);
    await new Promise((ok) => setTimeout(ok, 0));
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
};
