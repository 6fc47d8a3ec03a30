// The graph's and durations' pickers: choosing a run (or a number of runs) shows it at once; the
// form still works without scripts (its Show button), and the URL stays bookmarkable.
document.addEventListener("change", (event) => {
  const select = event.target.closest("select[data-autosubmit]");
  if (select && select.form) select.form.submit();
});
