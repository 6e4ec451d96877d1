"""Wrong and right answers for chapter 3's network sections."""

WRONG_ANSWERS: list = []
RIGHT_ANSWERS: list = []
