"""Generate the sample jury of the QuattroPole health hackathon (deterministic).

Run from the repository root:  python data/sample-jury/generate.py

Writes teams.csv, assignments.csv and one jury sheet per juror next to this script, in the
mix of formats and languages a real jury sends back: German and Luxembourgish and English
wide xlsx, French wide ods, and one long csv with decimal commas and semicolons. The rubric
(rubric.toml) is written by hand. Nine jurors from the four cities score 24 teams on four
challenges; every team is seen by three or four jurors, the design is connected, one juror
(lena.hoffmann) is lenient, and julien.roux declared a conflict with T07 and did not score it.
"""

from __future__ import annotations

import csv
import random
from pathlib import Path

import openpyxl
from odf.opendocument import OpenDocumentSpreadsheet
from odf.table import Table, TableCell, TableRow
from odf.text import P

HERE = Path(__file__).resolve().parent
SEED = 20261122
CRITERIA = ("impact", "feasibility", "innovation", "user", "pitch")
LABELS = {
    "de": (
        "Gesundheitlicher Nutzen",
        "Umsetzbarkeit",
        "Innovation",
        "Nutzerzentrierung",
        "Präsentation",
    ),
    "fr": (
        "Impact sur la santé",
        "Faisabilité",
        "Innovation",
        "Centré utilisateur",
        "Présentation",
    ),
    "en": ("Health impact", "Feasibility", "Innovation", "User-centred design", "Pitch"),
    "lb": (
        "Gesondheetlechen Notzen",
        "Machbarkeet",
        "Innovatioun",
        "Benotzerzentréiert",
        "Presentatioun",
    ),
}
WORDS = {  # juror label, team, name, comment
    "de": ("Jurorin:", "Team", "Teamname", "Kommentar"),
    "fr": ("Juré :", "Équipe", "Nom de l'équipe", "Commentaire"),
    "en": ("Juror:", "Team", "Name", "Comment"),
    "lb": ("Jury-Member:", "Equipe", "Numm", "Bemierkung"),
}
CHALLENGES = ("diabetes", "mental-health", "ageing-at-home", "cross-border-care")
SITES = ("Luxembourg", "Metz", "Saarbrücken", "Trier")
TEAM_NAMES = (
    "GlucoBuddy",
    "SugarSense",
    "InsuLink",
    "DiaBetter",
    "CarbCoach",
    "PumpPal",
    "MindHarbour",
    "CalmCampus",
    "MoodMap",
    "PeerLight",
    "SleepWell",
    "TalkItOut",
    "HomeAngel",
    "FallGuard",
    "PillPal",
    "NeighbourNet",
    "SilverSteps",
    "KitchenCare",
    "ER Bridge",
    "MedPass",
    "Care4Borders",
    "TriLingua Triage",
    "RouteAmbulance",
    "HealthID",
)
# juror id, site, language, sheet format; lena.hoffmann is the lenient one.
JURORS = (
    ("anna.weber", "Saarbrücken", "de", "xlsx"),
    ("jonas.becker", "Trier", "de", "xlsx"),
    ("lena.hoffmann", "Trier", "de", "xlsx"),
    ("claire.martin", "Metz", "fr", "ods"),
    ("julien.roux", "Metz", "fr", "ods"),
    ("sophie.laurent", "Luxembourg", "fr", "ods"),
    ("marc.schmit", "Luxembourg", "lb", "xlsx"),
    ("tom.muller", "Luxembourg", "en", "xlsx"),
    ("elena.rossi", "Luxembourg", "en", "csv"),
)
SEVERITY = {"lena.hoffmann": 1.5, "jonas.becker": -0.6, "claire.martin": -0.3}
CONFLICT = ("julien.roux", "T07")
COMMENTS = {
    "de": ("Starke Idee, Prototyp überzeugt.", "Geschäftsmodell unklar.", ""),
    "fr": ("Très bonne démo.", "Manque de validation clinique.", ""),
    "en": ("Clear user research.", "Needs a data protection plan.", ""),
    "lb": ("Gutt presentéiert.", "Nach vill ze maachen.", ""),
}


def teams() -> list[dict[str, str]]:
    return [
        {
            "team": f"T{i + 1:02d}",
            "name": name,
            "challenge": CHALLENGES[i // 6],
            "site": SITES[i % 4],
        }
        for i, name in enumerate(TEAM_NAMES)
    ]


def assign(rng: random.Random, team_ids: list[str]) -> dict[str, list[str]]:
    """Three or four jurors per team, loads balanced, never the conflicted pair."""
    load = {juror[0]: 0 for juror in JURORS}
    plan: dict[str, list[str]] = {juror[0]: [] for juror in JURORS}
    for index, team in enumerate(team_ids):
        wanted = 4 if index % 2 == 0 else 3
        candidates = [j for j in load if (j, team) != CONFLICT]
        rng.shuffle(candidates)
        for juror in sorted(candidates, key=lambda j: load[j])[:wanted]:
            plan[juror].append(team)
            load[juror] += 1
    return plan


def scores(rng: random.Random, plan: dict[str, list[str]], team_ids: list[str]):
    quality = {t: rng.gauss(6.2, 1.2) for t in team_ids}
    facet = {(t, c): rng.gauss(0, 0.8) for t in team_ids for c in CRITERIA}
    marks: dict[tuple[str, str], list[float]] = {}
    for juror, assigned in plan.items():
        for team in assigned:
            marks[juror, team] = [
                min(
                    10.0,
                    max(
                        0.0,
                        round(
                            2
                            * (
                                quality[team]
                                + facet[team, c]
                                + SEVERITY.get(juror, 0)
                                + rng.gauss(0, 0.7)
                            )
                        )
                        / 2,
                    ),
                )
                for c in CRITERIA
            ]
    return marks


def write_xlsx(path: Path, juror: str, language: str, rows: list[list[object]]) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = {"de": "Bewertung", "en": "Scores", "lb": "Bewäertung"}[language]
    label, team, name, comment = WORDS[language]
    sheet.append([label, juror])
    sheet.append(["QuattroPole Health Hackathon 2026"])
    sheet.append([])
    sheet.append([team, name, *LABELS[language], comment])
    for row in rows:
        sheet.append(row)
    book.save(path)


def write_ods(path: Path, juror: str, rows: list[list[object]]) -> None:
    document = OpenDocumentSpreadsheet()
    table = Table(name="Évaluation")
    label, team, name, comment = WORDS["fr"]
    grid: list[list[object]] = [[label, juror], [], [team, name, *LABELS["fr"], comment], *rows]
    for values in grid:
        row = TableRow()
        for value in values:
            if isinstance(value, float):
                cell = TableCell(valuetype="float", value=value)
                cell.addElement(P(text=f"{value:g}".replace(".", ",")))
            else:
                cell = TableCell(valuetype="string")
                cell.addElement(P(text=str(value)))
            row.addElement(cell)
        table.addElement(row)
    document.spreadsheet.addElement(table)
    document.save(str(path))


def write_long_csv(path: Path, juror: str, rows: list[list[object]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, delimiter=";")
        writer.writerow(["juror", "team", "criterion", "score", "comment"])
        for team, _name, *values, comment in rows:
            for index, (criterion, value) in enumerate(zip(CRITERIA, values, strict=True)):
                text = f"{value:g}".replace(".", ",")
                writer.writerow([juror, team, criterion, text, comment if index == 0 else ""])


def main() -> None:
    rng = random.Random(SEED)
    team_rows = teams()
    team_ids = [t["team"] for t in team_rows]
    names = {t["team"]: t["name"] for t in team_rows}
    plan = assign(rng, team_ids)
    marks = scores(rng, plan, team_ids)
    with (HERE / "teams.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=["team", "name", "challenge", "site"])
        writer.writeheader()
        writer.writerows(team_rows)
    with (HERE / "assignments.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["juror", "team", "language"])
        for juror, _site, language, _fmt in JURORS:
            writer.writerows([juror, team, language] for team in plan[juror])
    for juror, _site, language, fmt in JURORS:
        rows = [
            [team, names[team], *marks[juror, team], rng.choice(COMMENTS[language])]
            for team in plan[juror]
        ]
        if juror == "lena.hoffmann":  # typed as text with a decimal comma, as people do
            rows[0][2] = f"{rows[0][2]:g}".replace(".", ",")
        if fmt == "xlsx":
            write_xlsx(HERE / f"{juror}.xlsx", juror, language, rows)
        elif fmt == "ods":
            write_ods(HERE / f"{juror}.ods", juror, rows)
        else:
            write_long_csv(HERE / f"{juror}.csv", juror, rows)


if __name__ == "__main__":
    main()
