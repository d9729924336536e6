/* tracker filing page (file/<unit>.html).
 *
 * Fills the form from the page's model (built at site build time by tracker/site/filing_page.py
 * with tracker.filing.scaffold.make_draft), checks what the clerk types with the filing JSON Schema
 * (Ajv, the same schema tracker validate uses) and the cross-file rules that can be decided
 * here, and produces the filing text with a port of tracker.filing.scaffold.render / amend_text, so
 * the file is byte for byte what `tracker new` (or `tracker amend`) writes.
 *
 * Safety: every string goes into the page as text (textContent, value), never as markup; the
 * page makes no request; data leaves only by the clerk's click (download, copy, forge link).
 */
(function () {
  "use strict";

  var modelNode = document.getElementById("tk-filing-model");
  if (!modelNode) return;
  var M = JSON.parse(modelNode.textContent);
  var api = (window.TrackerFiling = {});

  // --- Python-compatible text helpers -------------------------------------------------------

  var YAML_BREAKS = /[\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff]/g;
  // Python's str.isspace() characters (str.split()/strip() use them).
  var PY_SPACE = "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003" +
    "\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000";

  function wellFormed(text) {
    // Lone surrogates cannot be written as UTF-8: replaced, as the browser does on download.
    return String(text).replace(/[\ud800-\udbff](?![\udc00-\udfff])|(^|[^\ud800-\udbff])[\udc00-\udfff]/g,
      function (m, before) { return before === undefined ? "\ufffd" : before + "\ufffd"; });
  }

  function q(text) {
    // scaffold._q: a YAML double-quoted scalar (JSON), with what YAML would fold escaped.
    return JSON.stringify(text).replace(YAML_BREAKS, function (c) {
      return "\\u" + c.charCodeAt(0).toString(16).padStart(4, "0");
    });
  }

  function cpLength(text) { return Array.from(text).length; }

  function padRight(text, width) {
    var n = cpLength(text);
    return n >= width ? text : text + " ".repeat(width - n);
  }

  function pyStrip(text) {
    var a = 0, b = text.length;
    while (a < b && PY_SPACE.indexOf(text[a]) >= 0) a++;
    while (b > a && PY_SPACE.indexOf(text[b - 1]) >= 0) b--;
    return text.slice(a, b);
  }

  // --- scaffold.render -----------------------------------------------------------------------

  function field(lines, indent, name, value, comment) {
    var body = value ? indent + name + ": " + value : indent + name + ":";
    lines.push(comment ? padRight(body, 28) + "  # " + comment : body);
  }

  function evidenceLines(lines, indent, items, example) {
    if (!items.length) {
      lines.push(indent + "# evidence:                 # 佐证材料(可选)：每项写 title，再写 path(仓库内文件)或 url(https 链接)");
      lines.push(indent + "#   - {title: 验收文件, path: " + example + "}");
      return;
    }
    lines.push(indent + "evidence:");
    items.forEach(function (item) {
      var parts = ["title: " + q(item.title)];
      ["path", "url"].forEach(function (k) { if (item[k]) parts.push(k + ": " + q(item[k])); });
      lines.push(indent + "  - {" + parts.join(", ") + "}");
    });
  }

  /* draft: {period (a model period), as_of, reported_on, revision, amendment_reason (null: no
   * field), generated_by, targets: [{t, value (YAML text, "" for none), note, evidence,
   * previous}], tasks: [{k, progress, summary, problems, next_steps, evidence, previous}]} */
  function render(draft) {
    var out = [];
    var p = draft.period;
    var isNew = draft.generated_by === "tracker new";
    out.push("# yaml-language-server: $schema=" + M.schema_ref);
    out.push("# " + M.label + " " + p.id + " 报送 —— 由 " + draft.generated_by + " 生成。" +
      "填写说明见仓库中的 submissions/README.md。");
    out.push("# 以 # 开头的是注释，不影响内容，可以保留。改完后运行 tracker validate 检查。");
    if (isNew) out.push("# 已按上一期预填数值和进度(见各行注释)，请改为本期实际情况；空着的项必须填写。");
    field(out, "", "unit", M.unit_yaml, "报送单位编号(与文件夹名一致，不要改)");
    field(out, "", "period", p.yaml, "报送期次(与文件名一致，不要改)");
    field(out, "", "as_of", draft.as_of, "数据截至日期：须在 " + p.start + " 至 " + p.end + " 之内，通常为期末");
    field(out, "", "reported_on", draft.reported_on, "报送日期：提交报送的日期");
    field(out, "", "revision", String(draft.revision), "修订次数：新报送为 1；修改已合并的报送请运行 tracker amend");
    if (draft.amendment_reason !== null) {
      field(out, "", "amendment_reason", q(draft.amendment_reason), "修订原因(必填)：说明改了什么、为什么");
    }
    if (draft.targets.length) {
      out.push("targets:                      # 指标：填截至 as_of 的累计值(整数)，不是本期新增");
      draft.targets.forEach(function (d) {
        var t = d.t;
        out.push(t.head);
        out.push("  " + t.key + ":");
        var comment;
        if (d.previous) {
          comment = "上期 " + d.previous[0] + "：" + d.previous[1];
          if (isNew) comment += "(已预填，请改为本期累计值)";
        } else {
          comment = "必填：截至 as_of 的累计值(整数)";
        }
        field(out, "    ", "value", d.value, comment);
        if (d.note) field(out, "    ", "note", q(d.note), "说明");
        else out.push("    # note: 说明(可选)，例如口径、增减原因");
        evidenceLines(out, "    ", d.evidence, "evidence/" + M.unit + "/" + p.id + "/" + t.id + ".pdf");
      });
    }
    if (draft.tasks.length) {
      out.push("tasks:                        # 任务进展：本单位列为责任单位的任务");
      draft.tasks.forEach(function (d) {
        var k = d.k;
        out.push(k.head);
        out.push("  " + k.key + ":");
        var choices = "not_started 未启动 | in_progress 推进中 | done 已完成";
        var comment = d.previous ? choices + "；上期 " + d.previous[0] + "：" + d.previous[1]
          : "必填，选一个：" + choices;
        field(out, "    ", "progress", d.progress || "", comment);
        field(out, "    ", "summary", q(d.summary), "进展情况(必填)：本期做了什么");
        if (d.previous && d.previous[3] && !d.summary) out.push("    # 上期进展：" + d.previous[2]);
        [["problems", "存在问题"], ["next_steps", "下步措施"]].forEach(function (pair) {
          var text = d[pair[0]];
          if (text) field(out, "    ", pair[0], q(text), pair[1]);
          else out.push("    # " + pair[0] + ": " + pair[1] + "(可选)");
        });
        if (k.lead) out.push("    # 牵头单位标记 done(已完成/销号)时须附至少一项佐证材料");
        evidenceLines(out, "    ", d.evidence,
          "evidence/" + M.unit + "/" + p.id + "/task-" + k.id.split(".").join("-") + ".pdf");
      });
    }
    return out.join("\n") + "\n";
  }

  // --- scaffold.amend_text -------------------------------------------------------------------

  // Python's ^ and $ under re.M see only "\n" as a line break; written out so that JavaScript's
  // (which also break at \r, U+2028, U+2029) cannot differ.
  var REVISION = /(?<![^\n])(revision:[ \t]*)([0-9]+)[ \t]*(#[^\n]*)?(?![^\n])/;
  var REASON = /(?<![^\n])amendment_reason:[^\n]*(?![^\n])/;

  function amendText(text, reason) {
    var newline = text.indexOf("\r\n") >= 0 ? "\r\n" : "\n";
    var body = text.split("\r\n").join("\n");
    var m = REVISION.exec(body);
    if (!m) return null;
    var old = parseInt(m[2], 10), nw = old + 1;
    var reasonLine = "amendment_reason: " + q(reason) + "  # 必填：说明本次(第 " + nw + " 版)修订了什么、为什么";
    // (the number's place from the group before it: the "d" flag would need ES2022)
    var revLine = m[1] + String(nw) + m[0].slice(m[1].length + m[2].length);
    var r = REASON.exec(body);
    if (r === null) {
      body = body.slice(0, m.index) + revLine + "\n" + reasonLine + body.slice(m.index + m[0].length);
    } else {
      var rEnd = r.index + r[0].length;
      var lines = body.slice(rEnd).split("\n").slice(1);
      var taken = 0;
      for (var i = 0; i < lines.length; i++) {
        var first = lines[i].slice(0, 1);
        if (first === " " || first === "\t") taken = i + 1;
        else if (pyStrip(lines[i])) break;
      }
      var oldReason = [r[0]].concat(lines.slice(0, taken)).join("\n");
      var stop = r.index + oldReason.length + 1;
      var kept = oldReason.split("\n").map(function (line, j) {
        return j === 0 ? "# 上一版(第 " + old + " 版)的" + line : "#   " + line;
      }).join("\n");
      body = body.slice(0, r.index) + kept + "\n" + reasonLine + "\n" + body.slice(stop);
      m = REVISION.exec(body);
      body = body.slice(0, m.index) + revLine + body.slice(m.index + m[0].length);
    }
    return body.split("\n").join(newline);
  }

  // --- tracker.forge.Forge.new_file_url ------------------------------------------------------

  function pyQuote(text, safe) {
    // urllib.parse.quote: UTF-8 bytes; letters, digits, "_.-~" and `safe` are kept.
    var bytes = new TextEncoder().encode(text), out = "";
    for (var i = 0; i < bytes.length; i++) {
      var c = String.fromCharCode(bytes[i]);
      if (/[A-Za-z0-9_.~-]/.test(c) || (bytes[i] < 128 && safe.indexOf(c) >= 0)) out += c;
      else out += "%" + bytes[i].toString(16).toUpperCase().padStart(2, "0");
    }
    return out;
  }

  function quotePlus(text) {
    return text.indexOf(" ") >= 0 ? pyQuote(text, " ").split(" ").join("+") : pyQuote(text, "");
  }

  function urlencode(pairs) {
    return pairs.map(function (kv) { return quotePlus(kv[0]) + "=" + quotePlus(kv[1]); }).join("&");
  }

  function forgeWhere(forge, path) {
    var cut = path.lastIndexOf("/");
    var folder = cut >= 0 ? path.slice(0, cut) : "";
    return {
      name: cut >= 0 ? path.slice(cut + 1) : path,
      where: (pyQuote(forge.branch, "") + "/" + pyQuote(folder, "/")).replace(/\/+$/, ""),
    };
  }

  function newFileUrl(forge, path, content) {
    var w = forgeWhere(forge, path);
    if (forge.type === "github") {
      return forge.url + "/new/" + w.where + "?" + urlencode([["filename", w.name], ["value", content]]);
    }
    if (forge.type === "gitlab") {
      return forge.url + "/-/new/" + w.where + "?" + urlencode([["file_name", w.name], ["content", content]]);
    }
    return null;
  }

  function newFilePageUrl(forge, path) {
    var w = forgeWhere(forge, path);
    return forge.url + (forge.type === "gitlab" ? "/-/new/" : "/new/") + w.where;
  }

  // --- messages: tracker.schema._translate, in the same words ---------------------------------

  var TYPE_ZH = { string: "文字", integer: "整数", number: "数字", object: "一组字段(键: 值)",
    array: "列表(- 开头的多行)", boolean: "true 或 false", "null": "空" };
  var PATTERN_ZH = {
    "^[0-9]{4}-[0-9]{2}-[0-9]{2}$": "日期格式 YYYY-MM-DD，例如 2024-06-30",
    "^[a-z0-9]+(-[a-z0-9]+)*$": "编号只能用小写字母、数字和连字符，例如 east、service-points",
    "^[0-9A-Z]+(\\.[0-9]+)*$": "任务编号，例如 \"1.2\"、\"S.1\"(要加引号)",
    "^[0-9]{4}(-Q[1-4]|-(0[1-9]|1[0-2]))?$": "期次：季度 2024-Q2、月度 2024-06 或年度 2024",
  };
  // text that must say something (tracker.schema.BLANK_PATTERN)
  var BLANK_PATTERN = "[^\\u0009-\\u000d \\u001c-\\u001f\\u0085\\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000\\ufeff]";
  PATTERN_ZH[BLANK_PATTERN] = "这里要写实际内容：只有空格(包括全角空格)或空行不算填写。";

  // tracker's rule id for each JSON Schema keyword (tracker/schema.py)
  var RULE = { required: "schema-required", additionalProperties: "schema-unknown-key",
    type: "schema-type", enum: "schema-enum", "const": "schema-enum", pattern: "schema-pattern",
    format: "schema-format", minimum: "schema-minimum", exclusiveMinimum: "schema-minimum",
    maximum: "schema-minimum", exclusiveMaximum: "schema-minimum", minItems: "schema-empty",
    minLength: "schema-empty", minProperties: "schema-empty", maxLength: "schema-too-long",
    maxItems: "schema-too-long", uniqueItems: "schema-unique" };

  function where(path) {
    var parts = [];
    path.forEach(function (p) {
      if (typeof p === "number") parts.push("[" + (p + 1) + "]");
      else parts.push((parts.length ? "." : "") + (String(p).indexOf(".") >= 0 ? "\"" + p + "\"" : String(p)));
    });
    return parts.length ? parts.join("").replace(/^\.+/, "") : "文件顶层";
  }

  function typeName(v) {
    if (v === null || v === undefined) return "空值";
    if (typeof v === "boolean") return "布尔值";
    if (typeof v === "number") return Number.isInteger(v) ? "整数" : "小数";
    if (typeof v === "string") return "文字";
    if (Array.isArray(v)) return "列表";
    return "一组字段";
  }

  function show(v) {
    if (v !== null && typeof v === "object") return typeName(v);
    var text = JSON.stringify(v);
    return cpLength(text) <= 60 ? text : Array.from(text).slice(0, 57).join("") + "…";
  }

  function fullWidth(text) { return /[\uff01-\uff5e\u3000]/.test(String(text)); }

  // tracker.schema._number_text and _number_only_hint. (Python's \d and \s also take digits
  // and spaces of other scripts; [0-9] and PY_SPACE here: the hint for such digits is the
  // general one.)
  function numberText(digits) {
    var sign = digits[0] === "-" ? "-" : "";
    var number = digits.replace(/^[+-]/, "").replace(/^0+/, "");
    var text = number ? sign + number : "0";
    return cpLength(text) <= 60 ? text : text.slice(0, 57) + "…";
  }

  var SPACE = "[" + PY_SPACE + "]";
  var NUMBER_WITH_EXTRAS = new RegExp("^" + SPACE + "*([0-9]{1,3}(?:[,，][0-9]{3})+|[0-9]+)" +
    SPACE + "*[^0-9" + PY_SPACE + "]{0,4}" + SPACE + "*$", "u");

  function numberOnlyHint(value) {
    if (fullWidth(value)) return "只写数字：含有全角字符(中文输入法下的数字或符号)，请切换到英文输入法，写阿拉伯数字。";
    var m = NUMBER_WITH_EXTRAS.exec(value);
    if (m) return "只写数字，写成 " + numberText(m[1].replace(/[,，]/g, "")) + "：不要带单位、逗号(千位分隔符)或其他文字。";
    return "只写数字(阿拉伯数字)，例如 12：不要写单位、逗号(千位分隔符)、汉字数字或其他文字。";
  }

  function description(node) {
    return String((node && node.description) || "").split(" / ")[0].trim();
  }

  function pathOf(pointer, data) {
    var out = [], node = data;
    pointer.split("/").slice(1).forEach(function (raw) {
      var key = raw.replace(/~1/g, "/").replace(/~0/g, "~");
      if (Array.isArray(node)) { out.push(Number(key)); node = node[Number(key)]; }
      else { out.push(key); node = node == null ? undefined : node[key]; }
    });
    return out;
  }

  var MAX_DIGITS = 4300;  // Python's int() reads no longer number (sys.int_info)
  var typed = {};  // instance path → the digits of a whole number as typed (see collect)

  function schemaProblems(validate, data) {
    if (validate(data)) return [];
    var found = [];
    validate.errors.forEach(function (e) {
      if (/\/(oneOf|anyOf)\/\d+\//.test(e.schemaPath)) return;  // a branch: reported as oneOf
      var path = pathOf(e.instancePath, data), at = where(path), v = e.data;
      var sub = e.parentSchema || {}, k = e.keyword, msg, hint = null;
      if (k === "required") {
        path = path.slice(); msg = at + " 缺少必填字段 " + e.params.missingProperty;
      } else if (k === "additionalProperties") {
        msg = at + " 中有不认识的字段 " + e.params.additionalProperty;
      } else if (k === "propertyNames" || e.propertyName !== undefined) {
        if (k === "propertyNames") return;
        msg = at + " 下的编号 " + show(e.propertyName) + " 格式不对";
        hint = PATTERN_ZH[sub.pattern] || null;
      } else if (k === "type") {
        var names = [].concat(sub.type || []);
        var want = names.map(function (n) { return TYPE_ZH[n] || n; }).join(" 或 ");
        if (v === null || v === undefined) {
          msg = at + " 没有填写(应为" + want + ")";
          hint = "填写" + want + (description(sub) ? "：" + description(sub) : "。");
        } else {
          msg = at + " 应为" + want + "，实际是" + typeName(v) + " " + show(v);
          var numeric = names.every(function (n) { return n === "integer" || n === "number"; });
          if (names.length === 1 && names[0] === "integer" && typeof v === "string" &&
              /^[+-]?[0-9]+$/.test(v)) {
            hint = "写成不带引号、不带前导零的整数，例如 " + numberText(v) + "。";
          } else if (names.length === 1 && names[0] === "integer" && typeof v === "number") {
            hint = "这里只能填整数(个数)，不能有小数。";
          } else if (numeric && typeof v === "string") {
            hint = numberOnlyHint(v);
          }
        }
      } else if (k === "enum" || k === "const") {
        var options = sub.enum || [sub.const];
        if (v === null || v === undefined) {
          msg = at + " 没有填写"; hint = "可选：" + options.map(function (o) {
            return o + " " + (M.progress[o] || "");
          }).join("、");
        } else msg = at + " 的值 " + show(v) + " 不是允许的取值";
      } else if (k === "pattern" && sub.pattern === BLANK_PATTERN && v === "") {
        return;  // (one mistake, one message: minLength says it is empty)
      } else if (k === "pattern") {
        msg = at + " 的值 " + show(v) + " 格式不对";
        hint = PATTERN_ZH[sub.pattern] || "应匹配 " + sub.pattern;
        if (fullWidth(v) && sub.pattern !== BLANK_PATTERN) {
          hint = "含有全角字符(中文输入法下的数字、空格或符号)，请切换到英文输入法。" + hint;
        }
      } else if (k === "format") {
        if (String(v).indexOf("0000-") === 0) {
          msg = at + " 的值 " + show(v) + " 不是有效的日期：公历没有 0000 年";
          hint = "年份从 0001 开始；这里多半是笔误，请写上实际的年份，例如 2024-06-30。";
        } else {
          msg = at + " 的值 " + show(v) + " 不是有效的日期";
          hint = "日期写成 YYYY-MM-DD，例如 2024-06-30，且须是真实存在的日期。";  // (the rule's own)
        }
      } else if (k === "minimum" || k === "exclusiveMinimum" || k === "maximum" || k === "exclusiveMaximum") {
        var word = { minimum: "不小于", exclusiveMinimum: "大于", maximum: "不大于", exclusiveMaximum: "小于" }[k];
        // A number typed with more digits than JavaScript holds is shown as typed; one Python
        // will not even read (tracker.yamlio.NumberTooLong) gets the loader's message.
        var raw = typed[e.instancePath], digits = raw === undefined ? 0 : raw.replace(/^-/, "").length;
        if (digits > MAX_DIGITS) {
          msg = "数字太大：有 " + digits.toLocaleString("en-US") + " 位";
          hint = "填写实际的数值；任何数量都不会这么大。";
        } else {
          var shown = raw !== undefined && !Number.isSafeInteger(v)
            ? (raw.length <= 60 ? raw : raw.slice(0, 57) + "…") : show(v);
          msg = at + " 的值 " + shown + " 应" + word + " " + sub[k];
        }
      } else if (k === "minItems" || k === "minLength" || k === "minProperties") {
        msg = at + " 不能为空";
        var desc = k === "minLength" ? description(sub) : "";
        if (desc) hint = "填写内容：" + desc;
      } else if (k === "maxLength" || k === "maxItems") {
        var what = k === "maxLength" ? "个字" : "项";
        var size = typeof v === "string" ? cpLength(v) : (v || []).length;
        msg = at + " 太长：" + size + " " + what + "，上限 " + sub[k] + " " + what;
        hint = "精简内容；详细材料请作为佐证材料(evidence)附上文件。";
      } else if ((k === "oneOf" || k === "anyOf") && sub.properties && sub.properties.path && sub.properties.url) {
        msg = at + " 的佐证材料要写 title，再写 path 或 url 其中之一(不能都写，也不能都不写)";
        k = "evidence";
      } else {
        msg = at + " 不符合约定(" + k + ")";
      }
      found.push({ path: path, rule: k === "evidence" ? "schema-evidence" : RULE[k] || "schema-invalid",
        severity: "error", message: msg, hint: hint });
    });
    // One mistake, one message: a date of the wrong form breaks its pattern and its format.
    var shapes = {};
    found.forEach(function (d) { if (d.rule === "schema-pattern") shapes[d.path.join("/")] = true; });
    var seen = {};
    return found.filter(function (d) {
      var key = d.path.join("/") + "|" + d.message;
      if (seen[key] || (d.rule === "schema-format" && shapes[d.path.join("/")])) return false;
      seen[key] = true;
      return true;
    });
  }

  // --- the cross-file rules that can be decided in the page (tracker/checks.py) -------------

  // tracker.evidence.is_https_link, rule for rule; the forbidden characters come from Python.
  var BAD_URL_CHAR = new RegExp("[" + M.url_forbidden + "]");
  var HOST_FORBIDDEN = /[@\[\]\/?#:]/;

  function isHttpsLink(url) {
    if (url.indexOf("https://") !== 0 || BAD_URL_CHAR.test(url)) return false;
    for (var i = 0; i < url.length; i++) if (PY_SPACE.indexOf(url[i]) >= 0) return false;
    var authority = url.slice(8).split(/[/?#]/)[0];
    var colon = authority.indexOf(":");
    var host = colon < 0 ? authority : authority.slice(0, colon);
    var port = colon < 0 ? "" : authority.slice(colon + 1);
    if (!host || !/^[0-9]*$/.test(port)) return false;
    return !HOST_FORBIDDEN.test(/^[\x00-\x7f]*$/.test(host) ? host : host.normalize("NFKC"));
  }

  function crossProblems(data, period, state) {
    var out = [];
    var add = function (path, rule, severity, message, hint) {
      out.push({ path: path, rule: rule, severity: severity, message: message, hint: hint || null });
    };
    var known = {};
    M.targets.forEach(function (t) { known[t.id] = true; });
    var knownTasks = {};
    M.tasks.forEach(function (k) { knownTasks[k.id] = true; });
    if (typeof data.as_of === "string" && /^\d{4}-\d{2}-\d{2}$/.test(data.as_of)) {
      if (data.as_of < period.start || data.as_of > period.end) {
        add(["as_of"], "filing-as-of-outside-period", "error",
          "as_of " + data.as_of + " 不在期次 " + period.id + "(" + period.start + " 至 " + period.end + ")内",
          "as_of 应在本期起止日期之间，通常为期末最后一天。");
      }
      if (typeof data.reported_on === "string" && /^\d{4}-\d{2}-\d{2}$/.test(data.reported_on) &&
          data.reported_on < data.as_of) {
        add(["reported_on"], "filing-reported-before-as-of", "warning",
          "报送日期 " + data.reported_on + " 早于数据截至日期 " + data.as_of,
          "检查两个日期：报送日期一般在数据截至日期之后。");
      }
    }
    if (data.revision > 1 && !pyStrip(String(data.amendment_reason || ""))) {
      add(["amendment_reason"], "filing-amendment-reason", "error",
        "revision 为 " + data.revision + "，但没有填写 amendment_reason",
        "填写 amendment_reason，说明修订了什么、为什么。");
    }
    Object.keys(data.targets || {}).forEach(function (tid) {
      var rep = data.targets[tid];
      if (!known[tid]) {
        add(["targets", tid], "plan-unknown-target", "error", "指标 " + tid + " 不存在",
          "本单位可报指标：" + M.targets.map(function (t) { return t.id; }).join("、"));
      }
      var prev = state.targets[tid];
      if (prev && Number.isInteger(rep.value) && rep.value < prev[1] && !rep.note) {
        add(["targets", tid, "value"], "filing-value-decreased", "warning",
          "指标 " + tid + " 的累计值 " + rep.value + " 少于上一期 " + prev[0] + " 的 " + prev[1],
          "累计值一般只增不减；如确有减少(如服务点关停)请在 note 中说明。");
      }
      evidenceProblems(rep.evidence, ["targets", tid], add);
    });
    Object.keys(data.tasks || {}).forEach(function (id) {
      if (!knownTasks[id]) {
        add(["tasks", id], "plan-unknown-task", "error", "任务 " + id + " 不存在",
          "本单位的任务：" + M.tasks.map(function (k) { return k.id; }).join("、"));
      }
      evidenceProblems(data.tasks[id].evidence, ["tasks", id], add);
    });
    return out;
  }

  function evidenceProblems(items, base, add) {
    (items || []).forEach(function (ev, j) {
      var at = base.concat(["evidence", j]);
      if (typeof ev.url === "string" && ev.url) {
        if (ev.url.indexOf("https://") !== 0) {
          add(at.concat(["url"]), "evidence-url-not-https", "error",
            "链接 " + Array.from(ev.url).slice(0, 80).join("") + " 不是 https 链接", "使用 https:// 开头的链接。");
        } else if (!isHttpsLink(ev.url)) {
          add(at.concat(["url"]), "evidence-url-not-https", "error",
            "链接 " + Array.from(ev.url).slice(0, 80).join("") + " 不是有效的 https 链接(含空格、控制字符、" +
            "用户名密码、方括号或全角标点，或没有网站地址)，网站上不会显示为链接",
            "从浏览器地址栏复制完整的链接，例如 https://www.example.gov.cn/a.html。");
        }
      } else if (typeof ev.path === "string" && ev.path) {
        var raw = ev.path, parts = raw.split("/").filter(function (s) { return s && s !== "."; });
        if (raw.indexOf("\\") >= 0) {
          add(at.concat(["path"]), "evidence-missing", "error", "路径 " + raw + " 中有反斜杠 \\",
            "仓库内路径一律用 / 分隔，例如 evidence/" + M.unit + "/期次/验收.pdf。");
        } else if (raw[0] === "/" || /^[A-Za-z]:/.test(raw) || parts.indexOf("..") >= 0) {
          add(at.concat(["path"]), "evidence-outside-repo", "error",
            "路径 " + raw + " 指向仓库之外(不能以 / 开头、不能含 ..)");
        } else {
          var hidden = parts.filter(function (s) { return s[0] === "."; })[0];
          if (hidden) {
            add(at.concat(["path"]), "evidence-hidden", "error",
              "路径 " + raw + " 含隐藏的文件或文件夹 " + hidden + "(以 . 开头)，不能作为佐证材料");
          }
        }
      }
    });
  }

  // --- the form ------------------------------------------------------------------------------

  var byPath = function (path) { return document.querySelector('[data-path="' + CSS.escape(path) + '"]'); };
  var periodSelect = document.getElementById("tk-period");
  var asOf = document.getElementById("tk-as-of");
  var reportedOn = document.getElementById("tk-reported-on");
  var reason = document.getElementById("tk-reason");
  var ajv = null, validate = null;
  try {
    ajv = new window.TrackerAjv.Ajv2020({ allErrors: true, strict: false, verbose: true });
    window.TrackerAjv.addFormats(ajv);
    // "date" as tracker checks it (Python's date.fromisoformat): ajv-formats also takes the
    // year 0000, which no Python date holds.
    ajv.addFormat("date", isDate);
    validate = ajv.compile(window.TrackerFilingSchema);
  } catch (err) {
    validate = null;
  }
  var current = null;  // {period, state, filed, mode}

  function isDate(text) {
    var m = /^([0-9]{4})-([0-9]{2})-([0-9]{2})$/.exec(text);
    if (!m) return false;
    var y = +m[1], mo = +m[2], d = +m[3];
    var leap = y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0);
    var days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][mo - 1];
    return y >= 1 && days !== undefined && d >= 1 && d <= days;
  }

  function today() {
    var d = new Date();
    return d.getFullYear() + "-" + String(d.getMonth() + 1).padStart(2, "0") + "-" +
      String(d.getDate()).padStart(2, "0");
  }

  function setValue(path, value) {
    var el = byPath(path);
    if (el) el.value = value == null ? "" : String(value);
  }

  function evidenceBox(base) { return document.querySelector('[data-evidence="' + CSS.escape(base) + '"]'); }

  function evidenceRow(box, item) {
    var row = document.createElement("div");
    row.className = "tk-f-ev";
    var title = document.createElement("input");
    title.type = "text"; title.placeholder = "材料名称 title"; title.dataset.part = "title";
    title.value = item.title || "";
    var kind = document.createElement("select");
    kind.dataset.part = "kind";
    [["url", "链接 url(https)"], ["path", "仓库内文件 path"]].forEach(function (o) {
      var opt = document.createElement("option");
      opt.value = o[0]; opt.textContent = o[1];
      kind.appendChild(opt);
    });
    kind.value = item.path !== undefined && item.url === undefined ? "path" : "url";
    var ref = document.createElement("input");
    ref.type = "text"; ref.dataset.part = "ref";
    ref.placeholder = "https://… 或 evidence/" + M.unit + "/…";
    ref.value = item.url !== undefined ? item.url : (item.path || "");
    var remove = document.createElement("button");
    remove.type = "button"; remove.textContent = "删除";
    remove.addEventListener("click", function () { row.remove(); renumber(box); update(); });
    var msg = document.createElement("p");
    msg.className = "tk-f-msg";
    row.append(title, kind, ref, remove, msg);
    box.querySelector(".tk-f-ev-list").appendChild(row);
  }

  function renumber(box) {
    box.querySelectorAll(".tk-f-ev").forEach(function (row, j) {
      row.querySelector(".tk-f-msg").dataset.msgFor = box.dataset.evidence + "/evidence/" + j;
    });
  }

  function fillEvidence(base, items) {
    var box = evidenceBox(base);
    if (!box) return;
    box.textContent = "";
    var head = document.createElement("div");
    head.className = "tk-f-label";
    head.textContent = "佐证材料 evidence(可选)";
    var list = document.createElement("div");
    list.className = "tk-f-ev-list";
    var more = document.createElement("button");
    more.type = "button"; more.textContent = "添加佐证材料";
    more.addEventListener("click", function () { evidenceRow(box, {}); renumber(box); update(); });
    box.append(head, list, more);
    (items || []).forEach(function (item) { evidenceRow(box, item); });
    renumber(box);
  }

  function readEvidence(base) {
    var box = evidenceBox(base), out = [];
    if (!box) return out;
    box.querySelectorAll(".tk-f-ev").forEach(function (row) {
      var item = { title: wellFormed(row.querySelector('[data-part="title"]').value) };
      var ref = wellFormed(row.querySelector('[data-part="ref"]').value);
      if (ref) item[row.querySelector('[data-part="kind"]').value] = ref;
      out.push(item);
    });
    return out;
  }

  function setPrev(path, text) {
    var el = document.querySelector('[data-prev-for="' + CSS.escape(path) + '"]');
    if (el) el.textContent = text;
  }

  /* Put a period's draft into the form: the pre-fill of `tracker new` (make_draft's state), or,
   * for a period already filed, the filing itself (an amendment, as `tracker new --xlsx` does). */
  function load(periodId, options) {
    options = options || {};
    var period = M.periods.filter(function (p) { return p.id === periodId; })[0];
    var state = M.states[period.state];
    var filed = period.filed;
    var data = filed ? filed.data : null;
    current = { period: period, state: state, filed: filed, mode: filed ? "amend" : "new" };
    asOf.value = filed ? filed.as_of : period.end;
    asOf.min = period.start; asOf.max = period.end;
    reportedOn.value = filed ? filed.reported_on : (options.reportedOn || today());
    reportedOn.readOnly = !!filed;
    reason.value = "";
    document.getElementById("tk-reason-row").hidden = !filed;
    document.getElementById("tk-revision").textContent = String(filed ? filed.revision + 1 : 1);
    var mode = document.getElementById("tk-mode");
    mode.textContent = filed
      ? "本期已有报送(" + filed.path + ",第 " + filed.revision + " 版)。本页按 tracker amend 准备修订:修订次数加 1,须填写修订原因,报送日期保持不变。"
      : "新报送:已按上一期预填(与 tracker new 相同),请改为本期实际情况。";
    M.targets.forEach(function (t) {
      var prev = state.targets[t.id];
      var rep = data && data.targets ? data.targets[t.id] : undefined;
      var base = "targets/" + t.id;
      setValue(base + "/value", rep ? rep.value : (prev ? prev[1] : ""));
      setValue(base + "/note", rep ? rep.note || "" : "");
      setPrev(base + "/value", prev ? "上期 " + prev[0] + ":" + prev[1] : "无上期数值");
      fillEvidence(base, rep ? rep.evidence || [] : []);
    });
    M.tasks.forEach(function (k) {
      var prev = state.tasks[k.id];
      var rep = data && data.tasks ? data.tasks[k.id] : undefined;
      var base = "tasks/" + k.id;
      setValue(base + "/progress", rep ? rep.progress : (prev ? prev[1] : ""));
      setValue(base + "/summary", rep ? rep.summary : "");
      setValue(base + "/problems", rep ? rep.problems || "" : "");
      setValue(base + "/next_steps", rep ? rep.next_steps || "" : "");
      setPrev(base + "/progress", prev ? "上期 " + prev[0] + ":" + (M.progress[prev[1]] || prev[1]) : "");
      setPrev(base + "/summary", prev && prev[3] ? "上期进展:" + prev[2] : "");
      fillEvidence(base, rep ? rep.evidence || [] : (state.closing[k.id] || []));
    });
    update();
  }

  /* The form as a draft (for the text) and as data (what the text reads back as in YAML). */
  function collect() {
    var c = current, p = c.period;
    var valueOf = function (path) { var el = byPath(path); return el ? wellFormed(el.value) : ""; };
    var draft = {
      period: p, as_of: asOf.value, reported_on: reportedOn.value,
      revision: c.filed ? c.filed.revision + 1 : 1,
      amendment_reason: c.filed ? wellFormed(reason.value) : null,
      generated_by: c.filed ? "tracker 网页填报页" : "tracker new",
      targets: [], tasks: [],
    };
    var data = { unit: M.unit, period: p.id, as_of: asOf.value || null, reported_on: reportedOn.value || null,
      revision: draft.revision };
    if (c.filed) data.amendment_reason = draft.amendment_reason;
    if (M.targets.length) data.targets = {};
    typed = {};
    M.targets.forEach(function (t) {
      var base = "targets/" + t.id;
      var raw = valueOf(base + "/value").trim();
      var integer = /^-?(0|[1-9][0-9]*)$/.test(raw);
      if (integer) typed["/" + base + "/value"] = raw;
      var d = { t: t, value: raw === "" ? "" : (integer ? raw : q(raw)), note: valueOf(base + "/note"),
        evidence: readEvidence(base), previous: c.state.targets[t.id] || null };
      draft.targets.push(d);
      var rep = { value: raw === "" ? null : (integer ? Number(raw) : raw) };
      if (d.note) rep.note = d.note;
      if (d.evidence.length) rep.evidence = d.evidence;
      data.targets[t.id] = rep;
    });
    if (M.tasks.length) data.tasks = {};
    M.tasks.forEach(function (k) {
      var base = "tasks/" + k.id;
      var d = { k: k, progress: valueOf(base + "/progress"), summary: valueOf(base + "/summary"),
        problems: valueOf(base + "/problems"), next_steps: valueOf(base + "/next_steps"),
        evidence: readEvidence(base), previous: c.state.tasks[k.id] || null };
      draft.tasks.push(d);
      var rep = { progress: d.progress || null, summary: d.summary };
      if (d.problems) rep.problems = d.problems;
      if (d.next_steps) rep.next_steps = d.next_steps;
      if (d.evidence.length) rep.evidence = d.evidence;
      data.tasks[k.id] = rep;
    });
    return { draft: draft, data: data };
  }

  function canonical(value) {
    if (Array.isArray(value)) return "[" + value.map(canonical).join(",") + "]";
    if (value && typeof value === "object") {
      return "{" + Object.keys(value).sort().map(function (k) {
        return JSON.stringify(k) + ":" + canonical(value[k]);
      }).join(",") + "}";
    }
    return JSON.stringify(value);
  }

  /* The text: `tracker new`'s render; for an amendment whose content is unchanged, the filed
   * text with `tracker amend`'s edit (comments and layout kept); for a changed amendment, or a
   * filing `tracker amend` would not edit (its text is null), the whole filing rendered anew
   * (as `tracker import --amend` does). */
  function produce(c, collected) {
    if (c.filed && c.filed.text !== null) {
      var data = Object.assign({}, collected.data);
      delete data.revision; delete data.amendment_reason;
      if (canonical(data) === canonical(c.filed.data)) {
        var amended = amendText(c.filed.text, collected.draft.amendment_reason);
        if (amended !== null) return (c.filed.bom ? "\ufeff" : "") + amended;
      }
    }
    return render(collected.draft);
  }

  function problemsOf(data) {
    var list = validate ? schemaProblems(validate, data) : [{ path: [], rule: "internal", severity: "error",
      message: "校验程序未能加载(assets/vendor/ajv2020.min.js),无法检查", hint: null }];
    return list.concat(crossProblems(data, current.period, current.state));
  }

  function slotFor(path) {
    for (var n = path.length; n >= 0; n--) {
      var key = path.slice(0, n).join("/");
      var slot = document.querySelector('[data-msg-for="' + CSS.escape(key) + '"]');
      if (slot) return slot;
    }
    return null;
  }

  function showProblems(problems) {
    document.querySelectorAll("[data-msg-for]").forEach(function (el) { el.textContent = ""; });
    document.querySelectorAll(".tk-f-invalid").forEach(function (el) { el.classList.remove("tk-f-invalid"); });
    problems.forEach(function (d) {
      var slot = slotFor(d.path);
      if (!slot) return;
      var line = document.createElement("span");
      line.className = d.severity === "error" ? "tk-f-error" : "tk-f-warning";
      line.dataset.rule = d.rule;
      line.textContent = (d.severity === "error" ? "错误:" : "警告:") + d.message + " [" + d.rule + "]";
      slot.appendChild(line);
      if (d.hint) {
        var hint = document.createElement("span");
        hint.className = "tk-f-hint";
        hint.textContent = "提示:" + d.hint;
        slot.appendChild(hint);
      }
      var input = byPath(d.path.join("/"));
      if (input) input.classList.add("tk-f-invalid");
    });
  }

  var last = { text: "", path: "" };

  function update() {
    if (!current) return;
    var collected = collect();
    var text = produce(current, collected);
    var problems = problemsOf(collected.data);
    showProblems(problems);
    var errors = problems.filter(function (d) { return d.severity === "error"; }).length;
    var warnings = problems.length - errors;
    var path = "submissions/" + M.unit + "/" + current.period.id + ".yaml";
    last = { text: text, path: path, errors: errors, warnings: warnings, problems: problems, data: collected.data };
    document.getElementById("tk-text").textContent = text;
    document.getElementById("tk-path").textContent = path;
    var summary = document.getElementById("tk-summary");
    summary.className = "tk-f-summary " + (errors ? "tk-f-bad" : "tk-f-good");
    summary.textContent = errors
      ? "还有 " + errors + " 处错误" + (warnings ? "、" + warnings + " 处警告" : "") + "(见各项旁边的红字)。改正后再提交;文件可先下载保存。"
      : (warnings ? "没有错误,有 " + warnings + " 处警告(请确认)。" : "检查通过,没有错误。") + "可以下载或提交。";
    var link = document.getElementById("tk-forge");
    var note = document.getElementById("tk-forge-note");
    if (link && M.forge) {
      var url = M.forge.prefills ? newFileUrl(M.forge, path, text) : newFilePageUrl(M.forge, path);
      var name = { github: "GitHub", gitlab: "GitLab", gitee: "Gitee" }[M.forge.type] || M.forge.type;
      var blocked = errors && M.forge.prefills;
      link.hidden = false;
      // A link without href cannot be followed by any means (mouse, Enter, middle click);
      // aria-disabled and CSS alone leave Enter working.
      if (blocked) link.removeAttribute("href");
      else link.href = url;
      link.textContent = M.forge.prefills ? "在 " + name + " 上提交(新建文件并发起合并请求)" : "打开 " + name + " 新建文件页";
      link.setAttribute("aria-disabled", blocked ? "true" : "false");
      note.textContent = M.forge.prefills
        ? (errors ? "有错误时不能提交。" : "") + "将打开 " + name + " 的新建文件页,文件名和内容已填好;请确认后提交并发起合并请求(需要登录)。如果页面内容为空或打不开(文件太长时可能出现),请改用“复制内容”后粘贴。"
        : name + " 的新建文件页不能预填内容:请先点“复制内容”,在打开的页面中把文件名填为 " +
          current.period.id + ".yaml,再粘贴内容并提交。";
    }
    return last;
  }

  // --- actions -------------------------------------------------------------------------------

  function download() {
    var blob = new Blob([last.text], { type: "text/yaml;charset=utf-8" });
    var a = document.createElement("a");
    a.href = URL.createObjectURL(blob);
    a.download = current.period.id + ".yaml";
    document.body.appendChild(a);
    a.click();
    setTimeout(function () { URL.revokeObjectURL(a.href); a.remove(); }, 0);
  }

  function copy() {
    var done = function () { document.getElementById("tk-copied").textContent = "已复制到剪贴板"; };
    var fallback = function () {
      var area = document.createElement("textarea");
      area.value = last.text;
      document.body.appendChild(area);
      area.select();
      try { document.execCommand("copy"); done(); } catch (err) { /* nothing more to try */ }
      area.remove();
    };
    if (navigator.clipboard && window.isSecureContext) navigator.clipboard.writeText(last.text).then(done, fallback);
    else fallback();
  }

  document.addEventListener("input", function (e) {
    if (e.target.closest && e.target.closest(".tk-f-section")) update();
  });
  document.addEventListener("change", function (e) {
    if (e.target === periodSelect) load(periodSelect.value);
    else if (e.target.closest && e.target.closest(".tk-f-section")) update();
  });
  document.getElementById("tk-download").addEventListener("click", download);
  document.getElementById("tk-copy").addEventListener("click", copy);

  // For tests and for anyone checking the page against the CLI.
  api.model = M;
  api.render = render;
  api.amendText = amendText;
  api.q = q;
  api.newFileUrl = newFileUrl;
  api.newFilePageUrl = newFilePageUrl;
  api.load = load;
  api.update = update;
  api.last = function () { return last; };
  api.problems = function (data) { return problemsOf(data); };

  load(periodSelect.value);
})();
