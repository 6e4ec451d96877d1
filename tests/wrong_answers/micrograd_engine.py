"""Wrong and right answers for chapter 3's engine sections."""

WRONG_ANSWERS: list = []
RIGHT_ANSWERS: list = []
