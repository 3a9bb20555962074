"""Column names shared by every scoring module: the one place they are spelled.

The canonical input is the *marks* frame, one row per (juror, team, criterion):
JUROR, TEAM, CRITERION, SCORE (float), and optionally CHALLENGE, COMMENT, plus the
provenance columns FILE, SHEET, ROW, COLUMN that let every message point at a cell.
"""

JUROR = "juror"
TEAM = "team"
CRITERION = "criterion"
SCORE = "score"
CHALLENGE = "challenge"
COMMENT = "comment"
SITE = "site"
TEAM_NAME = "name"

# Provenance of a mark, for messages that say where to look.
FILE = "file"
SHEET = "sheet"
ROW = "row"
COLUMN = "column"

MARK_COLUMNS = (JUROR, TEAM, CRITERION, SCORE)

# Results.
RANK = "rank"
TOTAL = "score"
N_JURORS = "jurors"
DISAGREEMENT = "disagreement"
MIN_TOTAL = "min"
MAX_TOTAL = "max"
TIE_NOTE = "tie_note"
NORMALISED = "normalised"

# The ranking's own columns (ranking.csv): no criterion may take one of these ids, as each
# criterion gets a column of its own beside them.
RANKING_OWN = (
    RANK,
    TEAM,
    TEAM_NAME,
    CHALLENGE,
    TOTAL,
    N_JURORS,
    DISAGREEMENT,
    MIN_TOTAL,
    MAX_TOTAL,
    TIE_NOTE,
)
