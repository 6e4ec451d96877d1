"""Wrong and right answers for chapter 2's training sections."""

WRONG_ANSWERS: list = []
RIGHT_ANSWERS: list = []
