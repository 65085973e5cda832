// Keyboard shortcuts of the grading page: 1-9 tick rubric items, n/p next/previous,
// Ctrl+Enter saves; comment-bank buttons append their text. Nothing here is needed to grade.
document.addEventListener("keydown", (ev) => {
  const form = document.getElementById("grade-form");
  if (!form) return;
  if (ev.key === "Enter" && (ev.ctrlKey || ev.metaKey)) { ev.preventDefault(); form.requestSubmit(); return; }
  const t = ev.target;
  if (t && (t.tagName === "TEXTAREA" || t.tagName === "INPUT" || t.tagName === "SELECT")) return;
  if (ev.ctrlKey || ev.altKey || ev.metaKey) return;
  const box = form.querySelector(`input[data-key="${ev.key}"]`);
  if (box) { box.checked = !box.checked; ev.preventDefault(); return; }
  const link = { n: "next", p: "prev" }[ev.key];
  if (link && document.getElementById(link)) { window.location = document.getElementById(link).href; }
});
document.addEventListener("click", (ev) => {
  const b = ev.target.closest(".bank-item");
  if (!b) return;
  const c = document.getElementById("comment");
  c.value = c.value ? `${c.value}\n${b.dataset.text}` : b.dataset.text;
});
