/* tracker audit site: the little JavaScript the pages use (no network, no libraries).
 *
 * 1. A wide table scrolls inside its own box (.tk-table-wrap), never the page. Where it does
 *    not fit, a visible hint "← 左右滑动查看更多列 →" is shown above it, and shadows mark the
 *    side that has more columns, so no column is hidden without a cue (phones and desktops).
 * 2. Opened from disk (file://), browsers do not run the search worker (and Material hides
 *    its search box): the header says that search needs a web server, and how to open the
 *    site instead, rather than search silently missing.
 * 3. A link to a collapsed block (a filing's text) opens it.
 */
(function () {
  "use strict";

  var HINT = "← 左右滑动查看更多列 →";

  function update(wrap) {
    var over = wrap.scrollWidth > wrap.clientWidth + 1;
    var left = wrap.scrollLeft > 1;
    var right = wrap.scrollLeft + wrap.clientWidth < wrap.scrollWidth - 1;
    wrap.classList.toggle("tk-overflow", over);
    wrap.classList.toggle("tk-more-left", over && left);
    wrap.classList.toggle("tk-more-right", over && right);
    var hint = wrap.previousElementSibling;
    var has = hint && hint.classList && hint.classList.contains("tk-scroll-hint");
    if (over && !has) {
      hint = document.createElement("div");
      hint.className = "tk-scroll-hint";
      hint.textContent = HINT;
      wrap.parentNode.insertBefore(hint, wrap);
    } else if (!over && has) {
      hint.parentNode.removeChild(hint);
    }
  }

  function all() {
    var wraps = document.querySelectorAll(".tk-table-wrap");
    for (var i = 0; i < wraps.length; i++) {
      update(wraps[i]);
    }
  }

  function watch() {
    var wraps = document.querySelectorAll(".tk-table-wrap");
    for (var i = 0; i < wraps.length; i++) {
      (function (w) {
        w.addEventListener("scroll", function () { update(w); }, { passive: true });
      })(wraps[i]);
    }
    all();
    window.addEventListener("resize", all);
    // Tables inside a closed <details> have no width until it is opened.
    document.addEventListener("toggle", all, true);
  }

  function offlineSearch() {
    if (location.protocol !== "file:") {
      return;
    }
    document.documentElement.classList.add("tk-file");
    var message = "本站是从本地文件(file://)打开的,浏览器不允许在这种方式下运行搜索。" +
      "请用 tracker serve 或任意网站服务器(如 python -m http.server)打开本站后再搜索;" +
      "其他页面和链接不受影响。";
    var inputs = document.querySelectorAll(".md-search__input");
    for (var i = 0; i < inputs.length; i++) {
      inputs[i].setAttribute("placeholder", "搜索需通过网站服务器打开");
      inputs[i].setAttribute("title", message);
    }
    // Material hides its search box on file:// pages; the header says why instead.
    var header = document.querySelector(".md-header__inner");
    if (header && !header.querySelector(".tk-offline-search")) {
      var box = document.createElement("details");
      box.className = "tk-offline-search";
      var summary = document.createElement("summary");
      summary.textContent = "搜索不可用";
      summary.setAttribute("title", message);
      var text = document.createElement("div");
      text.className = "tk-search-offline";
      text.setAttribute("role", "note");
      text.textContent = message;
      box.appendChild(summary);
      box.appendChild(text);
      header.appendChild(box);
    }
    var outputs = document.querySelectorAll(".md-search__output");
    for (var j = 0; j < outputs.length; j++) {
      var note = document.createElement("div");
      note.className = "tk-search-offline";
      note.setAttribute("role", "note");
      note.textContent = message;
      outputs[j].insertBefore(note, outputs[j].firstChild);
    }
  }

  // A link to one filing's text (texts/<unit>.html#t-…) opens its collapsed block.
  function openTarget() {
    var id = location.hash.slice(1);
    try {
      id = decodeURIComponent(id);
    } catch (err) {
      return;  // not percent-encoding (a mangled link): no block has such an id
    }
    var el = id ? document.getElementById(id) : null;
    if (el && el.tagName === "DETAILS") {
      el.open = true;
    }
  }

  function start() {
    offlineSearch();
    openTarget();
    window.addEventListener("hashchange", openTarget);
    watch();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
