"""Text formats shared by the reports: GitHub Markdown tables and CSV."""

from __future__ import annotations


def md_table(header: list[str], rows: list[list[str]], right: set[int]) -> list[str]:
    def esc(text: str) -> str:
        return text.replace("|", "\\|")

    out = ["| " + " | ".join(header) + " |"]
    out.append("|" + "|".join("---:" if i in right else "---" for i in range(len(header))) + "|")
    out += ["| " + " | ".join(esc(c) for c in row) + " |" for row in rows]
    return out


def csv_text(header: list[str], rows: list[list[str]]) -> str:
    import csv
    import io

    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue()
