"""Persian RTL PDF reports: Jinja2 templates rendered with WeasyPrint.

`render_student_report` (one student's feedback), `render_class_summary` (the TAs' summary),
`render_student_reports` (many, in parallel processes).
"""

from graders.report.batch import render_student_reports
from graders.report.render import render_class_summary, render_student_report

__all__ = ["render_class_summary", "render_student_report", "render_student_reports"]
