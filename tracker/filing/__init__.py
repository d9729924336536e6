"""Writing files into the repository for the people who file them.

    scaffold.py   a unit's next filing (`tracker new`) and an amendment of one (`tracker amend`):
                  text with a comment on every field, the latest earlier figures pre-filled;
                  the site's filing form is a port of it (site/assets/filing.js)
    xlsx.py       the Excel round trip: the fill-in workbook (`tracker new --xlsx`) and its
                  import (`tracker import`), problems named by sheet and cell
    review.py     a maintainer's 销号 decision appended to reviews/<task>.yaml (`tracker review`)

Each writes atomically and validates what it wrote with the same validator as `tracker
validate`; the status and checks never import this package (docs/decisions.md, "The code's
rooms").
"""
