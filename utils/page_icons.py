"""The icons the site gives Streamlit's elements: the favicon, and the icons of buttons, links,
expanders and notes drawn on a page's first view.

None of them is an emoji. Given an emoji as an icon, Streamlit checks it against its catalogue of
every emoji, and importing that catalogue compiles a regular expression over all of them: 40 ms
on an idle core here, 85 ms beside a browser, paid by a freshly started server's first page (the
page a learner waking the app waits for). So these are Material Symbols, whose font Streamlit
ships (an expander's arrow is one), and the favicon is the same picture Streamlit draws for an
emoji favicon, handed over as a data URL. Emoji inside Markdown text are not checked and stay.
(A verdict's box still wears its status's emoji, utils/status.py: drawn only after a run.)
"""

import base64

# Streamlit's front end draws an emoji favicon as this SVG: the emoji as text.
_FAVICON_SVG = ("<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 100 100'>"
                "<text y='.9em' font-size='90'>\N{BRAIN}</text></svg>")
FAVICON = "data:image/svg+xml;base64," + base64.b64encode(_FAVICON_SVG.encode()).decode()

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
