"""The icons the site gives Streamlit's elements: the favicon, and the icons of buttons, links,
expanders and notes drawn on a page's first view.

None of them but the favicon is an emoji. Given an emoji as an icon, Streamlit checks it against
its catalogue of every emoji, and importing that catalogue compiles a regular expression over all
of them: 40 ms on an idle core here, 85 ms beside a browser, paid by a freshly started server's
first page (the page a learner waking the app waits for). So these are Material Symbols, whose
font Streamlit ships (an expander's arrow is one). The favicon, an emoji, is passed to the
browser without the check (utils/first_run_checks.py). Emoji inside Markdown text are not
checked and stay. (A verdict's box wears its status's emoji, utils/status.py: drawn only after a
run.)
"""

FAVICON = "\N{BRAIN}"
ANSWERS_PANEL = ":material/save:"
RESET = ":material/undo:"
UNDO_RESET = ":material/redo:"
HOME = ":material/home:"
GO_ON = ":material/arrow_forward:"
REVIEW = ":material/replay:"
READ_AGAIN = ":material/menu_book:"
OFFLINE = ":material/cloud_off:"
SEE_ALSO = ":material/straighten:"
NEWER_ELSEWHERE = ":material/folder_copy:"
SERVER_BUSY = ":material/hourglass_empty:"
