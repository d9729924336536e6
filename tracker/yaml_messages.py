"""Chinese sentences for the YAML parser's English problems.

The editors who file are Chinese-speaking and usually not programmers: a syntax error says in
Chinese what is wrong first; the parser's own words follow in brackets (for whoever searches
the web for them, and for the problems this table does not know).
"""

from __future__ import annotations

import re

# (pattern on "problem (context)", sentence): the first that matches wins.
_SENTENCES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), sentence) for pattern, sentence in (
        (r"could not find expected ':'",
         "找不到应有的冒号：“字段名: 值”的字段名后要写英文冒号 : 和一个空格"),
        (r"mapping values are not allowed here",
         "这里不能出现冒号：文字中的冒号后有空格时整段文字要加引号，或缩进没有对齐，"
         "或上一行的字段名后少了冒号"),
        (r"found character '\\t' that cannot start any token",
         "这里有 Tab 字符：YAML 只能用空格缩进"),
        (r"found character '(.)' that cannot start any token",
         "值不能以 {0} 开头：以 @ ` % 等符号开头的文字要加引号"),
        (r"found unexpected end of stream.*quoted scalar",
         "引号没有成对：文件结束了，引号还没有闭合"),
        (r"expected ',' or '\}'",
         "花括号 {{ }} 里缺少逗号或右括号 }}"),
        (r"expected ',' or '\]'",
         "方括号 [ ] 里缺少逗号或右括号 ]"),
        (r"expected <block end>, but found '<block (mapping|sequence) start>'",
         "缩进没有对齐：这一行比上面同一层的字段多了或少了空格"),
        (r"expected <block end>, but found '-'",
         "列表项 - 的缩进与上文不一致"),
        (r"escape|escape sequence",
         "双引号里的反斜杠 \\ 后面是无效字符：路径请用 /，或改用单引号"),
        (r"did not find expected key",
         "缩进没有对齐，找不到应有的字段名"),
        (r"did not find expected '-' indicator",
         "列表项 - 的缩进没有对齐"),
        (r"block scalar|chomping|indentation indicator",
         "多行文字(| 或 >)的写法不对：| 或 > 后面不能跟其他文字，内容另起一行并缩进"),
        (r"unacceptable character|special characters are not allowed",
         "文件含有不能出现在文本中的控制字符"),
        (r"expected '<document start>'",
         "文件中出现了多余的内容：检查 --- 或 ... 标记，以及缩进"),
    )
)


def syntax_sentence(problem: str, context: str | None = None) -> str:
    """A Chinese sentence saying what the parser found wrong (generic when unknown)."""
    text = problem + (f" ({context})" if context else "")
    for pattern, sentence in _SENTENCES:
        match = pattern.search(text)
        if match:
            return sentence.format(*match.groups())
    return "YAML 写法有误"
